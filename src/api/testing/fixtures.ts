import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ListEntity, type ListEntityInput, listEntitySchema } from "../../model/index.js";
import { openStore, type Store } from "../../store/index.js";
import { type ApiRole, createKeysRepository, type KeysRepository } from "../../store/keys-repository.js";
import { saveTestLists } from "../../store/testing/lists.js";

/**
 * A small listed entity for API tests.
 *
 * @example
 * entity("test-sdn", "1", "HUSSEIN AL-TIKRITI, Saddam", { birthDates: [...] })
 */
export function entity(
  listId: string,
  nativeId: string,
  name: string,
  extra: Partial<ListEntityInput> = {},
): ListEntity {
  return listEntitySchema.parse({
    id: `${listId}:${nativeId}`,
    listId,
    nativeId,
    schema: "Person",
    name,
    names: [{ full: name, kind: "primary" }],
    raw: { nativeId, name },
    ...extra,
  });
}

/**
 * Two small lists: people and companies on "test-sdn"; on "test-un", one person and a company
 * whose alias is a "test-sdn" name (a party found through another list's record).
 */
export const FIXTURE_ENTITIES: Record<string, ListEntity[]> = {
  "test-sdn": [
    entity("test-sdn", "7843", "HUSSEIN AL-TIKRITI, Saddam", {
      names: [
        { full: "HUSSEIN AL-TIKRITI, Saddam", kind: "primary" },
        { full: "ABU ALI", kind: "weak-aka" },
      ],
      birthDates: [{ text: "28 Apr 1937", kind: "exact", from: "1937-04-28", to: "1937-04-28" }],
      nationalities: [{ text: "Iraq", code: "IQ" }],
      identifiers: [{ type: "passport", value: "A1234567" }],
    }),
    entity("test-sdn", "100", "GULF STAR ELECTRONICS FZE", {
      schema: "Company",
      countries: [{ text: "United Arab Emirates", code: "AE" }],
      addresses: [{ full: "Office 12, Jebel Ali Free Zone, Dubai", country: { text: "UAE", code: "AE" } }],
    }),
    entity("test-sdn", "200", "MAHAN AIR", { schema: "Company" }),
  ],
  "test-un": [
    entity("test-un", "QDi.001", "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE", {
      names: [
        { full: "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE", kind: "primary" },
        { full: "Sayf-Al Adl", kind: "aka" },
      ],
    }),
    entity("test-un", "IRe.001", "SEPEHR AVIATION TRADING", {
      schema: "Company",
      names: [
        { full: "SEPEHR AVIATION TRADING", kind: "primary" },
        { full: "GULF STAR ELECTRONICS FZE", kind: "aka" },
      ],
    }),
  ],
};

/**
 * A fresh SQLite store in a temporary home holding the fixture lists, a keys repository, and a
 * clean-up function.
 *
 * @example
 * const { store, home, keys, cleanup } = await fixtureStore();
 */
export async function fixtureStore(): Promise<{
  store: Store;
  home: string;
  keys: KeysRepository;
  tokenFor: (role: ApiRole) => Promise<string>;
  cleanup: () => Promise<void>;
}> {
  const home = mkdtempSync(join(tmpdir(), "chokepoint-api-"));
  const store = await openStore({ home });
  await saveTestLists(store, FIXTURE_ENTITIES);
  const keys = createKeysRepository(store);
  return {
    store,
    home,
    keys,
    tokenFor: async (role) => (await keys.create({ role })).token,
    cleanup: async () => {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
