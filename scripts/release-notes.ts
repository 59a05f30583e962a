/**
 * `npm run --silent release-notes -- <tag> [--repository <owner>/<name>]`: the
 * GitHub release's notes for a version tag, the body of its CHANGELOG.md
 * entry, on stdout. Fails, saying what to fix, unless the tag names
 * package.json's version, CHANGELOG.md's latest entry is that version and no
 * "## Unreleased" section waits above it (and, with --repository, unless
 * package.json's repository is that one). The
 * release workflow runs it before it publishes anything.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { releaseNotes } from "../src/app/changelog.js";
import { RELEASE_VERSION, repositoryMismatch } from "../src/app/release.js";

try {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { repository: { type: "string" } } });
  if (positionals.length !== 1) throw new Error("usage: release-notes <tag> [--repository <owner>/<name>]");
  const mismatch = values.repository === undefined ? undefined : repositoryMismatch(values.repository);
  if (mismatch) throw new Error(mismatch);
  const notes = releaseNotes(positionals[0]!, RELEASE_VERSION, readFileSync("CHANGELOG.md", "utf8"));
  process.stdout.write(`${notes}\n`);
} catch (error) {
  console.error(`release refused: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
