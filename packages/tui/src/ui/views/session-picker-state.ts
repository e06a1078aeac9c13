import type { ListSessionsResponse, SessionSummary } from '@hermes/protocol';

/** The /sessions picker: one page at a time from the daemon, filtered by what is typed. */
export interface PickerState {
  sessions: SessionSummary[];
  index: number;
  filter: string;
  /** Where the next page starts; null when every match is loaded. */
  nextCursor: string | null;
  /** How many sessions match the filter (null: not known yet). */
  total: number | null;
  loading: boolean;
  /** Which request the list belongs to: an answer to an older one (an earlier filter) is dropped. */
  generation: number;
}

export const PICKER_PAGE = 50;
/** The next page is asked for when the selection gets this close to the end of what is loaded. */
const PREFETCH_ROWS = 5;

export const emptyPicker = (): PickerState => ({
  sessions: [],
  index: 0,
  filter: '',
  nextCursor: null,
  total: null,
  loading: true,
  generation: 0,
});

export type PickerAction =
  | { type: 'move'; by: number }
  | { type: 'filter'; text: string }
  | { type: 'page'; generation: number; page: ListSessionsResponse; append: boolean }
  | { type: 'loading'; generation: number };

/** Pure: the next state. `filter` starts a new generation (the list reloads for the new text). */
export function pickerReduce(s: PickerState, a: PickerAction): PickerState {
  switch (a.type) {
    case 'move':
      return { ...s, index: Math.max(0, Math.min(s.sessions.length - 1, s.index + a.by)) };
    case 'filter':
      return { ...s, filter: a.text, index: 0, generation: s.generation + 1, loading: true };
    case 'loading':
      return a.generation === s.generation ? { ...s, loading: true } : s;
    case 'page': {
      if (a.generation !== s.generation) return s;
      let incoming = a.page.sessions;
      // An older daemon answers every session at once, unfiltered: filter here.
      if (a.page.total === undefined && s.filter) {
        const f = s.filter.toLowerCase();
        incoming = incoming.filter((x) => x.title.toLowerCase().includes(f) || x.firstMessage?.toLowerCase().includes(f));
      }
      const sessions = a.append ? [...s.sessions, ...incoming.filter((x) => !s.sessions.some((y) => y.id === x.id))] : incoming;
      return {
        ...s,
        sessions,
        index: a.append ? s.index : 0,
        nextCursor: a.page.nextCursor ?? null,
        total: a.page.total ?? sessions.length,
        loading: false,
      };
    }
  }
}

/** True when the selection is near the end of what is loaded and more can be asked for. */
export function wantsMore(s: PickerState): boolean {
  return !s.loading && s.nextCursor !== null && s.index >= s.sessions.length - PREFETCH_ROWS;
}
