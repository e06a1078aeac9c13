const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Whether `text` ends inside an open ``` or ~~~ fence. */
export function endsInsideFence(text: string): boolean {
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const m = FENCE.exec(line);
    if (!m) continue;
    const marker = m[1]!;
    if (open === null) open = marker;
    else if (marker[0] === open[0] && marker.length >= open.length && line.trim() === marker) open = null;
  }
  return open !== null;
}

/**
 * Where a streaming reply can be cut so the head is made of finished blocks: the end of the
 * last blank line that is outside a code fence, and after which more text followed (so the
 * paragraph before it is complete). Returns 0 when there is no such point.
 */
export function findSafeSplit(text: string): number {
  let open: string | null = null;
  let best = 0;
  let offset = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const end = offset + line.length + 1;
    const m = FENCE.exec(line);
    if (m) {
      const marker = m[1]!;
      if (open === null) open = marker;
      else if (marker[0] === open[0] && marker.length >= open.length && line.trim() === marker) open = null;
    } else if (open === null && line.trim() === '' && i > 0 && i < lines.length - 1 && end <= text.length) {
      // A blank line with text after it, outside a fence: everything before is final.
      if (lines.slice(0, i).some((l) => l.trim() !== '')) best = end;
    }
    offset = end;
  }
  return best;
}
