/**
 * Free /28 blocks, worked out by hand on a 10.0.0.0/24 subnet: 16 aligned
 * blocks (.0–.15, .16–.31, … .240–.255). AWS keeps .0–.3 and .255, so blocks
 * 0 and 15 never hold a prefix: an empty /24 has 14 free.
 */
import { describe, expect, it } from "vitest";
import { countFreeBlocks, parseCidr, parseIpv4, prefixesAtMaxPods, type SubnetAddressUse } from "../../src/verify/subnet-blocks.js";

const subnet = (use: Partial<SubnetAddressUse> = {}): SubnetAddressUse => ({ cidr: "10.0.0.0/24", addresses: [], prefixes: [], reservations: [], ...use });

describe("countFreeBlocks", () => {
  it("GIVEN an empty /24 THEN 14 of its 16 blocks are free (the first and last hold AWS's addresses)", () => {
    expect(countFreeBlocks(subnet())).toEqual({
      blocks: 16,
      free: 14,
      freeInPrefixReservations: 0,
      awsReserved: 2,
      prefixed: 0,
      withAddresses: 0,
      explicitlyReserved: 0,
    });
  });

  it("GIVEN 12 secondary IPs scattered one per block (.21, .37, … .197) THEN only 2 blocks are free, though 239 addresses are", () => {
    // Blocks 1 to 12 each get one address at offset 5: 256 − 5 AWS − 12 used = 239 addresses free, in 2 whole blocks (13, 14).
    const addresses = Array.from({ length: 12 }, (_, i) => `10.0.0.${16 * (i + 1) + 5}`);
    expect(addresses[0]).toBe("10.0.0.21");
    expect(addresses[11]).toBe("10.0.0.197");
    expect(countFreeBlocks(subnet({ addresses }))).toMatchObject({ blocks: 16, free: 2, withAddresses: 12, awsReserved: 2 });
  });

  it("GIVEN addresses in blocks that are already out (AWS's, a prefix, twice in one block) THEN each block counts once", () => {
    const use = subnet({ addresses: ["10.0.0.2", "10.0.0.20", "10.0.0.30", "10.0.0.70"], prefixes: ["10.0.0.64/28"] });
    // Block 0: AWS's (the address .2 adds nothing); block 1: .20 and .30; block 4: the prefix (and .70 in it); block 15: AWS's.
    expect(countFreeBlocks(use)).toMatchObject({ free: 12, awsReserved: 2, withAddresses: 1, prefixed: 1 });
  });

  it("GIVEN a prefix reservation .64/26 holding one prefix, an explicit .128/26 and an explicit .200/29 THEN 8 blocks are free, 3 of them reserved for prefixes", () => {
    const use = subnet({
      prefixes: ["10.0.0.64/28"],
      reservations: [
        { cidr: "10.0.0.64/26", type: "prefix" }, // blocks 4–7: for prefixes; 4 is taken
        { cidr: "10.0.0.128/26", type: "explicit" }, // blocks 8–11: EC2 assigns none of these by itself
        { cidr: "10.0.0.200/29", type: "explicit" }, // half of block 12 (.192–.207) is enough to lose it
      ],
    });
    // 14 − 1 prefix − 4 − 1 explicit = 8: blocks 1, 2, 3, 5, 6, 7, 13, 14.
    expect(countFreeBlocks(use)).toEqual({
      blocks: 16,
      free: 8,
      freeInPrefixReservations: 3,
      awsReserved: 2,
      prefixed: 1,
      withAddresses: 0,
      explicitlyReserved: 5,
    });
  });

  it("GIVEN a full /26 (its two inner blocks assigned as prefixes) THEN none is free", () => {
    const use = subnet({ cidr: "10.0.0.0/26", addresses: ["10.0.0.10"], prefixes: ["10.0.0.16/28", "10.0.0.32/28"] });
    expect(countFreeBlocks(use)).toMatchObject({ blocks: 4, free: 0, awsReserved: 2, prefixed: 2 });
  });

  it("GIVEN a /28 subnet THEN its one block holds AWS's addresses: no prefix fits", () => {
    expect(countFreeBlocks(subnet({ cidr: "10.0.0.16/28" }))).toMatchObject({ blocks: 1, free: 0, awsReserved: 1 });
  });

  it("GIVEN a /20 with the first node's interface, two prefixes and three other interfaces THEN 249 of 256 blocks are free", () => {
    const use: SubnetAddressUse = {
      cidr: "10.0.0.0/20",
      // 10.0.0.10 is in block 0 (AWS's); .1.23 block 17; .2.5 block 32; .9.200 block 156.
      addresses: ["10.0.1.23", "10.0.0.10", "10.0.2.5", "10.0.9.200"],
      prefixes: ["10.0.4.0/28", "10.0.4.16/28"], // blocks 64, 65
      reservations: [],
    };
    expect(countFreeBlocks(use)).toMatchObject({ blocks: 256, free: 249, awsReserved: 2, prefixed: 2, withAddresses: 3 });
  });

  it("ignores what lies outside the subnet", () => {
    const use = subnet({ addresses: ["10.0.1.5"], prefixes: ["10.0.2.0/28"], reservations: [{ cidr: "10.0.0.0/16", type: "explicit" }] });
    // The /16 explicit reservation covers the whole /24: every block but AWS's two is out.
    expect(countFreeBlocks(use)).toMatchObject({ free: 0, explicitlyReserved: 14, withAddresses: 0, prefixed: 0 });
    expect(countFreeBlocks(subnet({ addresses: ["10.0.1.5"], prefixes: ["10.0.2.0/28"] })).free).toBe(14);
  });
});

