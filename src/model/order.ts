import { z } from "zod";
import { countryCode } from "./countries.js";
import { parseDateText } from "./dates.js";

/**
 * The order model of `chokepoint orders`. Field names are the wire contract of the architecture
 * document (snake_case as customers' ERP exports write them); unknown fields are kept on the parsed
 * object (so they survive into the stored order) and ignored by the rules.
 *
 * Two input forms:
 * - JSON: an array of orders, or one order per line (JSON lines), shaped as `orderSchema`.
 * - Flat CSV for spreadsheets: one row per item line; order-level and party columns repeat on every
 *   row of the same `order_id` (see `ORDER_CSV_COLUMNS` and `ordersFromCsvRows`).
 */

/**
 * Party roles an order can name.
 *
 * @example
 * const role: PartyRole = "end_user";
 */
export const PARTY_ROLES = [
  "buyer",
  "bill_to",
  "ship_to",
  "consignee",
  "intermediate_consignee",
  "end_user",
  "freight_forwarder",
  "payer",
  "bank",
] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

/** Empty strings from spreadsheets mean "not given", never a value. */
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/** Optional free text: trimmed, blank = absent. */
const optionalText = z.preprocess(blankToUndefined, z.string().trim().optional());

/**
 * ISO 3166-1 alpha-2. English names ("United Arab Emirates", "Türkiye") are accepted and resolved,
 * because spreadsheets carry them; anything unresolvable is an error, never a guess.
 */
export const countryCodeSchema = z.string().transform((text, ctx) => {
  const code = countryCode(text);
  if (!code) {
    ctx.addIssue({ code: "custom", message: `not a country: "${text}" (use ISO 3166-1 alpha-2, e.g. "AE")` });
    return z.NEVER;
  }
  return code;
});

const optionalCountry = z.preprocess(blankToUndefined, countryCodeSchema.optional());

/**
 * A calendar date as ISO `YYYY-MM-DD`. Other spellings are accepted when they name one day
 * unambiguously ("14 Mar 2025", "2025/03/14", "31.12.2024"); a numeric date whose day and month
 * could be swapped ("03/04/2025") is rejected rather than guessed, since a wrong incorporation date
 * moves an order across the 2022-02-24 line.
 *
 * @example
 * isoDateSchema.parse("14 March 2025") // "2025-03-14"
 */
export const isoDateSchema = z.string().transform((text, ctx) => {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const parsed = parseDateText(trimmed);
    if (parsed?.kind === "exact") return parsed.from;
  }
  const dmy = parseDateText(trimmed, "dmy");
  const mdy = parseDateText(trimmed, "mdy");
  const exact = [dmy, mdy].filter((d) => d?.kind === "exact").map((d) => d!.from);
  const distinct = [...new Set(exact)];
  if (distinct.length === 1) return distinct[0]!;
  ctx.addIssue({
    code: "custom",
    message:
      distinct.length > 1
        ? `ambiguous date "${text}": could be ${distinct.join(" or ")}; write YYYY-MM-DD`
        : `not a calendar date: "${text}" (write YYYY-MM-DD)`,
  });
  return z.NEVER;
});

const optionalDate = z.preprocess(blankToUndefined, isoDateSchema.optional());

/** Numbers may arrive as strings from spreadsheets ("2.50", "1,000"); anything else is an error. */
const numberLike = z.preprocess((value) => {
  if (typeof value === "string") {
    const cleaned = value.trim().replace(/,/g, "");
    if (cleaned === "") return undefined;
    const n = Number(cleaned);
    return Number.isFinite(n) ? n : value;
  }
  return value;
}, z.number().nonnegative().optional());

/** Booleans from spreadsheets: true/false, yes/no, y/n, 1/0. */
const booleanLike = z.preprocess((value) => {
  if (typeof value === "string") {
    const folded = value.trim().toLowerCase();
    if (folded === "") return undefined;
    if (["true", "yes", "y", "1"].includes(folded)) return true;
    if (["false", "no", "n", "0"].includes(folded)) return false;
  }
  return value;
}, z.boolean().optional());

/**
 * A website. `null`, `""` in JSON or the word "none" mean the party declared it has none (a red
 * flag of its own); an absent field means nobody asked, which a rule must not read as "none".
 */
