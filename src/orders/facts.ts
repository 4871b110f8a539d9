import type { Order, OrderParty, PartyRole } from "../model/order.js";
import { phoneCallingCode } from "./calling-codes.js";
import type { RulePack } from "./rule-pack.js";
import type { OrderContext } from "./types.js";

/**
 * Facts: what the rules read. Everything that needs code (set membership, history look-ups,
 * phone parsing) is computed here into plain JSON; the rule pack's json-logic conditions then
 * only compare facts, so the logic stays declarative and auditable.
 *
 * Convention: `null` means "unknown" (the data needed is missing). A list fact is the list of
 * what was found; it is `[]` only when the data was complete enough to say "nothing", and `null`
 * when nothing was found but some of the data was missing. Worked example, `parties.freeMail`:
 *
 *   buyer email "ivan@mail.ru"                      → [{ role: "buyer", email: "ivan@mail.ru", ... }]
 *   buyer email "sales@acme.de"                     → []
 *   no party gave an email                          → null  (R-FREEMAIL: could_not_run)
 */
export type Facts = Record<string, Record<string, unknown>>;

/**
 * What each fact is and which order data it comes from: the text a could_not_run outcome shows.
 *
 * @example
 * FACT_SOURCES["parties.newlyIncorporated"] // "incorporation dates (parties[].incorporated; at least the buyer's)"
 */
export const FACT_SOURCES: Record<string, string> = {
  "order.endUserStatement": "whether an end-user statement was given (end_user_statement)",
  "order.endUseVague": "the declared end use (end_use)",
  "order.ipCountry": "the country of the IP address the order came from (ip_country)",
  "order.ipCountryMismatch":
    "the IP country and the buyer's country (ip_country, parties[role=buyer].country)",
  "order.value": "quantities and unit prices of every line (items[].quantity, items[].unit_price)",
  "payment.method": "the payment method (payment.method)",
  "payment.thirdCountryPayer": "the payer's country (payment.payer_country or a party with role payer)",
  "parties.matches": "party screening of every party (lists loaded and screening run)",
  "parties.addressMatches": "party addresses (parties[].address) checked against listed parties' addresses",
  "parties.forwarderConsignee": "the end user / consignee party names",
  "parties.shipToCountryDiffers":
    "the buyer's country and the ship-to/consignee/end-user countries (parties[].country)",
  "parties.newlyIncorporated": "incorporation dates (parties[].incorporated; at least the buyer's)",
  "parties.newlyIncorporatedInHub":
    "incorporation dates and countries of the parties (parties[].incorporated, parties[].country)",
  "parties.freeMail": "party email addresses (parties[].email)",
  "parties.noWebsite": "the buyer's website, or an explicit 'none' (parties[role=buyer].website)",
  "parties.phoneMismatch":
    "international phone numbers and countries of the parties (parties[].phone with +code, parties[].country)",
  "parties.buyerNonTechnical": "the buyer's line of business (parties[role=buyer].business)",
  "parties.consigneeIsBank": "the consignee and bank parties",
  "customer.firstOrder": "the customer's history (customer.first_order or customer.prior_orders)",
  "items.chpl": "item classification of every line (an HS code or a recognisable description)",
  "items.chplTier12": "item classification of every line (an HS code or a recognisable description)",
  "items.uav": "item classification of every line (an HS code or a recognisable description)",
  "items.anyChpl": "item classification of every line (an HS code or a recognisable description)",
  "items.anyChplTier12": "item classification of every line (an HS code or a recognisable description)",
  "items.anyUav": "item classification of every line (an HS code or a recognisable description)",
  "items.anyChplTier12OrUav": "item classification of every line (an HS code or a recognisable description)",
  "route.countries":
    "where the goods go (ship_to/consignee/end_user countries, destination_country, route.transit)",
  "route.transshipment":
    "where the goods go (ship_to/consignee/end_user countries, destination_country, route.transit)",
  "route.restricted":
    "where the goods go (ship_to/consignee/end_user countries, destination_country, route.transit)",
  "route.embargoed":
    "where the goods go (ship_to/consignee/end_user countries, destination_country, route.transit)",
  "route.transitDetour": "the declared transit countries (route.transit)",
  "history.splitSameCustomer": "stored order history (past screened orders)",
  "history.splitRelated": "stored order history (past screened orders)",
  "history.priceRatios":
    "past orders of this customer for the same part numbers in the same currency (stored history)",
};

