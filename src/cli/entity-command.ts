import { Command } from "commander";
import type { ListEntity } from "../model/index.js";
import { openCliStore } from "./context.js";
import { CliError, EXIT } from "./exit-codes.js";

/** Plain-text view of an entity: the normalised fields, then the publisher's raw record. */
export function formatEntity(entity: ListEntity): string {
  const lines: string[] = [`${entity.id}  ${entity.schema}  ${entity.name}`];
  const add = (label: string, values: string[]) => {
    if (values.length > 0) lines.push(`  ${label.padEnd(14)} ${values.join(" | ")}`);
  };
  add(
    "names",
    entity.names.filter((n) => n.kind !== "primary").map((n) => `${n.full} (${n.kind})`),
  );
  add(
    "born",
    entity.birthDates.map((d) => d.text),
  );
  add("birthplace", entity.birthPlaces);
  add(
    "nationality",
    entity.nationalities.map((c) => (c.code ? `${c.text} [${c.code}]` : c.text)),
  );
  add(
    "citizenship",
    entity.citizenships.map((c) => (c.code ? `${c.text} [${c.code}]` : c.text)),
  );
  add(
    "countries",
    entity.countries.map((c) => (c.code ? `${c.text} [${c.code}]` : c.text)),
  );
  add(
    "addresses",
    entity.addresses.map((a) =>
      [a.full ?? [a.street, a.city, a.region, a.postalCode].filter(Boolean).join(", "), a.country?.text]
        .filter(Boolean)
        .join(", "),
    ),
  );
  add(
    "identifiers",
    entity.identifiers.map((i) => `${i.type} ${i.value}${i.country ? ` (${i.country.text})` : ""}`),
  );
  add(
    "sanctions",
    entity.sanctions.map((s) =>
      [s.program, s.measure, s.act, s.annex, s.sourceList].filter(Boolean).join(" / "),
    ),
  );
  add("listed on", entity.listedOn ? [entity.listedOn] : []);
  add(
    "links",
    entity.links.map((l) => `${l.relation}: ${l.text}`),
  );
  for (const [key, values] of Object.entries(entity.attributes)) add(key, values);
  add("remarks", entity.remarks);
  lines.push("  raw record as published:");
  lines.push(
    JSON.stringify(entity.raw, null, 2)
      .split("\n")
      .map((line) => `    ${line}`)
      .join("\n"),
  );
  return lines.join("\n");
}

/**
 * `chokepoint entity show ID`: the normalised record beside its raw source.
 *
 * @example
 * program.addCommand(entityCommand());
 */
export function entityCommand(): Command {
  const entity = new Command("entity").description("look at one listed party");
  entity
    .command("show")
    .description("show a listed entity, normalised and as published")
    .argument("<id>", "entity id, e.g. ofac-sdn:7843 or un:IQi.001")
    .option("--version <n>", "a past version of its list")
    .option("--json", "print JSON")
    .action(async (id: string, options: { version?: string; json?: boolean }, command: Command) => {
      const store = await openCliStore(command, { withDefaults: true });
      try {
        const version = options.version === undefined ? undefined : Number(options.version);
        if (version !== undefined && !Number.isInteger(version))
          throw new CliError(`bad --version ${options.version}`, EXIT.usage);
        const found = await store.entity(id, version);
        if (!found)
          throw new CliError(`no entity ${id}${version ? ` in version ${version}` : ""}`, EXIT.input);
        process.stdout.write(
          options.json ? `${JSON.stringify(found, null, 2)}\n` : `${formatEntity(found)}\n`,
        );
      } finally {
        await store.close();
      }
    });
  return entity;
}
