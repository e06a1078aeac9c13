/**
 * How each wrapper's command line is laid out (from their man pages / getopt strings): which
 * options take a value as the next word, which option's value is a command string, how many
 * operands come before the wrapped command. An option the table does not know is read both ways
 * (see wrappers.ts), so a missing entry costs precision, not safety.
 */
export interface WrapperSpec {
  /** Short option letters that take a value (`-n 19`, or attached: `-n19`). */
  shortValue?: string;
  /** Long options (without `--`) that take a value (`--adjustment 19`, or `--adjustment=19`). */
  longValue?: readonly string[];
  /** Long options known to take no value. */
  longFlag?: readonly string[];
  /** Operands before the wrapped command (timeout's duration, chroot's directory, flock's file). */
  operands?: number;
  /** Options whose value is a shell command (`flock -c '…'`, `script -c '…'`). */
  shortCommand?: string;
  longCommand?: readonly string[];
  /** After the operands, a `-c CMD` may follow (flock FILE -c CMD, sg GROUP -c CMD). */
  trailingCommandFlag?: boolean;
  /** Options after which nothing is run (`command -v x` only looks x up). */
  noRun?: RegExp;
  /** Leading `NAME=value` words are assignments, not the command (env). */
  assignments?: boolean;
  /** The remaining words are joined into one shell string (watch, sg). */
  joinAsShell?: boolean;
  /** The command option may come after operands too (`su root -c '…'`, getopt permutes). */
  commandAnywhere?: boolean;
  /** What follows the options is not a command (`su root` opens a shell; only `-c` runs text). */
  onlyCommandOption?: boolean;
  /** Options whose value is a file the wrapper writes (strace -o, time -o). */
  writesTo?: RegExp;
}

