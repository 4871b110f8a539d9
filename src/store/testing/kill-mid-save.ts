// Child process for store/crash.test.ts: saves a second version and SIGKILLs itself halfway through
// the transaction, as `kill -9` or a power cut would.
import { listEntitySchema } from "../../model/index.js";
import { openSqliteStore } from "../sqlite.js";

const [file, phase] = process.argv.slice(2);
if (!file) throw new Error("usage: kill-mid-save.ts FILE first|second");
const store = await openSqliteStore(file);
const entities = (count: number, tag: string) =>
  Array.from({ length: count }, (_, i) =>
    listEntitySchema.parse({
      id: `crash:${i}`,
      listId: "crash",
      nativeId: String(i),
      schema: "Person",
      name: `${tag} PERSON ${i}`,
      names: [{ full: `${tag} PERSON ${i}`, kind: "primary" }],
      raw: {},
    }),
  );
const version = (tag: string, count: number) => ({
  listId: "crash",
  format: "ftm-jsonl",
  sourceFiles: ["crash.jsonl"],
  contentHash: tag,
  entities: entities(count, tag),
  issues: [],
});
if (phase === "first") {
  await store.saveListVersion(version("FIRST", 1000));
  await store.close();
} else {
  await store.saveListVersion(version("SECOND", 20_000), {
    onProgress: (written) => {
      if (written >= 5_000) process.kill(process.pid, "SIGKILL");
    },
  });
  // Not reached: the process dies inside the transaction.
  console.log("saved");
}
