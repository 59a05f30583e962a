/** The eks-pod-density command line. */
import { MAX_PODS_USAGE, maxPodsCommand, type Io } from "./max-pods.js";
import { forTerminal } from "../verify/terminal.js";
import { VERIFY_USAGE, verifyCommand } from "./verify.js";

export const USAGE = `usage: eks-pod-density <command> [options]

commands:
  max-pods <instance-type>   max pods with and without prefix delegation, and the kube-reserved memory
  verify <environment>       check the running cluster against what the configuration promised

${MAX_PODS_USAGE}

${VERIFY_USAGE}`;

/** Run the CLI with `argv` (without node and the script); returns the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "max-pods") return maxPodsCommand(rest, io);
  if (command === "verify") return verifyCommand(rest, io);
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.stdout(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  io.stderr(`eks-pod-density: unknown command "${forTerminal(command)}"\n\n${USAGE}\n`);
  return 2;
}
