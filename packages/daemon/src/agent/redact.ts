const MARK = '[redacted]';

/**
 * Blanks out known secret values (provider keys, the daemon token, HERMES_HOME/.env values)
 * from tool output before it reaches an event, the session log or the model. Short values are
 * ignored: they would blank out ordinary words.
 */
export class Redactor {
  private readonly secrets: string[];
  readonly maxLength: number;

  constructor(values: Iterable<string | undefined>) {
    const set = new Set<string>();
    for (const v of values) if (v && v.trim().length >= 8) set.add(v.trim());
    this.secrets = [...set].sort((a, b) => b.length - a.length);
    this.maxLength = this.secrets[0]?.length ?? 0;
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(MARK);
    return out;
  }

  /**
   * For output that arrives in pieces: a secret split across two pieces is still caught,
   * because the last `maxLength - 1` characters wait for the next piece (or `flush`).
   */
  stream(): { push(text: string): string; flush(): string } {
    let pending = '';
    const hold = Math.max(0, this.maxLength - 1);
    return {
      push: (text) => {
        if (hold === 0) return text;
        const out = this.redact(pending + text);
        pending = out.slice(Math.max(0, out.length - hold));
        return out.slice(0, out.length - pending.length);
      },
      flush: () => {
        const out = this.redact(pending);
        pending = '';
        return out;
      },
    };
  }
}
