import { realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { planImport } from "../sources/detect.js";
import { ApiError, type ApiIssue } from "./errors.js";

/**
 * True when `path` is `root` or inside it (both absolute, symlinks already resolved).
 *
 * @example
 * isInside("/srv/imports", "/srv/imports/un.xml") // true
 * isInside("/srv/imports", "/srv/imports/../secret") // false
 */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

async function realpathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}

/**
 * Resolves the paths of an import request against the server's import folders and refuses any
 * that leave them: relative paths are read from the first folder; `..`, absolute paths elsewhere
 * and symlinks pointing out (checked for every file a folder expands to) are rejected with a 400
 * naming the path, so an admin key cannot make the server read arbitrary files.
 *
 * @example
 * await resolveImportPaths(["un/consolidated.xml"], ["/srv/chokepoint/imports"]) // ["/srv/chokepoint/imports/un/consolidated.xml"]
 */
export async function resolveImportPaths(
  paths: readonly string[],
  roots: readonly string[],
): Promise<string[]> {
  if (roots.length === 0) {
    throw new ApiError(
      403,
      "forbidden",
      "imports over HTTP are disabled: start the server with --import-dir DIR to allow them",
    );
  }
  const realRoots = (await Promise.all(roots.map(realpathOrUndefined))).filter((r): r is string => !!r);
  const issues: ApiIssue[] = [];
  const resolved: string[] = [];
  for (const [index, path] of paths.entries()) {
    const absolute = resolve(roots[0]!, path);
    const real = await realpathOrUndefined(absolute);
    if (!real) {
      issues.push({
        path: `body.paths.${index}`,
        code: "not_found",
        message: `no such file or folder: ${path}`,
      });
    } else if (!realRoots.some((root) => isInside(root, real))) {
      issues.push({
        path: `body.paths.${index}`,
        code: "outside_import_dir",
        message: `${path} is outside the server's import folders`,
      });
    } else {
      resolved.push(real);
    }
  }
  if (issues.length) throw new ApiError(400, "validation_failed", "bad import path", issues);
  // Folders expand to their files; a symlink inside one must not lead out either.
  const plan = await planImport(resolved);
  const files = [...plan.bundles.flatMap((bundle) => bundle.files), ...plan.skipped.map((skip) => skip.file)];
  for (const file of files) {
    const real = await realpathOrUndefined(file);
    if (real && !realRoots.some((root) => isInside(root, real))) {
      throw new ApiError(400, "validation_failed", "bad import path", [
        {
          path: "body.paths",
          code: "outside_import_dir",
          message: `${file} links outside the import folders`,
        },
      ]);
    }
  }
  return resolved;
}
