// Placeholder until the sessions commands land (issue 4).
const notYet = async (..._args: unknown[]): Promise<number> => {
  process.stderr.write('hermes: sessions commands are not built yet\n');
  return 1;
};
export const sessionsList = notYet;
export const sessionsShow = notYet;
export const sessionsRm = notYet;
export const sessionsRename = notYet;
export const sessionsExport = notYet;
