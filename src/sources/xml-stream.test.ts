import { describe, expect, it } from "vitest";
import { cleanText } from "./cells.js";
import { SourceFileError } from "./types.js";
import { childText, toPlainXml, type XmlNode, xmlRecordsFromChunks } from "./xml-stream.js";

const DOC = `<?xml version="1.0"?>
<list generated="2026-01-01">
  <items>
    <item><NAME> A  &amp; B </NAME><NOTE><![CDATA[x < y]]></NOTE></item>
    <item>
      <NAME>C</NAME>
      <ALIAS>c1</ALIAS>
      <ALIAS>c2</ALIAS>
    </item>
  </items>
</list>
`;

async function collect(
  chunks: Iterable<string>,
  onOpen?: (name: string, attrs: Record<string, string>) => void,
) {
  const nodes: XmlNode[] = [];
  for await (const node of xmlRecordsFromChunks(chunks, "t.xml", {
    isRecord: (path) => path.length === 3 && path[2] === "item",
    onOpen: onOpen ? (name, attrs) => onOpen(name, attrs) : undefined,
  })) {
    nodes.push(node);
  }
  return nodes;
}

describe("xmlRecordsFromChunks", () => {
  it("yields each record with line numbers, text, CDATA and entities, whatever the chunking", async () => {
    const whole = await collect([DOC]);
    // One character per chunk: records must not depend on where chunks split.
    const split = await collect([...DOC]);
    for (const nodes of [whole, split]) {
      expect(nodes.map((node) => node.line)).toEqual([4, 5]);
      expect(childText(nodes[0]!, "NAME")).toBe("A & B");
      expect(childText(nodes[0]!, "NOTE")).toBe("x < y");
      expect(toPlainXml(nodes[1]!)).toEqual({ NAME: "C", ALIAS: ["c1", "c2"] });
    }
  });

  it("reports elements outside records to onOpen", async () => {
    const seen: string[] = [];
    await collect([DOC], (name, attrs) => seen.push(`${name}:${attrs.generated ?? ""}`));
    expect(seen).toEqual(["list:2026-01-01", "items:"]);
  });

  it("throws SourceFileError with file and line for truncated XML", async () => {
    const truncated = DOC.slice(0, DOC.indexOf("<ALIAS>c2"));
    const error = await collect([truncated]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceFileError);
    expect((error as SourceFileError).file).toBe("t.xml");
    expect((error as SourceFileError).line).toBe(8);
    expect((error as SourceFileError).message).toMatch(/^t\.xml:8: malformed XML: .*unclosed tag/);
  });

  it("throws on mismatched tags at the line of the error", async () => {
    const broken = DOC.replace("<NAME>C</NAME>", "<NAME>C</NAMX>");
    const error = await collect([broken]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceFileError);
    expect((error as SourceFileError).line).toBe(6);
  });
});

describe("cleanText", () => {
  it("collapses white space from wrapped values", () => {
    expect(cleanText("National Identification\n                Number ")).toBe(
      "National Identification Number",
    );
    expect(cleanText(undefined)).toBe("");
  });
});
