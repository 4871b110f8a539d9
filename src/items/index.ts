/**
 * Item screening: HS/HTS codes, descriptions and part numbers against the Common High Priority
 * List and the UAV key items of the June 2023 advisory. Pure: callers read the list files.
 *
 * @example
 * import { classifyItem, loadControls } from "../items/index.js";
 * const controls = loadControls(chplCsvText, uavJson, partFamiliesJson);
 * classifyItem({ id: "1", hs_code: "8542.31.0000", description: "MCU" }, controls).controls[0]?.tier // "1"
 */

export {
  type ChplHit,
  type ControlHit,
  type ItemIssue,
  type ItemLine,
  type ItemResult,
  itemLineSchema,
  itemResultSchema,
  type UavHit,
} from "../model/item.js";
export { classifyItem } from "./classify.js";
export {
  type ChplEntry,
  compilePartFamilies,
  type ItemControls,
  loadControls,
  parseChplCsv,
  partFamiliesSchema,
  uavKeyItemsSchema,
} from "./controls.js";
export { readDescription } from "./describe.js";
export { formatHs6, isLowChapterHeading, parseHsCode } from "./hs-code.js";
export { findPartFamily, matchPartNumber, normalizePartNumber, resolveMakers } from "./part-numbers.js";
