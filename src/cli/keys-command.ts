import { Command, Option } from "commander";
import { API_ROLES, type ApiRole, createKeysRepository } from "../store/keys-repository.js";
import { openCliStore } from "./context.js";
import { CliError, EXIT } from "./exit-codes.js";

/**
 * `chokepoint keys create|list|revoke`: API keys of the HTTP API. A new key is printed once, on
 * the last line of stdout (so `chokepoint keys create --role viewer | tail -1` captures it), and
 * only a salted hash of it is stored.
 *
 * @example
 * program.addCommand(keysCommand());
 * // chokepoint keys create --role analyst --label ERP
 */
export function keysCommand(): Command {
  const keys = new Command("keys").description("API keys for `chokepoint serve`");

  keys
    .command("create")
    .description("create an API key and print it (shown once, on the last line)")
    .addOption(new Option("--role <role>", "what the key may do").choices(API_ROLES).makeOptionMandatory())
    .option("--label <text>", "a note saying who or what uses the key")
    .action(async (options: { role: ApiRole; label?: string }, command: Command) => {
      const store = await openCliStore(command);
      try {
        const { key, token } = await createKeysRepository(store).create({
          role: options.role,
          ...(options.label ? { label: options.label } : {}),
        });
        process.stdout.write(
          `created API key ${key.id} (role ${key.role}${key.label ? `, ${key.label}` : ""}); ` +
            "it is shown only now, store it safely. Send it as 'Authorization: Bearer KEY'.\n",
        );
        process.stdout.write(`${token}\n`);
      } finally {
        await store.close();
      }
    });

  keys
    .command("list")
    .description("list API keys (never their secrets)")
    .option("--json", "one JSON array")
    .action(async (options: { json?: boolean }, command: Command) => {
      const store = await openCliStore(command);
      try {
        const records = await createKeysRepository(store).list();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
          return;
        }
        if (records.length === 0) {
          process.stdout.write("no API keys; create one with `chokepoint keys create --role viewer`\n");
          return;
        }
        for (const record of records) {
          const status = record.revokedAt ? `revoked ${record.revokedAt}` : "active";
          process.stdout.write(
            `${record.id}  ${record.role.padEnd(7)}  ${status.padEnd(32)}  created ${record.createdAt}  ${record.label ?? ""}\n`.replace(
              /\s+\n$/,
              "\n",
            ),
          );
        }
      } finally {
        await store.close();
      }
    });

  keys
    .command("revoke")
    .description("revoke an API key at once (by the id `keys list` shows)")
    .argument("<id>", "key id")
    .action(async (id: string, _options: unknown, command: Command) => {
      const store = await openCliStore(command);
      try {
        const found = await createKeysRepository(store).revoke(id);
        if (!found) throw new CliError(`no API key ${id}; see \`chokepoint keys list\``, EXIT.input);
        process.stdout.write(`revoked API key ${id}\n`);
      } finally {
        await store.close();
      }
    });

  return keys;
}
