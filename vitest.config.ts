import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A temporary folder for the run, removed at its end (test/support/global-setup.ts).
    globalSetup: ["test/support/global-setup.ts"],
    // No cdktf token creation stacks, as in the command's bundle (test/support/stack-traces.ts).
    setupFiles: ["test/support/stack-traces.ts"],
    testTimeout: 20_000,
    // Terraform suites start terraform processes of their own; two workers suit these 2-core machines.
    maxWorkers: 2,
    // The suites are pure (no shared global state): sharing loaded modules across files saves re-importing cdktf.
    isolate: false,
  },
});
