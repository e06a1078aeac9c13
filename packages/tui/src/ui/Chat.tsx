import type { Delivery, NoticeLevel } from '@hermes/protocol';
import { useApp, useStdin } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App, contentWidth, type BottomMode } from './App.js';
import { COMMANDS, completeSlash, parseSlash, type CommandContext } from './slash/index.js';
import { completeModel, modelArgument } from './slash/model.js';
import type { Completion } from './views/Completions.js';
import { uiState } from './views/StatusLine.js';
import { useClarifyPicker } from './hooks/useClarifyPicker.js';
import { useKeypress } from './hooks/useKeypress.js';
import { useMcpCounts } from './hooks/useMcpCounts.js';
import { useModelList } from './hooks/useModelList.js';
import { useQueueActions } from './hooks/useQueueActions.js';
import { useRefState } from './hooks/useRefState.js';
import { useSession } from './hooks/useSession.js';
import { useSuspend, type LiveControl } from './hooks/useSuspend.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import type { TerminalSizeSource } from './terminal/size.js';
import { useTicker } from './hooks/useTicker.js';
import { attachFiles, expandPastes, missingPastes, pastePlaceholder, shouldCollapsePaste } from './input/attachments.js';
import { copyText } from './input/clipboard.js';
import { editInEditor } from './input/external-editor.js';
import { appendHistory, draftOf, loadHistory, stepHistory, type HistoryCursor, type HistoryEntry } from './input/history.js';
import { atToken, completePath } from './input/paths.js';
import { classifySubmit } from './input/submit.js';
import { enterDelivery, readBusyInput } from './input/busy-input.js';
import { steerRefusedNote } from '../format/delivery.js';
import { approvalKey, type ApprovalSelection } from './keys/approval.js';
import { ctrlCAction, EXIT_WINDOW_MS } from './keys/ctrl-c.js';
import { edit, emptyDraft, onFirstLine, onLastLine, type Draft, type EditAction } from './keys/editor.js';
import { inputIntent } from './keys/input.js';
import type { InputEvent, Key } from './keys/parse.js';
import { useSessionPicker } from './hooks/useSessionPicker.js';
import { useRewindPicker } from './hooks/useRewindPicker.js';
import type { SessionStore } from './store/session-store.js';
import type { ReasoningMode } from './views/messages/assistant.js';

export interface ChatProps {
  store: SessionStore;
  home: string;
  /** Fixed size for tests; the terminal's otherwise. */
  size?: { columns: number; rows: number };
  /** Writes raw bytes to the terminal (OSC 52). */
  writeRaw?: (s: string) => void;
  /** The terminal's size, updated before Ink redraws on a resize (see TerminalSizeSource). */
  terminal?: TerminalSizeSource;
  /** Leading scrollback entries already printed before Ink started (see printScrollback). */
  printed?: number;
  /** The live region around Ctrl+Z (see useSuspend). */
  live?: LiveControl;
}

/** How replies' reasoning shows until the user toggles it; the scrollback printed before Ink uses it too. */
export const INITIAL_REASONING: ReasoningMode = 'collapsed';

type Menu = { items: Completion[]; index: number; start: number; kind: 'slash' | 'path' | 'model' } | null;

