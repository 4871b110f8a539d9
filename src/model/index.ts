export * from "./case.js";
export * from "./countries.js";
export * from "./dates.js";
export * from "./entity.js";
export * from "./item.js";
export * from "./list.js";
export * from "./order.js";