describe("IPv4 parsing", () => {
  it("reads addresses and CIDR blocks, aligning a block to its prefix length", () => {
    expect(parseIpv4("10.0.1.23")).toBe(10 * 2 ** 24 + 279);
    expect(parseCidr("10.0.16.0/20")).toEqual({ start: parseIpv4("10.0.16.0"), size: 4096 });
    expect(parseCidr("10.0.0.200/29")).toEqual({ start: parseIpv4("10.0.0.200"), size: 8 });
  });

  it.each(["10.0.0", "10.0.0.256", "10.0.0.01", "fd00::1"])("refuses %s", (text) => {
    expect(() => parseIpv4(text)).toThrow("is not an IPv4 address");
  });
});

describe("prefixesAtMaxPods", () => {
  const prefixTarget = (warmPrefixTarget: number) => ({ warmPrefixTarget, warmIpTarget: null, minimumIpTarget: null });
  const ipTargets = (warmIpTarget: number | null, minimumIpTarget: number | null) => ({ warmPrefixTarget: 1, warmIpTarget, minimumIpTarget });

  it("GIVEN WARM_PREFIX_TARGET=1 THEN a 110-pod node holds ceil(110 / 16) + 1 = 8 prefixes", () => {
    expect(prefixesAtMaxPods(110, prefixTarget(1), 15)).toBe(8);
  });

  it.each([
    // pods, WARM_PREFIX_TARGET, prefixes: the VPC CNI's own table (docs/prefix-and-ip-target.md, t3.small)
    [0, 1, 1],
    [5, 1, 2],
    [16, 1, 2],
    [17, 1, 3],
    [58, 1, 5],
  ])("GIVEN %i pods and WARM_PREFIX_TARGET=%i THEN %i prefixes", (pods, warm, prefixes) => {
    expect(prefixesAtMaxPods(pods, prefixTarget(warm), 9)).toBe(prefixes);
  });

  it.each([
    // pods, WARM_IP_TARGET, MINIMUM_IP_TARGET, prefixes (same table)
    [5, 1, 1, 1],
    [17, 1, 1, 2],
    [58, 1, 1, 4],
    [17, 7, 20, 2],
    [58, 7, 20, 5],
    [45, 5, 10, 4],
  ])("GIVEN %i pods, WARM_IP_TARGET=%i and MINIMUM_IP_TARGET=%i THEN %i prefixes (they replace WARM_PREFIX_TARGET)", (pods, warm, minimum, prefixes) => {
    expect(prefixesAtMaxPods(pods, ipTargets(warm, minimum), 100)).toBe(prefixes);
  });

  it("GIVEN more prefixes wanted than the interfaces carry THEN the interfaces' slots", () => {
    // t3.micro: 2 interfaces × 1 slot; 34 pods would want 3 + 1.
    expect(prefixesAtMaxPods(34, prefixTarget(1), 2)).toBe(2);
  });
});
