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
    const [first, second] = uav.categories.filter((category: { hs6: string[] }) => category.hs6.length > 0);
    second.hs6.push(first.hs6[0]);
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
    // 9014.80 also holds echo sounders and sonars, so it needs words or a part number.
    expect(categories(classify({ hs_code: "9014.80" }))).toEqual([]);
  });

  it("does not flag transceiver modules on 8517.62 alone: it also holds switches and routers", () => {
    const alone = classify({ hs_code: "8517.62.0090" });
    expect(categories(alone)).toEqual([]);
    expect(tiers(alone)).toEqual(["2"]);
    const router = classify({ hs_code: "8517.62.0020", description: "Catalyst 24-port Ethernet switch" });
    expect(categories(router)).toEqual([]);
    expect(tiers(router)).toEqual(["2", "2"]);
    // The words name the head noun ("module", "модуль", "模块", "transceiver"): the code flags it.
    for (const description of ["Module, 2.4 GHz", "Модуль NB-IoT", "通信模组", "Transceiver 900 MHz"]) {
      const result = classify({ hs_code: "8517.62", description });
      expect(categories(result)).toContain("transceiver-modules");
      expect(result.controls.find((hit) => hit.list === "uav-key-items")?.evidence).toMatch(
        /in the description/,
      );
    }
    // A part number alone says it too.
    expect(
      categories(classify({ hs_code: "8517.62", part_number: "SARA-R410M-02B", manufacturer: "u-blox" })),
    ).toContain("transceiver-modules");
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

describe("classifyItem: manufacturers decide between part families", () => {
  it("does not read another maker's part as an IC family (Rigol oscilloscope DS1054Z)", () => {
    const result = classify({
      hs_code: "9030.20",
      description: "数字示波器 4通道 50MHz",
      manufacturer: "RIGOL普源",
      part_number: "DS1054Z",
    });
    expect(tiers(result)).toEqual(["4.A", "4.A"]);
    expect(categories(result)).toEqual([]);
    expect(result.review).toBe(false);
    const unknown = result.issues.find((issue) => issue.code === "unknown-part-number");
    expect(unknown?.message).toMatch(/Analog Devices.*RIGOL/);
  });

  it("weighs a family confirmed by its maker above one read without a maker", () => {
    const withMaker = classify({ part_number: "STM32F103C8T6", manufacturer: "ST意法半导体" });
    const without = classify({ part_number: "STM32F103C8T6" });
    expect(withMaker.confidence).toBeGreaterThan(without.confidence);
    expect(tiers(withMaker)).toEqual(["1"]);
  });
});

describe("classifyItem: the declared code picks among a part family's candidates", () => {
  it("reads a fibre-optic gyro declared 9014.80 as the 9014 instrument, not the 8542 chip", () => {
    const result = classify({
      hs_code: "9014 80",
      description: "Fiber optic gyroscope 3-axis",
      manufacturer: "KVH",
      part_number: "DSP-1760",
    });
    expect(new Set(tiers(result))).toEqual(new Set(["3.B"]));
    expect(result.review).toBe(false);
    expect(result.readings.find((reading) => reading.via === "part_number")?.hs6).toEqual(["901420"]);
    expect(result.issues.find((issue) => issue.code === "several-readings")?.message).toMatch(
      /declared 9014.80/,
    );
  });

  it("lets the description decide the same way when there is no code", () => {
    const result = classify({
      description: "Fiber optic gyroscope 3-axis",
      manufacturer: "KVH",
      part_number: "DSP-1760",
    });
    expect(new Set(tiers(result))).toEqual(new Set(["3.B"]));
  });

  it("keeps the chip reading when the declared code is the chip's", () => {
    const result = classify({ hs_code: "8542.39", manufacturer: "KVH", part_number: "DSP-1760" });
    expect(new Set(tiers(result))).toEqual(new Set(["1"]));
  });

  it("flags for review with both readings when the code agrees with none of the candidates", () => {
    const result = classify({ hs_code: "8471.80", manufacturer: "KVH", part_number: "DSP-1760" });
    expect(result.review).toBe(true);
    const conflict = result.issues.find((issue) => issue.code === "conflicting-evidence");
    expect(conflict?.message).toMatch(/8471\.80/);
    expect(conflict?.message).toMatch(/8542\.39\/9014\.20/);
  });
});

describe("classifyItem: vocabulary", () => {
  it.each([
    ["CONN HEADER SMD 4POS 1.25MM", "3.A", undefined, "853669"],
    ["TRANS NPN 40V 0.2A TO92", "3.A", undefined, null],
    ["TRANS PNP 40V 0.2A SOT23", "3.A", undefined, null],
    ["DSC 32bit C2000 150MHz 176LQFP", "1", "processors-and-controllers", "854231"],
    ["XTAL 16MHZ 20PF SMD", "3.A", undefined, "854160"],
    ["CRYSTAL 16.0000MHZ 18PF SMD", "3.A", undefined, "854160"],
    ["IC MCU 32BIT 512KB FLASH 64LQFP", "1", "microcontrollers", "854231"],
    ["IC OPAMP GP 2 CIRCUIT 8SOIC", "1", "amplifiers", "854233"],
    ["CAP CER 0.1UF 50V X7R 0603", "2", "capacitors", "853224"],
    ["RF Agile Transceiver 70MHz-6GHz 2x2 BGA", "1", "rf-transceivers", "854239"],
    ["Модуль LTE Cat M1/NB-IoT", "2", "transceiver-modules", "851762"],
    ["модуль Wi-Fi 2.4 ГГц", "2", "transceiver-modules", "851762"],
    ["WiFi 模块 ESP8266", "2", "transceiver-modules", "851762"],
    ["Wi-Fi BT module 4MB flash PCB antenna", "2", "transceiver-modules", "851762"],
    ["Accelerometer 3-axis digital LGA14", "1", "accelerometers", "854239"],
    ["3-axis digital accelerometer LGA-14", "1", "accelerometers", "854239"],
    ["6轴陀螺仪加速度计 芯片 QFN24", "1", "gyroscopes", "854239"],
    ["IMU/AHRS module rugged", "3.B", "imus", null],
    ["rugged IMU module", "3.B", "imus", null],
  ])("reads %s", (description, tier, category, hsCode) => {
    const result = classify({ description });
    expect(new Set(tiers(result))).toEqual(new Set([tier]));
    if (category) expect(categories(result)).toContain(category);
    else expect(categories(result)).toEqual([]);
    if (hsCode) expect(result.hsCode).toBe(hsCode);
    expect(result.review).toBe(false);
  });

  it("reads distributor resistor lines as resistors (on neither list)", () => {
    for (const description of ["RES SMD 10K OHM 1% 1/10W 0603", "RES 10K OHM 1/4W 5% AXIAL"]) {
      const result = classify({ description });
      expect(result.controls).toEqual([]);
      expect(result.readings[0]?.concept).toBe("resistor");
    }
  });

  it("does not take a camera's DSC for a digital signal controller", () => {
    expect(categories(classify({ description: "Sony DSC camera 20MP" }))).toEqual([]);
  });

  it("lets the head noun decide, and says what else the words named", () => {
    const result = classify({ description: "Wi-Fi BT module 4MB flash PCB antenna" });
    expect(result.readings.map((reading) => reading.concept)).toEqual(["transceiver-modules"]);
    expect(result.issues.find((issue) => issue.code === "several-readings")?.message).toMatch(
      /'pcb'.*'antenna'.*head noun 'wi-fi bt module'/,
    );
    expect(tiers(classify({ description: "PCB antenna 2.4GHz" }))).toEqual(["3.A"]);
    expect(categories(classify({ description: "IC LED DRIVER LINEAR 8SOIC" }))).toEqual([
      "other-integrated-circuits",
    ]);
  });

  it("keeps every reading for lists and for phrases whose head cannot be told", () => {
    expect(classify({ description: "Capacitors and resistors kit" }).review).toBe(true);
    expect(classify({ description: "RF connector SMA female PCB mount" }).review).toBe(true);
  });

  it("lets words skip modifiers but not other goods", () => {
    expect(categories(classify({ description: "GSM/GPRS module SIM800L" }))).toEqual(["transceiver-modules"]);
    expect(classify({ description: "Wireless charging module 15W" }).controls).toEqual([]);
    expect(categories(classify({ description: "RF power amplifier module" }))).toEqual(["amplifiers"]);
  });
});

describe("classifyItem: five-digit codes", () => {
  it("reports 85423 as a bad code and reads the line from its other evidence", () => {
    const result = classify({
      hs_code: "85423",
      description: "MCU AVR 8-bit 32KB flash TQFP-32",
      manufacturer: "Microchip",
      part_number: "ATMEGA328P-AU",
    });
    expect(issueCodes(result)).toContain("bad-hs-code");
    expect(issueCodes(result)).not.toContain("conflicting-evidence");
    expect(result.hsCode).toBe("854231");
    expect(result.review).toBe(false);
  });

  it("still pads a chapter 01-09 code a spreadsheet shortened", () => {
    const result = classify({ hs_code: "90121", description: "Roasted coffee beans" });
    expect(result.hsCode).toBe("090121");
    expect(issueCodes(result)).toContain("hs-code-leading-zero");
  });
});
