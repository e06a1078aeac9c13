/** The daemon's own log: one line per entry on stderr, which the spawner sends to logs/daemon.log. */
export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export const stderrLogger: Logger = (level, message, fields) => {
  const extra = fields ? ` ${JSON.stringify(fields)}` : '';
  process.stderr.write(`${new Date().toISOString()} ${level} ${message}${extra}\n`);
};

export const silentLogger: Logger = () => {};
