import type { SandboxStatus } from '@hermes/protocol';

const KIND: Record<SandboxStatus['kind'], string> = { bwrap: 'bubblewrap', seatbelt: 'macOS sandbox-exec', none: 'none' };

/** One line for `hermes daemon status`: which sandbox, and whether commands run in it. */
export function sandboxLine(s: SandboxStatus): string {
  if (s.active) return `${KIND[s.kind]}${s.version ? ` ${s.version}` : ''} (mode ${s.mode}, network ${s.network ? 'on' : 'off'})`;
  return `inactive (mode ${s.mode}${s.reason ? `: ${s.reason}` : ''})`;
}

/** `hermes sandbox status`: everything a user needs to check the boundary. */
export function sandboxReport(s: SandboxStatus): string {
  const lines = [
    s.active
      ? `terminal commands run in a sandbox: ${KIND[s.kind]}${s.version ? ` ${s.version}` : ''}`
      : 'terminal commands run WITHOUT a sandbox',
    `  mode      ${s.mode} (sandbox.mode)`,
  ];
  if (!s.active && s.reason) lines.push(`  why       ${s.reason}`);
  if (s.hint) lines.push(`  fix       ${s.hint}`);
  if (s.active) {
    lines.push(`  network   ${s.network ? 'on (sandbox.network)' : 'off (a private network namespace: no internet, no daemon port)'}`);
    lines.push(`  writable  ${s.writable.join(', ')}`);
    lines.push(`  read-only ${s.readOnly.join(', ')} (inside the workspace)`);
    lines.push(`  hidden    ${s.hidden[0]}`);
    for (const h of s.hidden.slice(1)) lines.push(`            ${h}`);
  }
  lines.push(`  policy    ${s.policy}`);
  return lines.join('\n') + '\n';
}
