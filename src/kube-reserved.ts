/**
 * kube-reserved that follows the effective max pods, written twice like the
 * max-pods rule (TypeScript and Terraform expressions).
 *
 * The EKS AMIs size the kubelet's reserved memory from the instance's
 * *default* max pods (11 MiB per pod + 255 MiB): AL2's bootstrap.sh from
 * eni-max-pods.txt even when --max-pods is passed, AL2023's nodeadm from its
 * own calculation even when the NodeConfig sets maxPods (amazon-eks-ami
 * bootstrap.sh get_memory_mebibytes_to_reserve, nodeadm kubelet config.go).
 * Raising max pods from 17 to 110 on a t3a.medium without raising the
 * reservation leaves 1023 MiB of pod overhead unaccounted for. Here memory
 * follows the max pods actually set:
 *
 *   memory            = 11 × max_pods + 255 MiB   (110 pods → 1465Mi, 17 → 442Mi)
 *   cpu               = 6% of the first core, 1% of the second, 0.5% of cores
 *                       3–4, 0.25% of the rest, in whole millicores per range
 *                       (2 vCPUs → 70m)
 *   ephemeral-storage = 1Gi
 *
 * A `kube_reserved` override replaces single keys of that map (or of the
 * AMI's own map when it does not follow max pods): the node always gets the
 * whole merged map, since a kubelet `--kube-reserved` flag replaces the map
 * it was given rather than merging into it (k8s.io/component-base
 * MapStringString.Set).
 */
import type { AmiFamily } from "./ami.js";
import { hclString } from "./hcl.js";

/** MiB reserved per pod. */
export const MEMORY_MIB_PER_POD = 11;
/** MiB reserved regardless of pods. */
export const MEMORY_MIB_BASE = 255;
/** Ephemeral storage reserved for the kubelet and container runtime. */
export const EPHEMERAL_STORAGE_RESERVED = "1Gi";

/**
 * CPU reservation ranges as [from millicores, to millicores, basis points].
 * The last range runs to the instance's total CPU.
 */
export const CPU_RESERVATION_RANGES: readonly (readonly [number, number, number])[] = [
  [0, 1000, 600],
  [1000, 2000, 100],
  [2000, 4000, 50],
  [4000, Number.POSITIVE_INFINITY, 25],
];

/** Quantities by kubelet resource name (`cpu`, `memory`, `ephemeral-storage`). */
export type KubeReserved = Record<string, string>;

export function reservedMemoryMiB(maxPods: number): number {
  return MEMORY_MIB_PER_POD * maxPods + MEMORY_MIB_BASE;
}

export function reservedCpuMillicores(vcpus: number): number {
  const total = vcpus * 1000;
  return CPU_RESERVATION_RANGES.reduce(
    (sum, [from, to, basisPoints]) =>
      total > from ? sum + Math.floor(((Math.min(total, to) - from) * basisPoints) / 10000) : sum,
    0,
  );
}

/** kube-reserved for a node with `maxPods` pods and `vcpus` vCPUs. */
export function kubeReservedFor(maxPods: number, vcpus: number): KubeReserved {
  return {
    cpu: `${reservedCpuMillicores(vcpus)}m`,
    "ephemeral-storage": EPHEMERAL_STORAGE_RESERVED,
    memory: `${reservedMemoryMiB(maxPods)}Mi`,
  };
}

/**
 * The max pods the EKS AMIs size their own reservation for: the
 * secondary-IP formula over the default card, uncapped (AL2 eni-max-pods.txt,
 * AL2023 nodeadm eni_max_pods.go). Bottlerocket sizes it from its
 * `settings.kubernetes.max-pods`, which the node group always sets.
 */
export function amiDefaultMaxPods(limits: { readonly enis: number; readonly ipv4PerEni: number }): number {
  return limits.enis * (limits.ipv4PerEni - 1) + 2;
}

export interface KubeReservedInputs {
  readonly family: AmiFamily;
  /** The node's effective max pods. */
  readonly maxPods: number;
  readonly limits: { readonly enis: number; readonly ipv4PerEni: number; readonly vcpus: number };
  /** Size memory from the effective max pods (true) or keep the AMI's own sizing (false). */
  readonly followsMaxPods: boolean;
  /** Keys that replace the computed (or AMI) values one by one. */
  readonly override?: KubeReserved | null;
}

/** The map the node's kubelet gets, key by key. */
export function effectiveKubeReserved(inputs: KubeReservedInputs): KubeReserved {
  const pods = inputs.followsMaxPods || inputs.family === "BOTTLEROCKET" ? inputs.maxPods : amiDefaultMaxPods(inputs.limits);
  return { ...kubeReservedFor(pods, inputs.limits.vcpus), ...(inputs.override ?? {}) };
}

