import type {
  ChplHit,
  ChplTier,
  ControlHit,
  EvidenceSource,
  ItemIssue,
  ItemLine,
  ItemReading,
  ItemResult,
  UavCategory,
  UavHit,
} from "../model/item.js";
import type { ItemControls, UavCue } from "./controls.js";
import { readDescription } from "./describe.js";
import { formatHs6, parseHsCode } from "./hs-code.js";
import { findPartFamily, matchPartNumber, type PartMatch, partNumberCandidates } from "./part-numbers.js";
import { normalizeDescription, stemToken, tokenize } from "./text.js";

/** A reading plus what the classifier needs to weigh it; `ItemReading` is what it reports. */
interface Reading extends ItemReading {
  /** Codes of any length (2, 4 or 6 digits) for the agreement test. */
  hs: string[];
  uncontrolled: boolean;
  weight: number;
}

// Confidence of each kind of evidence on its own. A declared code is the exporter's legal
// statement but often wrong or stale; a curated part family is the most specific evidence;
// a description is the weakest (terse, ambiguous, sometimes deliberately vague).
const WEIGHT: Record<EvidenceSource, number> = { code: 0.8, part_number: 0.85, description: 0.6 };
const TIER_ORDER: readonly ChplTier[] = ["1", "2", "3.A", "3.B", "4.A", "4.B"];

/**
 * Classifies one item line against the CHPL and the UAV key items. Never throws for bad input:
 * problems are per-line issues. Each kind of evidence (declared code, description, part number)
 * gives its own reading; control hits are collected from all of them, and readings that point to
 * different HS headings are reported together for review, never resolved silently.
 *
 * @example
 * classifyItem({ id: "1", hs_code: "9403.60", description: "микроконтроллер STM32F405" }, controls)
 * // → hsCode null, review true, controls: chpl 854231 tier 1 via description and part_number, issues: conflicting-evidence
 */
