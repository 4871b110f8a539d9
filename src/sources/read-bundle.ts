import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { type ListEntity, listEntitySchema, type ParseIssue } from "../model/index.js";
import { PARSER_REVISIONS } from "./parser-revisions.js";
import { PARSERS } from "./parsers.js";
import { type SourceBundle, SourceFileError } from "./types.js";

export { PARSER_REVISIONS, type ParserRevision } from "./parser-revisions.js";

/**
 * sha256 over a bundle's files (names and bytes, in a fixed order) and its parser's revision (the
 * current one unless `revision` is given): the identity of a list's content as Chokepoint reads it.
 *
 * @example
 * await contentHash({ format: "un-xml", listId: "un", files: ["/data/un/consolidated.xml"] }) // "9f2c..."
 */
export async function contentHash(
  bundle: SourceBundle,
  revision = PARSER_REVISIONS[bundle.format].revision,
): Promise<string> {
  const hash = createHash("sha256");
  if (revision > 0) hash.update(`parser ${bundle.format} revision ${revision}\n`);
  const files = [...bundle.files].sort((a, b) => (basename(a) < basename(b) ? -1 : 1));
  for (const file of files) {
    hash.update(`${basename(file)}\n`);
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    hash.update("\n");
  }
  return hash.digest("hex");
}

export interface ParsedBundle {
  listId: string;
  publishedAt?: string;
  entities: ListEntity[];
  issues: ParseIssue[];
}

/**
 * Runs a bundle's parser to the end and validates every entity against the model. A parser
 * failure or an entity that breaks the model throws `SourceFileError`; recoverable problems come
 * back as issues.
 *
 * @example
 * const parsed = await readBundle(bundle, (n) => bar.update(n));
 */
export async function readBundle(
  bundle: SourceBundle,
  onEntity?: (count: number) => void,
): Promise<ParsedBundle> {
  const parser = PARSERS[bundle.format];
  const entities: ListEntity[] = [];
  const issues: ParseIssue[] = [];
  let listId = bundle.listId;
  let publishedAt: string | undefined;
  for await (const event of parser(bundle)) {
    if (event.type === "issue") {
      issues.push(event.issue);
    } else if (event.type === "meta") {
      if (event.listId) listId = event.listId;
      if (event.publishedAt) publishedAt = event.publishedAt;
    } else {
      const parsed = listEntitySchema.safeParse(event.entity);
      if (!parsed.success) {
        const problem = parsed.error.issues[0];
        const raw = event.entity as { id?: unknown };
        throw new SourceFileError(
          `record ${String(raw.id ?? "?")} does not fit the entity model: ${problem?.path.join(".") ?? ""} ${problem?.message ?? ""}`.trim(),
          basename(bundle.files[0] ?? bundle.listId),
        );
      }
      entities.push(parsed.data);
      onEntity?.(entities.length);
    }
  }
  if (!listId)
    throw new SourceFileError("cannot tell which list this file holds", basename(bundle.files[0] ?? "?"));
  return { listId, ...(publishedAt ? { publishedAt } : {}), entities, issues };
}