export const WRAPPER_SPECS: Record<string, WrapperSpec> = {
  nohup: {},
  setsid: { longFlag: ['ctty', 'fork', 'wait'] },
  builtin: {},
  exec: { shortValue: 'a' },
  nice: { shortValue: 'n', longValue: ['adjustment'] },
  ionice: { shortValue: 'cnpPu', longValue: ['class', 'classdata', 'pid', 'pgid', 'uid'], longFlag: ['ignore'] },
  stdbuf: { shortValue: 'ioe', longValue: ['input', 'output', 'error'] },
  timeout: { shortValue: 'ks', longValue: ['kill-after', 'signal'], longFlag: ['preserve-status', 'foreground', 'verbose'], operands: 1 },
  gtimeout: { shortValue: 'ks', longValue: ['kill-after', 'signal'], longFlag: ['preserve-status', 'foreground', 'verbose'], operands: 1 },
  chrt: { shortValue: 'TPD', longValue: ['sched-runtime', 'sched-period', 'sched-deadline'], operands: 1 },
  taskset: { operands: 1, longFlag: ['all-tasks', 'cpu-list', 'pid'] },
  flock: {
    shortValue: 'wE',
    longValue: ['timeout', 'wait', 'conflict-exit-code'],
    shortCommand: 'c',
    longCommand: ['command'],
    operands: 1,
    trailingCommandFlag: true,
  },
  command: { noRun: /^-[a-zA-Z]*[vV]/ },
  env: { shortValue: 'uCP', longValue: ['unset', 'chdir'], shortCommand: 'S', longCommand: ['split-string'], assignments: true },
  time: { shortValue: 'fo', longValue: ['format', 'output'], writesTo: /^(?:-o|--output)$/ },
  unbuffer: {},
  caffeinate: { shortValue: 'tw' },
  chronic: {},
  catchsegv: {},
  strace: {
    shortValue: 'abeEIoOpPsSuUX',
    longValue: ['output', 'trace', 'signal', 'attach', 'user', 'env', 'string-limit'],
    writesTo: /^(?:-o|--output)$/,
  },
  ltrace: { shortValue: 'aADeFlnopsuw', longValue: ['output', 'library'], writesTo: /^(?:-o|--output)$/ },
  proxychains: { shortValue: 'f' },
  proxychains4: { shortValue: 'f' },
  torsocks: { shortValue: 'upaP' },
  firejail: {},
  nocache: {},
  eatmydata: {},
  fakeroot: { shortValue: 'lsib', longValue: ['lib', 'faked'] },
  faketime: { shortValue: 'm', operands: 1 },
  chroot: { longValue: ['userspec', 'groups'], operands: 1 },
  unshare: {
    shortValue: 'SGRw',
    longValue: ['setuid', 'setgid', 'root', 'wd', 'map-user', 'map-group', 'map-users', 'map-groups', 'kill-child'],
  },
  nsenter: { shortValue: 'tSG', longValue: ['target', 'setuid', 'setgid'] },
  prlimit: { shortValue: 'p', longValue: ['pid'] },
  setpriv: {
    longValue: [
      'ruid',
      'euid',
      'reuid',
      'rgid',
      'egid',
      'regid',
      'groups',
      'securebits',
      'inh-caps',
      'ambient-caps',
      'bounding-set',
      'selinux-label',
      'apparmor-profile',
      'landlock-access',
      'landlock-rule',
      'pdeathsig',
    ],
  },
  'systemd-run': {
    shortValue: 'puEHM',
    longValue: [
      'property',
      'unit',
      'setenv',
      'host',
      'machine',
      'description',
      'slice',
      'uid',
      'gid',
      'nice',
      'working-directory',
      'on-calendar',
      'on-active',
      'timer-property',
      'path-property',
      'socket-property',
      'service-type',
    ],
  },
  numactl: { shortValue: 'CNmpiP', longValue: ['membind', 'cpunodebind', 'physcpubind', 'preferred', 'interleave', 'cpubind'] },
  cgexec: { shortValue: 'g' },
  'xvfb-run': { shortValue: 'nsfepw', longValue: ['server-num', 'server-args', 'auth-file', 'error-file', 'xauth-protocol', 'wait'] },
  'dbus-run-session': { longValue: ['config-file', 'dbus-daemon'] },
  'ssh-agent': { shortValue: 'aEPt' },
  sshpass: { shortValue: 'pfdP' },
  valgrind: {},
  script: {
    shortValue: 'EIOBTm',
    longValue: ['echo', 'log-in', 'log-out', 'log-io', 'log-timing', 'logging-format'],
    shortCommand: 'c',
    longCommand: ['command'],
    commandAnywhere: true,
    onlyCommandOption: true,
  },
  watch: { shortValue: 'nq', longValue: ['interval', 'equexit'], joinAsShell: true },
  sg: { operands: 1, trailingCommandFlag: true, joinAsShell: true },
  newgrp: { operands: 1, onlyCommandOption: true },
  doas: { shortValue: 'uC' },
  sudo: {
    shortValue: 'ughpCDrtUTR',
    longValue: ['user', 'group', 'host', 'prompt', 'close-from', 'chdir', 'role', 'type', 'other-user', 'command-timeout', 'chroot'],
  },
  pkexec: { longValue: ['user'] },
  run0: {
    shortValue: 'ugD',
    longValue: ['user', 'group', 'chdir', 'setenv', 'property', 'slice', 'unit', 'nice', 'machine', 'description', 'background'],
  },
  runuser: {
    shortValue: 'ugGsw',
    longValue: ['user', 'group', 'supp-group', 'shell', 'whitelist-environment'],
    shortCommand: 'c',
    longCommand: ['command'],
    commandAnywhere: true,
  },
  su: {
    shortValue: 'gGsw',
    longValue: ['group', 'supp-group', 'shell', 'whitelist-environment'],
    shortCommand: 'c',
    longCommand: ['command'],
    commandAnywhere: true,
    onlyCommandOption: true,
  },
  npx: { shortValue: 'p', longValue: ['package'], shortCommand: 'c', longCommand: ['call'] },
  pnpx: { shortValue: 'p', longValue: ['package'], shortCommand: 'c', longCommand: ['call'] },
  bunx: { shortValue: 'p', longValue: ['package'] },
  busybox: {},
  toybox: {},
};
