/**
 * The one place matching reaches into the text layer, so the rest of the folder depends on a
 * narrow, stable surface.
 */
export {
  detectScript,
  foldName,
  isInitial,
  latinVariants,
  mistypedLegalForm,
  normalizeName,
  phoneticKeys,
  stripPunctuation,
  tokenizeName,
} from "../text/index.js";
