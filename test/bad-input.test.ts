/**
 * The bad-input matrix through its TypeScript paths: the constructs at synth
 * time, and environment files. (Its Terraform path is in terraform.test.ts.)
 */
import { readFileSync } from "node:fs";
import { dump as stringify, load as parse } from "js-yaml";
import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../src/app/config.js";
import { NodeGroup } from "../src/constructs/node-group/index.js";
import { PrefixReservations, type PrefixReservation } from "../src/constructs/prefix-reservations.js";
import { InputError, typeScriptMessage } from "../src/rules/checker.js";
import { VpcCniAddon } from "../src/constructs/vpc-cni-addon.js";
import { ENVIRONMENT_ROWS, MODULE_ROWS, type ModuleRow } from "./bad-input/matrix.js";
import { renderMatrixDoc } from "./bad-input/doc.js";
import { CLUSTER, testStack } from "./support/stacks.js";

const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
/** Construct props from module inputs: names in camelCase, and so are the fields of instance_refresh and of each ENIConfig. */
const props = (inputs: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [
      camel(k),
      k === "instance_refresh" || k === "existing_vpc_cni_addon"
        ? props(v as Record<string, unknown>)
        : k === "eni_configs"
          ? Object.fromEntries(Object.entries(v as Record<string, Record<string, unknown>>).map(([zone, config]) => [zone, props(config)]))
          : v,
    ]),
  );

/** The generated module's inputs: the construct's props, in Terraform's names. */
const moduleInputs = (module: string) =>
  Object.keys((JSON.parse(readFileSync(`modules/${module}/variables.tf.json`, "utf8")) as { variable: Record<string, unknown> }).variable);
/** Fields of the object inputs (instance_refresh, existing_vpc_cni_addon, reservations), props too. */
const NESTED_FIELDS = ["min_healthy_percentage", "max_healthy_percentage", "instance_warmup", "checkpoint_percentages", "checkpoint_delay", "addon_version", "configuration_values", "subnet_id", "cidr_block"];

describe("bad-input matrix: construct messages name TypeScript properties", () => {
  it("names each input as its property, with the Terraform input in parentheses the first time", () => {
    const inputs = moduleInputs("node-group");
    expect(typeScriptMessage("ami_type must be one of AL2023_x86_64_STANDARD, AL2_x86_64.", inputs)).toBe(
      "amiType (ami_type) must be one of AL2023_x86_64_STANDARD, AL2_x86_64.",
    );
    expect(typeScriptMessage("max_pods and a --max-pods=N flag in kubelet_extra_args both set max pods: set only one of them (max_pods).", inputs)).toBe(
      "maxPods (max_pods) and a --max-pods=N flag in kubeletExtraArgs (kubelet_extra_args) both set max pods: set only one of them (maxPods).",
    );
    // Flags, values and names that are no input stay as they are.
    expect(typeScriptMessage('kubelet reads --max_pods as --max-pods; cni_credentials = "pod_identity"; <cluster_name>-<name>', [...inputs, "cni_credentials"])).toBe(
      'kubelet reads --max_pods as --max-pods; cniCredentials (cni_credentials) = "pod_identity"; <cluster_name>-<name>',
    );
  });
});

function construct(row: ModuleRow): () => void {
  switch (row.module) {
    case "node-group":
      return () => new NodeGroup(testStack(), "node_group", { ...CLUSTER, kubernetesVersion: "1.33", ...props(row.inputs) });
    case "vpc-cni":
      return () => new VpcCniAddon(testStack(), "vpc_cni", { clusterName: "sre-test", kubernetesVersion: "1.33", ...props(row.inputs) });
    case "prefix-reservations":
      return () =>
        new PrefixReservations(testStack(), "prefix_reservations", {
          reservations: (row.inputs.reservations as Record<string, string>[]).map((r) => props(r) as unknown as PrefixReservation),
        });
  }
}

describe("bad-input matrix: constructs (synth time)", () => {
  for (const row of MODULE_ROWS) {
    const inputs = JSON.stringify(row.inputs);
    if (!row.refused) {
      it(`${row.module} accepts ${row.what}: ${inputs}`, () => {
        expect(construct(row)).not.toThrow();
      });
    } else if (row.refused.planTimeOnly) {
      it(`${row.module} leaves ${row.what} to the plan (needs EC2 data): ${inputs}`, () => {
        expect(construct(row)).not.toThrow();
      });
    } else {
      it(`${row.module} refuses ${row.what}: ${inputs}, naming the TypeScript properties`, () => {
        expect(construct(row)).toThrow(InputError);
        // The Terraform message with each input named as the construct's property, the input in parentheses.
        expect(construct(row)).toThrow(typeScriptMessage(row.refused!.message, [...moduleInputs(row.module), ...NESTED_FIELDS]));
      });
    }
  }
});

describe("bad-input matrix: environment files", () => {
  const article = parse(readFileSync("environments/article.yaml", "utf8")) as Record<string, unknown>;
  for (const row of ENVIRONMENT_ROWS) {
    const document = { ...article };
    for (const [field, value] of Object.entries(row.set)) {
      if (value === null) delete document[field];
      else document[field] = value;
    }
    const load = () => parseEnvironment("environments/matrix.yaml", stringify(document));
    if (row.refused) {
      it(`refuses ${row.what}, naming the field`, () => {
        expect(load).toThrow(`environments/matrix.yaml: ${row.refused}`);
      });
    } else {
      it(`accepts ${row.what}`, () => {
        expect(load).not.toThrow();
      });
    }
  }
});

describe("bad-input matrix: docs/bad-input.md", () => {
  it("is rendered from the matrix (run `npm run docs` after changing it)", () => {
    expect(readFileSync("docs/bad-input.md", "utf8")).toBe(renderMatrixDoc());
  });

  it("every refusal message names the input it refuses", () => {
    for (const row of MODULE_ROWS.filter((r) => r.refused)) {
      expect(Object.keys(row.inputs).some((input) => row.refused!.message.includes(input)), row.what).toBe(true);
    }
  });
});
