/**
 * CHANGELOG.md's release entries (`## <version> (<date>)`, newest first), the
 * changes made since the latest (`## Unreleased`, above them), and the release
 * notes of a version tag: the body of its entry. The release
 * workflow publishes nothing unless the tag, package.json's version and the
 * latest entry agree (scripts/release-notes.ts).
 */

export interface ChangelogEntry {
  /** e.g. "0.2.0". */
  readonly version: string;
  /** Release date (YYYY-MM-DD), or undefined for an entry without one. */
  readonly date: string | undefined;
  /** The entry's text after its heading, trimmed. */
  readonly body: string;
}

/** Semantic version, without build metadata: 1.2.3 or 1.2.3-rc.1. */
const VERSION = String.raw`(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?`;
const HEADING = new RegExp(String.raw`^## (${VERSION})(?: \((\d{4}-\d{2}-\d{2})\))?$`);

/** Heading of the changes on main since the latest release (Keep a Changelog's convention); first if present. */
export const UNRELEASED_HEADING = "## Unreleased";

/**
 * The release entries of a changelog, in file order; throws on a `## ` heading that is not one. An
 * `## Unreleased` section is allowed above them (see {@link unreleasedChanges}) and is not an entry.
 */
export function changelogEntries(text: string): ChangelogEntry[] {
  return parse(text).entries;
}

/** The body of the `## Unreleased` section, or undefined when there is none. */
export function unreleasedChanges(text: string): string | undefined {
  return parse(text).unreleased;
}

function parse(text: string): { entries: ChangelogEntry[]; unreleased: string | undefined } {
  const entries: { version: string; date: string | undefined; lines: string[] }[] = [];
  let unreleased: string[] | undefined;
  for (const line of text.split("\n")) {
    if (line === UNRELEASED_HEADING) {
      if (entries.length > 0 || unreleased) throw new Error(`CHANGELOG.md: "${UNRELEASED_HEADING}" must come once, above every release entry`);
      unreleased = [];
    } else if (line.startsWith("## ")) {
      const match = HEADING.exec(line);
      if (!match) throw new Error(`CHANGELOG.md: "${line}" is not a release heading: write "## <version> (<YYYY-MM-DD>)"`);
      entries.push({ version: match[1]!, date: match[2], lines: [] });
    } else {
      (entries.at(-1)?.lines ?? unreleased)?.push(line);
    }
  }
  return {
    entries: entries.map(({ version, date, lines }) => ({ version, date, body: lines.join("\n").trim() })),
    unreleased: unreleased?.join("\n").trim(),
  };
}

/** The release notes for `tag` (`v<version>`): the latest entry's body, when tag, package.json and changelog agree. */
export function releaseNotes(tag: string, packageVersion: string, changelog: string): string {
  if (tag !== `v${packageVersion}`) {
    throw new Error(`tag ${tag} does not name package.json's version ${packageVersion}: tag v${packageVersion}, or change the version`);
  }
  if (unreleasedChanges(changelog) !== undefined) {
    throw new Error(`CHANGELOG.md still has "${UNRELEASED_HEADING}": make it "## ${packageVersion} (<YYYY-MM-DD>)" to release it`);
  }
  const [latest] = changelogEntries(changelog);
  if (!latest || latest.version !== packageVersion) {
    throw new Error(
      `CHANGELOG.md's latest entry is ${latest ? latest.version : "missing"}, not ${packageVersion}: add "## ${packageVersion} (<YYYY-MM-DD>)" above the others`,
    );
  }
  if (!latest.date) throw new Error(`CHANGELOG.md: the entry for ${packageVersion} has no release date`);
  if (!latest.body) throw new Error(`CHANGELOG.md: the entry for ${packageVersion} is empty`);
  return latest.body;
}
