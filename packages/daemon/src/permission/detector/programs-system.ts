/** Checks for programs that act on the network, processes, services, packages and infrastructure. */
import { checkWriteTarget, hasLong } from './args.js';
import { each, type ProgramCheck } from './program-call.js';
import { checkAssignment } from './secrets.js';

const download: ProgramCheck = ({ prog, texts }, f, ctx) => {
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    if (
      (t === '-o' || t === '--output' || (prog === 'wget' && (t === '-O' || t === '--output-document'))) &&
      texts[i + 1] &&
      texts[i + 1] !== '-'
    ) {
      checkWriteTarget(texts[i + 1]!, `${prog} output`, f, ctx);
    }
    if (t.startsWith('--output-document=') || t.startsWith('--output=')) checkWriteTarget(t.split('=')[1] ?? '', `${prog} output`, f, ctx);
  }
  // Uploading a secrets file (`curl -T ~/.ssh/id_rsa`, `-d @.env`, `-F f=@~/.aws/credentials`).
  if (
    prog === 'curl' &&
    texts.some(
      (t) =>
        /(?:^@|=@|^)(?:~|\$HOME|\/home\/[^/]+|\/root)?\/?\.(?:ssh|aws|env\b|netrc|git-credentials)/.test(t) &&
        (t.includes('@') || texts.some((u) => u === '-T' || u === '--upload-file')),
    )
  ) {
    f.add('dangerous', 'uploads a secrets file');
  }
};

const kill: ProgramCheck = ({ texts, operands }, f) => {
  if (texts.some((t) => t === '-1') || (texts.includes('--') && texts.at(-1) === '-1')) f.add('dangerous', 'kill -1 signals every process');
  if (operands.some((o) => o === '1' || o === '0')) f.add('dangerous', 'kills init or the whole process group');
};

const services: ProgramCheck = ({ prog, operands }, f) => {
  if (operands.some((o) => /^(?:poweroff|reboot|halt|kexec|suspend|hibernate|emergency|rescue|isolate)$/.test(o)))
    f.add('dangerous', `${prog} power/state change`);
  else if (operands.some((o) => /^(?:stop|restart|disable|mask|kill|daemon-reexec|start|enable)$/.test(o)))
    f.add('dangerous', `${prog} changes system services`);
};

const registry: ProgramCheck = ({ prog, short, long, operands }, f) => {
  const sub = operands[0] ?? '';
  if (/^(?:publish|unpublish|deprecate|upload|push|release|deploy|yank|owner|dist-tag)$/.test(sub))
    f.add('dangerous', `${prog} ${sub} publishes to a registry`);
  if (/^(?:uninstall|unlink|remove|rm|r|un)$/.test(sub) && (short.has('g') || hasLong(long, 'global')))
    f.add('dangerous', `${prog} ${sub} -g removes global packages`);
  if (sub === 'config' && operands[1] === 'set') f.add('dangerous', `${prog} config set changes global configuration`);
  if (prog === 'npm' && sub === 'cache' && operands[1] === 'clean') f.add('dangerous', 'npm cache clean');
};

const systemPackages: ProgramCheck = ({ prog, short, operands }, f) => {
  if (operands.some((o) => /^(?:remove|purge|uninstall|autoremove|erase|rm)$/.test(o)) || short.has('R'))
    f.add('dangerous', `${prog} removes system packages`);
};

const containers: ProgramCheck = ({ prog, texts, short, long, operands: ops }, f) => {
  const sub = ops[0] ?? '';
  if (['system', 'volume', 'image', 'container', 'network', 'builder'].includes(sub) && ops[1] === 'prune')
    f.add('dangerous', `${prog} ${sub} prune deletes data`);
  if (sub === 'volume' && (ops[1] === 'rm' || ops[1] === 'remove')) f.add('dangerous', `${prog} volume rm deletes data`);
  if (sub === 'rm' || sub === 'rmi' || sub === 'kill' || sub === 'stop') f.add('dangerous', `${prog} ${sub}`);
  if (sub === 'push') f.add('dangerous', `${prog} push publishes an image`);
  const hostMount =
    texts.some((t) => /^(?:-v|--volume)$/.test(t)) && texts.some((t) => /^\/:/.test(t) || t.startsWith('/var/run/docker.sock'));
  if (sub === 'run' && (texts.includes('--privileged') || hostMount)) f.add('dangerous', `${prog} run with host access`);
  if (hasLong(long, 'host') || short.has('H')) f.add('dangerous', `${prog} against another daemon`);
};