export function classifyItem(line: ItemLine, controls: ItemControls): ItemResult {
  const id = line.id === undefined || line.id === null ? "" : String(line.id);
  const issues: ItemIssue[] = [];
  const readings: Reading[] = [];
  if (!id) issues.push({ code: "missing-id", severity: "warning", field: "id", message: "line has no id" });

  const hsRaw = clean(line.hs_code);
  const description = clean(line.description);
  const partNumber = clean(line.part_number);
  const manufacturer = clean(line.manufacturer);
  if (!hsRaw && !description && !partNumber) {
    issues.push({
      code: "empty-line",
      severity: "error",
      message: "no HS code, description or part number to classify",
    });
    return finish(id, null, [], issues, readings, controls);
  }

  // 1. Declared code.
  const parsed = parseHsCode(hsRaw);
  issues.push(...parsed.issues);
  const declared = parsed.code;
  if (declared) {
    readings.push({
      via: "code",
      hs6: declared.hs6 ? [declared.hs6] : [],
      heading: declared.heading,
      hs: [declared.hs6 ?? declared.heading ?? declared.digits],
      evidence: `declared '${declared.raw}' → ${formatHs6(declared.hs6 ?? declared.heading ?? "")}`,
      uncontrolled: false,
      weight: declared.hs6 ? WEIGHT.code : WEIGHT.code / 2,
    });
  }

  // 2. Description.
  let descriptionHead = "";
  if (description) {
    const read = readDescription(description, controls.vocabulary);
    descriptionHead = read.head;
    for (const word of read.mixed) {
      issues.push({
        code: "mixed-script",
        severity: "warning",
        field: "description",
        message: `'${word.word}' mixes Latin and Cyrillic letters; read as '${word.readAs}'`,
      });
    }
    const seen = new Set<string>();
    for (const match of read.matches) {
      if (seen.has(match.concept.id)) continue;
      seen.add(match.concept.id);
      readings.push({
        via: "description",
        hs6: match.hs.filter((code) => code.length === 6),
        heading: commonHeading(match.hs),
        hs: match.hs,
        category: match.concept.category,
        concept: match.concept.id.replace(/#\d+$/, ""),
        evidence: `'${match.text}'`,
        uncontrolled: match.concept.uncontrolled,
        weight: WEIGHT.description,
      });
    }
    if (read.headNoun && read.features.length > 0) {
      const named = [...new Set(read.features.map((match) => `'${match.text}'`))].join(", ");
      issues.push({
        code: "several-readings",
        severity: "info",
        field: "description",
        message: `description also names ${named} beside the head noun '${read.headNoun.text}'; read as what it has or is made for, not as other goods`,
      });
    }
    if (read.matches.length === 0 && read.application.length > 0) {
      const named = [...new Set(read.application.map((match) => `'${match.text}'`))].join(", ");
      issues.push({
        code: "application-only",
        severity: "info",
        field: "description",
        message: `${named} is named as what the item is for, not as the item; not used`,
      });
    }
  }

  // A code shared with other goods (8517.62 also holds switches and routers) places the line in
  // a UAV category only when the words name the category's head noun ("module", "transceiver").
  const codeReading = readings.find((reading) => reading.via === "code");
  const cues = declared?.hs6 ? controls.uavCues.get(declared.hs6) : undefined;
  if (codeReading && cues && description && !controls.uavByCode.has(declared!.hs6!)) {
    const found = findCue(description, cues);
    if (found) {
      codeReading.category = found.category;
      codeReading.evidence += ` with '${found.word}' in the description`;
    }
  }

  // 3. Part number (the column, else part-number-like words at the head of the description).
  let part: PartMatch | null = null;
  let partFromDescription = false;
  if (partNumber) {
    if (!controls.families) {
      issues.push({
        code: "part-number-table-not-loaded",
        severity: "warning",
        field: "part_number",
        message: "part-number families were not loaded; the part number was not read",
      });
    } else {
      const lookup = findPartFamily(partNumber, manufacturer, controls.families);
      part = lookup.match;
      if (!part) {
        const other = lookup.skipped.find((skip) => skip.reason === "other-maker")?.family;
        const needs = lookup.skipped.find((skip) => skip.reason === "maker-required")?.family;
        const why = other
          ? `; it looks like ${other.what} (${other.maker}), but the manufacturer is '${manufacturer}'`
          : needs
            ? `; it could be ${needs.what} (${needs.maker}), but that numbering is too generic to read without the manufacturer`
            : manufacturer
              ? ` (manufacturer '${manufacturer}')`
              : "";
        issues.push({
          code: "unknown-part-number",
          severity: "warning",
          field: "part_number",
          message: `'${partNumber}' is in no known part-number family${why}`,
        });
      }
    }
  }
  if (!part && !partNumber && controls.families && descriptionHead) {
    const wordsSay = readings
      .filter((reading) => reading.via === "description")
      .flatMap((reading) => reading.hs);
    for (const candidate of partNumberCandidates(descriptionHead, wordsSay.length > 0)) {
      const found = matchPartNumber(candidate, manufacturer, controls.families);
      // A bare number ("6205") is read as a part number only when its family agrees with what the
      // words say ("ball bearing 6205"); on its own it could be a quantity, a size or a year.
      if (found && (/[A-Za-z]/.test(candidate) || agree(found.family.hs, wordsSay))) {
        part = found;
        partFromDescription = true;
        break;
      }
    }
  }
  if (part) {
    const family = part.family;
    readings.push({
      via: "part_number",
      hs6: family.hs.filter((code) => code.length === 6),
      heading: commonHeading(family.hs),
      hs: family.hs,
      category: family.category,
      concept: family.id,
      evidence: `${partFromDescription ? "part number in description " : ""}'${part.partNumber}': ${family.what} (${family.maker})`,
      uncontrolled: family.uncontrolled,
      // A family confirmed by the line's manufacturer is the most specific evidence there is.
      weight: part.makerAgrees ? 0.9 : WEIGHT.part_number,
    });
  }

  if (readings.length === 0) {
    const what = description ? "description names nothing known" : "nothing to read";
    issues.push({
      code: description ? "description-unrecognised" : "no-evidence",
      severity: "info",
      message: `no classification: ${what}`,
    });
  }
  return decide(id, readings, issues, controls);
}

function decide(id: string, all: Reading[], issues: ItemIssue[], controls: ItemControls): ItemResult {
  const code = all.find((reading) => reading.via === "code");
  let narrowed = code ? all.map((reading) => narrowToDeclared(reading, code, issues)) : all;
  // Without a code to decide, the words and the part family decide between each other's
  // candidates the same way ("fibre optic gyroscope" + a family that is 8542.39 or 9014.20).
  const partReading = narrowed.find((reading) => reading.via === "part_number");
  const words = narrowed.flatMap((reading) => (reading.via === "description" ? reading.hs : []));
  if (partReading && partReading.hs.length > 1 && words.length > 0) {
    narrowed = narrowed.map((reading) =>
      reading === partReading
        ? narrowToDeclared(reading, { ...reading, via: "description", hs: words }, issues)
        : reading,
    );
  }
  let readings = narrowed;
  // A description that names several goods ("Antenna, GNSS active patch") is disambiguated by a
  // declared code or part number that agrees with one of them: the other words describe it.
  const anchor = [code, readings.find((reading) => reading.via === "part_number")].filter(
    (reading): reading is Reading => reading !== undefined && reading.hs.length > 0,
  );
  const worded = readings.filter((reading) => reading.via === "description" && reading.hs.length > 0);
  if (anchor.length > 0 && worded.length > 1) {
    const fits = (reading: Reading): boolean => anchor.every((a) => agree(a.hs, reading.hs));
    const kept = worded.filter(fits);
    if (kept.length > 0 && kept.length < worded.length) {
      const dropped = worded.filter((reading) => !fits(reading));
      issues.push({
        code: "several-readings",
        severity: "info",
        field: "description",
        message: `description also names ${dropped.map((reading) => reading.evidence).join(", ")}; read as ${kept.map((reading) => reading.evidence).join(", ")}, which the ${code ? "declared code" : "part number"} agrees with`,
      });
      readings = readings.filter((reading) => !dropped.includes(reading));
    }
  }
  const others = readings.filter((reading) => reading.via !== "code" && reading.hs.length > 0);
  const descriptions = others.filter((reading) => reading.via === "description");
  const part = others.find((reading) => reading.via === "part_number");

  // Several different things named in one description ("GPS module with IMU", or a controlled
  // word beside an unrelated one): report every reading.
  let several = false;
  for (let i = 0; i < descriptions.length; i++) {
    for (let j = i + 1; j < descriptions.length; j++) {
      if (!agree(descriptions[i]!.hs, descriptions[j]!.hs)) several = true;
    }
  }
  const descriptionHs = descriptions.flatMap((reading) => reading.hs);
  const disagreements: string[] = [];
  const pairs: [Reading | undefined, string[], string][] = [
    [code, descriptionHs, "description"],
    [code, part?.hs ?? [], "part number"],
    [part, descriptionHs, "description"],
  ];
  for (const [left, rightHs, rightName] of pairs) {
    if (!left || left.hs.length === 0 || rightHs.length === 0) continue;
    if (!agree(left.hs, rightHs))
      disagreements.push(`${left.via === "code" ? "code" : "part number"} vs ${rightName}`);
  }

  const hits = collectHits(readings, controls, code !== undefined && disagreements.length === 0 && !several);
  const conflict = disagreements.length > 0;
  if (conflict) {
    const summary = readings
      .filter((reading) => reading.hs.length > 0)
      .map((reading) => `${reading.via}: ${describeReading(reading)}`)
      .join("; ");
    const matters = hits.length > 0;
    issues.push({
      code: "conflicting-evidence",
      severity: matters ? "warning" : "info",
      message: `evidence disagrees (${disagreements.join(", ")}): ${summary}${matters ? " — review" : ""}`,
    });
  }
  if (several) {
    issues.push({
      code: "several-readings",
      severity: "warning",
      field: "description",
      message: `description names different goods: ${descriptions.map(describeReading).join("; ")}`,
    });
  }

  let hsCode: string | null = null;
  if (!conflict) {
    if (code?.hs6[0]) hsCode = code.hs6[0];
    else if (!several) hsCode = settle(others);
  }
  if (hsCode === null && !conflict) {
    const undetermined = others.filter(
      (reading) => reading.hs6.length !== 1 && touchesChpl(reading.hs, controls),
    );
    for (const reading of undetermined) {
      const byTier = new Map<string, string[]>();
      for (const c of reading.hs) {
        const entry = controls.chpl.get(c);
        if (entry) byTier.set(entry.tier, [...(byTier.get(entry.tier) ?? []), formatHs6(c)]);
      }
      const tiers = [...byTier].map(([tier, codes]) => `${codes.join(", ")} (Tier ${tier})`);
      if (hits.some((hit) => hit.list === "chpl" && hit.via === reading.via)) continue;
      issues.push({
        code: "subheading-undetermined",
        severity: "warning",
        field: reading.via === "description" ? "description" : "part_number",
        message: `${reading.evidence} does not decide the subheading (${reading.hs.map(formatHs6).join(", ")}); CHPL if ${tiers.join(" or ")}`,
      });
    }
  }
  const review = issues.some(
    (issue) =>
      (issue.code === "conflicting-evidence" || issue.code === "several-readings") &&
      issue.severity === "warning",
  );
  return finish(
    id,
    hsCode,
    hits,
    issues,
    narrowed,
    controls,
    review,
    confidence(readings, conflict, several),
  );
}

/**
 * A part family or phrase that offers several HS6 candidates ("KVH DSP-1760": 8542.39 as a MEMS
 * gyro chip or 9014.20 as a navigation instrument) is narrowed to the candidates whose heading
 * the declared code shares: the exporter's code picks the reading, and the CHPL tier follows it.
 * When the code agrees with none of them, nothing is narrowed and the disagreement is reported
 * for review with both readings. Without a code, the description decides for the part family.
 */
function narrowToDeclared(reading: Reading, by: Reading, issues: ItemIssue[]): Reading {
  if (reading.via === "code" || reading.hs.length < 2 || by.hs.length === 0) return reading;
  const kept = reading.hs.filter((candidate) => agree([candidate], by.hs));
  if (kept.length === 0 || kept.length === reading.hs.length) return reading;
  if (reading.via === "part_number") {
    const decider = by.via === "code" ? `the declared ${formatHs6(by.hs[0]!)}` : "the description";
    issues.push({
      code: "several-readings",
      severity: "info",
      field: "part_number",
      message: `${reading.evidence} could be ${reading.hs.map(formatHs6).join(" or ")}; ${decider} agrees with ${kept.map(formatHs6).join(", ")}, read as that`,
    });
  }
  return {
    ...reading,
    hs: kept,
    hs6: kept.filter((candidate) => candidate.length === 6),
    heading: commonHeading(kept),
  };
}

/** The single HS6 that the non-code readings agree on, if any. */
function settle(readings: Reading[]): string | null {
  const specific = readings.filter((reading) => reading.hs6.length > 0);
  if (specific.length === 0) return null;
  // Most specific reading first: a part family beats a description at the same specificity.
  const ordered = [...specific].sort(
    (a, b) =>
      a.hs6.length - b.hs6.length || (a.via === "part_number" ? -1 : 1) - (b.via === "part_number" ? -1 : 1),
  );
  let common = new Set(ordered[0]!.hs6);
  for (const reading of ordered.slice(1)) {
    const next = new Set(reading.hs6.filter((c) => common.has(c)));
    if (next.size > 0) common = next;
  }
  return common.size === 1 ? [...common][0]! : null;
}

function collectHits(readings: Reading[], controls: ItemControls, codeGoverns: boolean): ControlHit[] {
  const hits: ControlHit[] = [];
  const seen = new Set<string>();
  const push = (hit: ControlHit): void => {
    const key = hit.list === "chpl" ? `chpl|${hit.code}|${hit.via}` : `uav|${hit.category}|${hit.via}`;
    if (seen.has(key)) return;
    seen.add(key);
    hits.push(hit);
  };
  const declared = readings.find((reading) => reading.via === "code")?.hs6[0];
  for (const reading of readings) {
    if (reading.uncontrolled) continue;
    const chpl = chplHit(reading, controls);
    // When a declared code agrees with a description, the declared subheading decides the CHPL
    // entry; a description's guess at another subheading of the same heading is not a hit.
    const descriptionOverridden = codeGoverns && reading.via === "description" && declared !== undefined;
    if (chpl && !(descriptionOverridden && chpl.code !== declared)) push(chpl);
    const category =
      reading.category ??
      (reading.via === "code" && reading.hs6[0] ? controls.uavByCode.get(reading.hs6[0]) : undefined);
    if (category) push(uavHit(category, reading, controls));
  }
  return hits;
}

function chplHit(reading: Reading, controls: ItemControls): ChplHit | null {
  const candidates = reading.hs;
  if (candidates.length === 0 || candidates.some((c) => c.length !== 6)) return null;
  const entries = candidates.map((c) => controls.chpl.get(c));
  if (entries.some((entry) => entry === undefined)) return null;
  // Every candidate is listed: the line is on the CHPL whichever subheading applies. Report the
  // highest-priority tier among them (the one due diligence must meet) and the candidates.
  const tiers = entries.map((entry) => entry!.tier);
  const tier = TIER_ORDER.find((t) => tiers.includes(t))!;
  const single = candidates.length === 1;
  const topCodes = candidates.filter((_, i) => tiers[i] === tier);
  const code = single ? candidates[0]! : commonPrefix(topCodes);
  const listed = single
    ? `CHPL ${formatHs6(code)} ${entries[0]!.description}`
    : `every candidate is on the CHPL (${candidates.map((c, i) => `${formatHs6(c)} Tier ${tiers[i]}`).join(", ")})`;
  const hit: ChplHit = {
    list: "chpl",
    code,
    tier,
    via: reading.via,
    evidence: `${reading.evidence}; ${listed}`,
  };
  if (!single) hit.candidates = [...candidates];
  return hit;
}

function uavHit(category: UavCategory, reading: Reading, controls: ItemControls): UavHit {
  const title = controls.uav.categories.find((c) => c.id === category)?.title ?? category;
  const why = reading.via === "code" ? `${title} are classified under this code` : title;
  return { list: "uav-key-items", category, via: reading.via, evidence: `${reading.evidence}; ${why}` };
}

function touchesChpl(hs: string[], controls: ItemControls): boolean {
  return hs.some((code) => {
    if (code.length === 6) return controls.chpl.has(code);
    for (const listed of controls.chpl.keys()) if (listed.startsWith(code)) return true;
    return false;
  });
}

/** Two readings agree when some code of one and some code of the other share a heading (or chapter, for chapter-level codes). */
function agree(left: string[], right: string[]): boolean {
  for (const a of left) {
    for (const b of right) {
      const length = Math.min(4, a.length, b.length);
      if (a.slice(0, length) === b.slice(0, length)) return true;
    }
  }
  return false;
}

function commonHeading(codes: string[]): string | undefined {
  const headings = new Set(codes.filter((c) => c.length >= 4).map((c) => c.slice(0, 4)));
  return headings.size === 1 ? [...headings][0] : undefined;
}

function commonPrefix(codes: string[]): string {
  let prefix = codes[0] ?? "";
  for (const code of codes) while (!code.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.length >= 4 ? prefix : (codes[0] ?? "").slice(0, 4);
}

function describeReading(reading: Reading): string {
  const codes = reading.hs.map(formatHs6).join("/");
  return `${reading.evidence} → ${codes || "?"}${reading.uncontrolled ? " (uncontrolled goods)" : ""}`;
}

function confidence(readings: Reading[], conflict: boolean, several: boolean): number {
  if (readings.length === 0) return 0;
  if (conflict) return 0.3;
  const weights = readings.filter((reading) => reading.hs.length > 0).map((reading) => reading.weight);
  if (weights.length === 0) return 0.2;
  const kinds = new Set(readings.filter((reading) => reading.hs.length > 0).map((reading) => reading.via))
    .size;
  const base = Math.max(...weights) + 0.08 * (kinds - 1);
  const value = several ? Math.min(base, 0.45) : base;
  return Math.round(Math.min(0.98, value) * 100) / 100;
}

function finish(
  id: string,
  hsCode: string | null,
  controls: ControlHit[],
  issues: ItemIssue[],
  readings: Reading[],
  _controls: ItemControls,
  review = false,
  confidence = 0,
): ItemResult {
  return {
    id,
    hsCode,
    controls,
    issues,
    confidence,
    review,
    readings: readings.map(({ hs: _hs, uncontrolled: _u, weight: _w, ...reading }) =>
      stripUndefined(reading),
    ),
  };
}

function findCue(description: string, cues: UavCue[]): { category: UavCategory; word: string } | null {
  const { text, hasCjk } = normalizeDescription(description);
  const tokens = tokenize(text);
  for (const cue of cues) {
    const word = tokens.find((token) => cue.stems.has(stemToken(token)));
    if (word) return { category: cue.category, word };
    const cjk = hasCjk ? cue.cjk.find((needle) => text.includes(needle)) : undefined;
    if (cjk) return { category: cue.category, word: cjk };
  }
  return null;
}

function stripUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

function clean(value: unknown): string {
  return typeof value === "string"
    ? value.trim()
    : value === null || value === undefined
      ? ""
      : String(value).trim();
}
