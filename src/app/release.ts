/**
 * What a release is called where users pin it: the version (package.json's,
 * one number for the npm package and the modules) and the git source of a
 * module at that version's tag. Module READMEs show these sources (npm run
 * synth); test/app/release.test.ts checks that README.md, the example and
 * CHANGELOG.md agree with them.
 */
import packageJson from "../../package.json" with { type: "json" };

/** The release: package.json's version. Its git tag is `v<version>`. */
export const RELEASE_VERSION: string = packageJson.version;

/**
 * The repository as Terraform's git source names it (`github.com/<owner>/<name>`), from package.json's
 * `repository.url`, where the owner is set once (the release workflow refuses to publish a placeholder).
 */
export const REPOSITORY_SOURCE: string = packageJson.repository.url.replace(/^git\+https:\/\//, "").replace(/\.git$/, "");

/** The source of module `name` at this release, e.g. `github.com/<owner>/eks-pod-density//modules/vpc-cni?ref=v0.2.0`. */
export function moduleSource(name: string): string {
  return `${REPOSITORY_SOURCE}//modules/${name}?ref=v${RELEASE_VERSION}`;
}

/**
 * Why package.json's repository does not name `githubRepository` (`owner/name`, GitHub's github.repository), or
 * undefined when it does. npm publishes with provenance only from the repository package.json names (npm docs,
 * "Generating provenance statements": "a public repository that matches where you are publishing").
 */
export function repositoryMismatch(githubRepository: string): string | undefined {
  const expected = `github.com/${githubRepository}`;
  if (REPOSITORY_SOURCE.toLowerCase() === expected.toLowerCase()) return undefined;
  return `package.json's repository.url names ${REPOSITORY_SOURCE}, not ${expected}: set it to "git+https://${expected}.git" and run npm run synth (the module READMEs show it)`;
}
