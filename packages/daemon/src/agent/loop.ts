import type { RetryInfo, ToolCall, Usage } from '@hermes/protocol';
import {
  contextWindowFor,
  homeFile,
  isAbortError,
  isProviderError,
  ollamaHost,
  probeOllama,
  streamModel,
  type ChatMessage,
  type ProviderBlock,
} from '../provider/index.js';
import { compact } from '../compaction/compact.js';
import { estimateMessages, estimateTools } from '../compaction/estimate.js';
import { ContextKeeper, type KeeperStep } from '../compaction/keeper.js';
import { defaultRegistry, withExtraTools, withoutTools, type ToolRegistry } from '../tool/index.js';
import { newId } from '../util/ids.js';
import { DEFAULT_STREAM_INTERVAL_MS, DeltaBatcher } from './delta-batcher.js';
import { historyFromTranscript } from './history.js';
import { loadRunInstructions, systemMessage } from './instructions-setup.js';
import { LOOP_GUARD_FAILURES, LoopGuard } from './loop-guard.js';
import { withToolExtras } from './tool-extras.js';
import { maybeLlmTitle } from './title.js';
import { Redactor } from '../util/redact.js';
import { runToolCalls } from './run-tool.js';
import { keyVariables, toolEnvironment } from './tool-env.js';
import { DEFAULT_STARTUP_WAIT_MS } from '../mcp/manager.js';
import type { Agent, RunContext, RunOutcome } from './types.js';
import { addUsage, priceCall } from './usage.js';

export const DEFAULT_MAX_ITERATIONS = 50;
const ZERO: Usage = { inputTokens: 0, outputTokens: 0 };

interface Turn {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  providerBlocks?: ProviderBlock[];
  usage?: Usage;
}

/**
 * The agent loop: stream a reply, run the tools it asks for (approvals first), feed the
 * results back, and repeat until a reply without tool calls or the iteration limit.
 * Everything it does goes out as protocol events through `ctx.emit`.
 */
export function createAgent(registry: ToolRegistry = defaultRegistry): Agent {
  return { run: (ctx) => runAgent(ctx, registry), compact: (ctx, focus) => runCompaction(ctx, registry, focus) };
}

const notConfigured = (ctx: RunContext, usage: Usage): RunOutcome => ({
  stopReason: 'error',
  usage,
  error: {
    kind: 'not_configured',
    message: 'No model is configured.',
    hint:
      'Set one with `hermes config set model openai:gpt-4.1` (or anthropic:claude-sonnet-4-5, openrouter:…, ollama:…) ' +
      `or the HERMES_MODEL variable, and put the key (e.g. OPENAI_API_KEY) in the environment or in ${homeFile(ctx.home, '.env')}.`,
    retryable: false,
  },
});

/** The run's context keeper, anchored on the last provider-reported size when it is still current. */
function keeperFor(ctx: RunContext, registry: ToolRegistry, model: string, messages: ChatMessage[]): ContextKeeper {
  const fixed = estimateMessages(messages.slice(0, 1)) + estimateTools(registry.toolSpecs());
  const keeper = new ContextKeeper(ctx, model, fixed, contextWindowFor(model, ctx.config.providers));
  const items = ctx.transcript.items;
  const lastReply = items.findLastIndex((i) => i.kind === 'assistant');
  const lastCompaction = items.findLastIndex((i) => i.kind === 'compaction' && i.status === 'completed');
  const known = ctx.transcript.usage.contextTokens;
  if (known !== undefined && lastReply > lastCompaction) {
    keeper.noteUsage(known, messages.findLastIndex((m) => m.role === 'assistant') + 1);
  }
  return keeper;
}

