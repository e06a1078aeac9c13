import { describe, expect, it } from 'vitest';
import { lineWidth, sanitize, span, textWidth, wrapLine, type Line } from './lines.js';

const rows = (ls: Line[]) => ls.map((l) => l.map((s) => s.text).join(''));
const wrap = (text: string, width: number) => rows(wrapLine([span(text)], width));

describe('wrapLine', () => {
  it('keeps the space after a word longer than the row', () => {
    const long = 'a'.repeat(41);
    expect(wrap(`${long} bbb`, 40)).toEqual(['a'.repeat(40), 'a bbb']);
    expect(wrap('中文中文中文中文中文中文 abc', 10)).toEqual(['中文中文中', '文中文中文', '中文 abc']);
  });
  it('breaks Chinese and Japanese between characters, keeping their spaces', () => {
    expect(wrap('这个函数读取配置文件 然后合并默认值', 12)).toEqual(['这个函数读取', '配置文件 然', '后合并默认值']);
  });
  it('wraps Korean at its spaces, never losing one', () => {
    const text = '설정 파일이 없으면 기본값을 사용하고 경고를 기록합니다';
    const out = wrap(text, 16);
    expect(out.every((r) => textWidth(r) <= 16)).toBe(true);
    expect(out.join(' ')).toBe(text);
  });
  it('does not break a word where its style changes (`code`, then a comma)', () => {
    const out = rows(wrapLine([span('aaaa bbbb '), span('Intl', (t) => t), span(', first')], 14));
    expect(out).toEqual(['aaaa bbbb', 'Intl, first']);
  });
  it('never splits an emoji sequence, and counts it as 2 columns', () => {
    const out = wrap('👍🏽👍🏽👍🏽👨‍👩‍👧‍👦', 5);
    expect(out).toEqual(['👍🏽👍🏽', '👍🏽👨‍👩‍👧‍👦']);
  });
  it('prefixes continuation rows with the indent and fits every row', () => {
    const out = wrapLine([span('• one two three four five six')], 12, [span('  ')]);
    expect(rows(out)).toEqual(['• one two', '  three four', '  five six']);
    expect(out.every((l) => lineWidth(l) <= 12)).toBe(true);
  });
});

describe('widths (one library: string-width, as Ink)', () => {
  it('counts emoji, marks, CJK and symbols as a terminal shows them', () => {
    expect(textWidth('👍🏽')).toBe(2);
    expect(textWidth('👨‍👩‍👧‍👦')).toBe(2);
    expect(textWidth('☑')).toBe(1);
    expect(textWidth('✅ ❌ ⭐ ✨')).toBe(11);
    expect(textWidth('é')).toBe(1);
    expect(textWidth('日本語')).toBe(6);
    expect(textWidth('한국어')).toBe(6);
  });
});

describe('sanitize', () => {
  it('removes escape sequences and control characters a model could send', () => {
    expect(sanitize('a\x1b[2Jb\x07c\td')).toBe('a[2Jbc    d');
  });
});
