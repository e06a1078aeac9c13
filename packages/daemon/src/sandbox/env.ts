/**
 * The environment a sandboxed command gets: the tool environment (provider keys already
 * removed) minus anything that lets a process act as the user elsewhere: agent sockets,
 * session buses, and variables that by their name hold a credential. Caches point into the
 * session's /tmp: a writable shared cache would be code that runs later outside the sandbox.
 */
const DROP = new Set([
  'SSH_AUTH_SOCK',
  'SSH_AGENT_PID',
  'GPG_AGENT_INFO',
  'DBUS_SESSION_BUS_ADDRESS',
  'DOCKER_HOST',
  'KUBECONFIG',
  'HERMES_TOKEN',
]);
const CREDENTIAL_NAME = /(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)(?:_|$)/i;

/** `tmp`: the session's temp folder as the command sees it (`/tmp` under bubblewrap). */
export function sandboxEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  network: boolean,
  tmp = '/tmp',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || DROP.has(k) || CREDENTIAL_NAME.test(k)) continue;
    out[k] = v;
  }
  out.TMPDIR = tmp;
  out.XDG_RUNTIME_DIR = `${tmp}/.xdg-runtime`;
  out.XDG_CACHE_HOME = `${tmp}/.cache`;
  out.npm_config_cache = `${tmp}/.cache/npm`;
  out.PIP_CACHE_DIR = `${tmp}/.cache/pip`;
  out.GOCACHE = `${tmp}/.cache/go-build`;
  out.HERMES_SANDBOX = '1';
  out.HERMES_SANDBOX_NETWORK = network ? '1' : '0';
  return out;
}