const websiteSchema = z.preprocess(
  (value) =>
    value === null || (typeof value === "string" && ["none", "-", "n/a"].includes(value.trim().toLowerCase()))
      ? ""
      : value,
  z.string().trim().optional(),
);

/**
 * One identifier a party gave (tax number, INN, registration number...).
 *
 * @example
 * { type: "inn", value: "7701234567" }
 */
export const orderIdentifierSchema = z.looseObject({
  type: z.string().trim().min(1),
  value: z.string().trim().min(1),
});

/**
 * One party to the order.
 *
 * @example
 * { role: "buyer", name: "Gulf Star Electronics FZE", country: "AE", email: "sales@gulfstar.ae",
 *   phone: "+971 4 555 0101", website: "gulfstar.ae", incorporated: "2022-06-01" }
 */
export const orderPartySchema = z.looseObject({
  role: z.enum(PARTY_ROLES),
  name: z.string().trim().min(1, "party name is required"),
  country: optionalCountry,
  address: optionalText,
  email: optionalText,
  phone: optionalText,
  website: websiteSchema,
  incorporated: optionalDate,
  /** The party's line of business as the customer file records it ("bakery", "avionics MRO"). */
  business: optionalText,
  identifiers: z.array(orderIdentifierSchema).optional(),
});
export type OrderParty = z.infer<typeof orderPartySchema>;

/**
 * One item line, as in item screening, with quantity and price.
 *
 * @example
 * { id: "1", hs_code: "8542.31", description: "32-bit MCU", manufacturer: "ST",
 *   part_number: "STM32F405RGT6", quantity: 100, unit_price: 6.8, currency: "USD" }
 */
export const orderItemSchema = z.looseObject({
  id: z.preprocess((value) => (typeof value === "number" ? String(value) : value), z.string().trim().min(1)),
  hs_code: optionalText,
  description: optionalText,
  manufacturer: optionalText,
  part_number: optionalText,
  quantity: numberLike,
  unit_price: numberLike,
  currency: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .transform((c) => c.toUpperCase())
      .pipe(z.string().regex(/^[A-Z]{3}$/, "currency must be an ISO 4217 code such as USD"))
      .optional(),
  ),
});
export type OrderItem = z.infer<typeof orderItemSchema>;

/**
 * Checks across fields (a buyer is named; item ids are unique). Written over unknown input so that
 * `parseOrder` can run them even when other fields fail, and report every problem at once (zod
 * skips refinements of an object whose fields failed).
 */
function crossFieldProblems(input: unknown): Array<{ path: (string | number)[]; message: string }> {
  const problems: Array<{ path: (string | number)[]; message: string }> = [];
  if (!input || typeof input !== "object") return problems;
  const { parties, items } = input as { parties?: unknown; items?: unknown };
  const isBuyer = (p: unknown) =>
    Boolean(p && typeof p === "object" && (p as { role?: unknown }).role === "buyer");
  if (Array.isArray(parties) && parties.length > 0 && !parties.some(isBuyer)) {
    problems.push({ path: ["parties"], message: 'no party with role "buyer"' });
  }
  if (Array.isArray(items)) {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const id = item && typeof item === "object" ? (item as { id?: unknown }).id : undefined;
      if (typeof id !== "string" && typeof id !== "number") return;
      const key = String(id).trim();
      if (seen.has(key))
        problems.push({ path: ["items", index, "id"], message: `duplicate item id "${key}"` });
      seen.add(key);
    });
  }
  return problems;
}

/**
 * The full order.
 *
 * @example
 * orderSchema.parse({ id: "SO-1001", date: "2025-03-14",
 *   parties: [{ role: "buyer", name: "Acme GmbH", country: "DE" }],
 *   items: [{ id: "1", hs_code: "8542.31", quantity: 10 }] })
 */
export const orderSchema = z
  .looseObject({
    id: z.preprocess(
      (value) => (typeof value === "number" ? String(value) : value),
      z.string().trim().min(1),
    ),
    date: optionalDate,
    parties: z.array(orderPartySchema).min(1, "an order needs at least one party (the buyer)"),
    items: z.array(orderItemSchema).min(1, "an order needs at least one item line"),
    /** Where the goods finally go when no ship-to/consignee/end-user party says it. */
    destination_country: optionalCountry,
    route: z
      .looseObject({
        transit: z.array(countryCodeSchema).optional(),
        ports: z.array(z.string()).optional(),
      })
      .optional(),
    incoterms: optionalText,
    payment: z
      .looseObject({
        method: optionalText,
        payer_country: optionalCountry,
        currency: optionalText,
      })
      .optional(),
    end_use: optionalText,
    end_user_statement: booleanLike,
    /** Country of the IP address the order came from, when the web shop records it. */
    ip_country: optionalCountry,
    customer: z
      .looseObject({
        id: optionalText,
        first_order: booleanLike,
        prior_orders: numberLike,
      })
      .optional(),
  })
  .superRefine((order, ctx) => {
    for (const problem of crossFieldProblems(order)) {
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
    }
  });