/** `POST /v1/sessions/:id/compact`: one manual compaction, carried by a run of its own. */
async function runCompaction(ctx: RunContext, registry: ToolRegistry, focus: string | undefined): Promise<RunOutcome> {
  if (!ctx.model) return notConfigured(ctx, ZERO);
  const { files } = await loadRunInstructions(ctx, { announce: false });
  const messages: ChatMessage[] = [systemMessage(ctx, files), ...historyFromTranscript(ctx.transcript)];
  const keeper = keeperFor(ctx, registry, ctx.model, messages);
  const fixedTokens = estimateMessages(messages.slice(0, 1)) + estimateTools(registry.toolSpecs());
  const r = await compact(ctx, {
    trigger: 'manual',
    model: ctx.model,
    tokensBefore: keeper.used(messages),
    fixedTokens,
    ...(focus ? { focus } : {}),
  });
  let usage = ZERO;
  if (r.usage) {
    const summaryModel = ctx.config.compaction?.model ?? ctx.model;
    usage = priceCall(r.usage, summaryModel, ctx.config);
    await ctx.emit({
      type: 'usage.updated',
      data: { ...addUsage(ctx.transcript.usage, usage), ...(r.ok ? { contextTokens: r.tokensAfter } : {}) },
    });
  }
  if (ctx.signal.aborted) return { stopReason: 'cancelled', usage };
  return { stopReason: 'done', usage };
}

/**
 * The run's tools: the built-in ones plus those of its MCP servers, re-read at every request.
 * The run waits a little for servers still starting, never long: their tools join later.
 */
async function withMcpTools(ctx: RunContext, builtin: ToolRegistry): Promise<ToolRegistry> {
  const mcp = ctx.mcp;
  if (!mcp) return builtin;
  const starting = await mcp.settle(ctx.config.mcp?.startupWaitMs ?? DEFAULT_STARTUP_WAIT_MS);
  if (starting.length) {
    await ctx.emit({
      type: 'notice',
      data: {
        level: 'info',
        message: `MCP ${starting.length === 1 ? 'server' : 'servers'} ${starting.join(', ')} still starting; ${starting.length === 1 ? 'its' : 'their'} tools join when ready`,
      },
    });
  }
  return withExtraTools(builtin, () => mcp.tools());
}

/** Built-in tools the config turns off. */
function disabledTools(ctx: RunContext): string[] {
  return ctx.config.tools?.webFetch === 'off' ? ['web_fetch'] : [];
}

