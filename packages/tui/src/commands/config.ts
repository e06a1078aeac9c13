// Placeholder until the config commands land (issue 4).
const notYet = async (..._args: unknown[]): Promise<number> => {
  process.stderr.write('hermes: config commands are not built yet\n');
  return 1;
};
export const configGet = notYet;
export const configSet = notYet;
export const configUnset = notYet;
export const configPath = notYet;
export const configList = notYet;
