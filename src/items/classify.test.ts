import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { type ItemLine, type ItemResult, itemResultSchema } from "../model/item.js";
import { classifyItem, type ItemControls, loadControls } from "./index.js";

// Tests read the bundled control data; the classifier itself never touches files.
const read = (name: string): string =>
  readFileSync(new URL(`../../data/controls/${name}`, import.meta.url), "utf8");
let controls: ItemControls;
beforeAll(() => {
  controls = loadControls(
    read("chpl.csv"),
    JSON.parse(read("uav-key-items.json")),
    JSON.parse(read("part-families.json")),
  );
});

const classify = (line: Omit<ItemLine, "id">): ItemResult => {
  const result = classifyItem({ id: "t", ...line }, controls);
  itemResultSchema.parse(result);
  return result;
};
const tiers = (result: ItemResult): string[] =>
  result.controls.flatMap((hit) => (hit.list === "chpl" ? [hit.tier] : []));
const categories = (result: ItemResult): string[] =>
  result.controls.flatMap((hit) => (hit.list === "uav-key-items" ? [hit.category] : []));
const issueCodes = (result: ItemResult): string[] => result.issues.map((issue) => issue.code);

describe("loadControls", () => {
  it("loads the 50 CHPL codes with their tiers", () => {
    expect(controls.chpl.size).toBe(50);
    expect(controls.chpl.get("854231")?.tier).toBe("1");
    expect(controls.chpl.get("845710")?.tier).toBe("4.B");
  });

  it("rejects a code that two UAV categories both claim", () => {
    const uav = JSON.parse(read("uav-key-items.json"));
    uav.categories[1].hs6.push(uav.categories[0].hs6[0]);
    expect(() => loadControls(read("chpl.csv"), uav)).toThrow(/sharedHs6/);
  });

  it("rejects a malformed CHPL", () => {
    expect(() => loadControls("hs6,tier,description,source\n8542,Tier 1,x,y\n", {})).toThrow(/6-digit/);
  });
});

describe("classifyItem: declared codes", () => {
  it.each(["8542.31.0000", "854231", "8542 31 00", "HTS 8542310000"])(
    "matches %s by its 6-digit prefix",
    (hs_code) => {
      const result = classify({ hs_code });
      expect(result.hsCode).toBe("854231");
      expect(result.controls[0]).toMatchObject({ list: "chpl", code: "854231", tier: "1", via: "code" });
      expect(categories(result)).toContain("processors-and-controllers");
    },
  );

  it("flags a UAV category on a code only when the code identifies it", () => {
    expect(categories(classify({ hs_code: "8532.22.0085" }))).toEqual(["capacitors"]);
    // 8517.62 is where the advisory's transceiver modules are classified, so the code alone flags
    // the line; 9014.80 also holds echo sounders and sonars, so it needs words or a part number.
    expect(categories(classify({ hs_code: "8517.62" }))).toEqual(["transceiver-modules"]);
    expect(categories(classify({ hs_code: "9014.80" }))).toEqual([]);
  });

  it("reports bad codes per line and still reads the rest", () => {
    const result = classify({ hs_code: "85A231", description: "Microcontroller" });
    expect(issueCodes(result)).toContain("bad-hs-code");
    expect(tiers(result)).toEqual(["1"]);
  });

  it("reports an empty line", () => {
    expect(issueCodes(classify({}))).toEqual(["empty-line"]);
  });
});