async function runAgent(ctx: RunContext, builtin: ToolRegistry): Promise<RunOutcome> {
  let usage: Usage = ZERO;
  const model = ctx.model ?? (await offerOllama(ctx));
  if (!model) return notConfigured(ctx, usage);
  // `clarify` is offered only when someone can be asked (`agent.clarify: false` turns it off); config turns others off.
  const off = [...(ctx.requestClarification ? [] : ['clarify']), ...disabledTools(ctx)];
  const registry = await withMcpTools(ctx, off.length ? withoutTools(builtin, off) : builtin);
  const toolEnv = toolEnvironment(ctx.env, ctx.config);
  const keyValues = [...keyVariables(ctx.config)].map((name) => ctx.env[name]);
  const redactor = new Redactor([...ctx.secrets, ...keyValues]);
  const instructions = await loadRunInstructions(ctx, { announce: true });
  const attached = new Set(ctx.transcript.attachedInstructions ?? []);
  const tools = withToolExtras(registry, { ctx, redactor, instructions: instructions.options, attached });
  const guard = new LoopGuard();
  let messages: ChatMessage[] = [systemMessage(ctx, instructions.files), ...historyFromTranscript(ctx.transcript)];
  const maxIterations = ctx.config.agent?.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const contextWindow = contextWindowFor(model, ctx.config.providers);
  const keeper = keeperFor(ctx, registry, model, messages);
  /** A compaction's effect on the run: the rebuilt history, and the summary call's cost. */
  const applyStep = async (step: KeeperStep) => {
    if (step.usage) {
      usage = addUsage(usage, priceCall(step.usage, step.model ?? model, ctx.config));
      const now = step.tokensAfter ?? ctx.current().usage.contextTokens;
      await ctx.emit({
        type: 'usage.updated',
        data: {
          ...addUsage(ctx.transcript.usage, usage),
          ...(now !== undefined ? { contextTokens: now } : {}),
          ...(contextWindow ? { contextWindow } : {}),
        },
      });
    }
    if (step.history) messages = [messages[0]!, ...step.history];
  };

  for (let i = 0; i < maxIterations; i++) {
    // The safe boundary: the last tool results are recorded, the next request not sent. Steer
    // messages join here, as user messages after those results.
    for (const text of (await ctx.takeSteers?.()) ?? []) messages.push({ role: 'user', text });
    await applyStep(await keeper.beforeRequest(messages));
    if (ctx.signal.aborted) return { stopReason: 'cancelled', usage };
    const messageId = newId('msg');
    await ctx.emit({ type: 'message.started', data: { messageId } });
    const turn: Turn = { text: '', reasoning: '', toolCalls: [] };
    let failure: RunOutcome | null = null;
    try {
      await streamTurn(ctx, model, messages, registry, messageId, turn);
    } catch (err) {
      failure = outcomeOfError(err, ctx);
    }
    const overflow = failure?.error?.kind === 'context_length_exceeded' && !turn.text && turn.toolCalls.length === 0;
    await ctx.emit({
      type: 'message.completed',
      data: {
        messageId,
        text: turn.text,
        ...(turn.reasoning ? { reasoning: turn.reasoning } : {}),
        toolCalls: failure ? [] : turn.toolCalls,
        ...(failure ? { partial: true } : {}),
        ...(turn.providerBlocks ? { providerBlocks: turn.providerBlocks } : {}),
      },
    });
    if (turn.usage) {
      const priced = priceCall(turn.usage, model, ctx.config);
      usage = addUsage(usage, priced);
      const session = addUsage(ctx.transcript.usage, usage);
      await ctx.emit({
        type: 'usage.updated',
        data: {
          ...session,
          contextTokens: turn.usage.inputTokens + turn.usage.outputTokens,
          ...(contextWindow ? { contextWindow } : {}),
        },
      });
    }
    if (failure && overflow && failure.error) {
      // Before any output: one compaction and one retry of the same step.
      const step = await keeper.onOverflow(messages);
      await applyStep(step);
      if (step.retry && !ctx.signal.aborted) {
        i--;
        continue;
      }
      return { ...failure, error: { ...failure.error, hint: step.hint }, usage };
    }
    if (failure) return { ...failure, usage };
    keeper.requestSucceeded();
    if (turn.toolCalls.length === 0) {
      await maybeLlmTitle(ctx, model, turn.text);
      return { stopReason: 'done', usage };
    }

    if (turn.usage) keeper.noteUsage(turn.usage.inputTokens + turn.usage.outputTokens, messages.length + 1);
    messages.push({
      role: 'assistant',
      text: turn.text,
      ...(turn.reasoning ? { reasoning: turn.reasoning } : {}),
      toolCalls: turn.toolCalls,
      ...(turn.providerBlocks ? { providerBlocks: turn.providerBlocks } : {}),
    });
    const results = await runToolCalls(ctx, tools, turn.toolCalls, toolEnv, redactor);
    let stuck: ToolCall | null = null;
    for (const call of turn.toolCalls) {
      const r = results.get(call.id) ?? { ok: false, result: 'No result: the run was stopped.' };
      messages.push({ role: 'tool', toolCallId: call.id, content: r.result, ...(r.ok ? {} : { isError: true }) });
      if (guard.record(call, r.ok)) stuck = call;
    }
    if (ctx.signal.aborted) return { stopReason: 'cancelled', usage };
    if (stuck && !(await askToGoOn(ctx, stuck, guard))) return { stopReason: 'cancelled', usage };
  }
  await ctx.emit({
    type: 'notice',
    data: { level: 'warn', message: `Stopped after ${maxIterations} steps (agent.maxIterations). Send a message to continue.` },
  });
  return { stopReason: 'max_iterations', usage };
}

/**
 * The doom-loop guard's question: the same call failed 3 times in a row. `once` goes on (and
 * gives the model 3 more tries), anything else stops the run.
 */
