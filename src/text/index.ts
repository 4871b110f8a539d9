export { ARABIC_SCHEMES, type ArabicScheme, foldArabic, lookupArabicName } from "./arabic.js";
export {
  CYRILLIC_SCHEMES,
  type CyrillicLanguage,
  type CyrillicScheme,
  detectCyrillicLanguage,
} from "./cyrillic.js";
export {
  findLegalForms,
  LEGAL_FORM_KINDS,
  LEGAL_FORMS,
  type LegalForm,
  type LegalFormHit,
  type LegalFormKind,
  type MistypedLegalForm,
  mistypedLegalForm,
} from "./legal-forms.js";
export { foldName, normalizeName, stripPunctuation } from "./normalize.js";
export { phoneticKey, phoneticKeys } from "./phonetic.js";
export { detectScript, isLatinText, SCRIPTS, type Script } from "./script.js";
export {
  applyArabicParticles,
  isInitial,
  type NameTokens,
  type TokenizeOptions,
  tokenizeName,
} from "./tokenize.js";
export { type TransliterationOptions, transliterate, transliterateWith } from "./transliterate.js";
export { latinVariants, MAX_LATIN_VARIANTS } from "./variants.js";
