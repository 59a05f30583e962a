/** Renders docs/bad-input.md from the matrix. */
import { ENVIRONMENT_ROWS, MODULE_ROWS, type ModuleRow } from "./matrix.js";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, "\\n");
/** A Markdown code span, with a longer fence when the text holds a backtick. */
const code = (text: string) => (text.includes("`") ? `\`\` ${cell(text)} \`\`` : `\`${cell(text)}\``);
/** Strings longer than this are shown by their start and their length (the user data rows hold 16 KB). */
const LONG_STRING = 80;
const value = (inputs: Readonly<Record<string, unknown>>) =>
  Object.entries(inputs)
    .map(([input, v]) =>
      typeof v === "string" && v.length > LONG_STRING
        ? `${code(`${input} = ${JSON.stringify(v.slice(0, 40))}`.replace(/"$/, '…"'))} (${v.length} characters)`
        : code(`${input} = ${JSON.stringify(v)}`),
    )
    .join(", ");

function where(row: ModuleRow): string {
  if (!row.refused) return "accepted";
  const terraform =
    row.refused.by === "variable" ? "variable validation" : row.refused.by === "postcondition" ? "postcondition of the instance type data (plan)" : "precondition (plan)";
  return row.refused.planTimeOnly ? `${terraform} only: needs the instance type's EC2 data` : `synth (TS) and ${terraform}`;
}

export function renderMatrixDoc(): string {
  const lines = [
    "<!-- Rendered from test/bad-input/matrix.ts by `npm run docs`; every row is a test (test/bad-input.test.ts, test/terraform.test.ts). -->",
    "# Bad input: what is refused, where, and the message",
    "",
    "Every row is tested through the real paths: the construct at synth time (TypeScript) when the value is known",
    "there, and the generated module under `terraform test` (the message must come from the Terraform check named",
    "here), or the environment file loader. Values a module gets as variables are checked by `validation` blocks;",
    "rules that span inputs or need plan-time data (the instance type's EC2 limits) are `precondition`s on the",
    "launch template, Auto Scaling group or add-on; the instance type data itself must describe `instance_type`",
    "(a postcondition, which a mocked AWS account without an override for the type fails). Refused values stop",
    "`terraform plan`; nothing is applied. A construct's message names each input as its TypeScript property, the",
    "input in parentheses (`maxPods (max_pods) must be …`); the table gives Terraform's.",
    "Root stacks declare `kubelet_extra_args` and `use_max_pods` as variables with the same validation blocks.",
    "",
    "## Module inputs",
    "",
    "| module | case | inputs | where | message starts |",
    "|--------|------|--------|-------|----------------|",
    ...MODULE_ROWS.map(
      (row) => `| ${row.module} | ${cell(row.what)} | ${value(row.inputs)} | ${where(row)} | ${row.refused ? cell(row.refused.message) : ""} |`,
    ),
    "",
    "## Environment files (`environments/<name>.yaml`)",
    "",
    "Checked when synthesis starts, before anything is written; the error line is `<file>: <field>: <message>`.",
    "",
    "| case | change | error line starts |",
    "|------|--------|-------------------|",
    ...ENVIRONMENT_ROWS.map((row) => `| ${cell(row.what)} | ${value(row.set)} | ${row.refused ? code(`<file>: ${row.refused}`) : "accepted"} |`),
    "",
  ];
  return lines.join("\n");
}
