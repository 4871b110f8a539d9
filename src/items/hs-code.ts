import type { ItemIssue } from "../model/item.js";

/**
 * A declared tariff code read from whatever format an ERP wrote it in.
 * `hs6` is set when the code has a subheading (6+ digits); `heading` whenever it has 4+ digits.
 */
export interface DeclaredCode {
  raw: string;
  digits: string;
  heading?: string;
  hs6?: string;
}

export interface ParsedHsCode {
  code?: DeclaredCode;
  issues: ItemIssue[];
}

// Labels people put in front of the number: HS, HTS, HTSUS, CN, TARIC, Schedule B, ТН ВЭД, 商品编码, HS编码.
const CODE_LABEL =
  /^(?:hs\s*code|hts(?:us)?|hs|cn|taric|schedule\s*b|sched\.?\s*b|тн\s*вэд(?:\s*еаэс)?|код\s*тн\s*вэд|商品编码|hs编码|海关编码|税号)\s*[:#№.-]?\s*/iu;

/**
 * Reads an HS / HTS / CN / Schedule B code. National codes are 8 or 10 digits and all begin with
 * the international HS6, which is what the control lists name. Separators (dots, spaces, dashes)
 * are dropped. Five, seven and nine digits are taken as a code whose leading zero a spreadsheet
 * dropped (chapters 01–09), with a warning, but only when the padded code falls on a real heading
 * of those chapters; otherwise ("85423") a digit is missing somewhere and the code is an error.
 * Anything else that is not 4, 6, 8 or 10 digits is an error.
 *
 * @example
 * parseHsCode("HTS 8542.31.0000").code?.hs6 // "854231"
 * parseHsCode("85A231").issues[0]?.code // "bad-hs-code"
 */
export function parseHsCode(raw: string | null | undefined): ParsedHsCode {
  const issues: ItemIssue[] = [];
  const text = (raw ?? "").normalize("NFKC").trim();
  if (!text) return { issues };
  const unlabelled = text.replace(CODE_LABEL, "");
  const bad = (message: string): ParsedHsCode => ({
    issues: [{ code: "bad-hs-code", severity: "error", field: "hs_code", message }],
  });
  if (/\p{L}/u.test(unlabelled)) return bad(`'${text}' has letters; an HS code is digits only`);
  if (/[^\d\s.\-/_]/.test(unlabelled)) return bad(`'${text}' has characters that are not part of an HS code`);
  let digits = unlabelled.replace(/[\s.\-/_]/g, "");
  if (!digits) return bad(`'${text}' has no digits`);
  if (digits.length === 5 || digits.length === 7 || digits.length === 9) {
    // An odd length is either a chapter 01-09 code whose leading zero a spreadsheet dropped
    // ("90121" = 0901.21) or a code with a digit missing anywhere ("85423" = 8542.3?). Only the
    // first can be repaired, and only when the padded code lands on a heading that exists.
    const padded = `0${digits}`;
    if (!isLowChapterHeading(padded.slice(0, 4))) {
      return bad(
        `'${text}' has ${digits.length} digits: a digit is missing and it cannot be told which (read with a leading zero it would be heading ${padded.slice(0, 2)}.${padded.slice(2, 4)}, which does not exist)`,
      );
    }
    issues.push({
      code: "hs-code-leading-zero",
      severity: "warning",
      field: "hs_code",
      message: `'${text}' has ${digits.length} digits; read as ${padded} (a spreadsheet drops the leading zero of chapters 01-09)`,
    });
    digits = padded;
  }
  if (![4, 6, 8, 10].includes(digits.length)) {
    return bad(
      `'${text}' has ${digits.length} digits; an HS code is 6 (HS), 8 (CN, HTS) or 10 (HTS, Schedule B) digits`,
    );
  }
  const chapter = Number(digits.slice(0, 2));
  if (chapter === 0 || chapter === 77 || chapter > 99) {
    return bad(`'${text}' is in chapter ${digits.slice(0, 2)}, which the Harmonized System does not have`);
  }
  if (chapter >= 98) {
    issues.push({
      code: "hs-code-national-chapter",
      severity: "warning",
      field: "hs_code",
      message: `'${text}' is in chapter ${chapter}, reserved for national special provisions; it says nothing about the goods`,
    });
    return { issues };
  }
  const code: DeclaredCode = { raw: text, digits, heading: digits.slice(0, 4) };
  if (digits.length >= 6) code.hs6 = digits.slice(0, 6);
  else {
    issues.push({
      code: "hs-code-heading-only",
      severity: "warning",
      field: "hs_code",
      message: `'${text}' is a 4-digit heading; the control lists name 6-digit subheadings`,
    });
  }
  return { code, issues };
}

// The last heading of each of chapters 01-09 in HS 2022 (headings run from 01 up to it; 05.03 was
// deleted in HS 1996 and is not used). Source: WCO HS 2022 nomenclature, Section I-II tables.
const LAST_HEADING: Record<string, number> = {
  "01": 6,
  "02": 10,
  "03": 9,
  "04": 10,
  "05": 11,
  "06": 4,
  "07": 14,
  "08": 14,
  "09": 10,
};

/**
 * True when a four-digit heading exists in chapters 01-09 (the only chapters whose codes start
 * with a zero a spreadsheet can drop).
 *
 * @example
 * isLowChapterHeading("0901") // true
 * isLowChapterHeading("0854") // false
 */
export function isLowChapterHeading(heading: string): boolean {
  const last = LAST_HEADING[heading.slice(0, 2)];
  const number = Number(heading.slice(2, 4));
  return last !== undefined && number >= 1 && number <= last && heading !== "0503";
}

/**
 * Formats an HS6 the way tariffs print it.
 *
 * @example
 * formatHs6("854231") // "8542.31"
 */
export function formatHs6(code: string): string {
  return code.length > 4 ? `${code.slice(0, 4)}.${code.slice(4)}` : code;
}
