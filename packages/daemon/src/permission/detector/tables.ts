/** Program and path tables the detector's judgements are made of. */

export const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'rbash']);
export const INTERPRETERS = new Set([
  'python',
  'python2',
  'python3',
  'perl',
  'ruby',
  'node',
  'nodejs',
  'deno',
  'bun',
  'php',
  'lua',
  'luajit',
  'tclsh',
  'pwsh',
  'osascript',
  'Rscript',
  'irb',
  'jshell',
  'groovy',
]);
export const DOWNLOADERS = new Set([
  'curl',
  'wget',
  'fetch',
  'aria2c',
  'http',
  'https',
  'httpie',
  'xh',
  'lynx',
  'links',
  'nc',
  'ncat',
  'socat',
  'scp',
  'rsync',
  'ftp',
  'tftp',
  'gh',
  'aws',
  'gsutil',
]);
/** Stages that turn opaque text into code: `base64 -d | sh` hides what runs. */
export const DECODERS = new Set([
  'base64',
  'base32',
  'basenc',
  'xxd',
  'openssl',
  'gunzip',
  'zcat',
  'gzip',
  'bzcat',
  'xzcat',
  'tr',
  'rev',
  'uudecode',
  'printf',
]);
export const PRIVILEGE = new Set(['sudo', 'doas', 'su', 'pkexec', 'run0', 'sudoedit']);
export const DESTRUCTIVE_FOR_XARGS = new Set([
  'rm',
  'shred',
  'unlink',
  'rmdir',
  'chmod',
  'chown',
  'chgrp',
  'mv',
  'dd',
  'truncate',
  'kill',
  'pkill',
  'killall',
]);
export const SYSTEM_DIRS = [
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/boot',
  '/lib',
  '/lib32',
  '/lib64',
  '/var',
  '/opt',
  '/sys',
  '/proc',
  '/System',
  '/Library',
  '/private/etc',
  '/private/var',
];
export const HARDLINE_RM_DIRS = new Set([
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/boot',
  '/lib',
  '/lib64',
  '/var',
  '/home',
  '/root',
  '/Users',
  '/System',
  '/Library',
]);
export const SHELL_RC = new Set([
  '.bashrc',
  '.zshrc',
  '.profile',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.zprofile',
  '.zshenv',
  '.zlogin',
  '.cshrc',
  '.tcshrc',
  '.kshrc',
  '.inputrc',
  '.bash_aliases',
  '.zlogout',
  '.login',
  '.logout',
  '.mkshrc',
  '.xprofile',
  '.xsessionrc',
]);
export const CREDENTIAL_FILES = new Set(['.netrc', '.pgpass', '.npmrc', '.pypirc', '.git-credentials', '.gitconfig', 'authorized_keys']);
export const SAFE_ENV_SUFFIXES = ['.example', '.sample', '.template', '.dist', '.defaults', '.schema'];

export const BLOCK_DEVICE =
  /^\/dev\/(?:(?:sd|hd|vd|xvd|nvme|mmcblk|md|dm-|loop|nbd|sr|fd)[a-z0-9]*|r?disk\d+\S*|mapper\/\S+|disk\/by-[a-z]+\/\S+)$/;
export const HARMLESS_DEVICES = /^\/dev\/(?:null|zero|full|u?random|stdin|stdout|stderr|tty|fd\/\d+|pts\/\d+|shm\/.*)$/;

/** Shell keywords that precede the command word. */
export const KEYWORDS = new Set(['{', '}', '!', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'coproc', '[[', ']]']);
/** Keywords whose words are not a command (`for x in …`). */
export const SKIP_COMMANDS = new Set(['for', 'case', 'select', 'esac', 'in']);

/** git settings whose value is a program git runs. */
export const GIT_EXEC_KEYS =
  /^(?:core\.(?:hookspath|sshcommand|pager|editor|fsmonitor|gitproxy)|alias\.|protocol\.ext\.allow|uploadpack\.packobjectshook|diff\.external|.*\.textconv)/i;

/** Inline interpreter code that shells out or deletes files. */
export const SHELL_OUT =
  /\b(?:os\s*\.\s*(?:system|popen|exec\w*|spawn\w*|remove|unlink|rmdir|removedirs|kill)|subprocess|pty\s*\.\s*spawn|commands\s*\.\s*getoutput|shutil\s*\.\s*rmtree|rmtree|child_process|exec(?:Sync|File|FileSync)?\s*\(|spawn(?:Sync)?\s*\(|rmSync|rmdirSync|unlinkSync|fs\s*\.\s*(?:rm|unlink|rmdir)|system|popen|shell_exec|passthru|proc_open|qx|File\s*\.\s*delete|FileUtils\s*\.\s*rm\w*|Dir\s*\.\s*delete|Deno\s*\.\s*(?:run|Command|remove)|Bun\s*\.\s*(?:spawn|\$)|__import__|eval|exec|spawn|fork|unlink|rmdir|Open3|IO\s*\.\s*popen|Process\s*\.\s*spawn|Kernel\s*\.\s*(?:system|exec|spawn)|pcntl_exec)\b|%x|\bopen\s*\(?[^;]*["']\s*\||\|\s*["']\s*\)/;
