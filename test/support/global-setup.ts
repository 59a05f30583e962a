/**
 * Vitest's global setup: the test run gets a temporary folder of its own (TMPDIR, which the test processes, the
 * terraform processes and their providers inherit), removed when the run ends. Scratch folders a test cannot
 * remove itself (cdktf's app folders, the terraform CLI config, the shared provider's plugin sockets, a test
 * process that ends abruptly) go with it instead of piling up in the machine's temporary folder. KEEP_WORKDIR=1
 * keeps it, to look at the terraform working copies.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), "eks-pod-density-test-"));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.KEEP_WORKDIR) console.log(`KEEP_WORKDIR: the test run's temporary files are in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
}
