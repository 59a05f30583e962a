/**
 * The mocked AWS account each module ships in `mocks/aws.tfmock.hcl` for
 * `terraform test` (its own tests', the example's and its users'): one file,
 * identical in every module (mock_provider reads one folder, so each copy
 * covers all modules), that answers every data source attribute the modules
 * read and every computed attribute their outputs show, with identifiers in
 * AWS's formats.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MOCKED_INSTANCE_TYPE, instanceTypeData, publishedInstanceType } from "../src/rules/published-instance-types.js";

const MODULES = ["node-group", "vpc-cni", "prefix-reservations"];
const MOCKS = (module: string) => join("modules", module, "mocks", "aws.tfmock.hcl");
const ACCOUNT = "123456789012";
const REGION = "ap-northeast-1";

interface MockBlock {
  readonly kind: "mock_data" | "mock_resource";
  readonly type: string;
  /** Top-level keys of `defaults`, with their values as written. */
  readonly defaults: Record<string, string>;
}

/** Top-level `key = value` pairs of an HCL object body (the text between its braces). */
function topLevelPairs(body: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  let depth = 0;
  let inString = false;
  let start = 0;
  const flush = (end: number) => {
    const match = /^\s*(\w+)\s*=\s*([\s\S]*?)\s*$/.exec(body.slice(start, end));
    if (match) pairs[match[1]!] = match[2]!;
    start = end + 1;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if ("{[(".includes(c)) depth++;
    else if ("}])".includes(c)) depth--;
    else if (depth === 0 && (c === "," || c === "\n")) flush(i);
  }
  flush(body.length);
  return pairs;
}

/** The mock_data and mock_resource blocks of a mock file (as `terraform fmt` lays them out). */
function mockBlocks(text: string): MockBlock[] {
  return [...text.matchAll(/^(mock_data|mock_resource) "(\w+)" \{\n  defaults = \{([\s\S]*?)\}\n\}$/gm)].map((m) => ({
    kind: m[1] as MockBlock["kind"],
    type: m[2]!,
    defaults: topLevelPairs(m[3]!),
  }));
}

const shipped = readFileSync(MOCKS("node-group"), "utf8");
const blocks = mockBlocks(shipped);
const defaultsOf = (kind: MockBlock["kind"], type: string) => blocks.find((b) => b.kind === kind && b.type === type)?.defaults;

type Json = Record<string, unknown>;
const moduleJson = (module: string, file: string) => JSON.parse(readFileSync(join("modules", module, file), "utf8")) as Json;

/** `<type>.<attribute>` of every data source attribute a module reads (`data.aws_x.name[...].attribute`). */
function dataReads(module: string): string[] {
  const text = ["main.tf.json", "outputs.tf.json"].map((file) => readFileSync(join("modules", module, file), "utf8")).join("\n");
  return [...new Set([...text.matchAll(/\bdata\.(aws_\w+)\.\w+(?:\[[^\]]*\])?\)?\.(\w+)/g)].map((m) => `${m[1]}.${m[2]}`))];
}

/** `<type>.<attribute>` of every resource attribute a module's outputs show that the module does not set itself. */
function computedOutputReads(module: string): string[] {
  const outputs = Object.values((moduleJson(module, "outputs.tf.json").output ?? {}) as Record<string, { value: string }>);
  const resources = (moduleJson(module, "main.tf.json").resource ?? {}) as Record<string, Record<string, Json>>;
  const reads = outputs.flatMap((o) => [
    // aws_x.name.attribute, aws_x.name[*].attribute, one(aws_x.name[*]).attribute
    ...[...String(o.value).matchAll(/(?<![.\w])(aws_\w+)\.(\w+)(?:\[[^\]]*\])?\)?\.(\w+)/g)].map((m) => [m[0], m[1], m[2], m[3]]),
    // { for key, item in aws_x.name : key => item.attribute }
    ...[...String(o.value).matchAll(/for \w+, (\w+) in (aws_\w+)\.(\w+) : [^}]*?\b\1\.(\w+)/g)].map((m) => [m[0], m[2], m[3], m[4]]),
  ]);
  return [
    ...new Set(reads.filter(([, type, name, attribute]) => !(attribute! in (resources[type!]?.[name!] ?? {}))).map(([, type, , attribute]) => `${type}.${attribute}`)),
  ];
}