export type Order = z.infer<typeof orderSchema>;

/**
 * One validation problem: where (a JSON path such as `parties[0].incorporated`) and what.
 *
 * @example
 * { path: "items[1].quantity", message: "expected number, received string" }
 */
export interface OrderValidationError {
  path: string;
  message: string;
}

/** Formats a zod path as `parties[0].country`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || "(order)";
}

/**
 * The result of validating one order: the typed order, or every problem found in it.
 *
 * @example
 * { ok: false, id: "SO-7", errors: [{ path: "parties", message: "no party with role \"buyer\"" }] }
 */
export type OrderParseResult =
  | { ok: true; order: Order }
  | { ok: false; id: string | undefined; errors: OrderValidationError[] };

/**
 * Validates one order, collecting every problem with its path rather than stopping at the first.
 *
 * @example
 * const result = parseOrder(JSON.parse(line));
 * if (!result.ok) console.log(result.errors);
 */
export function parseOrder(input: unknown): OrderParseResult {
  const parsed = orderSchema.safeParse(input);
  if (parsed.success) return { ok: true, order: parsed.data };
  const rawId =
    input && typeof input === "object" && "id" in input ? (input as { id: unknown }).id : undefined;
  const id = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : undefined;
  const errors = parsed.error.issues.map((issue) => ({
    path: formatIssuePath(issue.path),
    message: issue.message,
  }));
  for (const problem of crossFieldProblems(input)) {
    const path = formatIssuePath(problem.path);
    if (!errors.some((e) => e.path === path && e.message === problem.message))
      errors.push({ path, message: problem.message });
  }
  return { ok: false, id, errors };
}

// ---------------------------------------------------------------------------------------------
// Flat CSV form
// ---------------------------------------------------------------------------------------------

/** Party fields that have a CSV column per role: `buyer_name`, `ship_to_country`, ... */
export const PARTY_CSV_FIELDS = [
  "name",
  "country",
  "address",
  "email",
  "phone",
  "website",
  "incorporated",
  "business",
  "identifiers",
] as const;

/** Order-level CSV columns and the order field each fills (dots = nested objects). */
export const ORDER_CSV_FIELDS: Record<string, string> = {
  order_id: "id",
  date: "date",
  destination_country: "destination_country",
  route_transit: "route.transit",
  route_ports: "route.ports",
  incoterms: "incoterms",
  payment_method: "payment.method",
  payer_country: "payment.payer_country",
  payment_currency: "payment.currency",
  end_use: "end_use",
  end_user_statement: "end_user_statement",
  ip_country: "ip_country",
  customer_id: "customer.id",
  customer_first_order: "customer.first_order",
  customer_prior_orders: "customer.prior_orders",
};

/** Item-line CSV columns and the item field each fills. */
export const ITEM_CSV_FIELDS: Record<string, string> = {
  item_id: "id",
  hs_code: "hs_code",
  description: "description",
  manufacturer: "manufacturer",
  part_number: "part_number",
  quantity: "quantity",
  unit_price: "unit_price",
  currency: "currency",
};

/**
 * Every column the flat CSV form understands, in a sensible spreadsheet order. Lists inside a cell
 * (`route_transit`, `route_ports`) are separated by `;` or `|`; `<role>_identifiers` holds
 * `type:value` pairs separated the same way (`inn:7701234567;ogrn:1027700132195`). A party exists
 * when any of its `<role>_*` cells is filled (its name is then required). Other columns are ignored.
 *
 * @example
 * order_id,date,buyer_name,buyer_country,ship_to_name,ship_to_country,item_id,hs_code,quantity,unit_price,currency
 * SO-1,2025-03-14,Acme GmbH,DE,Acme Sp. z o.o.,PL,1,8542.31,100,2.5,EUR
 */
