import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readOnlyVerdict } from './read-only.js';

const READ_ONLY = [
  'ls',
  'ls -la src',
  'cat package.json',
  'head -n 20 README.md',
  'tail -f log.txt',
  'wc -l src/*.ts',
  'grep -rn "TODO" src',
  'egrep -i "a|b" f',
  'rg --files',
  'rg -n "foo(bar)" -g "*.ts"',
  'find . -name "*.ts" -type f',
  'find . -maxdepth 2 -print',
  'git status',
  'git status --porcelain',
  'git log --oneline -20',
  'git -C packages/daemon log -p',
  'git diff HEAD~1 -- src',
  'git show HEAD:README.md',
  'git branch',
  'git branch -a',
  'git branch -vv',
  'git branch --list "feat/*"',
  'git branch --contains HEAD',
  'git rev-parse --show-toplevel',
  'git ls-files -m',
  'git blame -L 1,20 src/a.ts',
  'pwd',
  'which node',
  'echo hello',
  'printf "%s\\n" a b',
  'date +%Y',
  'file README.md',
  'stat -c %s f',
  'du -sh .',
  'df -h',
  'tree -L 2',
  'realpath .',
  'basename /a/b',
  'dirname /a/b',
  'sort -u names.txt',
  'uniq -c counts.txt',
  'uniq -f 1 counts.txt',
  'cut -d , -f 1 data.csv',
  'tr a-z A-Z',
  'diff a.txt b.txt',
  'cmp a b',
  'true',
  'false',
  'env',
  'printenv HOME',
  'uname -a',
  'id',
  'whoami',
  'jq .name package.json',
  // chains, pipes, groups, substitutions of read-only parts
  'ls; pwd',
  'ls && cat a || echo none',
  'ls | grep x | wc -l',
  'ls & wc -l f',
  '(cd src && ls)',
  '{ ls; pwd; }',
  'echo $(git rev-parse HEAD)',
  'echo `whoami`',
  'diff <(sort a) <(sort b)',
  'if [ -f x ]; then cat x; else echo no; fi',
  'while false; do ls; done',
  '! grep -q x f',
  'cat f 2>/dev/null',
  'ls >/dev/null 2>&1',
  'grep x f &>/dev/null',
  'ls >&2',
  'cat < input.txt',
  'wc -l <<< "a b"',
  "cat <<'EOF'\n$(rm -rf ~)\nEOF",
  'cat <<EOF\nplain $HOME text\nEOF',
  'cd src',
  'echo $HOME ${USER}',
  '/usr/bin/ls -la',
  "'ls' -la",
];

