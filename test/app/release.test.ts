/**
 * One release, one number: package.json's version is CHANGELOG.md's latest
 * entry, and every module source the documentation shows pins its tag
 * (`?ref=v<version>`) in the repository package.json names. The release
 * notes come from that entry (scripts/release-notes.ts, run by release.yml).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { changelogEntries, releaseNotes, unreleasedChanges } from "../../src/app/changelog.js";
import { moduleSource, RELEASE_VERSION, REPOSITORY_SOURCE, repositoryMismatch } from "../../src/app/release.js";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string; repository: { url: string } };
const CHANGELOG = readFileSync("CHANGELOG.md", "utf8");
const MODULES = readdirSync("modules", { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** Every git source of this project's modules in `text`: the repository, the module and the ref (if any). */
function moduleSources(text: string) {
  return [...text.matchAll(/github\.com\/([^/\s"'`]+)\/eks-pod-density\/\/modules\/([a-z0-9-]+)(\?ref=[^\s"'`]*)?/g)].map((match) => ({
    source: match[0],
    repository: `github.com/${match[1]}/eks-pod-density`,
    module: match[2]!,
    ref: match[3]?.slice("?ref=".length),
  }));
}

/** The documentation files that show module sources, and whether all of them must (see README.md below). */
const EXAMPLE_FILES = readdirSync("examples", { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".tf"))
  .map((file) => join("examples", file));
const MODULE_READMES = MODULES.map((module) => join("modules", module, "README.md"));

describe("the release version", () => {
  it("is package.json's, and CHANGELOG.md's latest entry, dated; entries newest first, one per version", () => {
    expect(RELEASE_VERSION).toBe(pkg.version);
    const entries = changelogEntries(CHANGELOG);
    expect(entries[0]?.version).toBe(pkg.version);
    expect(entries[0]?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const versions = entries.map((entry) => entry.version);
    expect(new Set(versions).size).toBe(versions.length);
    const numeric = (version: string) => version.split("-")[0]!.split(".").map(Number);
    for (let i = 1; i < versions.length; i++) {
      const [newer, older] = [numeric(versions[i - 1]!), numeric(versions[i]!)];
      const order = newer.findIndex((part, k) => part !== older[k]);
      expect(order >= 0 && newer[order]! > older[order]!, `${versions[i - 1]} is listed above ${versions[i]}`).toBe(true);
    }
  });

  it("is what every module source in the module READMEs and the examples pins, in package.json's repository", () => {
    expect(REPOSITORY_SOURCE).toBe(pkg.repository.url.replace("git+https://", "").replace(/\.git$/, ""));
    for (const file of [...MODULE_READMES, ...EXAMPLE_FILES.filter((file) => file.endsWith("main.tf"))]) {
      const sources = moduleSources(readFileSync(file, "utf8"));
      expect(sources.length, `${file} shows no module source of a release`).toBeGreaterThan(0);
      for (const { source, module } of sources) {
        expect(MODULES, `${file}: ${source}`).toContain(module);
        expect(source, file).toBe(moduleSource(module));
      }
    }
    for (const file of EXAMPLE_FILES) {
      for (const { source, module } of moduleSources(readFileSync(file, "utf8"))) expect(source, file).toBe(moduleSource(module));
    }
  });

  it("is what README.md's module sources pin: all of them, or none while it shows none pinned", () => {
    // README.md is written by hand: it may show sources without a ref (a branch head) until its examples pin a
    // release; once one does, all must, at this version, in package.json's repository.
    const sources = moduleSources(readFileSync("README.md", "utf8"));
    expect(sources.length).toBeGreaterThan(0);
    for (const { source, repository, module } of sources) {
      expect(repository, source).toBe(REPOSITORY_SOURCE);
      expect(MODULES, source).toContain(module);
    }
    const pinned = sources.filter((source) => source.ref !== undefined);
    if (pinned.length > 0) {
      for (const { source, module } of sources) expect(source, "README.md").toBe(moduleSource(module));
    }
  });

  it("is what the latest CHANGELOG entry pins, if it shows a source", () => {
    const latest = changelogEntries(CHANGELOG)[0]!;
    for (const { source, module } of moduleSources(latest.body)) expect(source).toBe(moduleSource(module));
    expect(latest.body).toContain(`?ref=v${pkg.version}`);
  });

  it("is a source Terraform reads as a git repository subfolder at a tag", () => {
    expect(moduleSource("node-group")).toBe(`${REPOSITORY_SOURCE}//modules/node-group?ref=v${pkg.version}`);
  });
});

describe("release notes (scripts/release-notes.ts)", () => {
  const changelog = [
    "# Changelog",
    "",
    "Intro.",
    "",
    "## 1.1.0 (2027-02-01)",
    "",
    "### Features",
    "",
    "- one",
    "",
    "## 1.0.0 (2027-01-01)",
    "",
    "- first",
    "",
  ].join("\n");

  it("are the body of the tag's entry, without its heading or older entries", () => {
    expect(releaseNotes("v1.1.0", "1.1.0", changelog)).toBe("### Features\n\n- one");
    expect(changelogEntries(changelog).map((entry) => [entry.version, entry.date])).toEqual([
      ["1.1.0", "2027-02-01"],
      ["1.0.0", "2027-01-01"],
    ]);
  });

  it("are refused, saying what to fix, for a tag that is not package.json's version or a version without the latest entry", () => {
    expect(() => releaseNotes("v1.0.0", "1.1.0", changelog)).toThrow("tag v1.0.0 does not name package.json's version 1.1.0");
    expect(() => releaseNotes("1.1.0", "1.1.0", changelog)).toThrow("tag 1.1.0 does not name package.json's version 1.1.0");
    expect(() => releaseNotes("v1.2.0", "1.2.0", changelog)).toThrow(`CHANGELOG.md's latest entry is 1.1.0, not 1.2.0: add "## 1.2.0 (<YYYY-MM-DD>)"`);
    expect(() => releaseNotes("v1.1.0", "1.1.0", changelog.replace("## 1.1.0 (2027-02-01)", "## 1.1.0"))).toThrow("has no release date");
    expect(() => changelogEntries(changelog.replace("## 1.0.0", "## Unreleased"))).toThrow('"## Unreleased (2027-01-01)" is not a release heading');
  });

  it("keep an Unreleased section above the entries out of them, and refuse to release while it is there", () => {
    // GIVEN changes on main since 1.1.0, under "## Unreleased"
    const pending = changelog.replace("## 1.1.0 (2027-02-01)", "## Unreleased\n\n- two\n\n## 1.1.0 (2027-02-01)");
    // THEN the entries are the releases, the section is its own, and a tag cannot be released until it is named
    expect(changelogEntries(pending).map((entry) => entry.version)).toEqual(["1.1.0", "1.0.0"]);
    expect(unreleasedChanges(pending)).toBe("- two");
    expect(unreleasedChanges(changelog)).toBeUndefined();
    expect(() => releaseNotes("v1.1.0", "1.1.0", pending)).toThrow('CHANGELOG.md still has "## Unreleased": make it "## 1.1.0 (<YYYY-MM-DD>)" to release it');
    expect(() => changelogEntries(changelog.replace("## 1.0.0 (2027-01-01)", "## Unreleased"))).toThrow('"## Unreleased" must come once, above every release entry');
  });

  it("are printed by the script for the current release, which refuses another tag and another repository", () => {
    const notes = (...args: string[]) =>
      spawnSync(process.execPath, ["scripts/run.mjs", "scripts/release-notes.ts", ...args], { encoding: "utf8" });
    const current = notes(`v${pkg.version}`);
    if (unreleasedChanges(CHANGELOG) === undefined) {
      expect(current.status, current.stderr).toBe(0);
      expect(current.stdout).toBe(`${changelogEntries(CHANGELOG)[0]!.body}\n`);
    } else {
      // Changes wait on main under "## Unreleased": the current version's tag is not released again with them.
      expect(current.status).toBe(1);
      expect(current.stderr).toContain('release refused: CHANGELOG.md still has "## Unreleased"');
    }
    const wrongTag = notes("v0.0.1");
    expect(wrongTag.status).toBe(1);
    expect(wrongTag.stdout).toBe("");
    expect(wrongTag.stderr).toContain(`release refused: tag v0.0.1 does not name package.json's version ${pkg.version}`);
    const [owner] = REPOSITORY_SOURCE.split("/").slice(1);
    const elsewhere = notes(`v${pkg.version}`, "--repository", `${owner}-fork/eks-pod-density`);
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.stderr).toContain(`package.json's repository.url names ${REPOSITORY_SOURCE}, not github.com/${owner}-fork/eks-pod-density`);
  });

  it("name the repository package.json names, whatever its case", () => {
    const [, owner, name] = REPOSITORY_SOURCE.split("/");
    expect(repositoryMismatch(`${owner}/${name}`)).toBeUndefined();
    expect(repositoryMismatch(`${owner!.toUpperCase()}/${name}`)).toBeUndefined();
    expect(repositoryMismatch("someone/else")).toContain('set it to "git+https://github.com/someone/else.git"');
  });
});
