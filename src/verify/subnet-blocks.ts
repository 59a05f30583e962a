/**
 * Free /28 blocks in a subnet, and how many a node takes.
 *
 * With prefix delegation the VPC CNI asks EC2 for whole, aligned /28
 * prefixes (16 addresses). One address in use anywhere in a block makes the
 * block unusable, so a subnet with thousands of free addresses can still
 * answer `InsufficientCidrBlocks` (amazon-vpc-cni-k8s issue 2749: "no
 * contiguous /28 block anywhere in the subnet"). A block is free for a prefix
 * when none of its addresses is
 *   - one of the five AWS keeps in every subnet: the first four and the last
 *     (Amazon VPC user guide, subnet CIDR blocks);
 *   - a private address of a network interface (primary or secondary): every
 *     interface's primary address sits outside the prefixes (EC2 assigns it
 *     when the CNI creates the interface), so each interface a node attaches
 *     can spoil one more block;
 *   - inside a prefix already assigned to an interface;
 *   - inside an `explicit` subnet CIDR reservation (EC2 assigns those
 *     addresses only when asked for them by name; CreateSubnetCidrReservation).
 * A `prefix` reservation keeps single addresses out and is where EC2 takes
 * prefixes from first; its blocks count as free (issue 2749: the CNI gets a
 * prefix from a reservation first, then from the rest of the subnet).
 */
import { ADDRESSES_PER_PREFIX } from "../rules/max-pods.js";

/** Prefix length of the blocks prefix delegation assigns. */
export const PREFIX_LENGTH = 28;
/** Addresses AWS keeps at the start of every subnet (network, router, DNS, future use). */
const AWS_RESERVED_AT_START = 4;

/** An IPv4 address as an unsigned 32-bit number; throws on anything else. */
export function parseIpv4(text: string): number {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((part) => !/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255)) {
    throw new Error(`"${text}" is not an IPv4 address`);
  }
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

/** An IPv4 CIDR block as its first address and size. */
export interface Ipv4Range {
  readonly start: number;
  readonly size: number;
}

/** An IPv4 CIDR block such as 10.0.0.0/20; throws on anything else. */
export function parseCidr(text: string): Ipv4Range {
  const match = /^([0-9.]+)\/([0-9]{1,2})$/.exec(text);
  const length = Number(match?.[2]);
  if (!match || length > 32) throw new Error(`"${text}" is not an IPv4 CIDR block`);
  const size = 2 ** (32 - length);
  const address = parseIpv4(match[1]!);
  return { start: address - (address % size), size };
}

export type ReservationType = "prefix" | "explicit";

/** What is in use in a subnet, as EC2 describes it. */
export interface SubnetAddressUse {
  /** The subnet's IPv4 CIDR block. */
  readonly cidr: string;
  /** Private IPv4 addresses of its network interfaces, primary and secondary. */
  readonly addresses: readonly string[];
  /** IPv4 prefixes assigned to its network interfaces. */
  readonly prefixes: readonly string[];
  /** Its subnet CIDR reservations. */
  readonly reservations: readonly { readonly cidr: string; readonly type: ReservationType }[];
}

/** The subnet's aligned /28 blocks, and why those that are not free are not. */
export interface BlockCount {
  /** Aligned /28 blocks in the subnet. */
  readonly blocks: number;
  /** Blocks EC2 can assign as a prefix. */
  readonly free: number;
  /** Of the free blocks, those inside prefix reservations. */
  readonly freeInPrefixReservations: number;
  /** Blocks holding an address AWS keeps (the first and the last block). */
  readonly awsReserved: number;
  /** Blocks assigned, whole or in part, as prefixes. */
  readonly prefixed: number;
  /** Blocks with an interface address in them. */
  readonly withAddresses: number;
  /** Blocks touched by an explicit reservation. */
  readonly explicitlyReserved: number;
}

/** Why a block is not free; a block is counted once, for the first reason found. */
const FREE = 0;
const AWS_RESERVED = 1;
const PREFIXED = 2;
const ADDRESS = 3;
const EXPLICIT = 4;

