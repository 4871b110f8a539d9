// TEMPORARY development stand-in for src/text (not committed); removed when src/text lands.
import anyAscii from "any-ascii";
import { doubleMetaphone } from "double-metaphone";

export type Script = string;
export function detectScript(text: string): Script {
  if (/[\u0600-\u06ff]/.test(text)) return "Arab";
  if (/[\u0400-\u04ff]/.test(text)) return "Cyrl";
  return "Latn";
}
export function transliterate(text: string): string {
  return anyAscii(text);
}
export function latinVariants(text: string): string[] {
  if (detectScript(text) === "Latn") return [text];
  const t = anyAscii(text);
  const out = new Set([t]);
  out.add(t.replace(/y/g, "i"));
  if (/[\u0600-\u06ff]/.test(text)) {
    out.add(anyAscii(text.replace(/و/g, "ou").replace(/ي/g, "i").replace(/ا/g, "a")));
  }
  return [...out].slice(0, 8);
}
export function normalizeName(text: string): string {
  return anyAscii(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
const LEGAL: Record<string, string> = {
  ltd: "ltd",
  limited: "ltd",
  llc: "llc",
  ooo: "llc",
  jsc: "jsc",
  ao: "jsc",
  pjsc: "jsc",
  gmbh: "gmbh",
  sa: "sa",
  inc: "inc",
  co: "co",
  company: "co",
  corp: "corp",
  corporation: "corp",
  fze: "fze",
  fzco: "fze",
};
export function tokenizeName(text: string): {
  tokens: string[];
  legalForms: { kind: string; text: string }[];
} {
  const raw = normalizeName(text.replace(/\b(al|el)-/gi, "al "))
    .split(" ")
    .filter(Boolean);
  const tokens: string[] = [];
  const legalForms: { kind: string; text: string }[] = [];
  for (const t of raw) {
    const kind = LEGAL[t];
    if (kind && raw.length > 1) legalForms.push({ kind, text: t });
    else tokens.push(t);
  }
  return { tokens, legalForms };
}
export function phoneticKeys(token: string): [string, string] {
  const [a, b] = doubleMetaphone(token);
  return [a, b];
}
export function phoneticKey(token: string): string {
  return phoneticKeys(token)[0];
}
export function isInitial(token: string): boolean {
  return token.length === 1;
}
