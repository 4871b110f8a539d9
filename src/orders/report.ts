import { parse } from "csv-parse/sync";
import type { FlagResult, OrderResult } from "./types.js";

/**
 * One red flag of `data/rules/red-flags.csv`, with its source (shown beside each flag in reports).
 *
 * @example
 * { id: "FC22-02", category: "customer", text: "Use of personal email accounts ...", source: "https://www.bnl.gov/export/red-flags.php; ..." }
 */
export interface RedFlag {
  id: string;
  category: string;
  text: string;
  source: string;
}

/**
 * Parses the red-flag table (`id,category,red_flag,source`).
 *
 * @example
 * const flags = parseRedFlagsCsv(await readFile("data/rules/red-flags.csv", "utf8"));
 * flags.get("NTC23-04")?.source
 */
export function parseRedFlagsCsv(text: string): Map<string, RedFlag> {
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  return new Map(
    rows.map((row) => [
      row.id!,
      { id: row.id!, category: row.category ?? "", text: row.red_flag ?? "", source: row.source ?? "" },
    ]),
  );
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML element content and quoted attributes.
 *
 * @example
 * escapeHtml('<b>"x"</b>') // "&lt;b&gt;&quot;x&quot;&lt;/b&gt;"
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Sources contain several URLs and prose; only http(s) URLs become links (never javascript: or data:). */
function linkify(source: string): string {
  return source
    .split(/(https?:\/\/[^\s;,]+)/g)
    .map((part, i) =>
      i % 2 === 1 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part),
    )
    .join("");
}

function summarize(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  const json = JSON.stringify(value, null, 1);
  return json.length > 1500 ? `${json.slice(0, 1500)}…` : json;
}

