import type { NoticeLevel, SessionSummary } from '@hermes/protocol';
import { useApp, useStdin } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App, type BottomMode } from './App.js';
import { COMMANDS, completeSlash, parseSlash, type CommandContext } from './commands/index.js';
import { completeModel, modelArgument } from './commands/model.js';
import type { Completion } from './components/Completions.js';
import { useKeypress } from './hooks/useKeypress.js';
import { useModelList } from './hooks/useModelList.js';
import { useSession } from './hooks/useSession.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { useTicker } from './hooks/useTicker.js';
import { attachFiles, expandPastes, pastePlaceholder, shouldCollapsePaste } from './input/attachments.js';
import { editInEditor } from './input/external-editor.js';
import { appendHistory, loadHistory } from './input/history.js';
import { atToken, completePath } from './input/paths.js';
import { approvalKey, type ApprovalSelection } from './keys/approval.js';
import { ctrlCAction } from './keys/ctrl-c.js';
import { edit, emptyDraft, onFirstLine, onLastLine, type Draft, type EditAction } from './keys/editor.js';
import type { InputEvent, Key } from './keys/parse.js';
import type { SessionStore } from './store/session-store.js';
import { uiState } from './components/StatusLine.js';

export interface ChatProps {
  store: SessionStore;
  home: string;
  /** Fixed size for tests; the terminal's otherwise. */
  size?: { columns: number; rows: number };
  /** Writes raw bytes to the terminal (OSC 52). */
  writeRaw?: (s: string) => void;
}

type Menu = { items: Completion[]; index: number; start: number; kind: 'slash' | 'path' | 'model' } | null;