/** Count the free /28 blocks of a subnet. */
export function countFreeBlocks(use: SubnetAddressUse): BlockCount {
  const subnet = parseCidr(use.cidr);
  const count = Math.floor(subnet.size / ADDRESSES_PER_PREFIX);
  const state = new Uint8Array(count);
  const inPrefixReservation = new Uint8Array(count);

  /** Indexes of the subnet's blocks that `cidr` touches. */
  const blocksOf = (cidr: string | Ipv4Range): number[] => {
    const range = typeof cidr === "string" ? parseCidr(cidr) : cidr;
    const first = Math.max(0, Math.floor((range.start - subnet.start) / ADDRESSES_PER_PREFIX));
    const last = Math.min(count - 1, Math.floor((range.start + range.size - 1 - subnet.start) / ADDRESSES_PER_PREFIX));
    return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
  };
  const claim = (cidrs: readonly (string | Ipv4Range)[], reason: number) => {
    for (const block of cidrs.flatMap(blocksOf)) if (state[block] === FREE) state[block] = reason;
  };

  claim([{ start: subnet.start, size: AWS_RESERVED_AT_START }, { start: subnet.start + subnet.size - 1, size: 1 }], AWS_RESERVED);
  claim(use.prefixes, PREFIXED);
  claim(use.addresses.map((address) => `${address}/32`), ADDRESS);
  claim(use.reservations.filter((r) => r.type === "explicit").map((r) => r.cidr), EXPLICIT);
  for (const block of use.reservations.filter((r) => r.type === "prefix").flatMap((r) => blocksOf(r.cidr))) {
    inPrefixReservation[block] = 1;
  }

  const tally = (reason: number) => state.filter((value) => value === reason).length;
  return {
    blocks: count,
    free: tally(FREE),
    freeInPrefixReservations: state.filter((value, block) => value === FREE && inPrefixReservation[block] === 1).length,
    awsReserved: tally(AWS_RESERVED),
    prefixed: tally(PREFIXED),
    withAddresses: tally(ADDRESS),
    explicitlyReserved: tally(EXPLICIT),
  };
}

/** The VPC CNI's warm pool settings in prefix mode. */
export interface WarmTargets {
  /** WARM_PREFIX_TARGET: whole free prefixes kept attached. */
  readonly warmPrefixTarget: number;
  /** WARM_IP_TARGET: free addresses kept; with MINIMUM_IP_TARGET it replaces WARM_PREFIX_TARGET. */
  readonly warmIpTarget: number | null;
  /** MINIMUM_IP_TARGET: addresses held however few pods run. */
  readonly minimumIpTarget: number | null;
}

/**
 * The /28 prefixes a node holds when it runs `maxPods` pods, at most the
 * `slots` its interfaces can carry. With WARM_PREFIX_TARGET the CNI keeps
 * that many whole prefixes free beside those its pods use:
 * ceil(pods / 16) + WARM_PREFIX_TARGET. WARM_IP_TARGET or MINIMUM_IP_TARGET,
 * when set, replace it: enough prefixes for the pods plus WARM_IP_TARGET
 * addresses, and at least MINIMUM_IP_TARGET addresses (amazon-vpc-cni-k8s
 * docs/prefix-and-ip-target.md and its table of examples). Every pod is
 * counted, host-network ones too, so the figure errs on the safe side.
 */
export function prefixesAtMaxPods(maxPods: number, targets: WarmTargets, slots: number): number {
  const prefixesFor = (addresses: number) => Math.ceil(addresses / ADDRESSES_PER_PREFIX);
  const wanted =
    targets.warmIpTarget !== null || targets.minimumIpTarget !== null
      ? Math.max(prefixesFor(maxPods + (targets.warmIpTarget ?? 0)), prefixesFor(targets.minimumIpTarget ?? 0))
      : prefixesFor(maxPods) + targets.warmPrefixTarget;
  return Math.min(wanted, slots);
}

/**
 * Interfaces a node has in the subnet its pods take prefixes from, when it holds `prefixes` prefixes: each carries
 * `ipv4PerEni − 1` of them (its primary address is no prefix). Without custom networking the node's primary
 * interface is one of them and is always there; with custom networking it sits in the node subnet and carries no
 * pods, and only the interfaces the CNI attaches are in the ENIConfig's subnet (amazon-vpc-cni-k8s pkg/ipamd).
 */
export function interfacesAtPrefixes(prefixes: number, ipv4PerEni: number, customNetworking: boolean): number {
  const needed = Math.ceil(prefixes / Math.max(1, ipv4PerEni - 1));
  return customNetworking ? needed : Math.max(1, needed);
}