async function askToGoOn(ctx: RunContext, call: ToolCall, guard: LoopGuard): Promise<boolean> {
  const answer = await ctx.requestApproval({
    kind: 'loop_guard',
    toolCallId: call.id,
    tool: call.name,
    summary: `${call.name} failed ${LOOP_GUARD_FAILURES} times in a row with the same arguments. Let the agent go on?`,
    reasons: ['the agent may be stuck in a loop'],
    choices: ['once', 'deny'],
  });
  if (answer.decision === 'deny') {
    await ctx.emit({
      type: 'notice',
      data: { level: 'warn', message: `Stopped: ${call.name} kept failing with the same arguments. Send a message to steer the agent.` },
    });
    return false;
  }
  guard.reset();
  return true;
}

/**
 * One model call. Text and reasoning deltas go out batched (see DeltaBatcher) and are not
 * awaited one by one: the log keeps their order.
 */
async function streamTurn(
  ctx: RunContext,
  model: string,
  messages: ChatMessage[],
  registry: ToolRegistry,
  messageId: string,
  turn: Turn,
): Promise<void> {
  let pending: Promise<void> = Promise.resolve();
  const deltas = new DeltaBatcher(ctx.config.agent?.streamIntervalMs ?? DEFAULT_STREAM_INTERVAL_MS, (type, text) => {
    pending = ctx.emit({ type, data: { messageId, text } });
  });
  const notice = (level: 'info' | 'warn', message: string, retry?: RetryInfo) => {
    deltas.flush();
    void ctx.emit({ type: 'notice', data: { level, message, ...(retry ? { retry } : {}) } });
  };
  const stream = streamModel(
    { model, messages, tools: registry.toolSpecs(), signal: ctx.signal },
    {
      config: ctx.config,
      env: ctx.env,
      home: ctx.home,
      onRetry: (n) => {
        ctx.onRetry?.({
          kind: n.kind,
          model: n.model,
          attempt: n.attempt,
          maxAttempts: n.maxAttempts,
          delayMs: n.delayMs,
          error: n.error.kind,
        });
        const retry = { attempt: n.attempt, maxAttempts: n.maxAttempts, delayMs: n.delayMs, reason: n.reason };
        notice('warn', n.message, n.kind === 'retry' ? retry : undefined);
      },
    },
  );
  try {
    for await (const ev of stream) {
      switch (ev.type) {
        case 'text':
          turn.text += ev.text;
          deltas.push('message.delta', ev.text);
          break;
        case 'reasoning':
          turn.reasoning += ev.text;
          deltas.push('reasoning.delta', ev.text);
          break;
        case 'tool_call':
          turn.toolCalls.push(ev.call);
          break;
        case 'usage':
          turn.usage = ev.usage;
          break;
        case 'done':
          if (ev.providerBlocks?.length) turn.providerBlocks = ev.providerBlocks;
          if (ev.finishReason === 'length' && turn.toolCalls.length === 0) {
            notice('warn', 'The reply hit the output token limit and was cut short.');
          }
          break;
      }
    }
  } finally {
    // Held text goes out however the stream ended (a cancel keeps its partial text), and its
    // write settles before message.completed is emitted.
    deltas.flush();
    await pending;
  }
}

function outcomeOfError(err: unknown, ctx: RunContext): RunOutcome {
  if (ctx.signal.aborted || isAbortError(err)) return { stopReason: 'cancelled', usage: ZERO };
  if (isProviderError(err)) return { stopReason: 'error', error: err.toRunError(), usage: ZERO };
  return {
    stopReason: 'error',
    error: { kind: 'internal', message: err instanceof Error ? err.message : String(err), retryable: false },
    usage: ZERO,
  };
}

/** With nothing configured, a local Ollama that answers is used, and the user is told so. */
async function offerOllama(ctx: RunContext): Promise<string | null> {
  const found = await probeOllama(ollamaHost(ctx.env), ctx.signal).catch(() => null);
  if (!found) return null;
  const model = `ollama:${found}`;
  await ctx.emit({
    type: 'notice',
    data: {
      level: 'info',
      message: `No model configured; using the local Ollama model ${model}. Set one with \`hermes config set model …\`.`,
    },
  });
  return model;
}
