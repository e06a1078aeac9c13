import os from 'node:os';
import type { ToolCall } from '@hermes/protocol';
import { decide } from '../permission/index.js';
import {
  fsErrorMessage,
  resolveScope,
  resolveToolPath,
  type ResolvedTarget,
  type Tool,
  type ToolContext,
  type ToolRegistry,
  type ToolResult,
} from '../tool/index.js';
import { toolOutputDir } from '../tool-output/dir.js';
import { deniedResult } from './denied.js';
import type { Redactor } from '../util/redact.js';
import type { RunContext } from './types.js';

/**
 * Runs a reply's tool calls: consecutive read-only calls together, the others one by one,
 * each through the approval policy first.
 */
export async function runToolCalls(
  ctx: RunContext,
  registry: ToolRegistry,
  calls: ToolCall[],
  env: Record<string, string | undefined>,
  redactor: Redactor,
): Promise<Map<string, ToolResult>> {
  const results = new Map<string, ToolResult>();
  let i = 0;
  while (i < calls.length && !ctx.signal.aborted) {
    const batch = [calls[i]!];
    const readOnly = (c: ToolCall) => registry.getTool(c.name)?.readOnly === true && !c.invalidArgs;
    if (readOnly(calls[i]!))
      while (i + batch.length < calls.length && readOnly(calls[i + batch.length]!)) batch.push(calls[i + batch.length]!);
    i += batch.length;
    await Promise.all(batch.map(async (call) => results.set(call.id, await runOneTool(ctx, registry, call, env, redactor))));
  }
  return results;
}

async function runOneTool(
  ctx: RunContext,
  registry: ToolRegistry,
  call: ToolCall,
  env: Record<string, string | undefined>,
  redactor: Redactor,
): Promise<ToolResult> {
  let started = Date.now();
  // Tool output is the one way a secret could reach the log: a command that prints the env.
  const output = redactor.stream();
  const emitOutput = (text: string) => {
    if (text) void ctx.emit({ type: 'tool.output', data: { toolCallId: call.id, text } });
  };
  const finish = async (raw: ToolResult): Promise<ToolResult> => {
    emitOutput(output.flush());
    const r: ToolResult = {
      ...raw,
      result: redactor.redact(raw.result),
      ...(raw.diff !== undefined ? { diff: redactor.redact(raw.diff) } : {}),
    };
    await ctx.emit({
      type: 'tool.completed',
      data: {
        toolCallId: call.id,
        ok: r.ok,
        result: r.result,
        durationMs: Date.now() - started,
        ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
        ...(r.diff !== undefined ? { diff: r.diff } : {}),
      },
    });
    return r;
  };
  // Duration counts from here: time spent waiting for an approval is not the tool's.
  // `summary`: the tool's own, once its arguments parse; every client prints this one line.
  const begin = (summary?: string) => {
    started = Date.now();
    const data = { toolCallId: call.id, name: call.name, args: call.args, ...(summary !== undefined ? { summary } : {}) };
    return ctx.emit({ type: 'tool.started', data });
  };

  if (call.invalidArgs !== undefined) {
    await begin();
    return finish({
      ok: false,
      result: `The arguments of ${call.name} were not valid JSON, so it was not run: ${call.invalidArgs.slice(0, 500)}`,
    });
  }
  const parsed = registry.parseCall(call.name, call.args);
  if ('error' in parsed) {
    await begin();
    return finish(parsed.error);
  }
  const summary = summaryOf(parsed.tool, parsed.args, redactor);
  // The policy judges where the call really leads (links resolved); the tool then acts on
  // exactly that target, or fails if it changed meanwhile.
  const use = parsed.tool.touches?.(parsed.args);
  let target: ResolvedTarget | undefined;
  if (use) {
    try {
      target = await resolveToolPath(ctx.workspace, use.path, env);
    } catch (e) {
      await begin(summary);
      return finish({ ok: false, result: fsErrorMessage(e, use.path) });
    }
  }
  const scope = target
    ? await resolveScope(
        ctx.workspace,
        ctx.home,
        ctx.config.tools?.readable ?? [],
        env,
        os.homedir(),
        toolOutputDir(ctx.home, ctx.sessionId),
      )
    : undefined;
  const toolCtx: ToolContext = {
    toolCallId: call.id,
    workspace: ctx.workspace,
    env,
    signal: ctx.signal,
    onOutput: (text: string) => emitOutput(output.push(text)),
    ...(ctx.web ? { web: ctx.web } : {}),
    updatePlan: (todos) => ctx.emit({ type: 'plan.updated', data: { todos, toolCallId: call.id } }),
    ...(ctx.sandbox ? { sandbox: ctx.sandbox } : {}),
    ...(target ? { target } : {}),
    ...(scope?.hermesHome ? { unreadable: [scope.hermesHome] } : {}),
    ...(ctx.requestClarification ? { clarify: (questions) => ctx.requestClarification!({ toolCallId: call.id, questions }) } : {}),
  };
  const decision = decide({
    ...(target && scope ? { target: { requested: target.requested, real: target.real }, scope } : {}),
    tool: call.name,
    args: parsed.args,
    workspace: ctx.workspace,
    mode: ctx.config.approvals?.mode ?? 'ask',
    sessionRules: ctx.sessionRules,
    allowlist: ctx.config.approvals?.allowlist ?? [],
    readOnly: parsed.tool.readOnly,
    home: os.homedir(),
    sandboxed: ctx.sandbox?.active === true,
    webFetch: ctx.config.tools?.webFetch === 'ask' ? 'ask' : 'allow',
  });
  if (decision.action === 'refuse') {
    await begin(summary);
    return finish({ ok: false, result: decision.reason });
  }
  if (decision.action === 'ask') {
    const diff = await parsed.tool.preview?.(parsed.args, toolCtx).catch(() => undefined);
    const answer = await ctx.requestApproval({
      toolCallId: call.id,
      tool: call.name,
      summary: decision.ask.summary,
      reasons: decision.ask.reasons,
      choices: decision.ask.choices,
      ...(decision.ask.pattern !== undefined ? { pattern: decision.ask.pattern } : {}),
      ...(decision.ask.patterns ? { patterns: decision.ask.patterns } : {}),
      ...(diff ? { diff: redactor.redact(diff) } : {}),
      ...(decision.ask.outsideSandbox ? { outsideSandbox: true } : {}),
    });
    if (answer.decision === 'deny') {
      await begin(summary);
      return finish({ ok: false, result: deniedResult(call.name, decision.ask.summary, answer) });
    }
  }
  if (ctx.signal.aborted) return { ok: false, result: 'Cancelled before it ran.' };
  await ctx.checkpoint?.beforeTool(call.name);
  await begin(summary);
  let result: ToolResult;
  try {
    result = await registry.runTool(call.name, parsed.args, toolCtx);
  } finally {
    await ctx.checkpoint?.afterTool(call.name);
  }
  return finish(result);
}

/** The longest summary a `tool.started` carries (clients cut it to their width further). */
const SUMMARY_MAX_CHARS = 300;

/** The tool's one-line summary of the call: whitespace folded, bounded; none if its `summarize` throws. */
export function summaryOf(tool: Tool, args: Record<string, unknown>, redactor: Redactor): string | undefined {
  let text: string;
  try {
    text = tool.summarize(args);
  } catch {
    return undefined;
  }
  const flat = redactor.redact(text).replace(/\s+/g, ' ').trim();
  return flat.length > SUMMARY_MAX_CHARS ? `${flat.slice(0, SUMMARY_MAX_CHARS - 1)}…` : flat;
}
