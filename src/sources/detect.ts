import { open, readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { detectBisDpl } from "./bis-dpl.js";
import { detectCaSemaXml } from "./ca-sema-xml.js";
import { detectEuJournalCsv } from "./eu-journal.js";
import { detectFtmJsonl } from "./ftm-jsonl.js";
import { detectOds } from "./ods.js";
import { detectOfacFileRole, type OfacFileRole } from "./ofac-csv.js";
import type { SourceBundle, SourceFormat } from "./types.js";
import { detectUkFcdoCsv } from "./uk-fcdo.js";
import { detectUnXml } from "./un-xml.js";
import { detectUsCsl } from "./us-csl.js";

const HEAD_BYTES = 64 * 1024;

/** The first bytes of a file, as UTF-8 text and as Latin-1 (for binary signatures such as zip). */
export interface FileHead {
  text: string;
  latin1: string;
}

/**
 * Reads the head of a file for format detection.
 *
 * @example
 * const head = await readHead("data/lists/un/consolidated.xml");
 */
export async function readHead(path: string, bytes = HEAD_BYTES): Promise<FileHead> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    const slice = buffer.subarray(0, bytesRead);
    return { text: slice.toString("utf8").replace(/^\uFEFF/, ""), latin1: slice.toString("latin1") };
  } finally {
    await handle.close();
  }
}

export type DetectedFile =
  | { path: string; format: Exclude<SourceFormat, "ofac-csv"> }
  | { path: string; format: "ofac-csv"; role: OfacFileRole };

/**
 * Decides a file's format from its content alone. Order matters only where formats could
 * overlap: the specific CSV headers are tried before the header-less OFAC shape.
 *
 * @example
 * detectFormat("x.bin", head) // { path: "x.bin", format: "un-xml" } when the content is a UN list
 */
export function detectFormat(path: string, head: FileHead): DetectedFile | undefined {
  if (detectOds(head.latin1)) return { path, format: "uk-fcdo-ods" };
  const text = head.text;
  if (detectUnXml(text)) return { path, format: "un-xml" };
  if (detectCaSemaXml(text)) return { path, format: "ca-sema-xml" };
  if (detectFtmJsonl(text)) return { path, format: "ftm-jsonl" };
  if (detectEuJournalCsv(text)) return { path, format: "eu-journal-csv" };
  if (detectUkFcdoCsv(text)) return { path, format: "uk-fcdo-csv" };
  if (detectBisDpl(text)) return { path, format: "bis-dpl-tsv" };
  if (detectUsCsl(text)) return { path, format: "us-csl-csv" };
  const role = detectOfacFileRole(text);
  if (role) return { path, format: "ofac-csv", role };
  return undefined;
}

/** The list each single-list format feeds. OFAC and FtM decide per bundle (see `planImport`). */
const LIST_OF_FORMAT: Record<Exclude<SourceFormat, "ofac-csv" | "ftm-jsonl">, string> = {
  "un-xml": "un",
  "ca-sema-xml": "ca-sema",
  "eu-journal-csv": "eu",
  "uk-fcdo-ods": "uk-fcdo",
  "uk-fcdo-csv": "uk-fcdo",
  "bis-dpl-tsv": "bis-dpl",
  "us-csl-csv": "us-csl",
};

/** A file the import will not read, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ImportPlan {
  bundles: SourceBundle[];
  skipped: SkippedFile[];
}

async function expandPaths(paths: string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      missing.push(path);
      return;
    }
    if (info.isDirectory()) {
      const entries = (await readdir(path)).filter((name) => !name.startsWith(".")).sort();
      for (const entry of entries) await walk(join(path, entry));
    } else if (info.isFile()) {
      files.push(resolve(path));
    }
  };
  for (const path of paths) await walk(path);
  return { files, missing };
}

/**
 * Turns paths (files or folders) into import bundles: one per list found.
 *
 * - OFAC CSV sets are grouped by folder; the list is `ofac-cons` when the primary file is one of
 *   OFAC's `cons_*` files and `ofac-sdn` otherwise. The two sets are byte-for-byte the same format,
 *   so their identity (not their format) comes from OFAC's own file naming.
 * - All EU Official Journal annex files form the one list `eu`.
 * - The UK list published both as `.ods` and as CSV is read once, from the `.ods` (the published form).
 *
 * @example
 * const { bundles, skipped } = await planImport(["data/lists"]);
 */
export async function planImport(paths: string[]): Promise<ImportPlan> {
  const { files, missing } = await expandPaths(paths);
  const skipped: SkippedFile[] = missing.map((file) => ({ file, reason: "no such file or folder" }));
  const detected: DetectedFile[] = [];
  for (const file of files) {
    const info = await stat(file);
    if (info.size === 0) {
      skipped.push({ file, reason: "empty file" });
      continue;
    }
    const found = detectFormat(file, await readHead(file));
    if (found) detected.push(found);
    else skipped.push({ file, reason: "not a list format Chokepoint reads" });
  }

  const bundles: SourceBundle[] = [];
  const byList = new Map<string, SourceBundle>();
  const ofacFolders = new Map<string, Partial<Record<OfacFileRole, string>>>();
  for (const file of detected) {
    if (file.format === "ofac-csv") {
      const folder = ofacFolders.get(dirname(file.path)) ?? {};
      const taken = folder[file.role];
      if (taken) {
        skipped.push({
          file: file.path,
          reason: `a second OFAC ${file.role} file in the folder (already have ${basename(taken)})`,
        });
      } else {
        folder[file.role] = file.path;
      }
      ofacFolders.set(dirname(file.path), folder);
      continue;
    }
    if (file.format === "ftm-jsonl") {
      bundles.push({ format: file.format, listId: "", files: [file.path] });
      continue;
    }
    const listId = LIST_OF_FORMAT[file.format];
    const existing = byList.get(listId);
    if (!existing) {
      const bundle = { format: file.format, listId, files: [file.path] };
      byList.set(listId, bundle);
      bundles.push(bundle);
    } else if (file.format === "eu-journal-csv" && existing.format === "eu-journal-csv") {
      existing.files.push(file.path);
    } else if (file.format === "uk-fcdo-ods" && existing.format === "uk-fcdo-csv") {
      skipped.push({
        file: existing.files[0]!,
        reason: `same list as ${basename(file.path)}, read from the .ods`,
      });
      existing.format = file.format;
      existing.files = [file.path];
    } else {
      skipped.push({ file: file.path, reason: `same list as ${basename(existing.files[0]!)}, already read` });
    }
  }
  for (const [folder, roles] of ofacFolders) {
    if (!roles.primary) {
      for (const path of Object.values(roles)) {
        skipped.push({ file: path, reason: `OFAC side file without its primary file in ${folder}` });
      }
      continue;
    }
    const listId = basename(roles.primary).toLowerCase().startsWith("cons_") ? "ofac-cons" : "ofac-sdn";
    const ordered = (["primary", "alt", "add", "comments"] as const).flatMap((role) =>
      roles[role] ? [roles[role]] : [],
    );
    if (byList.has(listId)) {
      skipped.push({ file: roles.primary, reason: `a second ${listId} set; already read one` });
      continue;
    }
    const bundle: SourceBundle = { format: "ofac-csv", listId, files: ordered };
    byList.set(listId, bundle);
    bundles.push(bundle);
  }
  return { bundles, skipped };
}
