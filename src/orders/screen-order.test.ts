import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Order, orderSchema } from "../model/order.js";
import { createAddressIndex } from "./address-match.js";
import { phoneCallingCode } from "./calling-codes.js";
import { factsRead } from "./evaluate.js";
import { parseRedFlagsCsv, renderOrdersHtml } from "./report.js";
import { parseDecisionPolicy, parseRulePack } from "./rule-pack.js";
import { invalidOrderResult, screenOrder } from "./screen-order.js";
import type { ItemScreening, OrderContext, PartyScreening } from "./types.js";

const RULES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data", "rules");
const pack = parseRulePack(JSON.parse(readFileSync(join(RULES, "default-pack.json"), "utf8")));
const policy = parseDecisionPolicy(JSON.parse(readFileSync(join(RULES, "policy.json"), "utf8")), pack);
const redFlags = parseRedFlagsCsv(readFileSync(join(RULES, "red-flags.csv"), "utf8"));

const TIER1 = { list: "chpl" as const, code: "854231", tier: "1", via: "code", evidence: "declared 8542.31" };
const UAV_MCU = {
  list: "uav-key-items" as const,
  category: "microcontrollers",
  via: "description",
  evidence: "'microcontroller'",
};

function makeOrder(overrides: Partial<Record<string, unknown>> = {}): Order {
  return orderSchema.parse({
    id: "SO-1",
    date: "2025-03-14",
    parties: [
      {
        role: "buyer",
        name: "Acme Antriebe GmbH",
        country: "DE",
        email: "buy@acme-antriebe.de",
        phone: "+49 40 555 1000",
        website: "acme-antriebe.de",
        incorporated: "2001-01-01",
        business: "motor drives",
      },
    ],
    items: [
      {
        id: "1",
        hs_code: "8542.31",
        part_number: "STM32F405RGT6",
        quantity: 100,
        unit_price: 6.8,
        currency: "USD",
      },
    ],
    payment: { method: "wire", payer_country: "DE" },
    end_use: "motor drive boards",
    end_user_statement: true,
    customer: { first_order: false, prior_orders: 3 },
    ...overrides,
  });
}

/** Screening fixtures: every party screened with no match; every line a Tier 1 MCU unless told. */
function context(order: Order, extra: Partial<OrderContext> = {}, items?: ItemScreening[]): OrderContext {
  const parties: PartyScreening[] = order.parties.map((p, partyIndex) => ({
    partyIndex,
    role: p.role,
    name: p.name,
    status: "screened",
    matches: [],
    addressMatches: [],
  }));
  return {
    today: "2025-03-20",
    parties,
    items:
      items ??
      order.items.map((i) => ({
        lineId: i.id,
        status: "classified",
        hsCode: "854231",
        controls: [TIER1, UAV_MCU],
      })),
    history: [],
    ...extra,
  };
}

const outcome = (result: ReturnType<typeof screenOrder>, rule: string) =>
  result.flags.find((f) => f.rule === rule)!;
const triggered = (result: ReturnType<typeof screenOrder>) =>
  result.flags.filter((f) => f.outcome === "triggered").map((f) => f.rule);

describe("rule pack", () => {
  it("cites only red flags that exist, and accounts for every red flag", () => {
    const cited = new Set(pack.rules.flatMap((r) => r.redFlags));
    for (const id of cited) expect(redFlags.has(id), id).toBe(true);
    const notCovered = new Set(pack.notCovered.map((n) => n.redFlag));
    const unaccounted = [...redFlags.keys()].filter((id) => !cited.has(id) && !notCovered.has(id));
    expect(unaccounted).toEqual([]);
  });

  it("declares in `requires` every fact a condition reads", () => {
    for (const rule of pack.rules) {
      const read = factsRead(rule.condition).filter((path) => !path.endsWith(".length"));
      const lengths = factsRead(rule.condition)
        .filter((path) => path.endsWith(".length"))
        .map((p) => p.slice(0, -".length".length));
      for (const path of [...read, ...lengths])
        expect(rule.requires, `${rule.id} reads ${path}`).toContain(path);
    }
  });

  it("rejects a policy that names an unknown rule", () => {
    expect(() => parseDecisionPolicy({ ...policy, block: { rules: ["R-NOPE"] } }, pack)).toThrow(/R-NOPE/);
  });
});

