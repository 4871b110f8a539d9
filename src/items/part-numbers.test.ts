import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compilePartFamilies, looseAlternatives } from "./controls.js";
import {
  findPartFamily,
  matchPartNumber,
  normalizePartNumber,
  partNumberCandidates,
  resolveMakers,
} from "./part-numbers.js";

const families = compilePartFamilies(
  JSON.parse(readFileSync(new URL("../../data/controls/part-families.json", import.meta.url), "utf8")),
);
const all = [...new Set([...families.byFirst.values()].flat().concat(families.anyStart))].sort(
  (a, b) => a.order - b.order,
);

describe("part families", () => {
  it.each([
    ["STM32F103C8T6", "st-stm32"],
    ["ATmega328P-PU", "mchp-avr-sam"],
    ["MSP430G2553IPW20R", "ti-msp430"],
    ["AD9361BBCZ", "adi-rf-transceiver"],
    ["ADXL345BCCZ", "adi-accel"],
    ["MAX2769ETI+", "maxim-rf"],
    ["W25Q128JVSIQ", "winbond-memory"],
    ["MT29F4G08ABADAWP", "micron-memory"],
    ["EP4CE6E22C8N", "altera-fpga"],
    ["SX1278IMLTRT", "rf-transceiver-ics-other"],
    ["ESP32-WROOM-32", "radio-modules-other"],
    ["C0805C104K5RACTU", "kemet-mlcc"],
    ["CL10B104KB8NNNC", "samsung-mlcc"],
    ["BMI270", "bosch-imu"],
    ["6205-2RS", "iso-ball-bearing"],
    ["CRCW060310K0FKEA", "vishay-resistor"],
  ])("%s → %s", (part, id) => {
    expect(matchPartNumber(part, null, families)?.family.id).toBe(id);
  });

  it("finds through the first-character index exactly what a scan of every family finds", () => {
    const parts = [
      "STM32F4",
      "LM358DR",
      "1N4148",
      "TPS54331",
      "NEOM8N",
      "912ULS",
      "XC7Z020",
      "BSS138",
      "HMC5883L",
      "6204ZZ",
      "NU205",
      "IRF540N",
      "ZZZ123",
    ];
    for (const part of parts) {
      const n = normalizePartNumber(part);
      const scanned = all.find(
        (family) =>
          !family.makerRequired &&
          family.pattern.test(n) &&
          (family.standard || family.strict?.test(n) === true || n.length >= 8),
      );
      expect(matchPartNumber(part, null, families)?.family.id).toBe(scanned?.id);
    }
  });

  it("does not take values, sizes or packages for part numbers", () => {
    for (const word of ["100NF", "16MHZ", "M3X10", "LQFP64", "SOT23", "7800MAH", "AC220V", "DC12V", "IP67"]) {
      expect(matchPartNumber(word, null, families)).toBeNull();
    }
  });

  it("picks part-number-like words out of a description", () => {
    expect(partNumberCandidates("MCU STM32F103C8T6 (LQFP48), 10 pcs")).toEqual(["STM32F103C8T6", "LQFP48"]);
    expect(partNumberCandidates("Bearing 6204", true)).toEqual(["6204"]);
  });
});

