/**
 * The nodes' identity: an IAM role with AWS managed policies, the readiness
 * gate's inline policy, its instance profile, and the EKS access entry that
 * lets the role join the cluster.
 */
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry/index.js";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";
import { expr, hcl, hclString } from "../../terraform/hcl.js";

/**
 * AWS managed policies every node role gets: the kubelet's EKS permissions,
 * and pull-only ECR access as the EKS node IAM role page names it
 * (AmazonEC2ContainerRegistryPullOnly; ReadOnly also allowed listing images).
 */
export const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"] as const;
/** The CNI's EC2 permissions; on the node role unless the CNI has a role of its own (`attachCniPolicy: false`). */
export const CNI_POLICY = "AmazonEKS_CNI_Policy";
/** Attached with `attachSsmPolicy`: Session Manager shells on the nodes. */
export const SSM_POLICY = "AmazonSSMManagedInstanceCore";

/** IAM name prefixes: 64 characters less the 26 Terraform appends (aws_iam_role name_prefix). */
export const IAM_NAME_PREFIX_LENGTH = 38;
/** Characters Terraform appends to a name_prefix (terraform-plugin-sdk helper/id, UniqueIDSuffixLength). */
export const NAME_PREFIX_SUFFIX_LENGTH = 26;
/** Name of the node role's inline policy for the launch readiness gate. */
export const READINESS_GATE_POLICY_NAME = "eks-pod-density-readiness-gate";

export interface NodeRoleProps {
  /** Expression text: `<cluster>-<name>`. */
  readonly name: string;
  /** Expression text: the tags map. */
  readonly tags: string;
  readonly clusterName: string;
  /** Expression text (bool). */
  readonly attachCniPolicy: string;
  /** Expression text (bool). */
  readonly attachSsmPolicy: string;
  /** Expression text (bool). */
  readonly createAccessEntry: string;
  /** Expression text (bool): the readiness gate's inline policy. */
  readonly readinessGate: string;
}

/** Role, policy attachments, instance profile and access entry (addresses `aws_iam_role.<group>` and so on). */
export class NodeRole extends Construct {
  public readonly role: IamRole;
  public readonly instanceProfile: IamInstanceProfile;
  /** The role's AWS managed policies (one instance per policy name). */
  public readonly policyAttachments: IamRolePolicyAttachment;
  /** Expression text: the AWS partition (`aws`, `aws-cn`, …). */
  public readonly partition: string;
  /** The readiness gate's inline policy (no instance when the gate is off): nodes need it to complete their launch. */
  public readonly readinessGatePolicy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    const tags = Token.asStringMap(expr(props.tags));
    // name_prefix + create_before_destroy: a rename makes the new role before the old one goes.
    const namePrefix = expr(`substr(format("%s-", ${props.name}), 0, ${IAM_NAME_PREFIX_LENGTH})`);
    const partition = hcl(this, new DataAwsPartition(this, "current").partition);
    this.partition = partition;

    this.role = new IamRole(this, "role:this", {
      namePrefix,
      description: expr(`format("EKS nodes of %s", ${props.name})`),
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags,
      lifecycle: { createBeforeDestroy: true },
    });
    const optional = (flag: string, policy: string) => `${flag} ? [${hclString(policy)}] : []`;
    const policies = TerraformIterator.fromMap(
      Token.asStringMap(
        expr(
          `{ for policy in concat(${hcl(this, [...NODE_POLICIES])}, ${optional(props.attachCniPolicy, CNI_POLICY)}, ${optional(props.attachSsmPolicy, SSM_POLICY)}) : policy => format("arn:%s:iam::aws:policy/%s", ${partition}, policy) }`,
        ),
      ),
    );
    // Replacements keep the old nodes' permissions and cluster access until the new ones exist.
    this.policyAttachments = new IamRolePolicyAttachment(this, "policy:this", {
      forEach: policies,
      role: this.role.name,
      policyArn: policies.value,
      lifecycle: { createBeforeDestroy: true },
    });
    this.instanceProfile = new IamInstanceProfile(this, "profile:this", {
      namePrefix,
      role: this.role.name,
      tags,
      lifecycle: { createBeforeDestroy: true },
    });
    // The readiness gate: each node completes its own launching lifecycle action. CompleteLifecycleAction is scoped to
    // this group's names (`<cluster>-<name>-` and Terraform's 26-character suffix, one `?` each: no other group of the
    // cluster matches, a replacement group does); DescribeAutoScalingInstances has no resource types in the Service
    // Authorization Reference (Amazon EC2 Auto Scaling), so it takes "*".
    const groupArn = `format("arn:%s:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/%s-${"?".repeat(NAME_PREFIX_SUFFIX_LENGTH)}", ${partition}, ${props.name})`;
    this.readinessGatePolicy = new IamRolePolicy(this, "role_policy:readiness_gate", {
      count: Token.asNumber(expr(`${props.readinessGate} ? 1 : 0`)),
      name: READINESS_GATE_POLICY_NAME,
      role: this.role.id,
      policy: expr(
        `jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "CompleteOwnLaunch", Effect = "Allow", Action = "autoscaling:CompleteLifecycleAction", Resource = ${groupArn} }, { Sid = "FindOwnGroup", Effect = "Allow", Action = "autoscaling:DescribeAutoScalingInstances", Resource = "*" }] })`,
      ),
      lifecycle: { createBeforeDestroy: true },
    });
    // EKS refuses access entries on clusters in CONFIG_MAP authentication mode; map the role in aws-auth there.
    new EksAccessEntry(this, "access_entry:this", {
      count: Token.asNumber(expr(`${props.createAccessEntry} ? 1 : 0`)),
      clusterName: props.clusterName,
      principalArn: this.role.arn,
      type: "EC2_LINUX",
      tags,
      lifecycle: { createBeforeDestroy: true },
    });
  }
}
