/**
 * What a node of the group can hold: the instance type's EC2 data, the
 * effective max pods (explicit → kubelet flag → automatic) and the
 * kube-reserved map that goes with it, as Terraform locals.
 */
import { DataAwsEc2InstanceType } from "@cdktf/provider-aws/lib/data-aws-ec2-instance-type/index.js";
import type { Construct } from "constructs";
import { addLocal, escapeTemplate, expr, hcl } from "../../terraform/hcl.js";
import { kubeReservedExpressions as kr } from "../../rules/kube-reserved.js";
import { maxPodsExpressions as mp } from "../../rules/max-pods.js";
import { INSTANCE_DATA_MISMATCH } from "./rules.js";

/** Expression text of the inputs capacity depends on. */
export interface CapacityInputs {
  readonly instanceType: string;
  /** Expression text of the instance type. */
  readonly instanceTypeRef: string;
  readonly maxPods: string;
  readonly kubeletExtraArgs: string;
  readonly enablePrefixDelegation: string;
  readonly customNetworking: string;
  readonly kubeReservedFollowsMaxPods: string;
  readonly kubeReserved: string;
  readonly amiFamily: string;
}

/** References to the capacity locals. */
export interface Capacity {
  /** `data.aws_ec2_instance_type.<name>`. */
  readonly instance: string;
  readonly maxPods: string;
  readonly maxPodsFromKubeletArgs: string;
  readonly maxPodsAddressable: string;
  readonly maxPodsMemoryCap: string;
  /** The most pods an explicit max pods may ask for: what the kubelet's memory accepts. */
  readonly maxPodsKubeletCap: string;
  readonly kubeletMemory: string;
  /** Whether EC2 gave the instance's memory (mocked data may not). */
  readonly memoryKnown: string;
  readonly memoryNeeded: string;
  readonly prefixDelegation: string;
  /** The whole kube-reserved map the node gets. */
  readonly kubeReserved: string;
  /** The map the user data carries, or null when the AMI reserves the same by itself. */
  readonly kubeReservedRendered: string;
}

/** Declare the instance type data source and the capacity locals in `scope`. */
export function nodeCapacity(scope: Construct, inputs: CapacityInputs): Capacity {
  const local = (id: string, expression: string) => addLocal(scope, id, expression);
  // The provider sets the data source's id to the type EC2 answered for (DescribeInstanceTypes' InstanceType), so on
  // AWS it is the type asked for; a mocked AWS account answers every type alike, and its figures must not pass for
  // another type's.
  const described = "self.id";
  const instanceData = new DataAwsEc2InstanceType(scope, "instance_type:this", {
    instanceType: inputs.instanceType,
    lifecycle: {
      postcondition: [
        {
          condition: expr(`${described} == ${inputs.instanceTypeRef}`),
          errorMessage: escapeTemplate(INSTANCE_DATA_MISMATCH)
            .replace(/\{\{described\}\}/g, () => expr(described))
            .replace(/\{\{instance_type\}\}/g, () => expr(inputs.instanceTypeRef)),
        },
      ],
    },
  });
  const instance = hcl(scope, instanceData.fqn);

  const enis = local("instance_enis", mp.enis(local("default_card_enis", mp.defaultCardEnis(instance)), instance));
  const prefixDelegation = local("prefix_delegation", mp.prefixDelegation(inputs.enablePrefixDelegation, instance));
  const addressable = local(
    "max_pods_addressable",
    mp.addressable(mp.podEnis(enis, inputs.customNetworking), instance, prefixDelegation),
  );
  const memoryKnown = local("memory_known", mp.memoryKnown(instance));
  const kubeletMemory = local("kubelet_memory", mp.kubeletMemory(local("usable_memory", mp.usableMemory(instance))));
  const memoryCap = local("max_pods_memory_cap", mp.memoryCap(kubeletMemory, memoryKnown));
  const kubeletCap = local("max_pods_kubelet_cap", mp.kubeletCap(kubeletMemory, memoryKnown));
  const fromArgs = local("max_pods_from_kubelet_args", mp.fromKubeletArgs(inputs.kubeletExtraArgs));
  const maxPods = local("max_pods", mp.effective(inputs.maxPods, fromArgs, addressable, mp.cap(instance), memoryCap));

  // kube-reserved: CPU by tiers of the instance's millicores, memory for the pods it is sized for.
  const millicores = local("cpu_millicores", kr.millicores(`${instance}.default_vcpus`));
  const reservedCpu = local("kube_reserved_cpu", kr.cpuMillicores(millicores, local("cpu_reservation_tiers", kr.cpuTiers(millicores))));
  const amiDefaultMaxPods = local("ami_default_max_pods", kr.amiDefaultMaxPods(enis, instance));
  const sizedFor = local("kube_reserved_pods", kr.sizedFor(inputs.kubeReservedFollowsMaxPods, inputs.amiFamily, maxPods, amiDefaultMaxPods));
  const computed = local("kube_reserved_computed", kr.computed(sizedFor, reservedCpu));
  const kubeReserved = local("kube_reserved", kr.effective(computed, inputs.kubeReserved));
  const rendered = local("kube_reserved_rendered", kr.rendered(kubeReserved, inputs.kubeReservedFollowsMaxPods, inputs.kubeReserved));

  // Memory the kubelet checks: kube-reserved for its max pods (or the map's memory when larger) and the eviction
  // threshold (see kubeletReservationMiB). The map's memory quantity is read once, with the table of units.
  const memoryParts = local("kube_reserved_memory_parts", kr.quantityParts(`${kubeReserved}.memory`));
  const reservedMiB = local("kube_reserved_memory_mib", kr.quantityMiB(memoryParts, local("quantity_units", kr.units())));
  const memoryNeeded = local("memory_needed", mp.memoryNeeded(maxPods, `coalesce(${reservedMiB}, 0)`));

  return {
    instance,
    maxPods,
    maxPodsFromKubeletArgs: fromArgs,
    maxPodsAddressable: addressable,
    maxPodsMemoryCap: memoryCap,
    maxPodsKubeletCap: kubeletCap,
    kubeletMemory,
    memoryKnown,
    memoryNeeded,
    prefixDelegation,
    kubeReserved,
    kubeReservedRendered: rendered,
  };
}
