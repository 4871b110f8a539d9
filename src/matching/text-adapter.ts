/**
 * The one place matching reaches into the text layer, so the rest of the folder depends on a
 * narrow, stable surface.
 */
export {
  detectScript,
  isInitial,
  latinVariants,
  normalizeName,
  phoneticKeys,
  tokenizeName,
} from "../text/index.js";
