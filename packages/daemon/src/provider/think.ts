const OPEN = '<think>';
const CLOSE = '</think>';

export interface SplitPiece {
  kind: 'text' | 'reasoning';
  text: string;
}

/**
 * Splits inline `<think>…</think>` reasoning (llama.cpp without a reasoning format, Hermes 4)
 * out of streamed content. Only a reply that opens with the tag is split, so a model that
 * merely writes about the tag later on is left alone. Tags may be split across deltas.
 */
export class ThinkSplitter {
  private state: 'undecided' | 'thinking' | 'after' | 'text' = 'undecided';
  private held = '';

  constructor(private readonly enabled = true) {
    if (!enabled) this.state = 'text';
  }

  push(delta: string): SplitPiece[] {
    if (this.state === 'text') return delta ? [{ kind: 'text', text: delta }] : [];
    this.held += delta;
    const out: SplitPiece[] = [];
    for (;;) {
      if (this.state === 'undecided') {
        const lead = this.held.trimStart();
        if (lead.startsWith(OPEN)) {
          this.held = lead.slice(OPEN.length);
          this.state = 'thinking';
          continue;
        }
        if (OPEN.startsWith(lead)) return out; // maybe the tag, not complete yet
        this.state = 'text';
        return this.flushAs('text', out);
      }
      if (this.state === 'thinking') {
        const at = this.held.indexOf(CLOSE);
        if (at !== -1) {
          if (at > 0) out.push({ kind: 'reasoning', text: this.held.slice(0, at) });
          this.held = this.held.slice(at + CLOSE.length);
          this.state = 'after';
          continue;
        }
        // Keep back a tail that could be the start of the closing tag.
        const keep = partialSuffix(this.held, CLOSE);
        const emit = this.held.slice(0, this.held.length - keep);
        if (emit) out.push({ kind: 'reasoning', text: emit });
        this.held = this.held.slice(this.held.length - keep);
        return out;
      }
      if (this.state === 'after') {
        // The blank lines between `</think>` and the answer are layout, not text.
        const rest = this.held.replace(/^\s+/, '');
        if (rest === '') {
          this.held = '';
          return out;
        }
        this.held = rest;
        this.state = 'text';
        return this.flushAs('text', out);
      }
      return out;
    }
  }

  /** At the end of the stream: whatever is held was not a tag after all. */
  finish(): SplitPiece[] {
    const out: SplitPiece[] = [];
    if (this.held === '') return out;
    if (this.state === 'thinking') out.push({ kind: 'reasoning', text: this.held });
    else if (this.state === 'undecided') out.push({ kind: 'text', text: this.held });
    this.held = '';
    return out;
  }

  private flushAs(kind: 'text', out: SplitPiece[]): SplitPiece[] {
    if (this.held) out.push({ kind, text: this.held });
    this.held = '';
    return out;
  }
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag`. */
function partialSuffix(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) if (tag.startsWith(s.slice(s.length - n))) return n;
  return 0;
}