function osc52(text: string): string {
  const seq = `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
  // Inside tmux the sequence must be wrapped to reach the outer terminal.
  return process.env.TMUX ? `\x1bPtmux;${seq.replace(/\x1b/g, '\x1b\x1b')}\x1b\\` : seq;
}

/** The container: hooks, key handling and actions; everything on screen comes from <App>. */
export function Chat({ store, home, size, writeRaw }: ChatProps) {
  const snap = useSession(store);
  const { exit } = useApp();
  const { setRawMode, isRawModeSupported } = useStdin();
  const terminal = useTerminalSize();
  const { columns, rows } = size ?? terminal;
  const t = snap.transcript;

  // Several keys can arrive in one chunk (fast typing, a test writing "text\r"): handlers read
  // and write these refs synchronously, so each key sees the state the previous one left.
  const [draft, setDraftState] = useState<Draft>(emptyDraft);
  const draftRef = useRef(draft);
  const setDraft = useCallback((next: Draft | ((d: Draft) => Draft)) => {
    draftRef.current = typeof next === 'function' ? next(draftRef.current) : next;
    setDraftState(draftRef.current);
  }, []);
  const [menu, setMenuState] = useState<Menu>(null);
  const menuRef = useRef(menu);
  const setMenu = useCallback((next: Menu) => {
    menuRef.current = next;
    setMenuState(next);
  }, []);
  const [showReasoning, setShowReasoning] = useState(true);
  const [hint, setHint] = useState<string | null>(null);
  const [picker, setPicker] = useState<{ sessions: SessionSummary[]; index: number } | null>(null);
  const [selection, setSelectionState] = useState<{ approvalId: string; value: ApprovalSelection }>({ approvalId: '', value: null });
  const selectionRef = useRef(selection);
  const setSelection = (next: { approvalId: string; value: ApprovalSelection }) => {
    selectionRef.current = next;
    setSelectionState(next);
  };
  const history = useRef<string[]>([]);
  const historyPos = useRef<{ index: number; saved: Draft } | null>(null);
  const pastes = useRef(new Map<number, string>());
  const ctrlCArmed = useRef<number | null>(null);
  const hintTimer = useRef<NodeJS.Timeout | undefined>(undefined);

  useEffect(() => {
    void loadHistory(home).then((h) => (history.current = [...h, ...history.current]));
  }, [home]);
  useEffect(() => () => clearTimeout(hintTimer.current), []);

  const state = uiState(t, snap.connection);
  const running = t.activeRunId !== null;
  const ticking = state === 'streaming' || state === 'running tool' || state === 'reconnecting';
  const { now, frame } = useTicker(ticking);
  const approval = t.pendingApprovals[0];
  const approvalSel = approval && selection.approvalId === approval.approvalId ? selection.value : null;

  const flash = useCallback((text: string, ms = 2500) => {
    clearTimeout(hintTimer.current);
    setHint(text);
    hintTimer.current = setTimeout(() => setHint(null), ms);
  }, []);

  const print = useCallback((level: NoticeLevel | 'plain', text: string) => store.print(level, text), [store]);
  const fail = useCallback((err: unknown) => print('error', err instanceof Error ? err.message : String(err)), [print]);

  const models = useModelList(store);
  const menuFor = useCallback(
    (text: string): Menu => {
      const slash = !text.includes('\n') && !text.includes(' ') ? completeSlash(text) : [];
      if (slash.length) return { items: slash, index: 0, start: 0, kind: 'slash' };
      const partial = modelArgument(text);
      const listing = partial === null ? null : models.list();
      if (partial === null || !listing) return null;
      const items = completeModel(partial, listing);
      return items.length ? { items, index: 0, start: '/model '.length, kind: 'model' } : null;
    },
    [models],
  );

  const setDraftAndMenu = useCallback(
    (d: Draft) => {
      setDraft(d);
      historyPos.current = null;
      setMenu(menuFor(d.text));
      // Still typing the model when the list arrives? Show it then.
      if (modelArgument(d.text) !== null) models.load(() => modelArgument(draftRef.current.text) !== null && setMenu(menuFor(draftRef.current.text)));
    },
    [menuFor, models],
  );

  const openPicker = useCallback(async () => {
    const { sessions } = await store.client.listSessions();
    const sorted = [...sessions].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
    setPicker({ sessions: sorted, index: 0 });
  }, [store]);

  const runCommand = useCallback(
    async (text: string) => {
      const parsed = parseSlash(text);
      if (!parsed) return;
      if ('error' in parsed) {
        print('error', parsed.error);
        return;
      }
      const ctx: CommandContext = {
        args: parsed.args,
        store,
        snapshot: store.getSnapshot(),
        print,
        setShowReasoning,
        openPicker,
        setDraft: (text) => setDraftAndMenu({ text, cursor: text.length }),
        exit: () => exit(),
        copyToClipboard: (s) => (writeRaw ?? ((x: string) => process.stdout.write(x)))(osc52(s)),
      };
      await parsed.command.run(ctx);
    },
    [store, print, openPicker, exit, writeRaw, setDraftAndMenu],
  );

  const submit = useCallback(
    async (raw: string) => {
      const text = raw.trim();
      if (!text) return;
      if (history.current.at(-1) !== raw) {
        history.current.push(raw);
        void appendHistory(home, raw).catch(() => {});
      }
      // `/etc/hosts is wrong` is a message about a path, not a command; `//x` sends `/x`.
      const isPath = /^\/[^\s/]+\//.test(text);
      if (text.startsWith('/') && !text.startsWith('//') && !isPath) {
        await runCommand(text);
        return;
      }
      const expanded = expandPastes(text.startsWith('//') ? text.slice(1) : text, pastes.current);
      const files = await attachFiles(expanded, t.workspace || process.cwd());
      if (files.attached.length) print('plain', `attached ${files.attached.join(', ')}`);
      if (files.skipped.length) print('warn', `not attached: ${files.skipped.join(', ')}`);
      pastes.current.clear();
      await store.send(files.text);
    },
    [home, runCommand, store, t.workspace, print],
  );

  const cancelRun = useCallback(() => {
    store.cancel().then(
      (ok) => ok || flash('nothing to cancel'),
      (err: unknown) => fail(err),
    );
  }, [store, flash, fail]);

  /** ↑ on an empty prompt while messages wait: the last one comes back into the draft (as in Claude Code). */
  const editLastQueued = useCallback(() => {
    const last = store.getSnapshot().transcript.queued.at(-1);
    if (!last) return;
    store.withdraw(last.messageId).then(
      (ok) => {
        if (!ok) return flash('that message has already started');
        // Whatever was typed meanwhile stays after it.
        setDraft((d) => (d.text === '' ? { text: last.text, cursor: last.text.length } : { text: `${last.text}\n${d.text}`, cursor: last.text.length }));
      },
      (err: unknown) => fail(err),
    );
  }, [store, flash, fail]);

  const acceptCompletion = useCallback(
    (m: NonNullable<Menu>) => {
      const item = m.items[m.index];
      if (!item) return;
      const text = draftRef.current.text.slice(0, m.start) + item.value + draftRef.current.text.slice(draftRef.current.cursor);
      // As if typed: `/model ` goes on to the model list.
      setDraftAndMenu({ text, cursor: m.start + item.value.length });
    },
    [setDraftAndMenu],
  );

  const onCtrlC = useCallback(() => {
    const action = ctrlCAction({ draftEmpty: draftRef.current.text === '', running, armedAt: ctrlCArmed.current, now: Date.now() });
    if (action === 'clear') setDraftAndMenu(emptyDraft);
    else if (action === 'cancel') cancelRun();
    else if (action === 'exit') exit();
    else {
      ctrlCArmed.current = Date.now();
      flash('Press Ctrl+C again to exit', 2000);
    }
  }, [draftRef.current.text, running, setDraftAndMenu, cancelRun, exit, flash]);

  const onApprovalKey = useCallback(
    (key: Key) => {
      const approval = store.getSnapshot().transcript.pendingApprovals[0];
      if (!approval) return;
      const current = selectionRef.current.approvalId === approval.approvalId ? selectionRef.current.value : null;
      const res = approvalKey(approval.choices, current, key);
      setSelection({ approvalId: approval.approvalId, value: res.selection });
      if (res.decision) {
        const decision = res.decision;
        store.answer(approval.approvalId, decision).then(
          (ok) => ok || print('info', 'another client answered this approval first'),
          (err: unknown) => fail(err),
        );
      }
    },
    [approval, approvalSel, store, print, fail],
  );

  const onPickerKey = useCallback(
    (key: Key) => {
      if (!picker) return;
      if (key.name === 'escape' || (key.name === 'char' && key.ctrl && key.text === 'c')) setPicker(null);
      else if (key.name === 'up') setPicker({ ...picker, index: Math.max(0, picker.index - 1) });
      else if (key.name === 'down') setPicker({ ...picker, index: Math.min(picker.sessions.length - 1, picker.index + 1) });
      else if (key.name === 'enter') {
        const chosen = picker.sessions[picker.index];
        setPicker(null);
        if (chosen && chosen.id !== store.sessionId) store.switchTo(chosen.id).catch(fail);
      }
    },
    [picker, store, fail],
  );

  const historyStep = useCallback(
    (dir: -1 | 1) => {
      const h = history.current;
      if (h.length === 0) return false;
      const pos = historyPos.current;
      const index = pos ? pos.index + dir : dir === -1 ? h.length - 1 : h.length;
      if (index < 0 || (!pos && dir === 1)) return false;
      if (index >= h.length) {
        setDraft(pos?.saved ?? emptyDraft);
        historyPos.current = null;
        return true;
      }
      const text = h[index]!;
      setDraft({ text, cursor: text.length });
      setMenu(null);
      historyPos.current = { index, saved: pos?.saved ?? draftRef.current };
      return true;
    },
    [draft],
  );

  const applyEdit = useCallback((a: EditAction) => setDraftAndMenu(edit(draftRef.current, a)), [draft, setDraftAndMenu]);

  const onInputKey = useCallback(
    (key: Key) => {
      if (key.name === 'char' && key.ctrl) {
        switch (key.text) {
          case 'c':
            return onCtrlC();
          case 'd':
            if (draftRef.current.text === '') exit();
            else applyEdit({ type: 'delete' });
            return;
          case 'a':
            return applyEdit({ type: 'home' });
          case 'e':
            return applyEdit({ type: 'end' });
          case 'b':
            return applyEdit({ type: 'left' });
          case 'f':
            return applyEdit({ type: 'right' });
          case 'w':
            return applyEdit({ type: 'deleteWordBack' });
          case 'u':
            return applyEdit({ type: 'killToStart' });
          case 'k':
            return applyEdit({ type: 'killToEnd' });
          case 'h':
            return applyEdit({ type: 'backspace' });
          case 'p':
            return void historyStep(-1);
          case 'n':
            return void historyStep(1);
          case 'g': {
            if (!isRawModeSupported) return;
            const res = editInEditor(draftRef.current.text, setRawMode);
            if ('error' in res) print('error', res.error);
            else setDraftAndMenu({ text: res.text, cursor: res.text.length });
            return;
          }
          default:
            return;
        }
      }
      if (key.name === 'char' && key.meta) {
        if (key.text === 'b') applyEdit({ type: 'wordLeft' });
        else if (key.text === 'f') applyEdit({ type: 'wordRight' });
        return;
      }
      switch (key.name) {
        case 'char':
          return applyEdit({ type: 'insert', text: key.text });
        case 'newline':
          return applyEdit({ type: 'insert', text: '\n' });
        case 'enter': {
          if (menuRef.current && menuRef.current.kind === 'slash') {
            const item = menuRef.current.items[menuRef.current.index];
            if (item && item.value.trim() !== draftRef.current.text.trim()) {
              // Complete first; a command without arguments runs at once.
              if (item.value.endsWith(' ')) return acceptCompletion(menuRef.current);
              setMenu(null);
              setDraftAndMenu(emptyDraft);
              void submit(item.value).catch(fail);
              return;
            }
          }
          if (menuRef.current && menuRef.current.kind === 'path') return acceptCompletion(menuRef.current);
          if (menuRef.current && menuRef.current.kind === 'model') {
            const item = menuRef.current.items[menuRef.current.index];
            setMenu(null);
            setDraftAndMenu(emptyDraft);
            if (item) void submit(`/model ${item.value}`).catch(fail);
            return;
          }
          const before = draftRef.current.text.slice(0, draftRef.current.cursor);
          if (before.endsWith('\\')) {
            setDraftAndMenu({ text: before.slice(0, -1) + '\n' + draftRef.current.text.slice(draftRef.current.cursor), cursor: draftRef.current.cursor });
            return;
          }
          if (!draftRef.current.text.trim()) return;
          const text = draftRef.current.text;
          setDraftAndMenu(emptyDraft);
          void submit(text).catch(fail);
          return;
        }
        case 'backspace':
          return applyEdit(key.meta ? { type: 'deleteWordBack' } : { type: 'backspace' });
        case 'delete':
          return applyEdit({ type: 'delete' });
        case 'left':
          return applyEdit(key.ctrl || key.meta ? { type: 'wordLeft' } : { type: 'left' });
        case 'right':
          return applyEdit(key.ctrl || key.meta ? { type: 'wordRight' } : { type: 'right' });
        case 'home':
          return applyEdit({ type: 'home' });
        case 'end':
          return applyEdit({ type: 'end' });
        case 'up':
          if (menuRef.current) return setMenu({ ...menuRef.current, index: (menuRef.current.index - 1 + menuRef.current.items.length) % menuRef.current.items.length });
          if (!onFirstLine(draft)) return applyEdit({ type: 'up' });
          if (draftRef.current.text === '' && store.getSnapshot().transcript.queued.length > 0) return editLastQueued();
          return void historyStep(-1);
        case 'down':
          if (menuRef.current) return setMenu({ ...menuRef.current, index: (menuRef.current.index + 1) % menuRef.current.items.length });
          if (!onLastLine(draft)) return applyEdit({ type: 'down' });
          return void historyStep(1);
        case 'tab': {
          if (menuRef.current) return acceptCompletion(menuRef.current);
          const at = atToken(draftRef.current.text, draftRef.current.cursor);
          if (!at) return;
          void completePath(t.workspace || process.cwd(), at.partial).then((items) => {
            if (items.length === 1) {
              const v = items[0]!.value;
              setDraft((d) => ({ text: d.text.slice(0, at.start) + v + d.text.slice(d.cursor), cursor: at.start + v.length }));
            } else if (items.length > 1) setMenu({ items, index: 0, start: at.start, kind: 'path' });
            else flash('no matching file');
          });
          return;
        }
        case 'escape':
          if (menuRef.current) return setMenu(null);
          if (running) return cancelRun();
          return;
        default:
          return;
      }
    },
    [exit, applyEdit, historyStep, onCtrlC, isRawModeSupported, setRawMode, print, setDraftAndMenu, acceptCompletion, submit, fail, t.workspace, flash, running, cancelRun, store, editLastQueued],
  );

  const onPaste = useCallback(
    (text: string) => {
      if (picker || store.getSnapshot().transcript.pendingApprovals.length > 0) return;
      if (shouldCollapsePaste(text)) {
        const n = pastes.current.size + 1;
        pastes.current.set(n, text);
        applyEdit({ type: 'insert', text: pastePlaceholder(n, text) });
      } else {
        applyEdit({ type: 'insert', text });
      }
    },
    [picker, approval, applyEdit],
  );

  useKeypress((e: InputEvent) => {
    if (e.kind === 'paste') return onPaste(e.text);
    const key = e.key;
    if (key.name !== 'char' || !key.ctrl || key.text !== 'c') ctrlCArmed.current = null;
    if (picker) return onPickerKey(key);
    const pending = store.getSnapshot().transcript.pendingApprovals.length > 0;
    if (pending && !(key.name === 'char' && key.ctrl && key.text === 'c')) return onApprovalKey(key);
    return onInputKey(key);
  });

  const bottom: BottomMode = useMemo(() => {
    if (picker) return { kind: 'picker', sessions: picker.sessions, index: picker.index };
    if (approval) return { kind: 'approval', approval, selection: approvalSel, index: 0, count: t.pendingApprovals.length };
    return {
      kind: 'input',
      draft,
      completions: menu ? { items: menu.items, index: menu.index } : null,
      placeholder: running ? 'Enter queues a message · Esc cancels the run' : 'Type a message · /help for commands',
    };
  }, [picker, approval, approvalSel, t.pendingApprovals.length, draft, menu, running]);

  return (
    <App
      snapshot={snap}
      width={columns}
      rows={rows}
      showReasoning={showReasoning}
      bottom={bottom}
      hint={hint ?? (snap.connection === 'reconnecting' ? `connection lost (${snap.connectionDetail ?? 'reconnecting'}); reconnecting…` : null)}
      now={now}
      frame={frame}
    />
  );
}

export { COMMANDS };