describe("manufacturers", () => {
  it("reads a maker under any of its names: former names, owners, Chinese and Russian", () => {
    const one = (text: string): string[] => [...(resolveMakers(text, families) ?? [])];
    expect(one("RIGOL普源")).toEqual(["rigol"]);
    expect(one("普源精电")).toEqual(["rigol"]);
    expect(one("ST意法半导体")).toEqual(["stmicroelectronics"]);
    expect(one("TI德州仪器")).toEqual(["texas-instruments"]);
    expect(one("Maxim (Analog Devices)")).toEqual(["analog-devices"]);
    expect(one("Linear Technology")).toEqual(["analog-devices"]);
    expect(one("Microchip (Atmel)")).toEqual(["microchip"]);
    expect(one("TDK (EPCOS)")).toEqual(["tdk"]);
    expect(one("三星 Samsung Electro-Mechanics")).toEqual(["samsung"]);
    expect(one("BRP-Rotax")).toEqual(["rotax"]);
    expect(one("Würth Elektronik")).toEqual(["wurth"]);
    // Short names stand as words: "ti" is not found inside "Stiebel".
    expect(one("Stiebel Eltron")).toEqual([]);
    // A cell that names no maker is no manufacturer at all.
    for (const none of ["", "N/A", "generic", "无品牌", "-"])
      expect(resolveMakers(none, families)).toBeNull();
  });

  it("does not read a part number as another maker's family (Rigol DS1054Z is not Maxim's DS)", () => {
    const lookup = findPartFamily("DS1054Z", "RIGOL普源", families);
    expect(lookup.match).toBeNull();
    expect(lookup.skipped[0]).toMatchObject({ reason: "other-maker" });
    expect(lookup.skipped[0]?.family.id).toBe("adi-converters-other");
    // The real Maxim part, with its maker, still matches.
    expect(matchPartNumber("DS1307Z+", "Maxim Integrated", families)?.family.id).toBe("adi-converters-other");
    // A maker the table does not know is still a different maker.
    expect(matchPartNumber("STM32F103C8T6", "Acme Corp", families)).toBeNull();
  });

  it("takes the family whose maker agrees when patterns overlap", () => {
    // KEMET's T491 tantalum numbering is not read as anything else under KEMET.
    expect(matchPartNumber("T491A106K016AT", "KEMET", families)?.family.id).toBe("kemet-tantalum");
    expect(matchPartNumber("BTA16-600BRG", "STMicroelectronics", families)?.family.id).toBe("st-thyristors");
  });

  it("reads standard multi-source numbering whoever made it", () => {
    expect(matchPartNumber("1N4148W-E3-08", "Vishay", families)?.family.id).toBe("jedec-diodes");
    expect(matchPartNumber("1N4148", "Shenzhen Unknown Semi", families)?.family.id).toBe("jedec-diodes");
    expect(matchPartNumber("6204-2RS", null, families)?.family.id).toBe("iso-ball-bearing");
    expect(matchPartNumber("BT136-600E", "Jiangsu JieJie", families)?.family.id).toBe(
      "pro-electron-thyristors",
    );
  });

  it("needs the maker, or a full-length part number, for a loose prefix", () => {
    expect(looseAlternatives("^(DS1\\d{3}|GRM\\d)")).toEqual(["GRM\\d"]);
    // "GRM\\d" fixes three characters: a six-character stem is not enough without the maker...
    expect(matchPartNumber("GRM188", null, families)).toBeNull();
    expect(findPartFamily("GRM188", null, families).skipped[0]?.reason).toBe("maker-required");
    // ...the maker, or the full orderable number, is.
    expect(matchPartNumber("GRM188", "Murata", families)?.family.id).toBe("murata-mlcc");
    expect(matchPartNumber("GRM188R71H104KA93D", null, families)?.family.id).toBe("murata-mlcc");
  });
});

describe("part families added for common capacitors, thyristors, engines and connectors", () => {
  it.each([
    ["EEE-FK1V101P", "Panasonic", "panasonic-capacitors-aluminium", ["853222"]],
    ["EEU-FR1V101", "Panasonic", "panasonic-capacitors-aluminium", ["853222"]],
    ["ECQ-E2104KB", "Panasonic", "panasonic-capacitors-film", ["853225"]],
    ["B32922C3104M", "TDK (EPCOS)", "tdk-epcos-capacitors-film", ["853225"]],
    ["B41827A7107M", "EPCOS", "tdk-epcos-capacitors-aluminium", ["853222"]],
    ["UVR1H101MPD", "Nichicon", "nichicon-capacitors", ["853222"]],
    ["UHE1V101MPD", "尼吉康", "nichicon-capacitors", ["853222"]],
    ["35YXF100MEFC5X11", "Rubycon", "rubycon-capacitors", ["853222"]],
    ["885012207098", "Würth Elektronik", "wurth-capacitors-ceramic", ["853224"]],
    ["860010672008", "Wurth", "wurth-capacitors-aluminium", ["853222"]],
    ["CL21A106KOQNNNE", "Samsung", "samsung-mlcc", ["853224"]],
    ["CC0603KRX7R9BB104", "Yageo", "yageo-mlcc", ["853224"]],
    ["BTA16-600BRG", "ST", "st-thyristors", ["854130"]],
    ["BTB12-600BW", "STMicroelectronics", "st-thyristors", ["854130"]],
    ["582 UL", "BRP-Rotax", "rotax-aircraft-engines", ["840710"]],
    ["912 ULS", "Rotax", "rotax-aircraft-engines", ["840710"]],
    ["914 UL", "BRP-Rotax", "rotax-aircraft-engines", ["840710"]],
    ["915 iS", "BRP-Rotax", "rotax-aircraft-engines", ["840710"]],
    ["125 MAX EVO", "BRP-Rotax", "rotax-kart-engines", ["840732", "840733"]],
    ["53047-0410", "Molex", "molex-connectors", ["853669", "853690"]],
    ["S4B-PH-K-S", "JST", "jst-connectors", ["853669"]],
    ["LRS-350-24", "Mean Well", "meanwell-power", ["850440"]],
  ])("%s (%s) → %s", (part, maker, id, hs) => {
    const match = matchPartNumber(part, maker, families);
    expect(match?.family.id).toBe(id);
    expect(match?.family.hs).toEqual(hs);
    expect(match?.family.source.length).toBeGreaterThan(40);
  });

  it("needs the maker for bare numbers: engine models, Molex and Würth article numbers", () => {
    for (const part of ["912", "582UL", "53047-0410", "885012207098", "LRS-350-24"]) {
      expect(matchPartNumber(part, null, families)).toBeNull();
    }
    // A number that is only a Rotax model under Rotax.
    expect(matchPartNumber("912", "Lenovo", families)).toBeNull();
  });
});
