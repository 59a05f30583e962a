/**
 * What prefix reservations refuse (see docs/bad-input.md): CIDRs that are not
 * whole, aligned groups of /28 prefixes. Whether a CIDR lies inside its
 * subnet needs the subnet's CIDR, so that is a plan-time precondition.
 */
import { SUBNET_ID_PATTERN } from "./node-group/rules.js";
import { matches, tfMatches, type InputRule } from "../rules/checker.js";

/** Prefix delegation hands out /28 blocks: a reservation must hold whole ones. */
export const PREFIX_LENGTH = 28;

export interface ReservationInput {
  readonly subnet_id: string;
  readonly cidr_block: string;
  readonly description?: string;
}

const IPV4_CIDR = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\/([0-9]|[12][0-9]|3[0-2])$/;

/** True when `cidr` is an IPv4 CIDR of /28 or larger whose address is its first address. */
export function isAlignedPrefixBlock(cidr: string): boolean {
  if (!IPV4_CIDR.test(cidr)) return false;
  const [address = "", length = ""] = cidr.split("/");
  const bits = Number(length);
  if (bits > PREFIX_LENGTH) return false;
  const value = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
  return value % 2 ** (32 - bits) === 0;
}

const list = (value: unknown): ReservationInput[] => (Array.isArray(value) ? (value as ReservationInput[]) : []);

export const PREFIX_RESERVATION_RULES: readonly InputRule[] = [
  {
    input: "reservations",
    message: "reservations: every subnet_id must be a subnet id (subnet-…).",
    accepts: (value) => list(value).every((r) => matches(SUBNET_ID_PATTERN)(r.subnet_id)),
    condition: (ref) => `alltrue([for r in ${ref} : ${tfMatches(SUBNET_ID_PATTERN)("r.subnet_id")}])`,
  },
  {
    input: "reservations",
    message: `reservations: every cidr_block must be an IPv4 CIDR of /${PREFIX_LENGTH} or larger that starts on its own boundary (e.g. 10.0.8.0/22, not 10.0.8.4/28), so it holds whole /${PREFIX_LENGTH} prefixes.`,
    accepts: (value) => list(value).every((r) => isAlignedPrefixBlock(r.cidr_block)),
    condition: (ref) =>
      `alltrue([for r in ${ref} : can(cidrhost(r.cidr_block, 0)) && can(regex("^[0-9.]+/[0-9]+$", r.cidr_block)) ? (cidrhost(r.cidr_block, 0) == split("/", r.cidr_block)[0] && tonumber(split("/", r.cidr_block)[1]) <= ${PREFIX_LENGTH}) : false])`,
  },
  {
    input: "reservations",
    message: "reservations: each subnet_id and cidr_block pair may appear only once.",
    accepts: (value) => new Set(list(value).map((r) => `${r.subnet_id} ${r.cidr_block}`)).size === list(value).length,
    condition: (ref) => `length(distinct([for r in ${ref} : "\${r.subnet_id} \${r.cidr_block}"])) == length(${ref})`,
  },
];