const NOT_READ_ONLY: Array<[string, RegExp]> = [
  ['npm test', /read-only list: npm/],
  ['rm -rf build', /read-only list: rm/],
  ['touch x', /touch/],
  ['ls > out.txt', /redirection > out.txt/],
  ['ls >> out.txt', /redirection >>/],
  ['ls >| out.txt', /redirection >\|/],
  ['ls &> out.txt', /redirection &>/],
  ['ls &>> out.txt', /redirection &>>/],
  ['cat <> f', /redirection <>/],
  ['ls 2> err.txt', /redirection/],
  ['ls >&out.txt', /redirection >&/],
  ['ls > $OUT', /redirection/],
  ['ls > /dev/sda', /redirection/],
  ['ls; rm x', /rm/],
  ['ls && rm x', /rm/],
  ['ls || rm x', /rm/],
  ['ls | sh', /sh/],
  ['ls & rm x', /rm/],
  ['(rm x)', /rm/],
  ['{ rm x; }', /rm/],
  ['echo $(rm x)', /rm/],
  ['echo `rm x`', /rm/],
  ['cat <(rm x)', /rm/],
  ['tee >(cat) < f', /tee/],
  ['cat > >(rm x)', /rm/],
  ['cat <<EOF\n$(rm -rf ~)\nEOF', /rm/],
  ['cat <<EOF\n`touch x`\nEOF', /touch/],
  ['PAGER=evil git log', /assignment PAGER/],
  ['X=1', /assignment/],
  ['PATH=/tmp/evil:$PATH; ls', /assignment PATH/],
  ['$CMD', /computed/],
  ['${CMD} -la', /computed/],
  ['$(echo ls)', /computed/],
  ['eval ls', /eval/],
  ['exec ls', /exec/],
  ['command ls', /command/],
  ['sudo ls', /sudo/],
  ['./ls', /\.\/ls/],
  ['/tmp/ls', /\/tmp\/ls/],
  ['l? -la', /l\?/],
  ['less README.md', /less/],
  ['more f', /more/],
  ['vim f', /vim/],
  ['man ls', /man/],
  ['sed -n p f', /sed/],
  ['awk "{print}" f', /awk/],
  ['xargs cat', /xargs/],
  ['tail -f log | tee copy', /tee/],
  ['rg --pre ./x foo', /--pre/],
  ['rg --pre-glob "*.pdf" --pre cat foo', /--pre/],
  ['find . -exec rm {} \\;', /-exec/],
  ['find . -execdir ls \\;', /-execdir/],
  ['find . -ok rm {} \\;', /-ok/],
  ['find . -okdir rm {} \\;', /-okdir/],
  ['find . -delete', /-delete/],
  ['find . -fprint out', /-fprint/],
  ['find . -fprint0 out', /-fprint0/],
  ['find . -fprintf out %p', /-fprintf/],
  ['find . -fls out', /-fls/],
  ['git -c core.pager=evil log', /git -c/],
  ['git --config-env=core.pager=X log', /git --config-env/],
  ['git --git-dir=/tmp/evil log', /git --git-dir/],
  ['git -p log', /git -p/],
  ['git log --output=x', /--output/],
  ['git diff --output x', /--output/],
  ['git diff --ext-diff', /--ext-diff/],
  ['git log -c', /-c/],
  ['git push', /git push/],
  ['git commit -m x', /git commit/],
  ['git checkout main', /git checkout/],
  ['git branch feature', /creates a branch/],
  ['git branch -d old', /git branch -d/],
  ['git branch -D old', /git branch -D/],
  ['git branch -m a b', /git branch -m/],
  ['git branch --set-upstream-to=o/m', /set-upstream/],
  ['git stash', /git stash/],
  ['git config user.name x', /git config/],
  ['printf -v x "%s" y', /printf -v/],
  ['sort -o out.txt in.txt', /sort -o/],
  ['sort --output=out.txt in.txt', /--output/],
  ['sort --compress-program=evil big', /--compress-program/],
  ['uniq in.txt out.txt', /output file/],
  ['date -s "2020-01-01"', /date -s/],
  ['date --set=now', /--set/],
  ['tree -o out.txt', /tree -o/],
  ['file -C -m magic', /file -C/],
  ['env rm x', /env with a command/],
  ['env X=1 ls', /env with a command/],
  ['env -S "rm x"', /env/],
  ['xxd -r dump bin', /xxd/],
  ['hostname evil', /hostname/],
  ['[ -v "a[$(rm x)]" ]', /rm/],
  ['test -v x', /test -v/],
  ['echo ${x:=1}', /expansion/],
  ['echo ${PATH:=/tmp}', /expansion/],
  ['echo $((x=1))', /assignment|read-only list/],
  ['for f in *; do cat $f; done', /for/],
  ['case x in x) ls;; esac', /case/],
  ['[[ -f x ]]', /\[\[/],
  ['time ls', /time/],
  ['f() { ls; }; f', /read-only list: f/],
  ['ls\0; rm x', /NUL/],
  ['', /empty/],
  ['   ', /empty/],
  ['$' + '('.repeat(60) + 'ls' + ')'.repeat(60), /deep|computed/],
];

describe('readOnlyVerdict', () => {
  it.each(READ_ONLY)('read-only: %j', (command) => {
    expect(readOnlyVerdict(command)).toEqual({ readOnly: true });
  });

  it.each(NOT_READ_ONLY)('asks: %j', (command, why) => {
    const v = readOnlyVerdict(command);
    expect(v.readOnly).toBe(false);
    if (!v.readOnly) expect(v.reason).toMatch(why);
  });
});

/** Elements that are never read-only, in every syntactic position an attacker could hide them. */
const FORBIDDEN = [
  'rm -rf x',
  'npm install',
  'touch f',
  'sh -c ls',
  'python3 x.py',
  'git push',
  'curl http://x',
  'X=1',
  '$CMD',
  'eval ls',
  'find . -delete',
  'sort -o o i',
  'tee f',
  'less f',
];
const WRITES = ['> f', '>> f', '>| f', '&> f', '&>> f', '2> f', '<> f', '>&f', '1>f'];

const readOnlyCommand = fc.constantFrom(...READ_ONLY.filter((c) => !c.includes('\n')));
const forbidden = fc.constantFrom(...FORBIDDEN);

describe('adding anything not read-only makes a command not read-only (property)', () => {
  const forms: Array<[string, (ro: string, bad: string) => string]> = [
    ['appended with ;', (ro, bad) => `${ro}; ${bad}`],
    ['prepended with ;', (ro, bad) => `${bad}; ${ro}`],
    ['appended with &&', (ro, bad) => `${ro} && ${bad}`],
    ['appended with ||', (ro, bad) => `${ro} || ${bad}`],
    ['appended with &', (ro, bad) => `${ro} & ${bad}`],
    ['piped into', (ro, bad) => `${ro} | ${bad}`],
    ['piped from', (ro, bad) => `${bad} | ${ro}`],
    ['on a new line', (ro, bad) => `${ro}\n${bad}`],
    ['in a subshell', (ro, bad) => `${ro}; (${bad})`],
    ['in a group', (ro, bad) => `{ ${bad}; }; ${ro}`],
    ['in $(…)', (ro, bad) => `${ro} "$(${bad})"`],
    ['in backticks', (ro, bad) => `${ro} \`${bad}\``],
    ['in <(…)', (ro, bad) => `${ro} <(${bad})`],
    ['in >(…)', (ro, bad) => `${ro} >(${bad})`],
    ['in a heredoc', (ro, bad) => `${ro} <<EOF\n$(${bad})\nEOF`],
    ['in a here-string', (ro, bad) => `${ro} <<< "$(${bad})"`],
    ['in an if', (ro, bad) => `if ${ro}; then ${bad}; fi`],
    ['in a function body', (ro, bad) => `f() { ${bad}; }; ${ro}`],
  ];
  it.each(forms)('%s', (_name, combine) => {
    fc.assert(
      fc.property(readOnlyCommand, forbidden, (ro, bad) => {
        expect(readOnlyVerdict(combine(ro, bad)).readOnly, combine(ro, bad)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('any writing redirection, anywhere in a chain', () => {
    fc.assert(
      fc.property(fc.array(readOnlyCommand, { minLength: 1, maxLength: 3 }), fc.nat(), fc.constantFrom(...WRITES), (parts, at, redir) => {
        const i = at % parts.length;
        const cmd = parts.map((p, k) => (k === i ? `${p} ${redir}` : p)).join('; ');
        expect(readOnlyVerdict(cmd).readOnly, cmd).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('read-only commands chained with each other stay read-only', () => {
    fc.assert(
      fc.property(
        fc.array(readOnlyCommand, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('; ', ' && ', ' || ', ' | ', '\n'),
        (parts, sep) => {
          expect(readOnlyVerdict(parts.join(sep)).readOnly, parts.join(sep)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        expect(typeof readOnlyVerdict(s).readOnly).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});
