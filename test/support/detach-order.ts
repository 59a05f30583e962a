/**
 * The order in which Terraform applies a move of aws-node to a role of its own (cni_credentials: node_role →
 * pod_identity): the add-on's update, which gives aws-node its Pod Identity association, and the removal of the
 * node role's AmazonEKS_CNI_Policy attachment. Terraform's mocked provider plans no orders, and AWS's provider
 * would need the whole account, so the two resources are stood in for by terraform_data (Terraform's own
 * provider, offline) with the lifecycle and dependencies the synthesized root stack gives them; one apply records
 * the node_role state, and `terraform graph -type=apply` of the next plan shows the order Terraform will apply.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { terraformOk } from "./terraform.js";

type Synth = Record<string, any>;

/** What the root stack gives the two resources: the add-on's depends_on, and the attachments' create_before_destroy. */
export interface DetachSettings {
  readonly addonDependsOn: readonly string[];
  readonly attachmentsCreateBeforeDestroy: boolean;
}

export function detachSettings(stack: Synth): DetachSettings {
  return {
    addonDependsOn: stack.resource.aws_eks_addon.vpc_cni.depends_on ?? [],
    attachmentsCreateBeforeDestroy: stack.resource.aws_iam_role_policy_attachment.node_group.lifecycle?.create_before_destroy === true,
  };
}

/** The stand-in configuration: `policies` the node role has, `association` the add-on's Pod Identity role. */
function standIn(settings: DetachSettings): string {
  const dependsOn = settings.addonDependsOn
    .map((address) => address.replace(/^aws_iam_role_policy_attachment\.node_group$/, "terraform_data.node_group_policies"))
    .filter((address) => address.startsWith("terraform_data."));
  return `variable "policies" {
  type = list(string)
}

variable "association" {
  type = string
}

resource "terraform_data" "node_group_policies" {
  for_each = toset(var.policies)
  input    = each.key${settings.attachmentsCreateBeforeDestroy ? "\n\n  lifecycle {\n    create_before_destroy = true\n  }" : ""}
}

resource "terraform_data" "vpc_cni" {
  input      = var.association
  depends_on = [${dependsOn.join(", ")}]
}
`;
}

const NODE_ROLE = ["-var", 'policies=["AmazonEKSWorkerNodePolicy","AmazonEKS_CNI_Policy"]', "-var", "association=none"];
const POD_IDENTITY = ["-var", 'policies=["AmazonEKSWorkerNodePolicy"]', "-var", "association=arn:aws:iam::123456789012:role/sre-test-vpc-cni"];

/** Edges of the apply graph of the switch to pod_identity, as `from -> to` (from waits for to). */
export async function detachOrder(dir: string, settings: DetachSettings): Promise<string[]> {
  writeFileSync(join(dir, "main.tf"), standIn(settings));
  await terraformOk(["init", "-input=false"], dir);
  await terraformOk(["apply", "-auto-approve", "-input=false", ...NODE_ROLE], dir);
  await terraformOk(["plan", "-input=false", "-out=switch.bin", ...POD_IDENTITY], dir);
  const graph = (await terraformOk(["graph", "-type=apply", "-plan=switch.bin"], dir)).stdout;
  return [...graph.matchAll(/"\[root\] ((?:[^"\\]|\\.)+)" -> "\[root\] ((?:[^"\\]|\\.)+)"/g)].map((m) => `${m[1]} -> ${m[2]}`.replace(/\\"/g, '"'));
}
