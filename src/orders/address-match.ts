import type { ListEntity } from "../model/entity.js";
import type { AddressMatch } from "./types.js";

/**
 * "The customer's address is similar to a listed party's" (BIS Know Your Customer; FinCEN/BIS
 * FIN-2023-NTC2). Listed addresses are often a city and a country; those say nothing about a
 * street address, so only street-level listed addresses (a number and at least three words) are
 * indexed. Two addresses are close when they share enough words, including a number, in the same
 * country: Dice coefficient over word sets.
 */

/** Words that carry no identity in an address (street types, unit words) in the languages lists use. */
const ADDRESS_STOPWORDS = new Set(
  "street st str road rd avenue ave av lane ln boulevard blvd building bldg bld floor fl office of suite ste room rm unit no nr house block the of and at de la el al ul ulitsa pr prospekt d dom kv korpus str pereulok per shosse bul office".split(
    " ",
  ),
);

/** Address words: folded, stopwords dropped, numbers kept (they are the most specific part). */
export function addressTokens(text: string): string[] {
  const folded = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  return [...new Set(folded.split(" ").filter((t) => t.length > 0 && !ADDRESS_STOPWORDS.has(t)))];
}

interface IndexedAddress {
  entityId: string;
  list: string;
  name: string;
  address: string;
  country: string | undefined;
  tokens: Set<string>;
}

/**
 * An index of listed parties' street addresses.
 *
 * @example
 * const index = createAddressIndex(entities);
 * index.match("Office 5, 12 Lenina St, Yelabuga", "RU") // [{ entityId, name, address, score: 0.86, shared: [...] }]
 */
export interface AddressIndex {
  readonly size: number;
  match(address: string, country?: string, options?: { minScore?: number; limit?: number }): AddressMatch[];
}

/** Minimum Dice similarity for "close". */
export const DEFAULT_ADDRESS_MIN_SCORE = 0.7;

/**
 * Builds the address index from entities (pure; build once per batch).
 *
 * @example
 * const index = createAddressIndex(await store.entities());
 */
export function createAddressIndex(
  entities: readonly Pick<ListEntity, "id" | "listId" | "name" | "addresses">[],
): AddressIndex {
  const addresses: IndexedAddress[] = [];
  const byToken = new Map<string, number[]>();
  for (const entity of entities) {
    for (const address of entity.addresses) {
      const text =
        address.full ??
        [address.street, address.postalCode, address.city, address.region].filter(Boolean).join(", ");
      if (!text) continue;
      const tokens = addressTokens(text);
      if (tokens.length < 3 || !tokens.some((t) => /\d/.test(t))) continue;
      const index = addresses.length;
      addresses.push({
        entityId: entity.id,
        list: entity.listId,
        name: entity.name,
        address: text,
        country: address.country?.code,
        tokens: new Set(tokens),
      });
      for (const token of tokens) {
        const list = byToken.get(token);
        if (list) list.push(index);
        else byToken.set(token, [index]);
      }
    }
  }
  return {
    size: addresses.length,
    match(address, country, options = {}) {
      const minScore = options.minScore ?? DEFAULT_ADDRESS_MIN_SCORE;
      const tokens = addressTokens(address);
      if (tokens.length < 2) return [];
      const counts = new Map<number, number>();
      for (const token of tokens) {
        const postings = byToken.get(token);
        // A word in thousands of addresses (a capital city) does not make candidates on its own.
        if (!postings || postings.length > 2000) continue;
        for (const i of postings) counts.set(i, (counts.get(i) ?? 0) + 1);
      }
      const out: AddressMatch[] = [];
      for (const [i, count] of counts) {
        if (count < 2) continue;
        const candidate = addresses[i]!;
        const shared = tokens.filter((t) => candidate.tokens.has(t));
        if (shared.length < 3 || !shared.some((t) => /\d/.test(t))) continue;
        const score = (2 * shared.length) / (tokens.length + candidate.tokens.size);
        // Lists carry stale country codes (Serbia as "CS"), so a differing country only raises the bar.
        const countryDiffers = Boolean(country && candidate.country && candidate.country !== country);
        if (score < (countryDiffers ? Math.max(minScore, 0.9) : minScore)) continue;
        out.push({
          entityId: candidate.entityId,
          list: candidate.list,
          name: candidate.name,
          address: candidate.address,
          score: Math.round(score * 1000) / 1000,
          shared,
        });
      }
      return out.sort((a, b) => b.score - a.score).slice(0, options.limit ?? 5);
    },
  };
}
