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
import { hclString } from "../terraform/hcl.js";
import { hclList } from "./checker.js";

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

/**
 * kube_reserved quantities that are almost surely typos. The kubelet takes
 * any quantity (k8s.io/apimachinery resource.Quantity), so `memory: "100m"`
 * reserves a tenth of a byte and `cpu: "70"` seventy cores, and nothing fails
 * until pods are evicted or never scheduled. Refused, with what was probably
 * meant:
 *   - memory, ephemeral-storage: the m suffix (thousandths of a byte), or
 *     less than 1 MiB in all (a unit left off: "1465" is 1465 bytes); the
 *     EKS AMIs reserve hundreds of MiB and 1Gi;
 *   - cpu: 10 cores or more written without the m suffix ("70" for 70m; the
 *     EKS AMIs reserve well under one core); 10000m still means ten cores;
 *   - pid: the m suffix (thousandths of a process ID).
 */
export const KUBE_RESERVED_TYPOS = {
  /** Resources counted in bytes, and the unit a quantity below the smallest one probably meant. */
  bytes: { memory: "Mi", "ephemeral-storage": "Gi" } as Readonly<Record<string, string>>,
  smallestBytes: 2 ** 20,
  /** Cores from which a cpu quantity without m is taken for millicores. */
  cpuCores: 10,
} as const;

/** Why each resource's quantity was read as a typo. */
const TYPO_WHY: Readonly<Record<string, string>> = {
  memory: "memory is counted in bytes: no unit means bytes, m means thousandths of a byte",
  "ephemeral-storage": "ephemeral-storage is counted in bytes: no unit means bytes, m means thousandths of a byte",
  cpu: `cpu without m is whole cores; write ${KUBE_RESERVED_TYPOS.cpuCores * 1000}m for ${KUBE_RESERVED_TYPOS.cpuCores} cores`,
  pid: "pid counts process IDs: m means thousandths of one",
};
/** The unit each resource's typo probably meant. */
const TYPO_UNIT: Readonly<Record<string, string>> = { ...KUBE_RESERVED_TYPOS.bytes, cpu: "m", pid: "" };

/** A kube_reserved entry that is almost surely a typo, and what was probably meant. */
export interface KubeReservedTypo {
  readonly key: string;
  readonly quantity: string;
  readonly meant: string;
}

/** The entries of a kube_reserved map (valid quantities of known resources) that are almost surely typos. */
export function kubeReservedTypos(map: Readonly<Record<string, unknown>>): KubeReservedTypo[] {
  return Object.entries(map).flatMap(([key, quantity]) => {
    if (typeof quantity !== "string" || !new RegExp(QUANTITY_PATTERN).test(quantity)) return [];
    const [, number = "", unit = ""] = new RegExp(QUANTITY_PARTS_PATTERN).exec(quantity) ?? [];
    const value = Number(number) * QUANTITY_UNITS[unit]!;
    const typo = Object.hasOwn(KUBE_RESERVED_TYPOS.bytes, key)
      ? unit === "m" || (value > 0 && value < KUBE_RESERVED_TYPOS.smallestBytes)
      : key === "cpu"
        ? unit !== "m" && value >= KUBE_RESERVED_TYPOS.cpuCores
        : key === "pid" && unit === "m";
    return typo ? [{ key, quantity, meant: `${number}${TYPO_UNIT[key]}` }] : [];
  });
}

/** One sentence per typo: `memory = "100m" is almost surely a typo (…); you probably meant "100Mi".` */
export function describeKubeReservedTypos(map: Readonly<Record<string, unknown>>): string {
  return kubeReservedTypos(map)
    .map(({ key, quantity, meant }) => `${key} = "${quantity}" is almost surely a typo (${TYPO_WHY[key]}); you probably meant "${meant}".`)
    .join(" ");
}

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

/** Terraform: `item` (an expression over `e`) for each entry of the kube_reserved map `map` that is a typo. */
function typoList(map: string, item: string): string {
  const parts = `regex(${hclString(QUANTITY_PARTS_PATTERN)}, q)`;
  const entries = `[for key, q in ${map} : { key = key, q = q, number = try(${parts}[0], ""), unit = try(${parts}[1], ""), value = try(tonumber(${parts}[0]) * ${unitTable()}[${parts}[1]], null) }]`;
  const typo =
    `contains(${hclList(Object.keys(KUBE_RESERVED_TYPOS.bytes))}, e.key) ? (e.unit == "m" || (e.value > 0 && e.value < ${KUBE_RESERVED_TYPOS.smallestBytes})) : ` +
    `e.key == "cpu" ? (e.unit != "m" && e.value >= ${KUBE_RESERVED_TYPOS.cpuCores}) : (e.key == "pid" && e.unit == "m")`;
  return `[for e in ${entries} : ${item} if try(${typo}, false)]`;
}

/** The same computation as Terraform expressions over expression text. */
export const kubeReservedExpressions = {
  /** The instance's CPU in millicores. */
  millicores: (vcpus: string) => `${vcpus} * 1000`,

  /** {@link CPU_RESERVATION_RANGES} as a tuple of `[from, to, basis points]`, the last to the instance's `millicores`. */
  cpuTiers: (millicores: string) =>
    `[${CPU_RESERVATION_RANGES.map(([from, to, basisPoints]) => `[${from}, ${Number.isFinite(to) ? to : millicores}, ${basisPoints}]`).join(", ")}]`,

  /** Millicores reserved: each tier's share of the instance's `millicores` (see {@link reservedCpuMillicores}). */
  cpuMillicores: (millicores: string, tiers: string) =>
    `sum([for tier in ${tiers} : ${millicores} > tier[0] ? floor((min(${millicores}, tier[1]) - tier[0]) * tier[2] / 10000) : 0])`,

  /** The computed map: `cpuMillicores` reserved, memory sized for `maxPods`. */
  computed: (maxPods: string, cpuMillicores: string) =>
    `{ cpu = "\${${cpuMillicores}}m", "ephemeral-storage" = "${EPHEMERAL_STORAGE_RESERVED}", memory = "\${${MEMORY_MIB_PER_POD} * ${maxPods} + ${MEMORY_MIB_BASE}}Mi" }`,

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

  /** The keys of {@link kubeReservedTypos} for a map (an empty list when none). */
  typoKeys: (map: string) => typoList(map, "e.key"),

  /** The sentences of {@link describeKubeReservedTypos} for a map. */
  typos: (map: string) => {
    const table = (rows: Readonly<Record<string, string>>) =>
      `{ ${Object.entries(rows)
        .map(([key, text]) => `${hclString(key)} = ${hclString(text)}`)
        .join(", ")} }`;
    return typoList(
      map,
      `format(${hclString('%s = "%s" is almost surely a typo (%s); you probably meant "%s%s".')}, e.key, e.q, ${table(TYPO_WHY)}[e.key], e.number, ${table(TYPO_UNIT)}[e.key])`,
    );
  },

  /** Bytes per unit of a quantity suffix ({@link QUANTITY_UNITS}), an object by suffix. */
  units: () => unitTable(),

  /** A quantity's number and unit suffix, a tuple of two strings (null when it is not a quantity). */
  quantityParts: (quantity: string) => `try(regex(${hclString(QUANTITY_PARTS_PATTERN)}, ${quantity}), null)`,

  /** A memory quantity in MiB, rounded up, from its {@link quantityParts} and the {@link units} (null when it is not one). */
  quantityMiB: (parts: string, units: string) => `try(ceil(tonumber(${parts}[0]) * ${units}[${parts}[1]] / ${2 ** 20}), null)`,
};
