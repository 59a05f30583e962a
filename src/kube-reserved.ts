/**
 * kube-reserved that follows the effective max pods, written twice like the
 * max-pods rule (TypeScript and Terraform expressions).
 *
 * The EKS AMIs size the kubelet's reserved memory from the instance's
 * *default* max pods (11 MiB per pod + 255 MiB). Raising max pods from 17 to
 * 110 on a t3a.medium without raising the reservation leaves 1023 MiB of pod
 * overhead unaccounted for. Here memory follows the max pods actually set:
 *
 *   memory            = 11 × max_pods + 255 MiB   (110 pods → 1465Mi, 17 → 442Mi)
 *   cpu               = 6% of the first core, 1% of the second, 0.5% of cores
 *                       3–4, 0.25% of the rest, in whole millicores per range
 *                       (2 vCPUs → 70m)
 *   ephemeral-storage = 1Gi
 */

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

/** Resource names kube-reserved accepts. */
export const KUBE_RESERVED_RESOURCES = ["cpu", "memory", "ephemeral-storage", "pid"] as const;

/** A Kubernetes quantity such as `70m`, `1465Mi`, `1Gi`, `1000`. */
export const QUANTITY_PATTERN = "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$";

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

  /** Explicit override wins; else computed when following max pods; else null (AMI default). */
  effective: (override: string, followsMaxPods: string, computed: string) =>
    `${override} != null ? ${override} : (${followsMaxPods} ? ${computed} : null)`,
};