describe("screenOrder", () => {
  it("clears a clean, documented Tier 1 order to Germany", () => {
    const order = makeOrder();
    const result = screenOrder(order, context(order), pack, policy);
    expect(result.decision).toBe("clear");
    expect(triggered(result)).toEqual([]);
    expect(result.flags).toHaveLength(pack.rules.length);
  });

  it("blocks a Tier 1 item whose end user is in Russia, naming the rule", () => {
    const order = makeOrder({
      parties: [
        { role: "buyer", name: "Acme Antriebe GmbH", country: "DE" },
        { role: "end_user", name: "OOO Vostok", country: "RU" },
      ],
    });
    const result = screenOrder(order, context(order), pack, policy);
    expect(result.decision).toBe("block");
    expect(result.reasons.map((r) => r.rule)).toContain("R-CHPL12-RESTRICTED-DEST");
    expect(outcome(result, "R-CHPL12-RESTRICTED-DEST").evidence).toMatchObject({ countries: ["RU"] });
  });

  it("blocks on a confirmed listed-party match and keeps the match explanation", () => {
    const order = makeOrder();
    const ctx = context(order);
    ctx.parties[0]!.matches = [
      {
        entityId: "ofac-sdn:1",
        list: "ofac-sdn",
        name: "ACME ANTRIEBE",
        score: 0.98,
        match: true,
        explanation: { summary: "all tokens" },
      },
    ];
    const result = screenOrder(order, ctx, pack, policy);
    expect(result.decision).toBe("block");
    expect(result.parties[0]!.matches[0]!.explanation).toEqual({ summary: "all tokens" });
  });

  it("keeps the three outcomes apart: unscreened parties make listed-party rules could_not_run, and review", () => {
    const order = makeOrder();
    const ctx = context(order);
    ctx.parties[0]!.status = "not_screened";
    const result = screenOrder(order, ctx, pack, policy);
    const flag = outcome(result, "R-LISTED-PARTY-CONFIRMED");
    expect(flag.outcome).toBe("could_not_run");
    expect(flag.missing![0]!.fact).toBe("parties.matches");
    expect(result.decision).toBe("review");
  });

  it("reports could_not_run with the missing data for history rules when no history is available", () => {
    const order = makeOrder();
    const result = screenOrder(order, context(order, { history: undefined }), pack, policy);
    expect(outcome(result, "R-SPLIT-ORDERS").outcome).toBe("could_not_run");
    expect(outcome(result, "R-SPLIT-ORDERS").missing!.map((m) => m.fact)).toEqual([
      "history.splitSameCustomer",
      "history.splitRelated",
    ]);
    expect(result.decision).toBe("clear");
  });

  it("does not ask for an end-user statement on uncontrolled goods (when = false is not_triggered)", () => {
    const order = makeOrder({ end_user_statement: undefined });
    const result = screenOrder(
      order,
      context(order, {}, [{ lineId: "1", status: "classified", hsCode: "731815", controls: [] }]),
      pack,
      policy,
    );
    expect(outcome(result, "R-CHPL-NO-EUS")).toMatchObject({
      outcome: "not_triggered",
      note: "does not apply to this order",
    });
  });

  it("cannot clear an unclassified line bound for a hub", () => {
    const order = makeOrder({ parties: [{ role: "buyer", name: "Desert Parts LLC", country: "AE" }] });
    const result = screenOrder(
      order,
      context(order, {}, [{ lineId: "1", status: "unclassified", controls: [] }]),
      pack,
      policy,
    );
    expect(outcome(result, "R-CHPL12-TRANSSHIPMENT").outcome).toBe("could_not_run");
    expect(result.decision).toBe("review");
  });

  it("needs two low-severity flags together for review", () => {
    const one = makeOrder({
      parties: [{ role: "buyer", name: "Acme", country: "DE", email: "acme@gmail.com", website: "acme.de" }],
    });
    expect(screenOrder(one, context(one), pack, policy).decision).toBe("clear");
    const two = makeOrder({
      parties: [{ role: "buyer", name: "Acme", country: "DE", email: "acme@gmail.com", website: "none" }],
    });
    const result = screenOrder(two, context(two), pack, policy);
    expect(result.decision).toBe("review");
    expect(result.reasons.map((r) => r.clause)).toEqual([
      "review.lowSeverityCount",
      "review.lowSeverityCount",
    ]);
  });

  it("finds split orders across related parties from history", () => {
    const order = makeOrder({
      parties: [{ role: "buyer", name: "Alpha GmbH", country: "DE", address: "Hafenstr. 1, Bremen" }],
    });
    const past = makeOrder({
      id: "SO-0",
      date: "2025-03-01",
      parties: [{ role: "buyer", name: "Beta GmbH", country: "DE", address: "Hafenstr. 1, Bremen" }],
    });
    const result = screenOrder(
      order,
      context(order, { history: [{ orderId: "SO-0", order: past }] }),
      pack,
      policy,
    );
    expect(outcome(result, "R-SPLIT-ORDERS").outcome).toBe("triggered");
    expect(outcome(result, "R-SPLIT-ORDERS").evidence).toMatchObject({
      relatedParties: [{ orderId: "SO-0" }],
    });
  });

  it("flags a price five times under the customer's usual", () => {
    const order = makeOrder({
      items: [{ id: "1", part_number: "STM32F405RGT6", quantity: 100, unit_price: 1, currency: "USD" }],
    });
    const history = ["2024-06-01", "2024-09-01"].map((date, i) => ({
      orderId: `H${i}`,
      order: makeOrder({ id: `H${i}`, date }),
    }));
    const result = screenOrder(order, context(order, { history }), pack, policy);
    expect(outcome(result, "R-PRICE-ANOMALY")).toMatchObject({
      outcome: "triggered",
      evidence: { lines: [{ ratio: 0.147 }] },
    });
  });

  it("invalid orders get review and never clear", () => {
    const result = invalidOrderResult("SO-9", [{ path: "parties", message: "no buyer" }], policy);
    expect(result.decision).toBe("review");
    expect(result.error).toBe("invalid order");
  });
});

