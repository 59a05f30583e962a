/**
 * The AMI types the node group supports, and the Kubernetes versions it
 * accepts: one table used for synth-time checks and rendered into the
 * generated module's validation rules and lookups.
 */
import { matches, tfMatches } from "./checker.js";

/** How a node bootstraps: decides the user-data format. */
export type AmiFamily = "AL2" | "AL2023" | "BOTTLEROCKET";
/** CPU architecture of the AMI (as EC2 names it in `supported_architectures`). */
export type Architecture = "x86_64" | "arm64";

export interface AmiTypeInfo {
  readonly family: AmiFamily;
  readonly architecture: Architecture;
  /** AWS's public SSM parameter holding the recommended image id; `%s` is the Kubernetes version. */
  readonly ssmParameter: string;
}

export const AMI_TYPES = {
  AL2023_x86_64_STANDARD: {
    family: "AL2023",
    architecture: "x86_64",
    ssmParameter: "/aws/service/eks/optimized-ami/%s/amazon-linux-2023/x86_64/standard/recommended/image_id",
  },
  AL2023_ARM_64_STANDARD: {
    family: "AL2023",
    architecture: "arm64",
    ssmParameter: "/aws/service/eks/optimized-ami/%s/amazon-linux-2023/arm64/standard/recommended/image_id",
  },
  AL2_x86_64: {
    family: "AL2",
    architecture: "x86_64",
    ssmParameter: "/aws/service/eks/optimized-ami/%s/amazon-linux-2/recommended/image_id",
  },
  AL2_ARM_64: {
    family: "AL2",
    architecture: "arm64",
    ssmParameter: "/aws/service/eks/optimized-ami/%s/amazon-linux-2-arm64/recommended/image_id",
  },
  BOTTLEROCKET_x86_64: {
    family: "BOTTLEROCKET",
    architecture: "x86_64",
    ssmParameter: "/aws/service/bottlerocket/aws-k8s-%s/x86_64/latest/image_id",
  },
  BOTTLEROCKET_ARM_64: {
    family: "BOTTLEROCKET",
    architecture: "arm64",
    ssmParameter: "/aws/service/bottlerocket/aws-k8s-%s/arm64/latest/image_id",
  },
} as const satisfies Record<string, AmiTypeInfo>;

export type AmiType = keyof typeof AMI_TYPES;
export const AMI_TYPE_NAMES = Object.keys(AMI_TYPES) as [AmiType, ...AmiType[]];
export const DEFAULT_AMI_TYPE: AmiType = "AL2023_x86_64_STANDARD";

/**
 * The oldest Kubernetes minor version EKS still supports: 1.31's extended support ended on
 * 2026-11-26 (EKS Kubernetes version calendar). Newer versions need no change here.
 */
export const OLDEST_KUBERNETES_VERSION = "1.32";

/** A Kubernetes minor version as EKS names it ("1.33"); RE2 and JavaScript. */
export const KUBERNETES_VERSION_PATTERN = "^1\\.([1-9][0-9]*)$";

/** AWS publishes no Amazon Linux 2 EKS AMIs after this Kubernetes version (amazon-eks-ami README). */
export const AL2_LAST_KUBERNETES_VERSION = "1.32";

/** Amazon EKS stopped publishing AL2 AMIs on this date: they get no more fixes (amazon-eks-ami README). */
export const AL2_END_OF_SUPPORT = "2025-11-26";

/** True for "1.N" from {@link OLDEST_KUBERNETES_VERSION} on. */
export function isSupportedKubernetesVersion(value: unknown): value is string {
  return (
    typeof value === "string" &&
    matches(KUBERNETES_VERSION_PATTERN)(value) &&
    compareKubernetesVersions(value, OLDEST_KUBERNETES_VERSION) >= 0
  );
}

/** Terraform: the same test over expression text. */
export const tfSupportedKubernetesVersion = (ref: string) =>
  `${tfMatches(KUBERNETES_VERSION_PATTERN)(ref)} ? tonumber(split(".", ${ref})[1]) >= ${OLDEST_KUBERNETES_VERSION.split(".")[1]} : false`;

/** Compare "1.32"-style versions numerically. */
export function compareKubernetesVersions(a: string, b: string): number {
  const [aMajor, aMinor] = a.split(".").map(Number);
  const [bMajor, bMinor] = b.split(".").map(Number);
  return (aMajor ?? 0) - (bMajor ?? 0) || (aMinor ?? 0) - (bMinor ?? 0);
}

export function isAmiType(value: string): value is AmiType {
  return Object.hasOwn(AMI_TYPES, value);
}