export const ORDER_CSV_COLUMNS: readonly string[] = [
  "order_id",
  "date",
  ...PARTY_ROLES.flatMap((role) => PARTY_CSV_FIELDS.map((field) => `${role}_${field}`)),
  ...Object.keys(ITEM_CSV_FIELDS),
  ...Object.keys(ORDER_CSV_FIELDS).filter((c) => c !== "order_id" && c !== "date"),
];

const splitList = (cell: string) =>
  cell
    .split(/[;|]/)
    .map((part) => part.trim())
    .filter(Boolean);

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/**
 * A raw order assembled from CSV rows, with the problems only the CSV form can have (an order
 * whose rows disagree on an order-level cell). Still unvalidated: pass `raw` to `parseOrder`.
 */
export interface CsvOrder {
  raw: Record<string, unknown>;
  /** CSV line numbers (1 = header) of the rows that made this order. */
  lines: number[];
  errors: OrderValidationError[];
}

/**
 * Groups flat CSV rows (objects keyed by header) into raw orders, in first-seen order. Cells stay
 * strings; `parseOrder` converts and checks them, so a wrong type is reported with its path.
 *
 * @example
 * ordersFromCsvRows([{ order_id: "SO-1", buyer_name: "Acme", buyer_country: "DE", item_id: "1", hs_code: "854231" }])
 * // [{ raw: { id: "SO-1", parties: [{ role: "buyer", name: "Acme", country: "DE" }], items: [{ id: "1", hs_code: "854231" }] }, ... }]
 */
export function ordersFromCsvRows(rows: ReadonlyArray<Record<string, string | undefined>>): CsvOrder[] {
  const byId = new Map<string, CsvOrder & { firstRow: Record<string, string | undefined> }>();
  rows.forEach((row, index) => {
    const line = index + 2;
    const id = (row.order_id ?? "").trim() || `(row ${line})`;
    let entry = byId.get(id);
    if (!entry) {
      const raw: Record<string, unknown> = {};
      for (const [column, path] of Object.entries(ORDER_CSV_FIELDS)) {
        const cell = row[column]?.trim();
        if (!cell) continue;
        setPath(raw, path, column === "route_transit" || column === "route_ports" ? splitList(cell) : cell);
      }
      if (!row.order_id?.trim()) delete raw.id;
      const parties: Record<string, unknown>[] = [];
      for (const role of PARTY_ROLES) {
        // A party exists when any of its cells is filled; a missing name is then reported, not dropped.
        if (!PARTY_CSV_FIELDS.some((field) => row[`${role}_${field}`]?.trim())) continue;
        const party: Record<string, unknown> = { role };
        for (const field of PARTY_CSV_FIELDS) {
          const cell = row[`${role}_${field}`];
          if (cell === undefined || cell.trim() === "") continue;
          party[field] =
            field === "identifiers"
              ? splitList(cell).map((pair) => {
                  const at = pair.indexOf(":");
                  return at < 0
                    ? { type: "other", value: pair }
                    : { type: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
                })
              : cell;
        }
        parties.push(party);
      }
      raw.parties = parties;
      raw.items = [];
      entry = { raw, lines: [], errors: [], firstRow: row };
      byId.set(id, entry);
    } else {
      // Order-level and party cells repeat on each row; a disagreeing row is a spreadsheet slip.
      for (const column of [
        ...Object.keys(ORDER_CSV_FIELDS),
        ...PARTY_ROLES.flatMap((r) => PARTY_CSV_FIELDS.map((f) => `${r}_${f}`)),
      ]) {
        const first = entry.firstRow[column]?.trim() ?? "";
        const here = row[column]?.trim() ?? "";
        if (here !== "" && here !== first) {
          entry.errors.push({
            path: `csv line ${line}.${column}`,
            message: `"${here}" differs from "${first}" on line ${entry.lines[0]} of the same order`,
          });
        }
      }
    }
    entry.lines.push(line);
    const item: Record<string, unknown> = {};
    for (const [column, field] of Object.entries(ITEM_CSV_FIELDS)) {
      const cell = row[column]?.trim();
      if (cell) item[field] = cell;
    }
    item.id ??= String((entry.raw.items as unknown[]).length + 1);
    (entry.raw.items as unknown[]).push(item);
  });
  return [...byId.values()].map(({ raw, lines, errors }) => ({ raw, lines, errors }));
}