/** Resource names kube-reserved accepts on AL2 and AL2023 (kubelet). */
export const KUBE_RESERVED_RESOURCES = ["cpu", "memory", "ephemeral-storage", "pid"] as const;
/** A resource kube-reserved takes. */
export type KubeReservedResource = (typeof KUBE_RESERVED_RESOURCES)[number];
/**
 * Resource names Bottlerocket accepts under settings.kubernetes.kube-reserved
 * (bottlerocket-settings-sdk modeled-types ReservedResources); any other key
 * fails the settings API and the node never boots.
 */
export const BOTTLEROCKET_KUBE_RESERVED_RESOURCES = ["cpu", "memory", "ephemeral-storage"] as const;

/** A Kubernetes quantity such as `70m`, `1465Mi`, `1Gi`, `1000`. */
export const QUANTITY_PATTERN = "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$";

/** Bytes per unit of a Kubernetes quantity suffix. */
export const QUANTITY_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  m: 0.001,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A quantity's number and unit suffix (JavaScript and RE2); the unit must be one of {@link QUANTITY_UNITS}. */
const QUANTITY_PARTS_PATTERN = "^([0-9]+(?:\\.[0-9]+)?)([a-zA-Z]*)$";

/** A memory quantity in MiB (rounded up), or undefined when it is not a quantity. */
export function quantityMiB(quantity: string): number | undefined {
  const [, number, unit = ""] = new RegExp(QUANTITY_PARTS_PATTERN).exec(quantity) ?? [];
  if (number === undefined || !Object.hasOwn(QUANTITY_UNITS, unit)) return undefined;
  return Math.ceil((Number(number) * QUANTITY_UNITS[unit]!) / 2 ** 20);
}

const unitTable = () =>
  `{ ${Object.entries(QUANTITY_UNITS)
    .map(([unit, bytes]) => `"${unit}" = ${bytes}`)
    .join(", ")} }`;

/** The same computation as Terraform expressions over expression text. */
export const kubeReservedExpressions = {
  cpuMillicores: (vcpus: string) => {
    const total = `${vcpus} * 1000`;
    const ranges = CPU_RESERVATION_RANGES.map(
      ([from, to, basisPoints]) => `[${from}, ${Number.isFinite(to) ? to : total}, ${basisPoints}]`,
    ).join(", ");
    return `sum([for range in [${ranges}] : ${total} > range[0] ? floor((min(${total}, range[1]) - range[0]) * range[2] / 10000) : 0])`;
  },

  /** The computed map for `maxPods` and `vcpus`. */
  computed: (maxPods: string, vcpus: string) =>
    `{ cpu = "\${${kubeReservedExpressions.cpuMillicores(vcpus)}}m", "ephemeral-storage" = "${EPHEMERAL_STORAGE_RESERVED}", memory = "\${${MEMORY_MIB_PER_POD} * ${maxPods} + ${MEMORY_MIB_BASE}}Mi" }`,

  /** Max pods the reservation is sized for: the effective one, or the AMI's own default (see {@link effectiveKubeReserved}). */
  sizedFor: (followsMaxPods: string, family: string, maxPods: string, amiDefaultMaxPods: string) =>
    `${followsMaxPods} || ${family} == "BOTTLEROCKET" ? ${maxPods} : ${amiDefaultMaxPods}`,

  /** The AMI's default max pods (see {@link amiDefaultMaxPods}). */
  amiDefaultMaxPods: (enis: string, instanceType: string) => `${enis} * (${instanceType}.maximum_ipv4_addresses_per_interface - 1) + 2`,

  /** The override's keys over the base map. */
  effective: (base: string, override: string) => `tomap(merge(${base}, ${override} == null ? {} : ${override}))`,

  /**
   * What the user data carries: the whole effective map when it differs from
   * what the AMI would reserve by itself, else null.
   */
  rendered: (effective: string, followsMaxPods: string, override: string) =>
    `${followsMaxPods} || ${override} != null ? ${effective} : null`,

  /** A memory quantity in MiB, rounded up (null when it is not a quantity). */
  quantityMiB: (quantity: string) => {
    const parts = `regex(${hclString(QUANTITY_PARTS_PATTERN)}, ${quantity})`;
    return `try(ceil(tonumber(${parts}[0]) * ${unitTable()}[${parts}[1]] / ${2 ** 20}), null)`;
  },
};