/** Roles that receive the goods: where a shipment ends up. */
const RECEIVING_ROLES: readonly PartyRole[] = ["ship_to", "consignee", "end_user"];
/** Roles that take part in the deal as counterparties (not service providers). */
const DEAL_ROLES: readonly PartyRole[] = [
  "buyer",
  "bill_to",
  "ship_to",
  "consignee",
  "intermediate_consignee",
  "end_user",
];

const fold = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

const partyRef = (party: OrderParty) => ({
  role: party.role,
  name: party.name,
  ...(party.country ? { country: party.country } : {}),
});

const unique = <T>(values: Iterable<T>) => [...new Set(values)];

/** A found-list, or null when nothing was found and the data was incomplete. */
function foundOrUnknown<T>(found: T[], complete: boolean): T[] | null {
  return found.length > 0 || complete ? found : null;
}

/** Whether a folded text contains a folded phrase as whole words. */
function hasPhrase(foldedText: string, phrase: string): boolean {
  const p = fold(phrase);
  return p !== "" && ` ${foldedText} `.includes(` ${p} `);
}

function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf("@");
  return at < 0
    ? undefined
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

function isFreeMail(domain: string, freeMailDomains: readonly string[]): boolean {
  return freeMailDomains.some((entry) =>
    entry.endsWith(".*")
      ? domain.startsWith(entry.slice(0, -1))
      : domain === entry || domain.endsWith(`.${entry}`),
  );
}

/**
 * The key that groups one customer's orders in the store: the customer id when the order gives
 * one, else the buyer's folded name and country.
 *
 * @example
 * customerKeyOf(order) // "gulf star electronics fze|AE"
 */
export function customerKeyOf(order: Order): string {
  if (order.customer?.id) return `id:${order.customer.id}`;
  const buyer = order.parties.find((p) => p.role === "buyer") ?? order.parties[0]!;
  return `${fold(buyer.name)}|${buyer.country ?? ""}`;
}

/** Part number folded for comparison ("STM32F405-RGT6" = "stm32f405rgt6"). */
const partKey = (part: string) => part.toLowerCase().replace(/[^a-z0-9]/g, "");
const hs6 = (code: string) => code.replace(/\D/g, "").slice(0, 6);

/** Days between two ISO dates (b - a). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Links between two orders' parties other than being the same customer (shared address, email domain, phone, name, identifier). */
function partyLinks(a: Order, b: Order, freeMailDomains: readonly string[]): string[] {
  const links = new Set<string>();
  const values = (order: Order) => {
    const out = {
      address: new Set<string>(),
      domain: new Set<string>(),
      phone: new Set<string>(),
      name: new Set<string>(),
      id: new Set<string>(),
    };
    for (const party of order.parties) {
      if (party.role === "freight_forwarder" || party.role === "bank") continue;
      if (party.address) out.address.add(fold(party.address));
      const domain = party.email ? emailDomain(party.email) : undefined;
      if (domain && !isFreeMail(domain, freeMailDomains)) out.domain.add(domain);
      if (party.email) out.domain.add(party.email.toLowerCase());
      if (party.phone) out.phone.add(party.phone.replace(/\D/g, "").slice(-9));
      out.name.add(fold(party.name));
      for (const identifier of party.identifiers ?? [])
        out.id.add(`${identifier.type}:${identifier.value}`.toLowerCase());
    }
    return out;
  };
  const va = values(a);
  const vb = values(b);
  for (const key of ["address", "domain", "phone", "name", "id"] as const) {
    for (const value of va[key])
      if (value && vb[key].has(value))
        links.add(`${key === "domain" ? "email domain" : key === "id" ? "identifier" : key}: ${value}`);
  }
  return [...links];
}

/**
 * Computes the facts of one order from the order, the screening results and history.
 *
 * @example
 * const facts = computeFacts(order, context, pack);
 * facts.items.anyChplTier12 // true | false | null
 */
