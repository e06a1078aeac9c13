import { describe, expect, it } from 'vitest';
import { ipLiteral, judgeAddress } from './address.js';
import { checkUrl, FetchRefused, pinAddress, type ResolveAll } from './guard.js';

/** What an attacker would try, as the URL parser hands it on (it normalises decimal/octal/hex forms). */
const REFUSED_URLS = [
  'http://127.0.0.1/',
  'http://127.1/',
  'http://2130706433/', // decimal
  'http://0x7f000001/', // hex
  'http://0x7f.0.0.1/',
  'http://0177.0.0.1/', // octal
  'http://017700000001/',
  'http://127.000.000.001/',
  'http://0/',
  'http://0.0.0.0:8080/',
  'http://[::1]/',
  'http://[::]/',
  'http://[0:0:0:0:0:0:0:1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://[::ffff:169.254.169.254]/latest/meta-data/',
  'http://[::127.0.0.1]/',
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'http://[fd00:ec2::254]/latest/meta-data/', // AWS IMDS over v6
  'http://100.100.100.200/latest/meta-data/', // Alibaba metadata (CGNAT range)
  'http://10.0.0.1/',
  'http://172.16.0.1/',
  'http://172.31.255.255/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://224.0.0.1/',
  'http://239.255.255.250:1900/',
  'http://255.255.255.255/',
  'http://192.0.0.1/',
  'http://198.18.0.1/',
  'http://240.0.0.1/',
  'http://[fe80::1]/',
  'http://[fc00::1]/',
  'http://[fec0::1]/',
  'http://[ff02::1]/',
  'http://[64:ff9b::7f00:1]/', // NAT64 of 127.0.0.1
  'http://[2002:7f00:1::]/', // 6to4 of 127.0.0.1
  'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', // Teredo
  'http://[2001:db8::1]/',
];

const noDns: ResolveAll = async () => {
  throw new Error('no DNS in this test');
};

describe('web_fetch address rules', () => {
  it.each(REFUSED_URLS)('refuses %s before any connection', async (raw) => {
    const { url } = checkUrl(raw);
    await expect(pinAddress(url, { resolve: noDns })).rejects.toBeInstanceOf(FetchRefused);
  });

  it('allows public unicast, v4 and v6 (and the v4 inside an IPv4-mapped v6 address)', () => {
    expect(judgeAddress('93.184.216.34')).toMatchObject({ ok: true, family: 4 });
    expect(judgeAddress('2606:4700:4700::1111')).toMatchObject({ ok: true, family: 6 });
    expect(judgeAddress('::ffff:93.184.216.34')).toEqual({ ok: true, ip: '93.184.216.34', family: 4 });
    expect(judgeAddress('8.8.8.8')).toMatchObject({ ok: true });
  });

  it('refuses anything that is not a plain address, and the test switch opens loopback only', () => {
    for (const odd of ['0x7f.1', '127.1', '017700000001', '', 'localhost', '1.2.3.4.5', '::ffff:10.0.0.1', 'fe80::1%eth0'])
      expect(judgeAddress(odd).ok, odd).toBe(false);
    const test = { allowLoopback: true };
    expect(judgeAddress('127.0.0.1', test).ok).toBe(true);
    expect(judgeAddress('::1', test).ok).toBe(true);
    expect(judgeAddress('::ffff:127.0.0.1', test)).toMatchObject({ ok: true, ip: '127.0.0.1' });
    for (const ip of ['10.0.0.1', '169.254.169.254', '0.0.0.0', '192.168.0.1', 'fd00::1', '::'])
      expect(judgeAddress(ip, test).ok, ip).toBe(false);
  });

  it('recognises IP literals (brackets stripped) and leaves names to DNS', () => {
    expect(ipLiteral('[::1]')).toBe('::1');
    expect(ipLiteral('127.0.0.1')).toBe('127.0.0.1');
    expect(ipLiteral('example.com')).toBeNull();
    expect(ipLiteral('1.2.3')).toBeNull();
  });

  it('judges every address a name resolves to: one private answer refuses the name whole', async () => {
    const dns =
      (answers: Record<string, string[]>): ResolveAll =>
      async (h) =>
        (answers[h] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    const resolve = dns({
      'public.test': ['93.184.216.34', '2606:2800:220:1::248'],
      'internal.test': ['10.0.0.5'],
      'mixed.test': ['93.184.216.34', '127.0.0.1'],
      'metadata.test': ['::ffff:169.254.169.254'],
      'v6private.test': ['fd12:3456::1'],
      'nothing.test': [],
    });
    await expect(pinAddress(new URL('https://public.test/'), { resolve })).resolves.toEqual({ ip: '93.184.216.34', family: 4 });
    for (const host of ['internal.test', 'mixed.test', 'metadata.test', 'v6private.test']) {
      await expect(pinAddress(new URL(`http://${host}/`), { resolve }), host).rejects.toThrow(/^Refused: .* resolves to /);
    }
    await expect(pinAddress(new URL('http://nothing.test/'), { resolve })).rejects.toThrow(/Could not resolve/);
    // The system resolver: localhost (and its trailing-dot form) lands on loopback.
    await expect(pinAddress(new URL('http://localhost/'), {})).rejects.toBeInstanceOf(FetchRefused);
    await expect(pinAddress(new URL('http://localhost./'), {})).rejects.toThrow(/Refused|Could not resolve/);
  });

  it('never fetches the daemon itself, even where loopback is open for tests', async () => {
    await expect(pinAddress(new URL('http://127.0.0.1:4567/v1/sessions'), { allowLoopback: true, ownPorts: [4567] })).rejects.toThrow(
      /the hermes daemon itself/,
    );
    await expect(pinAddress(new URL('http://[::ffff:127.0.0.1]:4567/'), { allowLoopback: true, ownPorts: [4567] })).rejects.toThrow(
      /daemon itself/,
    );
    await expect(pinAddress(new URL('http://127.0.0.1:4568/'), { allowLoopback: true, ownPorts: [4567] })).resolves.toMatchObject({
      ip: '127.0.0.1',
    });
  });

  it('takes http(s) only, drops credentials and fragments', () => {
    for (const raw of [
      'file:///etc/passwd',
      'ftp://example.com/',
      'gopher://127.0.0.1:6379/_INFO',
      'javascript:alert(1)',
      'data:text/html,hi',
      'dict://x/',
      'ws://example.com/',
      'not a url',
      '//example.com/',
    ]) {
      expect(() => checkUrl(raw), raw).toThrow(FetchRefused);
    }
    const c = checkUrl('https://user:s3cret@example.com/a?b=1#frag');
    expect(c.url.href).toBe('https://example.com/a?b=1');
    expect(c.droppedCredentials).toBe(true);
    expect(checkUrl('/next', 'https://example.com/a/b').url.href).toBe('https://example.com/next');
  });
});
