const MARK = '[redacted]';
/** Shorter values are not masked: they would blank out ordinary words. */
export const MIN_SECRET_CHARS = 8;

/**
 * Known secret values masked, then anything shaped like a credential. Vendors echo (partly
 * masked) keys in 401 bodies and proxies echo headers; a key must never reach a log or a screen.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  return new Redactor(secrets)
    .redact(text)
    .replace(/\b(sk-(?:ant-|proj-|or-v1-)?)[A-Za-z0-9_*-]{8,}/g, `$1${MARK}`)
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${MARK}`)
    .replace(/\b(x-api-key["':\s]+)[A-Za-z0-9._-]{8,}/gi, `$1${MARK}`);
}

/**
 * Blanks out known secret values (provider keys, the daemon token, HERMES_HOME/.env values)
 * from tool output before it reaches an event, the session log or the model (values shorter
 * than MIN_SECRET_CHARS are left).
 */
export class Redactor {
  private readonly secrets: string[];
  readonly maxLength: number;

  constructor(values: Iterable<string | undefined>) {
    const set = new Set<string>();
    for (const v of values) if (v && v.trim().length >= MIN_SECRET_CHARS) set.add(v.trim());
    this.secrets = [...set].sort((a, b) => b.length - a.length);
    this.maxLength = this.secrets[0]?.length ?? 0;
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(MARK);
    return out;
  }

  /**
   * Where the tail of `text` could be the start of a secret still to come: the index of the
   * earliest such start, or `text.length` when no secret can begin in the tail.
   */
  heldFrom(text: string): number {
    let from = text.length;
    for (const s of this.secrets) {
      const first = s[0]!;
      // Only a proper prefix can still grow into the secret (a whole one was already replaced).
      for (let i = Math.max(0, text.length - s.length + 1); i < from; i++) {
        i = text.indexOf(first, i);
        if (i === -1 || i >= from) break;
        if (s.startsWith(text.slice(i))) {
          from = i;
          break;
        }
      }
    }
    return from;
  }

  /**
   * For output that arrives in pieces: a secret split across pieces is still caught. Only a
   * tail that could be the beginning of a secret waits for the next piece (or `flush`); all
   * else goes out at once, so a command's output is live (`tick 1` shows when printed).
   */
  stream(): { push(text: string): string; flush(): string; held(): string } {
    let pending = '';
    return {
      push: (text) => {
        if (this.maxLength === 0) return text;
        const out = this.redact(pending + text);
        const at = this.heldFrom(out);
        pending = out.slice(at);
        return out.slice(0, at);
      },
      flush: () => {
        const out = this.redact(pending);
        pending = '';
        return out;
      },
      /** What waits for the next piece: empty, or the beginning of a secret. */
      held: () => pending,
    };
  }
}
