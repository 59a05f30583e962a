/**
 * The verify report as a table for people and as JSON for scripts. The table
 * shows what the APIs answered (names, values, image tags) escaped for the
 * terminal (src/verify/terminal.ts); the JSON holds it exactly.
 */
import { forTerminal } from "./terminal.js";
import type { CheckRow } from "./checks.js";
import type { VerifyReport } from "./verify.js";

const COLUMNS = ["RESULT", "CHECK", "ON", "EXPECTED", "ACTUAL"] as const;

/** Rows of cells as left-aligned columns two spaces apart. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  return rows.map((cells) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  "));
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** The report with every text it holds escaped for the terminal. */
function escaped(report: VerifyReport): VerifyReport {
  const text = forTerminal;
  const check = (row: CheckRow): CheckRow => ({ ...row, check: text(row.check), on: text(row.on), expected: text(row.expected), actual: text(row.actual) });
  return {
    ...report,
    source: text(report.source),
    cluster: text(report.cluster),
    region: text(report.region),
    context: text(report.context),
    server: text(report.server),
    nodeGroup: text(report.nodeGroup),
    autoScalingGroups: report.autoScalingGroups.map(text),
    checks: report.checks.map(check),
    subnets: report.subnets.map((room) => ({ ...room, subnetId: text(room.subnetId), cidr: text(room.cidr) })),
    notes: report.notes.map(text),
  };
}

export function formatVerifyReport(answered: VerifyReport): string {
  const report = escaped(answered);
  const groups = report.autoScalingGroups.length > 0 ? ` in Auto Scaling group ${report.autoScalingGroups.join(", ")}` : "";
  const lines = [
    `Verifying ${report.source}: cluster ${report.cluster} (${report.region}) through kubeconfig context ${report.context}`,
    `Node group ${report.nodeGroup}: ${plural(report.instances, "running instance")}${groups}`,
    "",
    ...table([COLUMNS, ...report.checks.map((check) => [check.warning ? "WARNING" : check.ok ? "ok" : "DIFFERS", check.check, check.on, check.expected, check.actual])]),
    "",
  ];
  const differing = report.checks.filter((check) => !check.ok);
  if (differing.length === 0) lines.push(`All ${plural(report.checks.length, "check")} hold.`);
  else {
    lines.push(`${differing.length} of ${plural(report.checks.length, "check")} differ:`);
    lines.push(...differing.map((check) => `  ${check.check} on ${check.on}: expected ${check.expected}, found ${check.actual}`));
  }
  const warnings = report.checks.filter((check) => check.warning);
  if (warnings.length > 0) {
    lines.push(`${plural(warnings.length, "warning")}:`);
    lines.push(...warnings.map((check) => `  ${check.check} on ${check.on}: ${check.actual}; expected ${check.expected}`));
  }
  if (report.subnets.length > 0) {
    const total = report.subnets.reduce((sum, room) => sum + room.moreNodesFit, 0);
    const each = report.subnets.map((room) => `${room.subnetId} ${room.moreNodesFit}`).join(", ");
    lines.push(`Room for prefixes: ${plural(total, "more node")} at max pods fit in the subnets (${each}).`);
  }
  lines.push(...report.notes.map((note) => `Note: ${note}.`), "");
  return lines.join("\n");
}

export function verifyReportJson(report: VerifyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
