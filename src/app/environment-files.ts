/**
 * Finding the environment files: `environments/<name>.yaml`, one per
 * environment. Everything that looks like an environment file but cannot be
 * one (a folder named `x.yaml`, a dangling symbolic link, `x.yml` beside
 * `x.yaml`, an upper-case name or extension) is a one-line problem naming the
 * path, so nothing is silently skipped and nothing ends in a stack trace.
 */
import { lstatSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";

/** Environment names become stack names, state file names and tag values. */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,30}$/;

/** What the name rule says, for messages. */
const ENVIRONMENT_NAME_RULE = "1 to 31 lowercase letters, digits and hyphens, starting with a letter or a digit";

/** What is wrong with a file whose name is no environment name. */
export const FILE_NAME_PROBLEM = `the file name must be <environment>.yaml, the environment's name ${ENVIRONMENT_NAME_RULE}`;

/** Names that look like environment files, in any letter case. */
const LOOKS_LIKE_ENVIRONMENT = /\.ya?ml$/i;

/** One environment file found. */
export interface EnvironmentFile {
  /** The environment's name (the file name without its extension). */
  readonly name: string;
  /** The file's path: `<dir>/<name>.yaml` (or `.yml`). */
  readonly path: string;
}

/** What discovery found: the usable files, sorted by name, and a line per problem. */
export interface Discovery {
  readonly files: EnvironmentFile[];
  readonly problems: string[];
}

/** The `code` of a failed file system call (ENOENT, EACCES, ...), if it has one. */
const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/** A file system error as one line naming the path: `<path>: cannot be read (EACCES)`. */
export const cannotRead = (path: string, error: unknown) => `${path}: cannot be read (${errorCode(error) ?? (error as Error).message})`;

/** Why `path` cannot be read as a file, or undefined when it can. */
function fileProblem(path: string): string | undefined {
  try {
    const target = statSync(path);
    if (target.isDirectory()) return `${path}: is a folder, not an environment file`;
    if (!target.isFile()) return `${path}: is not a regular file`;
    return undefined;
  } catch (error) {
    if (errorCode(error) === "ENOENT" && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) {
      return `${path}: is a symbolic link to ${readlinkSync(path)}, which does not exist`;
    }
    return cannotRead(path, error);
  }
}

/** Find the environment files in `dir`; problems name each path and say what to do. */
export function discoverEnvironmentFiles(dir: string): Discovery {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) return { files: [], problems: [`${dir}: is not a folder; environments live in ${dir}/<name>.yaml`] };
    entries = readdirSync(dir).sort();
  } catch (error) {
    const problem =
      errorCode(error) === "ENOENT"
        ? `${dir}: no such folder; create it with one <name>.yaml file per environment`
        : cannotRead(dir, error);
    return { files: [], problems: [problem] };
  }

  const problems: string[] = [];
  const byName = new Map<string, string[]>();
  for (const entry of entries.filter((file) => LOOKS_LIKE_ENVIRONMENT.test(file))) {
    const path = join(dir, entry);
    const extension = entry.slice(entry.lastIndexOf("."));
    const name = entry.slice(0, -extension.length);
    if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
      problems.push(`${path}: ${FILE_NAME_PROBLEM}`);
      continue;
    }
    if (extension !== extension.toLowerCase()) {
      problems.push(`${path}: write the extension in lowercase (${name}${extension.toLowerCase()})`);
      continue;
    }
    const problem = fileProblem(path);
    if (problem) {
      problems.push(problem);
      continue;
    }
    byName.set(name, [...(byName.get(name) ?? []), path]);
  }

  const files: EnvironmentFile[] = [];
  for (const [name, paths] of byName) {
    if (paths.length > 1) problems.push(`${paths.join(", ")}: both define environment "${name}"; keep one of them`);
    else files.push({ name, path: paths[0]! });
  }
  if (files.length === 0 && problems.length === 0) {
    problems.push(`${dir}: no environment files; add one <name>.yaml per environment`);
  }
  return { files, problems };
}
