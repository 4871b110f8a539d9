import { findLegalForms, type LegalFormHit } from "./legal-forms.js";
import { foldName, stripPunctuation } from "./normalize.js";

/** A name as tokens for matching, with its legal forms set apart (they count a little, not as words). */
export interface NameTokens {
  tokens: string[];
  legalForms: LegalFormHit[];
}

export interface TokenizeOptions {
  /** Look for legal forms (default true). Pass false for people, whose initials can look like "A.S.". */
  legalForms?: boolean;
}

// Sun-letter forms of the Arabic article written with a hyphen (ad-Din, ar-Rahman, as-Sayed, ash-Shami,
// at-Tikriti, az-Zawahiri, an-Nasser) and the Urdu/Pashto ul-/ud-/ur- (Zia-ul-Haq, Shams-ur-Rahman).
// Compiled once; applied to folded text that still has its hyphens.
const HYPHENATED_ARTICLE = /(^|[^a-z])(?:a[lnrstdz]|el|e[nrstdz]|ash|adh|ath|ul|ud|ur|us|uz)-(?=[a-z])/g;

/** Standalone article tokens dropped between words ("al tikriti" → "tikriti"). */
const ARTICLES = new Set(["al", "el", "ul"]);

/**
 * "bin", "ibn", "ben" (son of) → "bin"; "abu", "abou" (father of) → "abu". A Map, not an object:
 * a name's word is looked up here, and "constructor" must not find Object's.
 */
const PARTICLE_CANONICAL: ReadonlyMap<string, string> = new Map([
  ["ibn", "bin"],
  ["ben", "bin"],
  ["bin", "bin"],
  ["abou", "abu"],
  ["abo", "abu"],
  ["abu", "abu"],
]);

/** "Abd"+article prefixes that are split off a glued name: abdulrahman → abd rahman. */
const ABD_PREFIXES = [
  "abdoul",
  "abdul",
  "abdel",
  "abdal",
  "abdol",
  "abdur",
  "abdar",
  "abdus",
  "abdas",
  "abdun",
  "abdan",
  "abdud",
  "abdad",
  "abdut",
  "abdat",
  "abduz",
  "abdaz",
  "abdu",
  "abd",
];
/** Standalone forms of "abd al-" that precede the second word: "abdul rahman" → "abd rahman". */
const ABD_STANDALONE = new Set([
  "abdul",
  "abdel",
  "abdal",
  "abdol",
  "abdoul",
  "abdur",
  "abdus",
  "abd",
  "abdu",
]);
/** Spellings of "allah" after abd-: "abdullah", "abd allah", "abdallah", "abdulla" → "abdullah". */
const ALLAH = new Set(["allah", "ullah", "llah", "lah", "ulla", "alla", "la", "lla", "illah", "ellah"]);

/** Western names that start with "al" + consonant and end like a nisba: never stripped. */
const AL_JOINED_EXCEPTIONS = new Set([
  "albert",
  "alberto",
  "albertina",
  "albrecht",
  "alfred",
  "alfredo",
  "alfonso",
  "alphonse",
  "alvaro",
  "alvarez",
  "alvin",
  "alston",
  "altman",
  "altmann",
  "almond",
  "almeida",
  "alvarado",
  "alcantara",
  "aldrich",
  "aldridge",
  "alford",
  "alfaro",
  "almaty",
  "altai",
  "altay",
  "alrosa",
  "alpha",
  "alpine",
  "alstom",
  "aldo",
  "alden",
  "alma",
  "alpert",
  "alter",
  "alton",
  "alvis",
  "alzheimer",
  "almaz",
  "almazov",
  "altynbek",
  "altyn",
]);

/**
 * Joined article: "altikriti", "alzahrani" → "tikriti", "zahrani". Only "al" + consonant + a nisba
 * ending (-i, -y, -ee: the form nearly all joined Gulf surnames take), at least 6 letters, and not a
 * known Western name; "alhassan" stays whole (the matcher's compound comparison covers it), because a
 * broader rule would cut "Albright" and "Alston".
 */
