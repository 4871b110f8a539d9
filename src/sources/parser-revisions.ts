import type { SourceFormat } from "./types.js";

// Kept apart from the parsers, so that a command can read what changed without loading them.

/** What a format's parser reads differently from its first release. */
export interface ParserRevision {
  /** Counted from 0 (as first released); revision 0 adds nothing to the content hash. */
  readonly revision: number;
  /** What changed, for the notice when a list is read again. */
  readonly change?: string;
}

/**
 * Revision of each format's parser output. Bump it when a parser reads the same files differently:
 * the content hash then changes, so the next import reads them again instead of keeping the
 * entities the old parser made ("unchanged" is decided by hash, before parsing). Revision 0 adds
 * nothing to the hash, so the hashes of stores made before revisions existed hold. A bump also
 * adds the bundled files' older hash to `BUNDLED_READ_BY_OLDER_PARSERS` (jobs/bundled-lists.ts), so
 * homes made from the bundled snapshot are read again (its test says the hash to add).
 */
export const PARSER_REVISIONS: Readonly<Record<SourceFormat, ParserRevision>> = {
  "ofac-csv": { revision: 0 },
  "un-xml": { revision: 0 },
  "uk-fcdo-ods": { revision: 0 },
  "uk-fcdo-csv": { revision: 0 },
  "bis-dpl-tsv": { revision: 0 },
  "us-csl-csv": { revision: 0 },
  "eu-journal-csv": {
    revision: 1,
    change: "rows typed LegalEntity without a person's facts are read as organisations",
  },
  "ca-sema-xml": { revision: 0 },
  "ftm-jsonl": { revision: 0 },
};