/** The container: hooks, key handling and actions; everything on screen comes from <App>. */
export function Chat({ store, home, size, writeRaw, terminal: terminalSize, printed, live }: ChatProps) {
  const snap = useSession(store);
  const { exit } = useApp();
  const { setRawMode, isRawModeSupported } = useStdin();
  const terminal = useTerminalSize(terminalSize);
  const { columns, rows } = size ?? terminal;
  const t = snap.transcript;

  const [draft, draftRef, setDraft] = useRefState<Draft>(emptyDraft);
  const [menu, menuRef, setMenu] = useRefState<Menu>(null);
  const [selection, selectionRef, setSelection] = useRefState<{ approvalId: string; value: ApprovalSelection }>({
    approvalId: '',
    value: null,
  });
  const [reasoning, setReasoning] = useState<ReasoningMode>(INITIAL_REASONING);
  const [planCollapsed, setPlanCollapsed] = useState(false);
  const [hint, setHint] = useState<string | null>(null);
  const [, repaint] = useState(0);
  const history = useRef<HistoryEntry[]>([]);
  const historyPos = useRef<HistoryCursor | null>(null);
  /** Pasted text behind the draft's placeholders, by number. */
  const pastes = useRef<Record<string, string>>({});
  const ctrlCArmed = useRef<number | null>(null);
  const hintTimer = useRef<NodeJS.Timeout | undefined>(undefined);

  useEffect(() => {
    void loadHistory(home).then((h) => (history.current = [...h, ...history.current]));
  }, [home]);
  useEffect(() => () => clearTimeout(hintTimer.current), []);
  useEffect(() => store.setWidth(contentWidth(columns)), [store, columns]);

  const state = uiState(t, snap.connection);
  const running = t.activeRunId !== null;
  const ticking =
    state === 'streaming' || state === 'running tool' || state === 'reconnecting' || state === 'waiting' || state === 'retrying';
  const { now, frame } = useTicker(ticking);
  const approval = t.pendingApprovals[0];
  const question = t.pendingClarifications?.[0];
  const approvalSel = approval && selection.approvalId === approval.approvalId ? selection.value : null;

  const flash = useCallback((text: string | null, ms = 2500) => {
    clearTimeout(hintTimer.current);
    setHint(text);
    if (text) hintTimer.current = setTimeout(() => setHint(null), ms);
  }, []);

  const print = useCallback((level: NoticeLevel | 'plain', text: string) => store.print(level, text), [store]);
  const fail = useCallback((err: unknown) => print('error', err instanceof Error ? err.message : String(err)), [print]);
  const suspend = useSuspend(
    useCallback(() => repaint((n) => n + 1), []),
    live,
  );

  const models = useModelList(store);
  const mcp = useMcpCounts(store, t.workspace, running);
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
      if (modelArgument(d.text) !== null)
        models.load(() => modelArgument(draftRef.current.text) !== null && setMenu(menuFor(draftRef.current.text)));
    },
    [menuFor, models, setDraft, setMenu, draftRef],
  );

  const { picker, isOpen: pickerOpen, open: openPicker, onKey: pickerKey } = useSessionPicker(store, fail);
  const rewindCtx = useMemo(
    () => ({ store, print, setDraft: (text: string) => setDraftAndMenu({ text, cursor: text.length }) }),
    [store, print, setDraftAndMenu],
  );
  const { rewindPicker, isRewindOpen, openRewind, onRewindKey } = useRewindPicker(rewindCtx);
  const clarify = useClarifyPicker(store, question, { flash, print, fail });

  const runCommand = useCallback(
    async (text: string, send: CommandContext['send']) => {
      const parsed = parseSlash(text);
      if (!parsed) return;
      if ('error' in parsed) return print('error', parsed.error);
      const ctx: CommandContext = {
        args: parsed.args,
        store,
        snapshot: store.getSnapshot(),
        print,
        setReasoning,
        openPicker,
        openRewindPicker: openRewind,
        setDraft: rewindCtx.setDraft,
        send,
        exit: () => exit(),
        copyToClipboard: (s) => copyText(s, writeRaw ?? ((x: string) => process.stdout.write(x))),
      };
      await parsed.command.run(ctx);
    },
    [store, print, openPicker, openRewind, exit, writeRaw, rewindCtx],
  );

  /** A message to the daemon: Enter's (its delivery from `tui.busyInput` while a run goes), or /steer's and /queue's. */
  const sendMessage = useCallback(
    async (text: string, entry: HistoryEntry, asked: Delivery | undefined) => {
      const lost = missingPastes(text, entry.pastes);
      if (lost.length) {
        print('warn', `${lost.join(', ')}: that paste was too big to keep in the history; paste it again`);
        setDraftAndMenu(draftOf(entry));
        return;
      }
      try {
        const files = await attachFiles(expandPastes(text, entry.pastes), t.workspace || process.cwd());
        if (files.attached.length) print('plain', `attached ${files.attached.join(', ')}`);
        if (files.skipped.length) print('warn', `not attached: ${files.skipped.join(', ')}`);
        const busy = store.getSnapshot().transcript.activeRunId !== null;
        const delivery = asked ?? enterDelivery(busy, busy ? await readBusyInput(home) : 'queue');
        const res = await store.send(files.text, delivery);
        const refused = steerRefusedNote(delivery, res);
        if (refused) print('info', refused);
        pastes.current = {};
      } catch (err) {
        // Keep what was typed: back into the prompt unless something new is there.
        if (draftRef.current.text === '') {
          pastes.current = entry.pastes;
          setDraftAndMenu(draftOf(entry));
        }
        print('error', `not sent (it is back in the prompt): ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    [home, store, t.workspace, print, setDraftAndMenu, draftRef],
  );

  /** Sends the draft; it goes back into the prompt if the daemon did not take it (reconnecting, an error). */
  const submit = useCallback(
    async (raw: string) => {
      const s = classifySubmit(raw);
      if (s.kind === 'none') return;
      const entry: HistoryEntry = { text: raw, pastes: { ...pastes.current } };
      if (history.current.at(-1)?.text !== raw) {
        history.current.push(entry);
        void appendHistory(home, entry).catch(() => {});
      }
      if (s.kind === 'command') return runCommand(s.text, (text, delivery) => sendMessage(text, entry, delivery));
      return sendMessage(s.text, entry, undefined);
    },
    [home, runCommand, sendMessage],
  );

  const { cancelRun, onEscape, editLastQueued, disarm } = useQueueActions({ store, running, draftRef, setDraft, flash, print, fail });

  const acceptCompletion = useCallback(
    (m: NonNullable<Menu>) => {
      const item = m.items[m.index];
      if (!item) return;
      const d = draftRef.current;
      // As if typed: `/model ` goes on to the model list.
      setDraftAndMenu({ text: d.text.slice(0, m.start) + item.value + d.text.slice(d.cursor), cursor: m.start + item.value.length });
    },
    [setDraftAndMenu, draftRef],
  );

  const onCtrlC = useCallback(() => {
    const action = ctrlCAction({ draftEmpty: draftRef.current.text === '', running, armedAt: ctrlCArmed.current, now: Date.now() });
    if (action === 'clear') setDraftAndMenu(emptyDraft);
    else if (action === 'cancel') cancelRun();
    else if (action === 'exit') {
      // Leave no "press again" hint in the last frame Ink leaves on the screen.
      flash(null);
      setTimeout(() => exit(), 0);
    } else {
      ctrlCArmed.current = Date.now();
      flash('Press Ctrl+C again to exit', EXIT_WINDOW_MS);
    }
  }, [draftRef, running, setDraftAndMenu, cancelRun, exit, flash]);

  const onApprovalKey = useCallback(
    (key: Key) => {
      const approval = store.getSnapshot().transcript.pendingApprovals[0];
      if (!approval) return;
      const current = selectionRef.current.approvalId === approval.approvalId ? selectionRef.current.value : null;
      const res = approvalKey(approval, current, key);
      setSelection({ approvalId: approval.approvalId, value: res.selection });
      if (res.choice) {
        store.answer(approval.approvalId, res.choice.decision, res.choice.pattern).then(
          (ok) => ok || print('info', 'another client answered this approval first'),
          (err: unknown) => fail(err),
        );
      }
    },
    [store, print, fail, selectionRef, setSelection],
  );

  const onPickerKey = useCallback(
    (key: Key) => {
      const chosen = pickerKey(key);
      if (chosen && chosen !== 'close' && chosen.id !== store.sessionId) store.switchTo(chosen.id).catch(fail);
    },
    [pickerKey, store, fail],
  );

  const historyStep = useCallback(
    (dir: -1 | 1) => {
      const step = stepHistory(history.current, historyPos.current, dir, { text: draftRef.current.text, pastes: pastes.current });
      if (!step) return;
      setDraft(draftOf(step.entry));
      pastes.current = { ...step.entry.pastes };
      setMenu(null);
      historyPos.current = step.pos;
    },
    [draftRef, setDraft, setMenu],
  );

  const applyEdit = useCallback((a: EditAction) => setDraftAndMenu(edit(draftRef.current, a)), [draftRef, setDraftAndMenu]);

  const onEnter = useCallback(() => {
    const m = menuRef.current;
    const d = draftRef.current;
    if (m?.kind === 'slash') {
      const item = m.items[m.index];
      if (item && item.value.trim() !== d.text.trim()) {
        // Complete first; a command without arguments runs at once.
        if (item.value.endsWith(' ')) return acceptCompletion(m);
        setDraftAndMenu(emptyDraft);
        return void submit(item.value).catch(fail);
      }
    }
    if (m?.kind === 'path') return acceptCompletion(m);
    if (m?.kind === 'model') {
      const item = m.items[m.index];
      setDraftAndMenu(emptyDraft);
      if (item) void submit(`/model ${item.value}`).catch(fail);
      return;
    }
    const before = d.text.slice(0, d.cursor);
    if (before.endsWith('\\')) return setDraftAndMenu({ text: before.slice(0, -1) + '\n' + d.text.slice(d.cursor), cursor: d.cursor });
    if (!d.text.trim()) return;
    setDraftAndMenu(emptyDraft);
    void submit(d.text).catch(fail);
  }, [menuRef, draftRef, acceptCompletion, setDraftAndMenu, submit, fail]);

  const onTab = useCallback(() => {
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
  }, [menuRef, draftRef, acceptCompletion, t.workspace, setDraft, setMenu, flash]);

  const moveMenu = useCallback(
    (dir: -1 | 1) => {
      const m = menuRef.current!;
      setMenu({ ...m, index: (m.index + dir + m.items.length) % m.items.length });
    },
    [menuRef, setMenu],
  );

  const onInputKey = useCallback(
    (key: Key) => {
      const intent = inputIntent(key);
      if (intent.kind !== 'escape') disarm();
      switch (intent.kind) {
        case 'edit':
          return applyEdit(intent.action);
        case 'ctrl-c':
          return onCtrlC();
        case 'ctrl-d':
          return draftRef.current.text === '' ? exit() : applyEdit({ type: 'delete' });
        case 'history':
          return historyStep(intent.dir);
        case 'external-editor': {
          if (!isRawModeSupported) return;
          const res = editInEditor(draftRef.current.text, setRawMode);
          if ('error' in res) print('error', res.error);
          else setDraftAndMenu({ text: res.text, cursor: res.text.length });
          return;
        }
        case 'expand-tool':
          return void (store.expandLastTool() || flash('no tool output to expand yet'));
        case 'suspend':
          return suspend();
        case 'toggle-plan':
          return store.getSnapshot().transcript.plan?.todos.length ? setPlanCollapsed((c) => !c) : flash('no plan yet');
        case 'enter':
          return onEnter();
        case 'up':
          if (menuRef.current) return moveMenu(-1);
          if (!onFirstLine(draftRef.current)) return applyEdit({ type: 'up' });
          if (draftRef.current.text === '' && store.getSnapshot().transcript.queued.length > 0) return editLastQueued();
          return historyStep(-1);
        case 'down':
          if (menuRef.current) return moveMenu(1);
          if (!onLastLine(draftRef.current)) return applyEdit({ type: 'down' });
          return historyStep(1);
        case 'tab':
          return onTab();
        case 'escape': {
          if (menuRef.current) return setMenu(null);
          return onEscape();
        }
        case 'none':
          return;
      }
    },
    [
      applyEdit,
      onCtrlC,
      draftRef,
      exit,
      historyStep,
      isRawModeSupported,
      setRawMode,
      print,
      setDraftAndMenu,
      store,
      flash,
      suspend,
      onEnter,
      menuRef,
      moveMenu,
      editLastQueued,
      onTab,
      setMenu,
      onEscape,
      disarm,
    ],
  );

  const onPaste = useCallback(
    (text: string) => {
      if (pickerOpen() || isRewindOpen() || store.getSnapshot().transcript.pendingApprovals.length > 0) return;
      if (store.getSnapshot().transcript.pendingClarifications?.length) return clarify.onPaste(text);
      if (!shouldCollapsePaste(text)) return applyEdit({ type: 'insert', text });
      const n = Math.max(0, ...Object.keys(pastes.current).map(Number)) + 1;
      pastes.current = { ...pastes.current, [n]: text };
      applyEdit({ type: 'insert', text: pastePlaceholder(n, text) });
    },
    [pickerOpen, isRewindOpen, store, applyEdit, clarify],
  );

  useKeypress((e: InputEvent) => {
    if (e.kind === 'paste') return onPaste(e.text);
    const key = e.key;
    if (key.name !== 'char' || !key.ctrl || key.text !== 'c') ctrlCArmed.current = null;
    if (pickerOpen()) return onPickerKey(key);
    if (isRewindOpen()) return onRewindKey(key);
    const pending = store.getSnapshot().transcript.pendingApprovals.length > 0;
    const ctrlC = key.name === 'char' && key.ctrl && key.text === 'c';
    if (pending && !ctrlC) return onApprovalKey(key);
    // A question from the model takes the keys (Ctrl+C still cancels the run, or exits).
    if (store.getSnapshot().transcript.pendingClarifications?.length && !ctrlC) return clarify.onKey(key);
    return onInputKey(key);
  });

  const bottom: BottomMode = useMemo(() => {
    if (picker)
      return {
        kind: 'picker',
        sessions: picker.sessions,
        index: picker.index,
        currentId: snap.sessionId,
        filter: picker.filter,
        total: picker.total,
        loading: picker.loading,
      };
    if (rewindPicker) return { kind: 'rewind', state: rewindPicker };
    if (approval) return { kind: 'approval', approval, selection: approvalSel, index: 0, count: t.pendingApprovals.length };
    if (question && clarify.pick) return { kind: 'clarify', questions: question.questions, pick: clarify.pick };
    return {
      kind: 'input',
      draft,
      completions: menu ? { items: menu.items, index: menu.index } : null,
      placeholder: running ? 'Enter queues a message · Esc cancels the run' : 'Type a message · /help for commands',
    };
  }, [
    picker,
    rewindPicker,
    snap.sessionId,
    approval,
    approvalSel,
    t.pendingApprovals.length,
    draft,
    menu,
    running,
    question,
    clarify.pick,
  ]);

  const reconnecting =
    snap.connection === 'reconnecting' ? `connection lost (${snap.connectionDetail ?? 'reconnecting'}); reconnecting…` : null;
  return (
    <App
      snapshot={snap}
      width={columns}
      rows={rows}
      reasoning={reasoning}
      bottom={bottom}
      hint={hint ?? reconnecting}
      now={now}
      frame={frame}
      planCollapsed={planCollapsed}
      mcp={mcp}
      printed={printed ?? 0}
    />
  );
}

export { COMMANDS };
