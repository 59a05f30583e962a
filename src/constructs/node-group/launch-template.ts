/**
 * The launch template: image, user data, secure defaults (IMDSv2, encrypted
 * gp3, no public IP), and the tags new volumes and network interfaces get.
 * Every change here makes a new template version, which the Auto Scaling
 * group rolls out to every node; tags alone do not (see `launch_template_tags`).
 */
import { TerraformData } from "../../terraform/terraform-data.js";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { dynamicBlock } from "../../terraform/dynamic-block.js";
import { addLocal, expr } from "../../terraform/hcl.js";
import { preconditionsFor, type CrossRule } from "../../rules/checker.js";

export interface NodeLaunchTemplateProps {
  /** Expression text: `<cluster>-<name>`. */
  readonly name: string;
  /** Expression text: the AMI id. */
  readonly imageId: string;
  /** The instance type, as given (a literal or a token). */
  readonly instanceType: string;
  /** Expression text: the instance type. */
  readonly instanceTypeRef: string;
  /** Expression text: the plain-text user data. */
  readonly userData: string;
  /** Expression text: the AMI family. */
  readonly amiFamily: string;
  /** Expression text: root (Bottlerocket: data) volume size in GiB. */
  readonly rootVolumeSize: string;
  /** IMDS hop limit, as given (a number or a token). */
  readonly hopLimit: number;
  /** Expression text: the hop limit. */
  readonly hopLimitRef: string;
  readonly securityGroupIds: string[];
  /** Expression text: security group ids. */
  readonly securityGroupIdsRef: string;
  readonly instanceProfileArn: string;
  /** Expression text: the instance profile ARN. */
  readonly instanceProfileArnRef: string;
  /** Expression text: the tags map. */
  readonly tags: string;
  /** Rules checked before the template changes, with the expressions they read. */
  readonly rules: readonly CrossRule[];
  readonly ruleRefs: Record<string, string>;
}

/** The launch template (`aws_launch_template.<group>`) and the tags it stamps on new volumes and interfaces. */
export class NodeLaunchTemplate extends Construct {
  public readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: NodeLaunchTemplateProps) {
    super(scope, id);

    // Encrypted gp3 volumes by device name (size null keeps the AMI's size): Bottlerocket keeps pods' data
    // on a second volume.
    const volumeSizes = addLocal(
      this,
      "volume_sizes",
      `${props.amiFamily} == "BOTTLEROCKET" ? tomap({ "/dev/xvda" = null, "/dev/xvdb" = ${props.rootVolumeSize} }) : tomap({ "/dev/xvda" = ${props.rootVolumeSize} })`,
    );

    // Tags for new volumes and network interfaces, taken over only when something else rolls the nodes:
    // a tag-only change then makes no new template version (instances get new tags at once from the group).
    const launchTags = new TerraformData(this, "launch_template_tags", {
      input: Token.asStringMap(expr(props.tags)),
      triggersReplace: Token.asAny(
        expr(
          `[${props.name}, ${props.imageId}, ${props.instanceTypeRef}, sha256(${props.userData}), ${props.instanceProfileArnRef}, ${props.hopLimitRef}, ${props.securityGroupIdsRef}, ${volumeSizes}]`,
        ),
      ),
      lifecycle: { ignoreChanges: ["input"] },
    });

    this.launchTemplate = new LaunchTemplate(this, "launch_template:this", {
      namePrefix: expr(`format("%s-", ${props.name})`),
      description: expr(`format("EKS nodes of %s", ${props.name})`),
      imageId: expr(props.imageId),
      instanceType: props.instanceType,
      userData: expr(`base64encode(${props.userData})`),
      updateDefaultVersion: true,
      iamInstanceProfile: { arn: props.instanceProfileArn },
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: props.hopLimit,
        instanceMetadataTags: "disabled",
      },
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "false",
          deleteOnTermination: "true",
          securityGroups: props.securityGroupIds,
        },
      ],
      blockDeviceMappings: dynamicBlock(volumeSizes, (each) => ({
        device_name: each.key,
        ebs: [
          {
            volume_size: each.value(),
            volume_type: "gp3",
            encrypted: "true",
            delete_on_termination: "true",
          },
        ],
      })),
      tagSpecifications: ["volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags: Token.asStringMap(launchTags.output),
      })),
      tags: Token.asStringMap(expr(props.tags)),
      lifecycle: {
        createBeforeDestroy: true,
        precondition: preconditionsFor(props.rules, props.ruleRefs),
      },
    });
  }
}
