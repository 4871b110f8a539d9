import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * Where each list's official files are published. The EU list is not here: the bundled EU data is
 * a transcription of the Official Journal, and the EU's own consolidated file needs a parser of
 * its own (see README, "Lists").
 */
export const OFFICIAL_SOURCES: Record<string, string[]> = {
  "ofac-sdn": [
    "https://www.treasury.gov/ofac/downloads/sdn.csv",
    "https://www.treasury.gov/ofac/downloads/alt.csv",
    "https://www.treasury.gov/ofac/downloads/add.csv",
    "https://www.treasury.gov/ofac/downloads/sdn_comments.csv",
  ],
  "ofac-cons": [
    "https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv",
    "https://www.treasury.gov/ofac/downloads/consolidated/cons_alt.csv",
    "https://www.treasury.gov/ofac/downloads/consolidated/cons_add.csv",
    "https://www.treasury.gov/ofac/downloads/consolidated/cons_comments.csv",
  ],
  un: ["https://scsanctions.un.org/resources/xml/en/consolidated.xml"],
  "uk-fcdo": ["https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.ods"],
  "bis-dpl": ["https://www.bis.doc.gov/dpl/dpl.txt"],
  "us-csl": ["https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"],
  "ca-sema": [
    "https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml",
  ],
};

export interface DownloadOptions {
  /** Lists to fetch (default: all in OFFICIAL_SOURCES). */
  lists?: string[];
  /**
   * Fetch from a mirror instead: `${mirror}/${listId}/${fileName}`. Used by tests (a local server)
   * and by sites that mirror the official files internally.
   */
  mirror?: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  onFile?: (listId: string, url: string) => void;
}

export type DownloadResult =
  | { listId: string; status: "downloaded"; folder: string; files: string[] }
  | { listId: string; status: "failed"; error: string };

function fileNameOf(url: string): string {
  return new URL(url).pathname.split("/").pop() || "download";
}

/**
 * Downloads each list's official files into `${target}/${listId}/`. A list is complete or absent:
 * files go to a temporary folder renamed into place only when every file of the list arrived.
 *
 * @example
 * const results = await downloadLists("/tmp/lists", { lists: ["un"] });
 */
export async function downloadLists(
  target: string,
  options: DownloadOptions = {},
): Promise<DownloadResult[]> {
  const doFetch = options.fetchImpl ?? fetch;
  const results: DownloadResult[] = [];
  for (const listId of options.lists ?? Object.keys(OFFICIAL_SOURCES)) {
    const urls = OFFICIAL_SOURCES[listId];
    if (!urls) {
      results.push({ listId, status: "failed", error: `no official source known for ${listId}` });
      continue;
    }
    const folder = join(target, listId);
    const partial = `${folder}.partial`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    try {
      const files: string[] = [];
      for (const official of urls) {
        const name = fileNameOf(official);
        const url = options.mirror ? `${options.mirror.replace(/\/$/, "")}/${listId}/${name}` : official;
        options.onFile?.(listId, url);
        const response = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) });
        if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
        await pipeline(Readable.fromWeb(response.body as never), createWriteStream(join(partial, name)));
        files.push(name);
      }
      await rm(folder, { recursive: true, force: true });
      await rename(partial, folder);
      results.push({ listId, status: "downloaded", folder, files });
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      results.push({
        listId,
        status: "failed",
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return results;
}
