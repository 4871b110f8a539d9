import { z } from "zod";
import { ENTITY_SCHEMAS, IDENTIFIER_TYPES } from "../model/index.js";

/**
 * One party to screen, as the CLI, the HTTP API and order screening hand it over. Only `name` is
 * required; every other field is secondary evidence that can raise or lower a score.
 * `country` is a code or a country name ("AE", "United Arab Emirates"); `dob` is any date form the
 * model's date parser reads ("1970", "12 Jan 1970", "1970-01-12").
 *
 * @example
 * partyQuerySchema.parse({ name: "Saddam Hussein AL-TIKRITI", schema: "Person", dob: "1937-04-28" })
 */
export const partyQuerySchema = z.object({
  // 10 KB names are bad input; 1,000 characters is far beyond any real party name.
  name: z.string().trim().min(1).max(1000),
  schema: z.enum(ENTITY_SCHEMAS).optional(),
  country: z.string().trim().optional(),
  dob: z.string().trim().optional(),
  identifiers: z
    .array(
      z.object({
        type: z.enum(IDENTIFIER_TYPES).optional(),
        value: z.string().trim().min(1),
      }),
    )
    .optional(),
});
export type PartyQuery = z.infer<typeof partyQuerySchema>;

/**
 * Options for one screening call.
 *
 * @example
 * const options: ScreenOptions = { lists: ["ofac-sdn", "un"], threshold: 0.8, limit: 5 };
 */
export const screenOptionsSchema = z.object({
  /** List ids to screen against; absent or empty = every indexed list. */
  lists: z.array(z.string()).optional(),
  /** Match threshold; absent = the screener's configured threshold. */
  threshold: z.number().min(0).max(1).optional(),
  /** Maximum results, matches and context candidates together. */
  limit: z.number().int().min(1).max(1000).optional(),
  /**
   * With a selection of lists, also find parties through the other loaded lists: a near-certain
   * match on another list's record has that record's other names screened against the selection
   * (default true; see `MatchExplanation.linkedThrough`).
   */
  viaOtherLists: z
    .boolean()
    .optional()
    .describe(
      "with lists: also find parties through their records on the other lists (a near-certain match there has its other names screened against these lists); default true",
    ),
});
export type ScreenOptions = z.infer<typeof screenOptionsSchema> & {
  /**
   * With a selection of lists and links on: the other lists whose records may be followed (absent:
   * every list outside the selection). Set by yente's `/match` for `exclude_dataset`; not part of
   * the request bodies, so what a case records stays what was screened.
   */
  readonly linkThrough?: readonly string[];
};

/**
 * The lists a screening with these options may draw a hit from: the selection when links through
 * other lists are off; the selection and `linkThrough` when links may follow only those; otherwise
 * every loaded list (undefined), since a linked hit rests on another list's record. What a case
 * records and what a job pins for its workers.
 *
 * @example
 * listsRead({ lists: ["un"] })                        // undefined: every list
 * listsRead({ lists: ["un"], viaOtherLists: false }) // ["un"]
 * listsRead({ lists: ["un"], linkThrough: ["eu"] })   // ["un", "eu"]
 */
export function listsRead(
  options: Pick<ScreenOptions, "lists" | "viaOtherLists" | "linkThrough">,
): string[] | undefined {
  if (options.viaOtherLists === false) return options.lists;
  const { lists, linkThrough } = options;
  if (lists && lists.length > 0 && !lists.includes("all") && linkThrough)
    return [...new Set([...lists, ...linkThrough])];
  return undefined;
}
