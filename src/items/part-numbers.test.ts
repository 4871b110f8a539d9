import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compilePartFamilies } from "./controls.js";
import { matchPartNumber, normalizePartNumber, partNumberCandidates } from "./part-numbers.js";

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
    ["CL10B104KB8NNNC", "samsung-yageo-mlcc"],
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
      const scanned = all.find(
        (family) => !family.makerRequired && family.pattern.test(normalizePartNumber(part)),
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
