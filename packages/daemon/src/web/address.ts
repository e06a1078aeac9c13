import ipaddr from 'ipaddr.js';

/**
 * Which addresses `web_fetch` may connect to. An allow-list: only globally routed unicast
 * addresses (ipaddr.js's `unicast` range). Everything else is refused: loopback, private
 * (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 with the cloud metadata
 * endpoints, fe80::/10), 0.0.0.0/8 and ::, CGNAT 100.64/10, multicast, broadcast, documentation
 * and benchmarking ranges, site-local fec0::/10, and the v6 forms that carry a v4 address
 * (IPv4-mapped ::ffff:0:0/96 is judged by the v4 address inside; IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4
 * 2002::/16 and Teredo 2001::/32 could reach any v4 address, so they are refused whole).
 */
export type AddressVerdict = { ok: true; ip: string; family: 4 | 6 } | { ok: false; ip: string; range: string };

/** Options a test daemon may set (never a user's config: see `webFetchTestEnv`). */
export interface AddressRules {
  /** Allow loopback (127/8, ::1): the test-only setting for fetching a local fixture server. */
  allowLoopback?: boolean;
}

/** Judges one IP literal (no brackets). Anything that does not parse is refused. */
export function judgeAddress(raw: string, rules: AddressRules = {}): AddressVerdict {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // Strict forms only: `parse` would also take `0x7f.1`-style v4; the URL parser already
    // normalised hostnames, and DNS answers are plain, so anything odd here is refused.
    if (ipaddr.IPv4.isValidFourPartDecimal(raw)) addr = ipaddr.IPv4.parse(raw);
    else if (ipaddr.IPv6.isValid(raw) && raw.includes(':')) addr = ipaddr.IPv6.parse(raw);
    else return { ok: false, ip: raw, range: 'not an IP address' };
  } catch {
    return { ok: false, ip: raw, range: 'not an IP address' };
  }
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    if (v6.range() === 'ipv4Mapped') return judgeMapped(raw, v6, rules);
    // IPv4-compatible ::a.b.c.d (deprecated; ipaddr.js calls it unicast): no public host has one.
    if (v6.range() === 'unicast' && v6.parts.slice(0, 6).every((p) => p === 0))
      return { ok: false, ip: v6.toString(), range: 'IPv4-compatible' };
    // A zone id (fe80::1%eth0) is link-local anyway; refused by its range.
  }
  const range = addr.range();
  if (range === 'unicast') return { ok: true, ip: addr.toString(), family: addr.kind() === 'ipv4' ? 4 : 6 };
  if (range === 'loopback' && rules.allowLoopback) return { ok: true, ip: addr.toString(), family: addr.kind() === 'ipv4' ? 4 : 6 };
  return { ok: false, ip: addr.toString(), range };
}

function judgeMapped(raw: string, v6: ipaddr.IPv6, rules: AddressRules): AddressVerdict {
  const inner = judgeAddress(v6.toIPv4Address().toString(), rules);
  // Connect to the plain v4 address: the same host, one code path for the checks.
  return inner.ok ? inner : { ok: false, ip: raw, range: `${inner.range} (IPv4-mapped)` };
}

/** A hostname that is an IP literal, brackets stripped (`[::1]` → `::1`); null for a name. */
export function ipLiteral(hostname: string): string | null {
  const h = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(h) && (h.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(h)) ? h : null;
}