describe("classifyItem: descriptions", () => {
  it.each([
    ["microcontroller", "1", "microcontrollers"],
    ["микроконтроллеры", "1", "microcontrollers"],
    ["单片机", "1", "microcontrollers"],
    ["tantalum capacitor 10uF", "2", "capacitors"],
    ["Конденсаторов танталовых", "2", "capacitors"],
    ["钽电容", "2", "capacitors"],
    ["подшипник шариковый", "3.B", undefined],
    ["шариковые подшипники", "3.B", undefined],
    ["микросхем памяти", "1", "memories"],
    ["FPGA", "1", "fpgas"],
  ])("reads %s", (description, tier, category) => {
    const result = classify({ description });
    expect(tiers(result)).toContain(tier);
    if (category) expect(categories(result)).toContain(category);
    else expect(categories(result)).toEqual([]);
  });

  it("prefers the longer phrase: memory foam is not memory", () => {
    expect(classify({ description: "memory foam pillow" }).controls).toEqual([]);
    expect(classify({ description: "food processor" }).controls).toEqual([]);
  });

  it("does not read what an item is for as the item", () => {
    const result = classify({ description: "Heat sink for processor" });
    expect(result.controls).toEqual([]);
    expect(classify({ description: "Case for GPS tracker" }).controls).toEqual([]);
  });

  it("says when the words do not decide the CHPL subheading", () => {
    const result = classify({ description: "capacitor 10uF" });
    expect(tiers(result)).toEqual([]);
    expect(categories(result)).toEqual(["capacitors"]);
    expect(issueCodes(result)).toContain("subheading-undetermined");
  });

  it("reports a hit when every candidate subheading is listed (transistor: 8541.21 or 8541.29)", () => {
    const hit = classify({ description: "transistor" }).controls[0];
    expect(hit).toMatchObject({ list: "chpl", code: "85412", tier: "3.A", candidates: ["854121", "854129"] });
  });

  it("repairs and reports homoglyphs in mixed-script words", () => {
    const result = classify({ description: "кoнденсатор танталовый" });
    expect(issueCodes(result)).toContain("mixed-script");
    expect(tiers(result)).toEqual(["2"]);
  });
});

describe("classifyItem: part numbers", () => {
  it.each([
    ["STM32F405RGT6", "ST", "1", "microcontrollers"],
    ["MPU-6050", "TDK InvenSense", "1", "imus"],
    ["NEO-M8N-0-10", "u-blox", "2", "navigation-sensors"],
    ["T491A106K016AT", "KEMET", "2", "capacitors"],
    ["GRM188R71H104KA93D", "Murata", "2", "capacitors"],
    ["XC7A35T-1CSG324C", "AMD", "1", "fpgas"],
    ["L550E", "Limbach", undefined, "aircraft-piston-engines"],
  ])("reads %s", (part_number, manufacturer, tier, category) => {
    const result = classify({ part_number, manufacturer });
    expect(tiers(result)).toEqual(tier ? [tier] : []);
    expect(categories(result)).toEqual([category]);
  });

  it("reports an unknown part number", () => {
    expect(issueCodes(classify({ part_number: "XYZ-123-ABC" }))).toContain("unknown-part-number");
  });

  it("needs the maker for generic engine designations", () => {
    expect(classify({ part_number: "O-360-A1A", manufacturer: "Lycoming" }).controls).toHaveLength(1);
    expect(classify({ part_number: "O-360-A1A" }).controls).toHaveLength(0);
  });

  it("says so when the part-family table was not loaded", () => {
    const bare = loadControls(read("chpl.csv"), JSON.parse(read("uav-key-items.json")));
    const result = classifyItem({ id: "x", part_number: "STM32F405RGT6" }, bare);
    expect(result.issues.map((issue) => issue.code)).toContain("part-number-table-not-loaded");
  });
});

describe("classifyItem: conflicts", () => {
  it("flags code vs description for review with both readings, never resolving silently", () => {
    const result = classify({ hs_code: "9403.60", description: "Microcontroller 32-bit" });
    expect(result.review).toBe(true);
    expect(result.hsCode).toBeNull();
    expect(issueCodes(result)).toContain("conflicting-evidence");
    expect(result.readings.map((reading) => reading.via)).toEqual(["code", "description"]);
    expect(tiers(result)).toEqual(["1"]);
  });

  it("keeps the declared code's CHPL hit when the words say furniture", () => {
    const result = classify({ hs_code: "8542.31", description: "Office chair" });
    expect(result.review).toBe(true);
    expect(tiers(result)).toEqual(["1"]);
  });

  it("lets a declared code pick among the things a description names", () => {
    const result = classify({ hs_code: "8529.10", description: "Antenna, GNSS active patch" });
    expect(result.review).toBe(false);
    expect(new Set(tiers(result))).toEqual(new Set(["3.A"]));
    expect(categories(result)).toEqual([]);
  });

  it("never hits a list for plainly uncontrolled goods", () => {
    for (const description of [
      "Office desk",
      "Cotton T-shirt",
      "Basmati rice",
      "Hex bolt M10",
      "Стул офисный",
      "螺丝 M3",
    ]) {
      expect(classify({ description }).controls).toEqual([]);
    }
  });
});
