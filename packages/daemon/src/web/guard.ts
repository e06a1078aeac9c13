import { lookup as dnsLookup } from 'node:dns/promises';
import { judgeAddress, ipLiteral, type AddressRules } from './address.js';

/** A fetch refused by the rules (scheme, address, the daemon itself): the model is told why, nothing is sent. */
export class FetchRefused extends Error {}

/** Resolves a name to every address it has (tests give their own resolver). */
export type ResolveAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolve: ResolveAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface GuardOptions extends AddressRules {
  /** Ports the daemon itself listens on (loopback): never fetched, test setting or not. */
  ownPorts?: readonly number[];
  resolve?: ResolveAll;
}

/** The URL to fetch, checked: http(s) only, credentials dropped (never sent anywhere), fragment dropped. */
export function checkUrl(raw: string, base?: string): { url: URL; droppedCredentials: boolean } {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    throw new FetchRefused(`Not a valid URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchRefused(`Only http and https URLs are fetched, not ${url.protocol.replace(/:$/, '')}:.`);
  const droppedCredentials = url.username !== '' || url.password !== '';
  url.username = '';
  url.password = '';
  url.hash = '';
  return { url, droppedCredentials };
}

export const portOf = (url: URL): number => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/**
 * The one address the request will connect to, checked. A name is resolved once and every
 * address it has must pass (a name with any private address is refused whole: the connection
 * could otherwise land on it); the request then connects to exactly this address, so a DNS
 * answer that changes afterwards (rebinding) changes nothing.
 */
export async function pinAddress(url: URL, o: GuardOptions): Promise<{ ip: string; family: 4 | 6 }> {
  const port = portOf(url);
  const literal = ipLiteral(url.hostname);
  let answers: { address: string; family: number }[];
  if (literal !== null) {
    answers = [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
  } else {
    try {
      answers = await (o.resolve ?? systemResolve)(url.hostname);
    } catch (e) {
      const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
      throw new Error(`Could not resolve ${url.hostname}${code ? ` (${code})` : ''}.`);
    }
    if (answers.length === 0) throw new Error(`Could not resolve ${url.hostname}.`);
  }
  let chosen: { ip: string; family: 4 | 6 } | null = null;
  for (const a of answers) {
    const v = judgeAddress(a.address, o);
    if (!v.ok) {
      const via = literal === null ? `${url.hostname} resolves to ${v.ip}, ` : `${v.ip} is `;
      throw new FetchRefused(`Refused: ${via}a ${v.range} address. web_fetch only fetches public internet addresses.`);
    }
    chosen ??= { ip: v.ip, family: v.family };
  }
  const pinned = chosen!;
  if ((o.ownPorts ?? []).includes(port) && judgeAddress(pinned.ip).ok === false) {
    throw new FetchRefused('Refused: that is the hermes daemon itself.');
  }
  return pinned;
}