export function computeFacts(order: Order, context: OrderContext, pack: RulePack): Facts {
  const { sets, params } = pack;
  const partiesOf = (role: PartyRole) => order.parties.filter((p) => p.role === role);
  const buyer = partiesOf("buyer")[0] ?? order.parties[0]!;
  const buyerCountry = buyer.country ?? null;
  const referenceDate = order.date ?? context.today;

  // --- items -------------------------------------------------------------------------------------
  const lineIds = order.items.map((item) => item.id);
  const screeningOf = (lineId: string) => context.items.find((s) => s.lineId === lineId);
  const unclassified = lineIds.filter((id) => (screeningOf(id)?.status ?? "unclassified") === "unclassified");
  const itemsComplete = unclassified.length === 0;
  const chpl: Array<{ line: string; part?: string; code: string; tier: string; via: string }> = [];
  const uav: Array<{ line: string; part?: string; category: string; via: string }> = [];
  for (const item of order.items) {
    // The classifier reports a hit once per kind of evidence; the rules need each control once per line.
    const seen = new Set<string>();
    for (const hit of screeningOf(item.id)?.controls ?? []) {
      const key = hit.list === "chpl" ? `chpl:${hit.code}:${hit.tier}` : `uav:${hit.category}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const part = item.part_number ? { part: item.part_number } : {};
      if (hit.list === "chpl")
        chpl.push({ line: item.id, ...part, code: hit.code, tier: hit.tier, via: hit.via });
      else uav.push({ line: item.id, ...part, category: hit.category, via: hit.via });
    }
  }
  // The items layer writes tiers as "1", "2", "3.A"...; "Tier 1" (the CHPL's own wording) is accepted too.
  const chplTier12 = chpl.filter((hit) => /^(tier\s*)?[12]$/i.test(hit.tier.trim()));
  const anyOf = (found: unknown[]) => (found.length > 0 ? true : itemsComplete ? false : null);
  const anyChplTier12 = anyOf(chplTier12);
  const anyUav = anyOf(uav);
  const anyChplTier12OrUav =
    anyChplTier12 === true || anyUav === true
      ? true
      : anyChplTier12 === false && anyUav === false
        ? false
        : null;

  // --- route -------------------------------------------------------------------------------------
  const receiving = order.parties.filter((p) => RECEIVING_ROLES.includes(p.role));
  const destinations = unique(
    [...receiving.map((p) => p.country), order.destination_country].filter((c): c is string => Boolean(c)),
  );
  // With no receiving party and no destination, the goods go to the buyer.
  if (destinations.length === 0 && receiving.length === 0 && buyerCountry) destinations.push(buyerCountry);
  const intermediate = partiesOf("intermediate_consignee")
    .map((p) => p.country)
    .filter((c): c is string => Boolean(c));
  const transit = order.route?.transit ?? [];
  const routeCountries = unique([...destinations, ...intermediate, ...transit]);
  const routeKnown = destinations.length > 0;
  const within = (set: readonly string[]) => routeCountries.filter((c) => set.includes(c));
  const routeFact = (set: readonly string[]) => foundOrUnknown(within(set), routeKnown);
  const homeCountries = new Set([...destinations, ...(buyerCountry ? [buyerCountry] : [])]);
  const transitDetour = transit.filter(
    (c) =>
      !homeCountries.has(c) && (sets.transshipment.includes(c) || sets.restrictedDestinations.includes(c)),
  );

  // --- parties -----------------------------------------------------------------------------------
  const matches = context.parties.flatMap((s) =>
    s.matches.filter((m) => m.match).map((m) => ({ role: s.role, party: s.name, ...m })),
  );
  const allScreened = order.parties.every((_, index) =>
    context.parties.some((s) => s.partyIndex === index && s.status === "screened"),
  );

  const addressMatches = context.parties.flatMap((s) =>
    (s.addressMatches ?? []).map((m) => ({
      role: s.role,
      party: s.name,
      partyAddress: order.parties[s.partyIndex]?.address,
      ...m,
    })),
  );
  const withAddress = order.parties.map((p, i) => ({ p, i })).filter(({ p }) => p.address);
  const addressesChecked =
    withAddress.length > 0 &&
    withAddress.every(({ i }) =>
      context.parties.some((s) => s.partyIndex === i && s.addressMatches !== undefined),
    );

  const forwarderNames = new Set(partiesOf("freight_forwarder").map((p) => fold(p.name)));
  const consigneeCandidates = (() => {
    const ultimate = order.parties.filter((p) => p.role === "end_user" || p.role === "consignee");
    if (ultimate.length > 0) return ultimate;
    const shipTo = partiesOf("ship_to");
    return shipTo.length > 0 ? shipTo : [buyer];
  })();
  const forwarderConsignee = consigneeCandidates.flatMap((party) => {
    const folded = fold(party.name);
    const words = sets.logisticsNameWords.filter((w) => hasPhrase(folded, w));
    const isForwarder = forwarderNames.has(folded);
    if (words.length === 0 && !isForwarder) return [];
    return [
      {
        ...partyRef(party),
        ...(words.length ? { words } : {}),
        ...(isForwarder ? { alsoFreightForwarder: true } : {}),
      },
    ];
  });

  const elsewhere = [
    ...receiving.filter((p) => p.country && p.country !== buyerCountry).map(partyRef),
    ...(order.destination_country && order.destination_country !== buyerCountry
      ? [{ role: "destination_country", country: order.destination_country }]
      : []),
  ];
  const shipToCountryDiffers = !buyerCountry
    ? null
    : elsewhere.length > 0
      ? { buyerCountry, receiving: elsewhere }
      : false;

  const dealParties = order.parties.filter((p) => DEAL_ROLES.includes(p.role));
  const newlyIncorporated = dealParties
    .filter((p) => p.incorporated && p.incorporated > params.incorporationCutoff)
    .map((p) => ({ ...partyRef(p), incorporated: p.incorporated }));
  const buyerIncorporationKnown = Boolean(buyer.incorporated);
  const newlyIncorporatedInHub = newlyIncorporated.filter(
    (p) => p.country && sets.transshipment.includes(p.country),
  );

  const withEmail = order.parties.filter((p) => p.email && p.role !== "bank");
  const freeMail = withEmail
    .filter((p) => {
      const domain = emailDomain(p.email!);
      return domain !== undefined && isFreeMail(domain, sets.freeMailDomains);
    })
    .map((p) => ({ ...partyRef(p), email: p.email }));

  const noWebsite = dealParties.filter((p) => p.website === "").map(partyRef);

  const phoneChecks = order.parties
    .filter((p) => p.phone && p.country && p.role !== "bank")
    .map((p) => ({ party: p, code: phoneCallingCode(p.phone!) }))
    .filter((c) => c.code !== undefined);
  const phoneMismatch = phoneChecks
    .filter(({ party, code }) => !code!.countries.includes(party.country!))
    .map(({ party, code }) => ({
      ...partyRef(party),
      phone: party.phone,
      callingCode: `+${code!.code}`,
      codeCountries: code!.countries,
    }));

  const buyerNonTechnical = buyer.business
    ? (() => {
        const folded = fold(buyer.business);
        const words = sets.nonTechnicalBusinessWords.filter((w) => hasPhrase(folded, w));
        return words.length > 0 ? { business: buyer.business, words } : false;
      })()
    : null;

  const banks = partiesOf("bank").map((p) => fold(p.name));
  const consigneeIsBank = order.parties
    .filter((p) => p.role === "consignee" || p.role === "end_user")
    .some((p) => banks.includes(fold(p.name)) || hasPhrase(fold(p.name), "bank"));

  // --- payment -----------------------------------------------------------------------------------
  const method = order.payment?.method ? fold(order.payment.method) : null;
  const payerCountry = order.payment?.payer_country ?? partiesOf("payer")[0]?.country ?? null;
  const dealCountries = unique(
    order.parties
      .filter((p) => p.role !== "payer" && p.role !== "bank" && p.role !== "freight_forwarder")
      .map((p) => p.country)
      .concat(order.destination_country)
      .filter((c): c is string => Boolean(c)),
  );
  const thirdCountryPayer =
    payerCountry === null
      ? null
      : dealCountries.includes(payerCountry)
        ? false
        : { payerCountry, dealCountries, transshipmentCountry: sets.transshipment.includes(payerCountry) };

  const lineValues = order.items.map((i) =>
    i.quantity !== undefined && i.unit_price !== undefined ? i.quantity * i.unit_price : null,
  );
  const orderValue = lineValues.every((v) => v !== null)
    ? Math.round((lineValues as number[]).reduce((a, b) => a + b, 0) * 100) / 100
    : null;

  const firstOrder =
    order.customer?.first_order ??
    (order.customer?.prior_orders !== undefined ? order.customer.prior_orders === 0 : null);

  // --- end use -----------------------------------------------------------------------------------
  // A missing end use is itself the red flag (BIS: reluctance to give end-use information).
  const endUseVague = !order.end_use
    ? true
    : (() => {
        const folded = fold(order.end_use);
        return folded.length < 4 || sets.vagueEndUses.some((v) => fold(v) === folded);
      })();

  // --- history -----------------------------------------------------------------------------------
  const customerKey = customerKeyOf(order);
  const chplKeys = new Map<string, string>();
  for (const hit of chpl) {
    const item = order.items.find((i) => i.id === hit.line)!;
    chplKeys.set(
      item.part_number ? `part:${partKey(item.part_number)}` : `hs:${hit.code}`,
      item.part_number ?? hit.code,
    );
  }
  let splitSameCustomer: unknown[] | null = null;
  let splitRelated: unknown[] | null = null;
  let priceRatios: unknown[] | null = null;
  if (context.history) {
    const past = context.history.filter((h) => h.orderId !== order.id);
    splitSameCustomer = [];
    splitRelated = [];
    for (const h of past) {
      const date = h.orderDate ?? h.order.date;
      if (!date) continue;
      const age = daysBetween(date, referenceDate);
      if (age < 0 || age > params.splitWindowDays) continue;
      const shared = unique(
        h.order.items.flatMap((i) => {
          const keys = [
            i.part_number ? `part:${partKey(i.part_number)}` : undefined,
            i.hs_code ? `hs:${hs6(i.hs_code)}` : undefined,
          ];
          return keys
            .filter((k): k is string => k !== undefined && chplKeys.has(k))
            .map((k) => chplKeys.get(k)!);
        }),
      );
      if (shared.length === 0) continue;
      const entry = { orderId: h.orderId, date, items: shared };
      if ((h.customerKey ?? customerKeyOf(h.order)) === customerKey) splitSameCustomer.push(entry);
      else {
        const linkedBy = partyLinks(order, h.order, sets.freeMailDomains);
        if (linkedBy.length > 0) splitRelated.push({ ...entry, linkedBy });
      }
    }
    const ratios: unknown[] = [];
    const own = past.filter((h) => (h.customerKey ?? customerKeyOf(h.order)) === customerKey);
    for (const item of order.items) {
      if (!item.part_number || item.unit_price === undefined || item.unit_price <= 0) continue;
      const prices = own.flatMap((h) =>
        h.order.items
          .filter(
            (i) =>
              i.part_number &&
              partKey(i.part_number) === partKey(item.part_number!) &&
              i.unit_price !== undefined &&
              i.unit_price > 0 &&
              (i.currency ?? h.order.payment?.currency) === (item.currency ?? order.payment?.currency),
          )
          .map((i) => i.unit_price!),
      );
      if (prices.length < params.priceHistoryMinOrders) continue;
      const usual = median(prices);
      ratios.push({
        line: item.id,
        part: item.part_number,
        unitPrice: item.unit_price,
        usualPrice: usual,
        ratio: Math.round((item.unit_price / usual) * 1000) / 1000,
        observations: prices.length,
      });
    }
    priceRatios = ratios.length > 0 ? ratios : null;
  }

  return {
    order: {
      id: order.id,
      date: order.date ?? null,
      endUserStatement: order.end_user_statement ?? null,
      endUse: order.end_use ?? null,
      endUseVague,
      ipCountry: order.ip_country ?? null,
      ipCountryMismatch: order.ip_country && buyerCountry ? order.ip_country !== buyerCountry : null,
      value: orderValue,
    },
    payment: {
      method,
      isCash: method === null ? null : sets.cashMethods.some((m) => hasPhrase(method, m)),
      isLetterOfCredit: method === null ? null : sets.letterOfCreditMethods.some((m) => hasPhrase(method, m)),
      payerCountry,
      thirdCountryPayer,
    },
    parties: {
      buyerCountry,
      matches: foundOrUnknown(matches, allScreened),
      addressMatches: foundOrUnknown(addressMatches, addressesChecked),
      forwarderConsignee,
      shipToCountryDiffers,
      newlyIncorporated: foundOrUnknown(newlyIncorporated, buyerIncorporationKnown),
      newlyIncorporatedInHub: foundOrUnknown(newlyIncorporatedInHub, buyerIncorporationKnown),
      freeMail: foundOrUnknown(freeMail, Boolean(buyer.email)),
      noWebsite: foundOrUnknown(noWebsite, buyer.website !== undefined),
      phoneMismatch: foundOrUnknown(phoneMismatch, phoneChecks.length > 0),
      buyerNonTechnical,
      consigneeIsBank,
    },
    customer: { key: customerKey, firstOrder },
    items: {
      unclassified,
      chpl: foundOrUnknown(chpl, itemsComplete),
      chplTier12: foundOrUnknown(chplTier12, itemsComplete),
      uav: foundOrUnknown(uav, itemsComplete),
      anyChpl: anyOf(chpl),
      anyChplTier12,
      anyUav,
      anyChplTier12OrUav,
    },
    route: {
      destinations,
      transit,
      countries: routeKnown ? routeCountries : null,
      transshipment: routeFact(sets.transshipment),
      restricted: routeFact(sets.restrictedDestinations),
      embargoed: routeFact(sets.embargoed),
      transitDetour,
    },
    history: { splitSameCustomer, splitRelated, priceRatios },
  };
}