describe("helpers", () => {
  it.each([
    ["+971 4 555 0101", "971", ["AE"]],
    ["+7 (495) 123-45-67", "7", ["RU"]],
    ["+7 727 250 0000", "7", ["KZ"]],
    ["0049 40 555 1000", "49", ["DE"]],
  ])("reads the calling code of %s", (phone, code, countries) => {
    expect(phoneCallingCode(phone)).toEqual({ code, countries });
  });

  it("gives no calling code for a national number", () => {
    expect(phoneCallingCode("040 555 1000")).toBeUndefined();
  });

  it("matches a street address to a listed one and ignores city-only addresses", () => {
    const index = createAddressIndex([
      {
        id: "eu:1",
        listId: "eu",
        name: "SOHA INFO",
        addresses: [
          { full: "Pionirska 3, Novi Banovci 22304, Serbia", country: { text: "Serbia", code: "CS" } },
        ],
      },
      { id: "eu:2", listId: "eu", name: "Somebody", addresses: [{ full: "Moscow, Russia" }] },
    ]);
    expect(index.size).toBe(1);
    expect(index.match("Pionirska 3, 22304 Novi Banovci, Serbia", "RS")[0]).toMatchObject({
      entityId: "eu:1",
    });
    expect(index.match("Pionirska 7, 11000 Beograd", "RS")).toEqual([]);
  });

  it("escapes untrusted text in the HTML report", () => {
    const order = makeOrder({
      parties: [{ role: "buyer", name: '<script>alert("x")</script>', country: "DE" }],
    });
    const html = renderOrdersHtml([screenOrder(order, context(order), pack, policy)], redFlags);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("https://www.bis.gov/articles/red-flag-indicators");
  });
});
