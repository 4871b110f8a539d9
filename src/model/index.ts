export * from "./entity.js";
export * from "./list.js";
export * from "./countries.js";
export * from "./dates.js";