function explanationText(explanation: unknown): string {
  if (explanation && typeof explanation === "object" && "summary" in explanation)
    return String((explanation as { summary: unknown }).summary);
  return summarize(explanation);
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#111;margin:2em auto;max-width:72em;padding:0 1em}
h1{font-size:1.4em;margin-bottom:.2em} h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5em 0} th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:break-word} td a{overflow-wrap:anywhere}
th{background:#f3f3f3} pre{white-space:pre-wrap;margin:0;font-size:12px}
.decision{display:inline-block;padding:.2em .8em;border-radius:4px;font-weight:bold;text-transform:uppercase;border:2px solid}
.block{color:#a00;border-color:#a00} .review{color:#a60;border-color:#a60} .clear{color:#060;border-color:#060}
.triggered{color:#a00;font-weight:bold} .could_not_run{color:#a60} .not_triggered{color:#666}
.muted{color:#666;font-size:12px} .order{page-break-after:always}
@media print{a{color:#000} .order{page-break-after:always}}
`;

function flagRows(flags: FlagResult[], redFlags: Map<string, RedFlag>): string {
  const order: Record<string, number> = { triggered: 0, could_not_run: 1, not_triggered: 2 };
  return [...flags]
    .sort((a, b) => order[a.outcome]! - order[b.outcome]!)
    .map((flag) => {
      const sources = flag.redFlags
        .map((id) => {
          const rf = redFlags.get(id);
          return rf
            ? `<div><b>${escapeHtml(id)}</b>: ${escapeHtml(rf.text)}<br><span class="muted">${linkify(rf.source)}</span></div>`
            : `<div><b>${escapeHtml(id)}</b></div>`;
        })
        .join("");
      const detail =
        flag.outcome === "triggered"
          ? `<pre>${escapeHtml(summarize(flag.evidence))}</pre>`
          : flag.outcome === "could_not_run"
            ? `missing: ${escapeHtml([...new Set((flag.missing ?? []).map((m) => m.needs))].join("; "))}`
            : escapeHtml(flag.note ?? "");
      return `<tr><td>${escapeHtml(flag.rule)}<br><span class="muted">${escapeHtml(flag.severity)}</span></td><td>${escapeHtml(flag.title)}</td><td class="${escapeHtml(flag.outcome)}">${escapeHtml(flag.outcome.replace(/_/g, " "))}</td><td>${detail}</td><td>${sources}</td></tr>`;
    })
    .join("\n");
}

/**
 * One order's report as an HTML fragment: decision and reasons, parties with match explanations,
 * items with control hits, every rule with its outcome, evidence and red-flag sources.
 */
function orderSection(result: OrderResult, redFlags: Map<string, RedFlag>): string {
  const reasons = result.reasons
    .map(
      (r) =>
        `<li>${r.rule ? `<b>${escapeHtml(r.rule)}</b>: ` : ""}${escapeHtml(r.text)} <span class="muted">(${escapeHtml(r.clause)})</span></li>`,
    )
    .join("");
  const errors =
    "errors" in result
      ? `<h2>Validation errors</h2><table><tr><th>path</th><th>problem</th></tr>${result.errors.map((e) => `<tr><td>${escapeHtml(e.path)}</td><td>${escapeHtml(e.message)}</td></tr>`).join("")}</table>`
      : "";
  const parties = result.parties
    .map((p) => {
      const matches = p.matches.length
        ? p.matches
            .map(
              (m) =>
                `<div><b>${escapeHtml(m.name)}</b> (${escapeHtml(m.entityId)}, ${escapeHtml(m.list)}) score ${escapeHtml(m.score)} ${m.match ? "<b>MATCH</b>" : "no match"}<br><span class="muted">${escapeHtml(explanationText(m.explanation))}</span></div>`,
            )
            .join("")
        : p.status === "screened"
          ? "no listed party found"
          : escapeHtml(p.status.replace(/_/g, " "));
      const addresses = (p.addressMatches ?? [])
        .map(
          (a) =>
            `<div>address close to <b>${escapeHtml(a.name)}</b> (${escapeHtml(a.entityId)}): ${escapeHtml(a.address)} <span class="muted">score ${escapeHtml(a.score)}; shared: ${escapeHtml(a.shared.join(", "))}</span></div>`,
        )
        .join("");
      return `<tr><td>${escapeHtml(p.role)}</td><td>${escapeHtml(p.name)}</td><td>${escapeHtml(p.country ?? "")}</td><td>${escapeHtml(p.address ?? "")}</td><td>${matches}${addresses}</td></tr>`;
    })
    .join("\n");
  const items = result.items
    .map((item) => {
      const hits = item.controls.length
        ? item.controls
            .map(
              (c) =>
                (c.list === "chpl"
                  ? `CHPL ${escapeHtml(c.code)} tier ${escapeHtml(c.tier)}`
                  : `UAV key item: ${escapeHtml(c.category)}`) +
                ` <span class="muted">via ${escapeHtml(c.via)}: ${escapeHtml(summarize(c.evidence))}</span>`,
            )
            .join("<br>")
        : item.status === "classified"
          ? "not controlled"
          : escapeHtml(item.status);
      return `<tr><td>${escapeHtml(item.id)}</td><td>${escapeHtml(item.hs_code ?? "")}</td><td>${escapeHtml([item.manufacturer, item.part_number, item.description].filter(Boolean).join(" · "))}</td><td>${escapeHtml(item.quantity ?? "")}</td><td>${escapeHtml(item.unit_price ?? "")} ${escapeHtml(item.currency ?? "")}</td><td>${hits}</td></tr>`;
    })
    .join("\n");
  const versions =
    "rulePack" in result
      ? `rule pack ${escapeHtml(result.rulePack.id)} ${escapeHtml(result.rulePack.version)}, policy ${escapeHtml(result.policy.version)}, screened on ${escapeHtml(result.screenedOn)}`
      : "";
  return `<section class="order">
<h1>Order ${escapeHtml(result.id ?? "(no id)")} <span class="decision ${escapeHtml(result.decision)}">${escapeHtml(result.decision)}</span></h1>
<p class="muted">${versions}</p>
<h2>Why</h2>${reasons ? `<ul>${reasons}</ul>` : "<p>No rule raised a concern; every rule that must run ran.</p>"}
${errors}
<h2>Parties</h2><table><tr><th>role</th><th>name</th><th>country</th><th>address</th><th>screening</th></tr>${parties}</table>
<h2>Items</h2><table><tr><th>line</th><th>HS code</th><th>item</th><th>qty</th><th>unit price</th><th>control hits</th></tr>${items}</table>
<h2>Red-flag rules</h2><table><tr><th>rule</th><th>title</th><th>outcome</th><th>evidence / missing data</th><th>red flags and sources</th></tr>${flagRows(result.flags, redFlags)}</table>
</section>`;
}

/**
 * A self-contained, printable HTML report (no scripts, no external assets; one page per order).
 *
 * @example
 * const html = renderOrdersHtml(results, parseRedFlagsCsv(csvText));
 */
export function renderOrdersHtml(results: readonly OrderResult[], redFlags: Map<string, RedFlag>): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Chokepoint order screening</title><style>${STYLE}</style></head>
<body>
${results.map((r) => orderSection(r, redFlags)).join("\n")}
</body></html>
`;
}

/**
 * One line per order for a terminal: id, decision, triggered rules, rules that could not run.
 *
 * @example
 * formatOrderTableRow(result) // "SO-1001   review  R-FREEMAIL, R-NO-WEBSITE   (could not run: R-PRICE-ANOMALY)"
 */
export function formatOrderTableRow(result: OrderResult): string {
  const triggered = result.flags.filter((f) => f.outcome === "triggered").map((f) => f.rule);
  const couldNot = result.flags.filter((f) => f.outcome === "could_not_run").map((f) => f.rule);
  const detail =
    "errors" in result
      ? `invalid: ${result.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`
      : `${triggered.join(", ") || "-"}${couldNot.length ? `   (could not run: ${couldNot.join(", ")})` : ""}`;
  return `${String(result.id ?? "(no id)").padEnd(14)} ${result.decision.padEnd(7)} ${detail}`;
}
