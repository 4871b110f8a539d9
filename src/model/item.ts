import { z } from "zod";

/**
 * One item line as an ERP export, an order or a CSV row carries it. Every field but `id` may be
 * missing or blank: classification works from whatever is there. Names follow the order contract
 * (`hs_code`, `part_number`) so an order's items can be passed as they are; other fields are kept.
 *
 * @example
 * itemLineSchema.parse({ id: "7", hs_code: "8542.31.0000", description: "MCU 32-bit", part_number: "STM32F405RGT6" })
 */
export const itemLineSchema = z.looseObject({
  id: z.coerce.string(),
  hs_code: z.string().nullish(),
  description: z.string().nullish(),
  manufacturer: z.string().nullish(),
  part_number: z.string().nullish(),
});
export type ItemLine = z.infer<typeof itemLineSchema>;

/** Tiers of the Common High Priority List (2024-02-23). Tiers 1 and 2 get enhanced due diligence. */
export const CHPL_TIERS = ["1", "2", "3.A", "3.B", "4.A", "4.B"] as const;
export type ChplTier = (typeof CHPL_TIERS)[number];

/**
 * The categories of the June 9, 2023 joint advisory on Iran's UAV-related activities (key items).
 * Kebab-case ids; titles and HS codes live in `data/controls/uav-key-items.json`.
 */
export const UAV_CATEGORIES = [
  "transceiver-modules",
  "processors-and-controllers",
  "memories",
  "amplifiers",
  "other-integrated-circuits",
  "fpgas",
  "rf-transceivers",
  "microcontrollers",
  "capacitors",
  "accelerometers",
  "gyroscopes",
  "imus",
  "navigation-sensors",
  "aircraft-piston-engines",
] as const;
export type UavCategory = (typeof UAV_CATEGORIES)[number];

/** What led to a reading or a control hit: the declared code, the description or the part number. */
export const EVIDENCE_SOURCES = ["code", "description", "part_number"] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/**
 * A hit on the Common High Priority List. `code` is the listed HS6; when the evidence only narrows
 * the item to several listed subheadings of the same tier (a "transistor" is 8541.21 or 8541.29,
 * both Tier 3.A), `code` is their common prefix and `candidates` lists them.
 *
 * @example
 * { list: "chpl", code: "854231", tier: "1", via: "part_number", evidence: "STM32F405RGT6: STMicroelectronics STM32 microcontroller" }
 */
export const chplHitSchema = z.object({
  list: z.literal("chpl"),
  code: z.string().regex(/^\d{4,6}$/),
  tier: z.enum(CHPL_TIERS),
  via: z.enum(EVIDENCE_SOURCES),
  evidence: z.string(),
  candidates: z.array(z.string()).optional(),
});
export type ChplHit = z.infer<typeof chplHitSchema>;

/**
 * A hit on the UAV key items of the June 2023 advisory.
 *
 * @example
 * { list: "uav-key-items", category: "microcontrollers", via: "description", evidence: "'микроконтроллер' (microcontroller)" }
 */
export const uavHitSchema = z.object({
  list: z.literal("uav-key-items"),
  category: z.enum(UAV_CATEGORIES),
  via: z.enum(EVIDENCE_SOURCES),
  evidence: z.string(),
});
export type UavHit = z.infer<typeof uavHitSchema>;

export const controlHitSchema = z.discriminatedUnion("list", [chplHitSchema, uavHitSchema]);
export type ControlHit = z.infer<typeof controlHitSchema>;

/**
 * Per-line problems. `error` means a field could not be used at all (a code with letters), `warning`
 * that a person should look (conflicting evidence), `info` that something was noticed but handled.
 */
export const ITEM_ISSUE_CODES = [
  "empty-line",
  "missing-id",
  "bad-hs-code",
  "hs-code-heading-only",
  "hs-code-leading-zero",
  "hs-code-national-chapter",
  "unknown-part-number",
  "part-number-table-not-loaded",
  "mixed-script",
  "conflicting-evidence",
  "several-readings",
  "subheading-undetermined",
  "description-unrecognised",
  "application-only",
  "no-evidence",
] as const;
export type ItemIssueCode = (typeof ITEM_ISSUE_CODES)[number];
export const ITEM_ISSUE_SEVERITIES = ["info", "warning", "error"] as const;

/**
 * @example
 * { code: "bad-hs-code", severity: "error", field: "hs_code", message: "'85A231' has letters; a code is 6, 8 or 10 digits" }
 */
export const itemIssueSchema = z.object({
  code: z.enum(ITEM_ISSUE_CODES),
  severity: z.enum(ITEM_ISSUE_SEVERITIES),
  message: z.string(),
  field: z.string().optional(),
});
export type ItemIssue = z.infer<typeof itemIssueSchema>;

/**
 * One reading of what the item is, from one kind of evidence. A line can have up to three; when
 * they disagree the result says so (`review`) instead of picking one.
 *
 * @example
 * { via: "code", hs6: ["940360"], evidence: "declared 9403.60.8081" }
 * { via: "description", hs6: ["854231"], category: "microcontrollers", evidence: "'microcontroller'", concept: "microcontroller" }
 */
export const itemReadingSchema = z.object({
  via: z.enum(EVIDENCE_SOURCES),
  /** Candidate HS6 codes (one when the evidence settles the subheading; empty when only the heading is known). */
  hs6: z.array(z.string()),
  heading: z.string().optional(),
  category: z.enum(UAV_CATEGORIES).optional(),
  concept: z.string().optional(),
  evidence: z.string(),
});
export type ItemReading = z.infer<typeof itemReadingSchema>;

/**
 * The classification of one line. `hsCode` is the HS6 settled on, or null when the evidence does
 * not settle one (or conflicts). Control hits carry the evidence that led to each.
 *
 * @example
 * { id: "7", hsCode: "854231", controls: [{ list: "chpl", code: "854231", tier: "1", via: "code", evidence: "declared 8542.31.0000" }],
 *   issues: [], confidence: 0.95, review: false, readings: [...] }
 */
export const itemResultSchema = z.object({
  id: z.string(),
  hsCode: z.string().nullable(),
  controls: z.array(controlHitSchema),
  issues: z.array(itemIssueSchema),
  confidence: z.number().min(0).max(1),
  review: z.boolean(),
  readings: z.array(itemReadingSchema),
});
export type ItemResult = z.infer<typeof itemResultSchema>;
