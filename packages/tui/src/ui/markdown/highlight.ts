import { common, createLowlight } from 'lowlight';
import type { Line, Span } from '../text/lines.js';
import { c, type Style } from '../theme/theme.js';

let instance: ReturnType<typeof createLowlight> | undefined;
/**
 * Built on first use: registering highlight.js's common grammars (each one a function run to
 * build its rules) showed in the profile of every TUI start, and most screens have no code.
 */
const lowlight = () => (instance ??= createLowlight(common));

const CLASS_STYLE: Record<string, Style> = {
  keyword: c.magenta,
  built_in: c.cyan,
  type: c.cyan,
  literal: c.blue,
  number: c.blue,
  string: c.green,
  regexp: c.red,
  symbol: c.green,
  comment: c.gray.italic,
  doctag: c.gray,
  meta: c.gray,
  'meta-keyword': c.magenta,
  title: c.yellow,
  'title.function': c.yellow,
  'title.class': c.cyan,
  function: c.yellow,
  params: c.white,
  attr: c.cyan,
  attribute: c.cyan,
  variable: c.red,
  'template-variable': c.red,
  property: c.cyan,
  tag: c.red,
  name: c.red,
  'selector-tag': c.red,
  'selector-class': c.yellow,
  addition: c.green,
  deletion: c.red,
  subst: c.white,
  section: c.bold.magenta,
  bullet: c.yellow,
  emphasis: c.italic,
  strong: c.bold,
  link: c.underline.blue,
  quote: c.gray.italic,
};

// The parts of hast that lowlight produces; typed here to avoid depending on @types/hast.
interface HastText {
  type: 'text';
  value: string;
}
interface HastElement {
  type: 'element';
  properties?: { className?: unknown };
  children: HastNode[];
}
type HastNode = HastText | HastElement | { type: string };

function styleOf(node: HastElement, inherited: Style | undefined): Style | undefined {
  const classes = Array.isArray(node.properties?.className) ? (node.properties.className as unknown[]) : [];
  for (const cls of classes) {
    if (typeof cls !== 'string') continue;
    const name = cls.replace(/^hljs-/, '');
    const style = CLASS_STYLE[name] ?? CLASS_STYLE[name.split('.')[0]!];
    if (style) return style;
  }
  return inherited;
}

function flatten(nodes: HastNode[], style: Style | undefined, out: Span[]): void {
  for (const n of nodes) {
    if (n.type === 'text') out.push(style ? { text: (n as HastText).value, style } : { text: (n as HastText).value });
    else if (n.type === 'element') flatten((n as HastElement).children, styleOf(n as HastElement, style), out);
  }
}

/** Colours code by language (or a guess when unnamed and long enough); one Line per source line. */
export function highlight(code: string, lang: string | undefined, fallback: Style): Line[] {
  const spans: Span[] = [];
  try {
    const name = lang?.toLowerCase().split(/[\s{]/)[0];
    if (name && lowlight().registered(name)) {
      flatten(lowlight().highlight(name, code).children as HastNode[], fallback, spans);
    } else if (!name && code.length > 40) {
      flatten(lowlight().highlightAuto(code).children as HastNode[], fallback, spans);
    } else {
      spans.push({ text: code, style: fallback });
    }
  } catch {
    spans.push({ text: code, style: fallback });
  }
  // Split spans at newlines into lines.
  const lines: Line[] = [[]];
  for (const s of spans) {
    const parts = s.text.split('\n');
    parts.forEach((p, i) => {
      if (i > 0) lines.push([]);
      if (p) lines[lines.length - 1]!.push(s.style ? { text: p, style: s.style } : { text: p });
    });
  }
  return lines;
}
