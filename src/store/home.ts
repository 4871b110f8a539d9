import { homedir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Where Chokepoint keeps its state: `--home`, else `CHOKEPOINT_HOME`, else `~/.chokepoint`. In a
 * module of its own, without the store's drivers, so the CLI can find the home before it loads them.
 *
 * @example
 * resolveHome(undefined, { CHOKEPOINT_HOME: "/srv/chokepoint" }) // "/srv/chokepoint"
 */
export function resolveHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.CHOKEPOINT_HOME) return resolve(env.CHOKEPOINT_HOME);
  return join(homedir(), ".chokepoint");
}