const database: ProgramCheck = ({ texts }, f) => {
  const sql = texts.join(' ');
  if (
    /\b(?:DROP\s+(?:TABLE|DATABASE|SCHEMA)|TRUNCATE\b|FLUSHALL|FLUSHDB|dropDatabase)/i.test(sql) ||
    /\bDELETE\s+FROM\b(?![^;]*\bWHERE\b)/i.test(sql)
  ) {
    f.add('dangerous', 'destructive database statement');
  }
};

const systemConfig: ProgramCheck = ({ prog }, f) => f.add('dangerous', `${prog} changes system configuration`);

export const SYSTEM_PROGRAMS: Record<string, ProgramCheck> = {
  ...each(['curl', 'wget'], download),
  kill,
  ...each(['killall', 'pkill', 'killall5'], ({ prog }, f) => f.add('dangerous', `${prog} kills processes by name`)),
  ...each(['shutdown', 'reboot', 'halt', 'poweroff'], ({ prog }, f) => f.add('dangerous', `${prog} the machine`)),
  ...each(['init', 'telinit'], ({ prog, operands }, f) => {
    if (operands.some((o) => /^[06sS]$/.test(o))) f.add('dangerous', `${prog} ${operands[0]} shuts down or reboots`);
  }),
  ...each(['systemctl', 'service'], services),
  crontab: ({ short, operands, texts }, f) => {
    if (short.has('r') || short.has('e') || operands.length > 0 || texts.length === 0) f.add('dangerous', 'crontab changes scheduled jobs');
  },
  ...each(['at', 'batch'], ({ prog }, f) => f.add('dangerous', `${prog} schedules a command`)),
  history: ({ short }, f) => {
    if (short.has('c') || short.has('d') || short.has('w')) f.add('dangerous', 'history edit (erases shell history)');
  },
  ...each(['npm', 'pnpm', 'yarn', 'cargo', 'gem', 'twine', 'poetry', 'flit', 'hatch', 'dotnet', 'mvn', 'gradle'], registry),
  ...each(['pip', 'pip3'], ({ operands }, f) => {
    if (operands[0] === 'uninstall') f.add('dangerous', 'pip uninstall');
  }),
  ...each(['brew', 'apt', 'apt-get', 'dnf', 'yum', 'pacman', 'snap'], systemPackages),
  ...each(['docker', 'podman'], containers),
  'docker-compose': ({ operands, short, long }, f) => {
    if (operands.some((o) => o === 'down' || o === 'rm' || o === 'kill') && (short.has('v') || hasLong(long, 'volumes')))
      f.add('dangerous', 'docker compose down -v deletes volumes');
  },
  ...each(['kubectl', 'helm'], ({ prog, operands }, f) => {
    const verb = operands.find((o) => /^(?:delete|drain|uninstall|replace|scale)$/.test(o));
    if (verb) f.add('dangerous', `${prog} ${verb}`);
  }),
  ...each(['terraform', 'tofu', 'pulumi'], ({ prog, operands, texts }, f) => {
    if (operands[0] === 'destroy' || (operands[0] === 'apply' && texts.some((t) => t === '-auto-approve' || t === '--yes')))
      f.add('dangerous', `${prog} ${operands[0]} changes infrastructure`);
  }),
  ...each(['psql', 'mysql', 'sqlite3', 'mongosh', 'redis-cli'], database),
  ...each(['iptables', 'ip6tables', 'nft', 'ufw'], ({ prog, short, long, operands }, f) => {
    if (short.has('F') || hasLong(long, 'flush') || operands.some((o) => o === 'flush' || o === 'disable' || o === 'reset'))
      f.add('dangerous', `${prog} drops firewall rules`);
  }),
  ...each(
    ['passwd', 'chpasswd', 'usermod', 'userdel', 'useradd', 'visudo', 'mount', 'umount', 'swapoff', 'insmod', 'rmmod', 'modprobe'],
    systemConfig,
  ),
  sysctl: (call, f, ctx) => {
    if (call.short.has('w')) systemConfig(call, f, ctx);
  },
  launchctl: ({ operands }, f) => {
    if (operands.some((o) => /^(?:unload|bootout|remove|stop|disable|kill)$/.test(o))) f.add('dangerous', 'launchctl stops services');
  },
  ...each(['nc', 'ncat', 'netcat'], ({ prog, short, long }, f) => {
    if (short.has('e') || short.has('c') || hasLong(long, 'exec') || hasLong(long, 'sh-exec'))
      f.add('dangerous', `${prog} -e exposes a shell over the network`);
  }),
  ...each(['export', 'declare', 'typeset', 'readonly', 'local'], ({ operands }, f, ctx) =>
    operands.forEach((o) => checkAssignment(o, f, ctx)),
  ),
};
