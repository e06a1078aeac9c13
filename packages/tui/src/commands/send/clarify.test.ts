import { describe, expect, it } from 'vitest';
import { clarifyLines, parseClarifyInput } from './clarify.js';

const single = { question: 'DB?', options: [{ label: 'SQLite' }, { label: 'Postgres' }] };
const multi = { question: 'Features?', options: [{ label: 'Auth' }, { label: 'Billing' }, { label: 'Search' }], multiSelect: true };

describe('send: typed answers to clarify questions', () => {
  it('numbers pick options, anything else is the answer itself, an empty line dismisses', () => {
    expect(parseClarifyInput(single, '2')).toEqual(['Postgres']);
    expect(parseClarifyInput(single, ' 1 ')).toEqual(['SQLite']);
    expect(parseClarifyInput(single, 'MySQL please')).toEqual(['MySQL please']);
    // Out of range or several numbers for a single choice: taken as typed text, never a wrong pick.
    expect(parseClarifyInput(single, '3')).toEqual(['3']);
    expect(parseClarifyInput(single, '1,2')).toEqual(['1,2']);
    expect(parseClarifyInput(multi, '1, 3,3')).toEqual(['Auth', 'Search']);
    expect(parseClarifyInput({ question: 'Name?' }, '42')).toEqual(['42']);
    expect(parseClarifyInput(single, '   ')).toBeNull();
  });

  it('shows options numbered, with their descriptions', () => {
    expect(
      clarifyLines([{ ...single, header: 'Database', options: [{ label: 'SQLite', description: 'a file' }, { label: 'Postgres' }] }]),
    ).toEqual(['? The agent asks:', '  Database · DB?', '     1) SQLite — a file', '     2) Postgres']);
  });
});
