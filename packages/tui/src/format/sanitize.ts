/**
 * Text from a model, a tool or another client on its way to a terminal (the TUI's rows, `send`'s
 * stderr lines): tabs and stray control characters would break the row arithmetic, and a control
 * sequence must never reach the terminal (OSC 52 writes the clipboard, others retitle or
 * re-map keys): C0 controls (ESC among them), DEL and the C1 controls (U+0080–U+009F: U+009B is
 * an 8-bit CSI to many terminals) are dropped.
 */
export function sanitize(text: string): string {
  return text
    .replace(/\t/g, '    ')
    .replace(/\r(?!\n)/g, '')
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '');
}
