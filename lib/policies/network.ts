import type { IpBinding } from "./types";

const LOOPBACK = "loopback";

/** Expands an IPv6 address to 8 groups of 16 bits; null when it is not one. */
function ipv6Groups(ip: string): number[] | null {
  let address = ip.toLowerCase().split("%")[0] ?? "";
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4?.[1]) {
    const octets = ipv4Octets(v4[1]);
    if (!octets) return null;
    address =
      address.slice(0, -v4[1].length) + `${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0] ?? "");
  const tail = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

function ipv4Octets(ip: string): number[] | null {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.map(Number);
}

/** The network an address belongs to: /24 for IPv4, /64 for IPv6; every loopback address is one network. */
export function networkOf(ip: string): string | null {
  const v4 = ipv4Octets(ip);
  if (v4) return v4[0] === 127 ? LOOPBACK : `${v4[0]}.${v4[1]}.${v4[2]}.0/24`;
  const v6 = ipv6Groups(ip);
  if (!v6) return null;
  if (v6.slice(0, 7).every((g) => g === 0) && v6[7] === 1) return LOOPBACK;
  // IPv4-mapped IPv6 is the IPv4 address.
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) {
    return v6[6]! >> 8 === 127 ? LOOPBACK : `${v6[6]! >> 8}.${v6[6]! & 255}.${v6[7]! >> 8}.0/24`;
  }
  return `${v6
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** Whether a request from `current` may use a session created from `original` under this binding. */
export function ipAllowed(binding: IpBinding, original: string, current: string): boolean {
  if (binding === "off") return true;
  // A browser on this machine may reach us over ::1 one moment and 127.0.0.1 the next.
  if (networkOf(original) === LOOPBACK && networkOf(current) === LOOPBACK) return true;
  if (binding === "exact") {
    const a = networkOf(original) === null ? original : canonical(original);
    const b = networkOf(current) === null ? current : canonical(current);
    return a === b;
  }
  const a = networkOf(original);
  const b = networkOf(current);
  return a !== null && a === b;
}

/**
 * Where an address counts as "the same place" under a binding: the address itself when sessions are bound to it,
 * otherwise its network (moving within a /24 or /64 is what mobile and carrier NAT do). The monitor counts these,
 * so it never calls suspicious a move the policy itself accepts.
 */
export function placeOf(binding: IpBinding, ip: string): string {
  const network = networkOf(ip);
  if (network === null) return ip;
  if (binding === "exact" && network !== LOOPBACK) return canonical(ip);
  return network;
}

function canonical(ip: string): string {
  const v4 = ipv4Octets(ip);
  if (v4) return v4.join(".");
  const v6 = ipv6Groups(ip);
  if (!v6) return ip;
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) return `${v6[6]! >> 8}.${v6[6]! & 255}.${v6[7]! >> 8}.${v6[7]! & 255}`;
  return v6.map((g) => g.toString(16)).join(":");
}
