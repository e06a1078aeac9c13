import { describe, expect, it } from 'vitest';
import { clampBottom, clampTop, lineWidth, plain, sanitize, span, textLines, textWidth, toAnsi, wrapLine, type Line } from './lines.js';

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
  it('drops the 8-bit C1 controls too (U+009B is a CSI to many terminals), and carriage returns (CRLF becomes LF)', () => {
    expect(sanitize('x\u009b2Jy\u009d0;t\u009cz')).toBe('x2Jy0;tz');
    expect(sanitize('over\rwrite\r\nnext')).toBe('overwrite\nnext');
    expect(sanitize('naïve 日本 👍🏽 — ok')).toBe('naïve 日本 👍🏽 — ok');
  });
});

describe('toAnsi: the one way rows reach the terminal', () => {
  it('drops control characters from any span, while a style still adds its own sequences', () => {
    const bold = (t: string) => `\x1b[1m${t}\x1b[22m`;
    const row: Line = [span('rm \x1b]52;c;cm0gLXJm\x07 -rf'), span('\u009b2J', bold), span('\tend')];
    expect(toAnsi(row)).toBe('rm ]52;c;cm0gLXJm -rf\x1b[1m2J\x1b[22mend');
  });
  it('a span left empty by the cleaning gets no style around nothing', () => {
    expect(toAnsi([span('\x1b', (t) => `<${t}>`)])).toBe('');
  });
});

describe('textLines and clamps', () => {
  it('textLines splits on newlines, sanitizes and wraps each with the indent', () => {
    expect(rows(textLines('one two three\n\tx', 8, undefined, [span('> ')]))).toEqual(['one two', '> three', '    x']);
  });
  it('clampTop keeps the newest rows and says how many were cut; clampBottom the oldest', () => {
    const ls = ['1', '2', '3', '4', '5'].map((t) => plain(t));
    const top = rows(clampTop(ls, 3));
    expect(top.slice(1)).toEqual(['4', '5']);
    expect(top[0]).toMatch(/3/);
    const bottom = rows(clampBottom(ls, 3));
    expect(bottom.slice(0, 2)).toEqual(['1', '2']);
    expect(bottom[2]).toMatch(/3/);
    expect(rows(clampTop(ls, 9))).toEqual(['1', '2', '3', '4', '5']);
  });
});