function stripJoinedArticle(token: string): string {
  if (token.length < 6 || token.charCodeAt(0) !== 97 || token.charCodeAt(1) !== 108) return token;
  if ("aeiouyl".includes(token[2]!) || AL_JOINED_EXCEPTIONS.has(token)) return token;
  const last = token[token.length - 1];
  if (last !== "i" && last !== "y" && !token.endsWith("ee")) return token;
  return token.slice(2);
}

function splitAbd(token: string, out: string[]): boolean {
  if (!token.startsWith("abd") || token.length < 6) return false;
  // Russian patronymic surnames (Abdurakhmanov) keep their form: they are spelt one way.
  if (/(?:ov|ova|ev|eva|ovich|ovna|ich)$/.test(token)) return false;
  for (const prefix of ABD_PREFIXES) {
    if (!token.startsWith(prefix)) continue;
    const rest = token.slice(prefix.length);
    if (ALLAH.has(rest)) {
      out.push("abdullah");
      return true;
    }
    if (rest.length >= 3) {
      out.push("abd", rest);
      return true;
    }
  }
  return false;
}

/**
 * Applies the Arabic particle rules to normalised tokens, so that spellings of one name give the same
 * tokens. The choice: the article is DROPPED (standalone "al"/"el", hyphenated "al-"/"ar-"..., and
 * joined "altikriti" when followed by a consonant); "abd" is split off its second word ("abdulrahman",
 * "abdul rahman", "abd al-rahman" → "abd", "rahman") except "abdullah" and its spellings, which become
 * one token; "ibn"/"ben" → "bin", "abou" → "abu" (not as the first token, where "Ben" is a given name).
 * Dropping the article loses nothing for matching (it is on nearly every Arabic surname) and is the
 * only choice under which the joined, spaced and hyphenated forms all agree.
 *
 * @example
 * applyArabicParticles(["saddam", "hussein", "altikriti"]) // ["saddam", "hussein", "tikriti"]
 */
export function applyArabicParticles(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (ARTICLES.has(token) && tokens.length > 1 && i + 1 < tokens.length) continue;
    if (ABD_STANDALONE.has(token) && i + 1 < tokens.length) {
      let j = i + 1;
      if (ARTICLES.has(tokens[j]!) && j + 1 < tokens.length) j++;
      const next = tokens[j]!;
      if (ALLAH.has(next)) {
        out.push("abdullah");
        i = j;
        continue;
      }
      out.push("abd");
      i = j - 1;
      continue;
    }
    if (splitAbd(token, out)) continue;
    // "Ben" first is a given name (Ben Smith); "Abu" first is a kunya (Abu Ali) and is canonicalised.
    const canonical = i > 0 || token.startsWith("ab") ? PARTICLE_CANONICAL.get(token) : undefined;
    if (canonical) {
      out.push(canonical);
      continue;
    }
    out.push(stripJoinedArticle(token));
  }
  return out;
}

/**
 * Normalises a name (see `normalizeName`), splits off its legal forms (see `findLegalForms`) and
 * applies the Arabic particle rules (see `applyArabicParticles`).
 *
 * @example
 * tokenizeName("ООО «Ромашка»") // { tokens: ["romashka"], legalForms: [{ kind: "llc", text: "ooo" }] }
 * tokenizeName("Saddam Hussein AL-TIKRITI") // { tokens: ["saddam", "hussein", "tikriti"], legalForms: [] }
 * tokenizeName("Kiselyov D.K.") // { tokens: ["kiselyov", "d", "k"], legalForms: [] }
 */
export function tokenizeName(text: string, options: TokenizeOptions = {}): NameTokens {
  const folded = foldName(text).replace(HYPHENATED_ARTICLE, "$1");
  const normalized = stripPunctuation(folded);
  if (!normalized) return { tokens: [], legalForms: [] };
  const { rest, hits } =
    options.legalForms === false ? { rest: normalized, hits: [] } : findLegalForms(normalized);
  return { tokens: applyArabicParticles(rest.split(" ")), legalForms: hits };
}

/**
 * True for a token that is an initial: one letter, with or without its dot.
 *
 * @example
 * isInitial("d") // true
 * isInitial("D.") // true
 * isInitial("dk") // false
 */
export function isInitial(token: string): boolean {
  const t = token.endsWith(".") ? token.slice(0, -1) : token;
  return t.length === 1 && t.toLowerCase() !== t.toUpperCase();
}
