/** What the model is told about a denied call: a timeout is not the user's decision. */
export function deniedResult(tool: string, summary: string, answer: { by: string; reason?: string }): string {
  if (answer.by === 'timeout') {
    const after = answer.reason ? ` (${answer.reason.replace(/[.\s]*$/, '')})` : '';
    return `Nobody answered the approval for this ${tool} call (${summary}) in time${after}, so it was not run. The user may be away: do not retry it now; say what you wanted to do and why.`;
  }
  if (answer.by === 'steer') {
    return `This ${tool} call (${summary}) was not run: the user sent a new message instead (it follows these results). Read it before going on.`;
  }
  const why = answer.reason ? ` Their reason: ${answer.reason.replace(/[.\s]*$/, '')}.` : '';
  return `The user denied this ${tool} call (${summary}).${why} Do not try to get around it.`;
}
