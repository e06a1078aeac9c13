import path from 'node:path';

/**
 * Where a session's big tool results are saved whole: `HERMES_HOME/tool-output/<session>`.
 * The one place inside HERMES_HOME a tool may read (the path policy takes it as an input), so
 * the model can `read_file` what was cut from a result.
 */
export function toolOutputDir(hermesHome: string, sessionId: string): string {
  return path.join(hermesHome, 'tool-output', sessionId);
}

/** The file of one tool call's whole output. Ids are daemon- or provider-made: anything odd is replaced. */
export function toolOutputFile(hermesHome: string, sessionId: string, toolCallId: string): string {
  return path.join(toolOutputDir(hermesHome, sessionId), `${toolCallId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 120)}.txt`);
}
