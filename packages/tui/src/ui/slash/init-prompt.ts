/** The fixed prompt of `/init` and `hermes init`: one turn that writes the project's AGENTS.md. */
export const INIT_PROMPT = [
  'Write an AGENTS.md file at the root of this project for coding agents that will work in it.',
  'First look around: the README, the build and package files, the folder layout, the CI config, existing',
  'instruction files (AGENTS.md, CLAUDE.md, .cursorrules, .github/copilot-instructions.md).',
  'Then write a short, concrete AGENTS.md (under ~150 lines): what the project is, how to build, test and lint',
  '(exact commands, including how to run one test), the code layout, the conventions that are not obvious',
  'from the code, and anything an agent must never do. If an AGENTS.md exists, improve it instead of replacing',
  'what is still true. Do not invent commands you have not seen in the project.',
].join('\n');
