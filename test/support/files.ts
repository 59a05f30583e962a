/** Read a folder tree into { relative path: content } for comparisons. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export function readTree(root: string, skip: (path: string) => boolean = (path) => path.includes(".terraform")): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (skip(path)) continue;
      if (entry.isDirectory()) walk(path);
      else files[relative(root, path)] = readFileSync(path, "utf8");
    }
  };
  walk(root);
  return files;
}
