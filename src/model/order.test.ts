import { describe, expect, it } from "vitest";
import { ORDER_CSV_COLUMNS, ordersFromCsvRows, parseOrder } from "./order.js";

const valid = {
  id: "SO-1001",
  date: "2025-03-14",
  parties: [
    {
      role: "buyer",
      name: "Gulf Star FZE",
      country: "AE",
      identifiers: [{ type: "trade-licence", value: "123" }],
    },
  ],
  items: [{ id: 1, hs_code: "8542.31", quantity: 100, unit_price: 2.5, currency: "usd" }],
  route: { transit: ["AM"] },
  payment: { method: "wire", payer_country: "HK", currency: "USD" },
  end_use: "controllers",
  end_user_statement: false,
  customer: { first_order: true, prior_orders: 0 },
};

describe("parseOrder", () => {
  it("accepts the contract's shape, keeps unknown fields and normalises values", () => {
    const result = parseOrder({ ...valid, erp_ref: "X-1" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.order.items[0]).toMatchObject({ id: "1", currency: "USD" });
    expect((result.order as Record<string, unknown>).erp_ref).toBe("X-1");
  });

  it.each([
    ["14 March 2025", "2025-03-14"],
    ["2025/03/14", "2025-03-14"],
    ["31.12.2024", "2024-12-31"],
  ])("reads the unambiguous date %s", (date, iso) => {
    const result = parseOrder({ ...valid, date });
    expect(result.ok && result.order.date).toBe(iso);
  });

  it.each([
    [{ date: "03/04/2025" }, "date"],
    [{ date: "2025-02-30" }, "date"],
    [{ parties: [] }, "parties"],
    [{ parties: [{ role: "ship_to", name: "X" }] }, "parties"],
    [{ parties: [{ role: "agent", name: "X" }] }, "parties[0].role"],
    [{ parties: [{ role: "buyer", name: "X", country: "Atlantis" }] }, "parties[0].country"],
    [{ items: [{ id: "1", quantity: "ten" }] }, "items[0].quantity"],
    [{ items: [{ id: "1" }, { id: "1" }] }, "items[1].id"],
    [{ end_user_statement: "maybe" }, "end_user_statement"],
  ])("reports %j at its path", (patch, path) => {
    const result = parseOrder({ ...valid, ...patch });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.id).toBe("SO-1001");
    expect(result.errors.map((e) => e.path)).toContain(path);
  });

  it("lists every problem, including cross-field ones when fields fail", () => {
    const result = parseOrder({
      id: "SO-2",
      parties: [{ role: "ship_to", name: "W", incorporated: "31/02/2020" }],
      items: "x",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path).sort()).toEqual(["items", "parties", "parties[0].incorporated"]);
  });
});

describe("flat CSV form", () => {
  it("groups item rows into orders with party columns", () => {
    const rows = [
      {
        order_id: "SO-1",
        date: "2025-03-14",
        buyer_name: "Acme GmbH",
        buyer_country: "DE",
        ship_to_name: "Acme Sp. z o.o.",
        ship_to_country: "PL",
        item_id: "1",
        hs_code: "8542.31",
        quantity: "100",
        unit_price: "2.50",
        currency: "EUR",
        route_transit: "AM;GE",
        end_user_statement: "yes",
        buyer_identifiers: "vat:DE123;hrb:456",
      },
      {
        order_id: "SO-1",
        date: "2025-03-14",
        buyer_name: "Acme GmbH",
        buyer_country: "DE",
        ship_to_name: "Acme Sp. z o.o.",
        ship_to_country: "PL",
        item_id: "2",
        hs_code: "8532.24",
        quantity: "1,000",
        unit_price: "0.01",
        currency: "EUR",
      },
      { order_id: "SO-2", buyer_name: "Beta", buyer_country: "FR", hs_code: "7318.15", quantity: "5" },
    ];
    const orders = ordersFromCsvRows(rows);
    expect(orders).toHaveLength(2);
    const first = parseOrder(orders[0]!.raw);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.order.parties.map((p) => p.role)).toEqual(["buyer", "ship_to"]);
    expect(first.order.parties[0]!.identifiers).toEqual([
      { type: "vat", value: "DE123" },
      { type: "hrb", value: "456" },
    ]);
    expect(first.order.items.map((i) => i.quantity)).toEqual([100, 1000]);
    expect(first.order.route?.transit).toEqual(["AM", "GE"]);
    expect(first.order.end_user_statement).toBe(true);
    expect(orders[1]!.lines).toEqual([4]);
    expect(ORDER_CSV_COLUMNS).toContain("intermediate_consignee_country");
  });

  it("reports rows of one order that disagree on order-level cells", () => {
    const orders = ordersFromCsvRows([
      { order_id: "SO-1", buyer_name: "Acme", buyer_country: "DE", hs_code: "7318.15" },
      { order_id: "SO-1", buyer_name: "Acme", buyer_country: "FR", hs_code: "7318.15" },
    ]);
    expect(orders[0]!.errors[0]!.path).toBe("csv line 3.buyer_country");
  });
});