describe("the mocked AWS account the modules ship (mocks/aws.tfmock.hcl)", () => {
  it("is one file, identical in every module: any module's copy covers a configuration calling several", () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const module of MODULES) expect(readFileSync(MOCKS(module), "utf8"), `${MOCKS(module)} should be a copy of ${MOCKS("node-group")}`).toBe(shipped);
    for (const module of MODULES) expect(readdirSync(join("modules", module, "mocks"))).toEqual(["aws.tfmock.hcl"]);
  });

  it("answers every data source attribute the modules read", () => {
    for (const module of MODULES) {
      const reads = dataReads(module);
      expect(reads.length, `${module} reads data sources`).toBeGreaterThan(0);
      for (const read of reads) {
        const [type, attribute] = read.split(".") as [string, string];
        expect(defaultsOf("mock_data", type), `mock_data "${type}" (read by ${module})`).toHaveProperty(attribute);
      }
    }
  });

  it("gives every computed attribute an output shows, so outputs look like AWS's after apply", () => {
    for (const module of MODULES) {
      for (const read of computedOutputReads(module)) {
        const [type, attribute] = read.split(".") as [string, string];
        expect(defaultsOf("mock_resource", type), `mock_resource "${type}" (output of ${module})`).toHaveProperty(attribute);
      }
    }
    expect(computedOutputReads("node-group")).toContain("aws_autoscaling_group.name");
    expect(computedOutputReads("vpc-cni")).toEqual(expect.arrayContaining(["aws_eks_addon.arn", "aws_eks_addon.id"]));
    expect(computedOutputReads("prefix-reservations")).toEqual(["aws_ec2_subnet_cidr_reservation.id"]);
  });

  it("writes ARNs as AWS does, in one account and region, naming the resource they belong to", () => {
    const arns = blocks.flatMap((b) => (b.defaults.arn ? [{ block: b, arn: JSON.parse(b.defaults.arn) as string }] : []));
    expect(arns.length).toBeGreaterThan(5);
    for (const { block, arn } of arns) {
      // arn:partition:service:region:account:resource (IAM is global: no region).
      const [, partition, service, region, account, resource] = /^arn:([\w-]+):([\w-]+):([\w-]*):(\d*):(.+)$/.exec(arn) ?? [];
      expect([partition, account], arn).toEqual(["aws", ACCOUNT]);
      expect(region, arn).toBe(service === "iam" ? "" : REGION);
      expect(resource, arn).toMatch(/^[\w-]+([/:][\w.-]+)*$/);
      const name = block.defaults.name ? (JSON.parse(block.defaults.name) as string) : undefined;
      if (name) expect(arn, `${arn} should name ${name}`).toMatch(new RegExp(`[/:]${name}$`));
      const id = block.defaults.id ? (JSON.parse(block.defaults.id) as string) : undefined;
      if (id && !name && !id.includes(":")) expect(arn, `${arn} should carry ${id}`).toMatch(new RegExp(`/${id}$`));
    }
  });

  it("answers the node group's instance lookup with a t3a.medium as EC2 publishes it, its id included", () => {
    // The same figures as the README's override blocks (src/rules/published-instance-types.ts); HCL values as written.
    const t3aMedium = instanceTypeData(publishedInstanceType(MOCKED_INSTANCE_TYPE)!);
    const expected = Object.fromEntries(
      Object.entries(t3aMedium).map(([key, value]) => [
        key,
        key === "network_cards"
          ? `[{ ${Object.entries((value as Record<string, unknown>[])[0]!).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")} }]`
          : JSON.stringify(value).replace(/,/g, ", "),
      ]),
    );
    expect(defaultsOf("mock_data", "aws_ec2_instance_type")).toEqual(expected);
    expect(t3aMedium).toMatchObject({ id: "t3a.medium", maximum_network_interfaces: 3, maximum_ipv4_addresses_per_interface: 6, default_vcpus: 2, memory_size: 4096 });
  });

  it("each module README names every data source it reads as an override_data target, with the attributes to give", () => {
    for (const module of MODULES) {
      const readme = readFileSync(join("modules", module, "README.md"), "utf8");
      const section = readme.slice(readme.indexOf("## Testing a configuration that uses this module"), readme.indexOf("## Tests"));
      const data = (moduleJson(module, "main.tf.json").data ?? {}) as Record<string, Record<string, Json>>;
      for (const [type, byName] of Object.entries(data)) {
        for (const [name, block] of Object.entries(byName)) {
          const index = "count" in block ? "[0]" : "for_each" in block ? '["<subnet id>"]' : "";
          const row = section.split("\n").find((line) => line.includes(`.data.${type}.${name}${index}\``));
          expect(row, `${module} README: override_data row for data.${type}.${name}${index}`).toBeDefined();
          for (const read of dataReads(module).filter((r) => r.startsWith(`${type}.`))) {
            expect(row, `${module} README: data.${type}.${name} row names ${read}`).toContain(`\`${read.split(".")[1]}\``);
          }
        }
      }
      expect(section, `${module} README: the example test points at the shipped mocks`).toContain(`/modules/${module}/mocks"`);
    }
  });

  it("is what every module test and the example mock AWS with, and nothing else", () => {
    const testFiles = [...MODULES.map((m) => join("modules", m)), "examples/plain-terraform"].flatMap((config) =>
      readdirSync(join(config, "tests"))
        .filter((file) => file.endsWith(".tftest.hcl"))
        .map((file) => ({ config, file: join(config, "tests", file) })),
    );
    expect(testFiles.length).toBeGreaterThan(MODULES.length);
    for (const { config, file } of testFiles) {
      const text = readFileSync(file, "utf8");
      const source = /^mock_provider "aws" \{\n {2}source = "([^"]+)"\n\}$/m.exec(text)?.[1];
      expect(source, `${file}: mock_provider "aws" { source = ... } alone`).toBeDefined();
      // Terraform reads the path relative to the folder terraform test runs in: the configuration's.
      expect(readFileSync(join(config, source!, "aws.tfmock.hcl"), "utf8"), file).toBe(shipped);
      expect(text, file).not.toMatch(/^\s*mock_(data|resource) /m);
    }
  });
});
