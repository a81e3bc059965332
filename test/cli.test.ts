import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, statSync, symlinkSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { tempTree, writeTree } from './helpers/tmp.js';
import { createFaker } from './helpers/fake-secrets.js';

const execFileAsync = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'secretscan.js');

/** Secrets for a user rule, so these tests do not depend on the built-in rule set. */
const faker = createFaker(9);
const SECRET_A = `acme_${faker.make('alnum:16')}`;
const SECRET_B = `acme_${faker.make('alnum:16')}`;
const RULES = `rules:
  - id: acme-key
    name: Acme API key
    provider: acme
    credentialType: saas-api-key
    privilege: admin
    lifetime: long-lived
    keywords: [acme_]
    pattern: '\\b(acme_[A-Za-z0-9]{16})\\b'
    entropy: 3
    remediation: Revoke the key in the Acme console and issue a scoped, short-lived one.
`;

const cli = runCli;

async function leakyTree() {
  return tempTree({
    'rules/acme.yml': RULES,
    'src/app.ts': `export const client = new Acme("${SECRET_A}");\n`,
    'config/prod.env': `ACME_KEY=${SECRET_A}\nOTHER=${SECRET_B}\n`,
    'src/allowed.ts': `const fixture = "${SECRET_B}"; // secretscan:allow acme-key -- test fixture\n`,
    'README.md': '# Nothing to see\n',
  });
}

function allSubstrings(secret: string, length: number): string[] {
  return Array.from({ length: secret.length - length + 1 }, (_, i) => secret.slice(i, i + length));
}

describe('secretscan scan', () => {
  it('reports each secret once with all its locations, as JSON, and exits 1', async () => {
    const root = await leakyTree();
    const { code, stdout, stderr } = await cli(['scan', '.', '--rules', 'rules', '--format', 'json'], { cwd: root });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ schemaVersion: 1, tool: { name: 'secretscan' }, scan: { kind: 'worktree', root, filesScanned: 5 } });
    expect(report.findings).toHaveLength(2);
    const [first, second] = report.findings;
    expect(first).toMatchObject({ ruleId: 'acme-key', severity: 'high', provider: 'acme', presentAtHead: true });
    expect(first.occurrences).toEqual([
      { path: 'config/prod.env', line: 1, column: 10, endLine: 1, endColumn: 31, source: 'worktree' },
      { path: 'src/app.ts', line: 1, column: 33, endLine: 1, endColumn: 54, source: 'worktree' },
    ]);
    expect(second.occurrences).toEqual([{ path: 'config/prod.env', line: 2, column: 7, endLine: 2, endColumn: 28, source: 'worktree' }]);
    expect(report.suppressed).toEqual({ baseline: 0, inline: 1, allowlist: 0 });
    expect(first.id).toMatch(/^[0-9a-f]{32}$/);
    expect(first.secretHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('exits 0 on a clean tree', async () => {
    const root = await tempTree({ 'a.txt': 'nothing here\n', 'rules/acme.yml': RULES });
    const { code, stdout } = await cli(['scan', '--rules', 'rules'], { cwd: root });
    expect(code).toBe(0);
    expect(stdout).toMatch(/no secrets found · 2 files \(\d+ B\) scanned in \d+ ms/);
  });

  it.each([
    [['--fail-on', 'never'], 0],
    [['--fail-on', 'critical'], 0],
    [['--fail-on', 'high'], 1],
    [['--fail-on', 'info'], 1],
  ])('with %j exits %i (the findings are high)', async (flags, expected) => {
    const root = await leakyTree();
    expect((await cli(['scan', '--rules', 'rules', ...flags], { cwd: root })).code).toBe(expected);
  });

  it('leaves findings below --min-severity out of the report, counts them, and still fails on them', async () => {
    const root = await leakyTree();
    await tempTreeWrite(root, 'rules/low.yml', `rules:\n  - id: acme-low-key\n    credentialType: payment-test-key\n    privilege: low\n    keywords: [acmt_]\n    pattern: '\\b(acmt_[A-Za-z0-9]{16})\\b'\n`);
    await tempTreeWrite(root, 'src/test-key.ts', `const k = "acmt_${faker.make('alnum:16')}";\n`);
    const json = await cli(['scan', '--rules', 'rules', '-f', 'json', '--min-severity', 'high'], { cwd: root });
    const report = JSON.parse(json.stdout);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['acme-key', 'acme-key']);
    expect(report.hidden).toEqual({ minSeverity: 'high', findings: 1 });
    expect(report.summary.findings).toBe(2);
    const text = await cli(['scan', '--rules', 'rules', '--min-severity', 'high', '--fail-on', 'low'], { cwd: root });
    expect(text.stdout).toContain('1 finding below high not shown');
    expect(text.code).toBe(1);
  });

  it('takes failOn from the config file, and --fail-on over it', async () => {
    const root = await leakyTree();
    await tempTreeWrite(root, '.secretscanrc', 'failOn: critical\n');
    expect((await cli(['scan', '--rules', 'rules'], { cwd: root })).code).toBe(0);
    expect((await cli(['scan', '--rules', 'rules', '--fail-on', 'low'], { cwd: root })).code).toBe(1);
  });

  it('applies the config allowlist (paths and stopwords) and counts what it suppressed', async () => {
    const root = await leakyTree();
    await tempTreeWrite(root, '.secretscanrc', `allowlist:\n  paths: ["config/"]\n  byRule:\n    acme-key:\n      stopwords: [${SECRET_A.slice(5, 11).toLowerCase()}]\n`);
    const { code, stdout } = await cli(['scan', '--rules', 'rules', '-f', 'json'], { cwd: root });
    const report = JSON.parse(stdout);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual({ baseline: 0, inline: 1, allowlist: 3 });
    expect(code).toBe(0);
  });

  it('disables rules listed in disableRules', async () => {
    const root = await leakyTree();
    await tempTreeWrite(root, '.secretscanrc', 'disableRules: [acme-key]\n');
    expect(JSON.parse((await cli(['scan', '--rules', 'rules', '-f', 'json'], { cwd: root })).stdout).findings).toEqual([]);
  });

  it('regression: disabling a CI check (disableRules) no longer crashes the scan; the other checks still report', async () => {
    const root = await tempTree({
      '.secretscanrc': 'disableRules: [ci-excessive-permissions]\n',
      '.github/workflows/release.yml': 'on: pull_request_target\npermissions: write-all\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: make\n',
    });
    const { code, stdout, stderr } = await cli(['scan', '-f', 'json'], { cwd: root });
    expect(stderr).toBe('');
    const ids = (JSON.parse(stdout) as { findings: { ruleId: string }[] }).findings.map((finding) => finding.ruleId);
    expect(ids).not.toContain('ci-excessive-permissions');
    expect(ids).toContain('ci-untrusted-checkout');
    expect(code).toBe(1);
  });

  it('regression: a CI file or stdin that fails to decode is reported in errors and the scan goes on', async () => {
    const token = faker.make('github:ghp');
    // FE FF 00: a UTF-16 byte-order mark and half a code unit; it once threw out of the whole scan.
    const root = await tempTree({ '.github/workflows/ci.yml': Buffer.from([0xfe, 0xff, 0x00]), 'app.env': `GITHUB_TOKEN=${token}\n` });
    const scanned = await cli(['scan', '-f', 'json'], { cwd: root });
    expect(scanned.code).toBe(1);
    expect(JSON.parse(scanned.stdout).findings).toHaveLength(1);
    const piped = await cli(['stdin', '-f', 'json'], { cwd: root, stdin: '\ufeff' });
    expect(piped.code).toBe(0);
  });

  it('honours --exclude globs', async () => {
    const root = await leakyTree();
    const { stdout } = await cli(['scan', '--rules', 'rules', '-f', 'json', '--exclude', '*.env', '--exclude', 'src/app.ts'], { cwd: root });
    expect(JSON.parse(stdout).findings).toEqual([]);
  });

  it('writes the report to --output and keeps the exit code', async () => {
    const root = await leakyTree();
    const { code, stdout, stderr } = await cli(['scan', '--rules', 'rules', '-f', 'json', '-o', 'out/report.json'], { cwd: root });
    // The folder does not exist: a usage error naming the option.
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^secretscan: --output out\/report\.json: cannot write the report \(ENOENT\); check the folder exists/);

    const ok = await cli(['scan', '--rules', 'rules', '-f', 'json', '-o', 'report.json'], { cwd: root });
    expect(ok.code).toBe(1);
    expect(ok.stdout).toBe('');
    expect(ok.stderr).toBe('secretscan: 2 secrets in 3 locations; report written to report.json\n');
    expect(JSON.parse(await readFile(join(root, 'report.json'), 'utf8')).findings).toHaveLength(2);
  });

  it.each([
    ['a bad config key', { '.secretscanrc': 'allowlist:\n  pathz: [x]\n' }, ['scan'], /^secretscan: .*\.secretscanrc: unknown key "allowlist\.pathz"/],
    ['a bad option value', {}, ['scan', '--fail-on', 'extreme'], /^secretscan: option '--fail-on <severity>' argument 'extreme' is invalid/],
    ['an unknown option', {}, ['scan', '--no-such-flag'], /^secretscan: unknown option '--no-such-flag'/],
    ['an unknown command', {}, ['scna'], /^secretscan: unknown command 'scna'/],
    ['a bad size', {}, ['scan', '--max-file-size', 'big'], /^secretscan: option '--max-file-size <bytes>' argument 'big' is invalid/],
    ['a missing rules path', {}, ['scan', '--rules', 'nope.yml'], /^secretscan: .*nope\.yml: rule file or folder not found/],
    ['a missing --config', {}, ['scan', '--config', 'nope.yml'], /^secretscan: --config nope\.yml: file not found/],
  ])('exits 2 with one line on stderr for %s', async (_name, files, args, message) => {
    const root = await tempTree(files);
    const { code, stdout, stderr } = await cli(args, { cwd: root });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('reports a missing path in errors and goes on with the others', async () => {
    const root = await leakyTree();
    const { code, stdout } = await cli(['scan', 'src', 'missing-dir', '--rules', 'rules', '-f', 'json'], { cwd: root });
    const report = JSON.parse(stdout);
    expect(code).toBe(1);
    expect(report.errors).toEqual([{ path: 'missing-dir', message: 'cannot open: no such file (deleted during the scan?); skipped' }]);
    expect(report.findings[0].occurrences[0].path).toBe('src/app.ts');
  });

  it('prints a readable text report: severity, title, locations, redacted secret, remediation, summary', async () => {
    const root = await leakyTree();
    const { stdout } = await cli(['scan', '--rules', 'rules'], { cwd: root });
    expect(stdout).toContain(' HIGH  Acme API key (acme-key)');
    expect(stdout).toContain('  secret   acme_…(redacted)');
    expect(stdout).toContain('  at       config/prod.env:1:10\n           src/app.ts:1:33');
    expect(stdout).toContain('  fix      Revoke the key in the Acme console');
    expect(stdout).toMatch(/2 secrets \(2 high\) in 3 locations · 1 suppressed \(1 inline\) · 5 files \(\d+ B\) scanned in \d+ ms\n$/);
    expect(stdout).not.toMatch(/\x1b\[/);
  });

  it('adds score reasons and details with --verbose', async () => {
    const root = await leakyTree();
    const { stdout } = await cli(['scan', '--rules', 'rules', '--verbose'], { cwd: root });
    expect(stdout).toMatch(/score    75 \(base: saas-api-key 50; privilege admin \+15; long-lived \+10\)/);
    expect(stdout).toMatch(/details  provider acme, saas-api-key, long-lived, confidence medium, entropy \d\.\d\d, id [0-9a-f]{32}/);
  });

  it.each([
    ['FORCE_COLOR=1', { FORCE_COLOR: '1' }, [], true, true],
    ['a terminal', {}, [], false, true],
    ['NO_COLOR on a terminal', { NO_COLOR: '1' }, [], false, false],
    ['--no-color with FORCE_COLOR', { FORCE_COLOR: '1' }, ['--no-color'], false, false],
  ])('colours the text report for %s: %s', async (_name, env, flags, _unused, coloured) => {
    const root = await leakyTree();
    const tty = Object.keys(env).length === 0 || 'NO_COLOR' in env;
    const { stdout } = await cli(['scan', '--rules', 'rules', ...flags], { cwd: root, env, tty });
    expect(/\x1b\[/.test(stdout)).toBe(coloured);
  });
});

describe('secrets never leak unless asked', () => {
  const variants: [string, string[]][] = [
    ['text', []],
    ['text --verbose', ['--verbose']],
    ['json', ['-f', 'json']],
    ['json --verbose', ['-f', 'json', '--verbose']],
    ['text to a file', ['-o', 'report.txt']],
    ['json to a file', ['-f', 'json', '-o', 'report.json']],
  ];

  it.each(variants)('%s output holds no secret nor any 12-character piece of one', async (_name, flags) => {
    const root = await leakyTree();
    const { stdout, stderr } = await cli(['scan', '--rules', 'rules', ...flags], { cwd: root });
    const outputFile = flags.includes('-o') ? await readFile(join(root, flags[flags.indexOf('-o') + 1]!), 'utf8') : '';
    const everything = stdout + stderr + outputFile;
    expect(everything.length).toBeGreaterThan(100);
    for (const secret of [SECRET_A, SECRET_B]) {
      for (const piece of allSubstrings(secret, 12)) expect(everything).not.toContain(piece);
    }
  });

  it('prints whole secrets with --show-secrets', async () => {
    const root = await leakyTree();
    const text = await cli(['scan', '--rules', 'rules', '--show-secrets'], { cwd: root });
    expect(text.stdout).toContain(SECRET_A);
    const json = JSON.parse((await cli(['scan', '--rules', 'rules', '--show-secrets', '-f', 'json'], { cwd: root })).stdout);
    expect(json.findings.map((f: { secret: string }) => f.secret).sort()).toEqual([SECRET_A, SECRET_B].sort());
  });
});

describe('secretscan stdin', () => {
  it('scans standard input under the --path name', async () => {
    const root = await tempTree({ 'rules/acme.yml': RULES });
    const { code, stdout } = await cli(['stdin', '--path', 'pasted/config.env', '--rules', 'rules', '-f', 'json'], {
      cwd: root,
      stdin: `one\ntwo KEY=${SECRET_A}\n`,
    });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.scan).toMatchObject({ kind: 'stdin', filesScanned: 1, bytesScanned: 13 + SECRET_A.length });
    expect(report.findings[0].occurrences).toEqual([{ path: 'pasted/config.env', line: 2, column: 9, endLine: 2, endColumn: 30, source: 'stdin' }]);
  });

  it('exits 0 on clean input', async () => {
    const root = await tempTree({ 'rules/acme.yml': RULES });
    expect((await cli(['stdin', '--rules', 'rules'], { cwd: root, stdin: 'hello\n' })).code).toBe(0);
  });
});

describe('secretscan rules', () => {
  it('lists built-in and user rules as JSON with their metadata', async () => {
    const root = await tempTree({ 'rules/acme.yml': RULES });
    const { code, stdout } = await cli(['rules', '--rules', 'rules', '--format', 'json'], { cwd: root });
    expect(code).toBe(0);
    const { rules } = JSON.parse(stdout);
    const acme = rules.find((rule: { id: string }) => rule.id === 'acme-key');
    expect(acme).toMatchObject({ provider: 'acme', severity: 'high', keywords: ['acme_'], source: join(root, 'rules/acme.yml') });
    expect(rules.filter((rule: { source: string }) => rule.source === 'builtin').length).toBeGreaterThanOrEqual(30);
  });

  it('lists a path rule with its path, not an empty pattern', async () => {
    const root = await tempTree({ 'rules/acme.yml': RULES });
    const { rules } = JSON.parse((await cli(['rules', '--rules', 'rules', '--format', 'json'], { cwd: root })).stdout);
    const pkcs12 = rules.find((rule: { id: string }) => rule.id === 'keystore-pkcs12');
    expect(pkcs12.path).toBe('(?i)\\.(?:p12|pfx|pkcs12)$');
    expect(pkcs12).not.toHaveProperty('pattern');
    expect(pkcs12).not.toHaveProperty('secretGroup');
    const acme = rules.find((rule: { id: string }) => rule.id === 'acme-key');
    expect(acme).toMatchObject({ pattern: expect.stringContaining('acme_'), secretGroup: expect.any(Number) });
    expect(acme).not.toHaveProperty('path');

    const { stdout } = await cli(['rules', '--rules', 'rules'], { cwd: root });
    expect(stdout).toMatch(/^keystore-pkcs12 +keystore +\w+ +.* \(path: \(\?i\)\\\.\(\?:p12\|pfx\|pkcs12\)\$\)$/m);
    expect(stdout).toMatch(/^acme-key +acme +high +Acme API key(?! \(path)/m);
  });

  it('lists rules as a table', async () => {
    const root = await tempTree({ 'rules/acme.yml': RULES });
    const { stdout } = await cli(['rules', '--rules', 'rules'], { cwd: root });
    expect(stdout).toMatch(/^ID +PROVIDER +SEVERITY +DESCRIPTION$/m);
    expect(stdout).toMatch(/^acme-key +acme +high +Acme API key/m);
  });
});

describe('the launcher (a real process)', () => {
  it('runs a scan and sets the exit code', async () => {
    const root = await leakyTree();
    const result = await execFileAsync(process.execPath, [BIN, 'scan', root, '--rules', join(root, 'rules'), '-f', 'json']).catch((e) => e);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings).toHaveLength(2);
  });

  it('prints the version and exits 0', async () => {
    const { stdout } = await execFileAsync(process.execPath, [BIN, '--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 with one line for a usage error', async () => {
    const result = await execFileAsync(process.execPath, [BIN, 'scan', '--fail-on', 'nope']).catch((e) => e);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

async function tempTreeWrite(root: string, path: string, content: string) {
  const { writeTree } = await import('./helpers/tmp.js');
  await writeTree(root, { [path]: content });
}

describe('secretscan git', () => {
  const gitEnv = (date: string) => ({
    ...process.env,
    GIT_AUTHOR_NAME: 'Ada Park',
    GIT_AUTHOR_EMAIL: 'ada@example.org',
    GIT_COMMITTER_NAME: 'Ada Park',
    GIT_COMMITTER_EMAIL: 'ada@example.org',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  });
  const git = (cwd: string, args: string[], date = '2024-01-01T00:00:00Z') => execFileSync('git', args, { cwd, env: gitEnv(date), encoding: 'utf8' });

  /** A repository whose second commit adds SECRET_A to a file and whose third deletes it again. */
  async function leakyHistory() {
    const root = await tempTree({ 'src/app.ts': 'export {};\n' });
    const rules = await tempTree({ 'acme.yml': RULES });
    git(root, ['init', '-q', '-b', 'main']);
    git(root, ['add', '.']);
    git(root, ['commit', '-qm', 'start'], '2024-01-01T00:00:00Z');
    await writeTree(root, { 'src/app.ts': `export {};\nconst key = "${SECRET_A}";\n` });
    git(root, ['commit', '-qam', 'add key'], '2024-01-02T00:00:00+02:00');
    const added = git(root, ['rev-parse', 'HEAD']).trim();
    await writeTree(root, { 'src/app.ts': 'export {};\n' });
    git(root, ['commit', '-qam', 'remove key'], '2024-01-03T00:00:00Z');
    return { root, rulesDir: rules, added };
  }

  it('reports a deleted secret from history as JSON: provenance, firstSeen, presentAtHead false, counts', async () => {
    const { root, rulesDir, added } = await leakyHistory();
    const { code, stdout, stderr } = await cli(['git', '--rules', rulesDir, '-f', 'json'], { cwd: root });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.scan).toMatchObject({ kind: 'git', root, commitsScanned: 3, blobsScanned: 2, git: { engine: 'git', shallow: false }, notices: [] });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      presentAtHead: false,
      firstSeen: { commit: added, date: '2024-01-02T00:00:00+02:00' },
      lastSeen: { commit: added, date: '2024-01-02T00:00:00+02:00' },
      occurrences: [{ path: 'src/app.ts', line: 2, column: 14, endLine: 2, endColumn: 35, source: 'history', commit: added, author: 'Ada Park', email: 'ada@example.org', date: '2024-01-02T00:00:00+02:00' }],
    });
  });

  it('says in the text report that deleting a secret does not revoke it', async () => {
    const { root, rulesDir, added } = await leakyHistory();
    const { stdout } = await cli(['git', '--rules', rulesDir], { cwd: root });
    expect(stdout).toContain(`src/app.ts:2:14 in ${added.slice(0, 12)} (2024-01-02, Ada Park <ada@example.org>)`);
    expect(stdout).toContain(`history  added 2024-01-02 (${added.slice(0, 12)}); no longer in HEAD`);
    expect(stdout).toMatch(/Deleting a secret from the code does not revoke it/);
    expect(stdout).toMatch(/1 secret \(1 high\) in 1 location · 3 commits, 2 blobs \(\d+ B of added lines\) scanned in \d+ ms\n$/);
  });

  it('scans only a --range, and exits 0 when the range is clean', async () => {
    const { root, rulesDir, added } = await leakyHistory();
    expect((await cli(['git', '--rules', rulesDir, '--range', `${added}..main`], { cwd: root })).code).toBe(0);
    expect((await cli(['git', '--rules', rulesDir, '--range', `${added}~1..main`], { cwd: root })).code).toBe(1);
  });

  it.each([
    ['--staged with --range', ['git', '--staged', '--range', 'a..b'], /^secretscan: option '--staged' cannot be used with option '--range <A\.\.B>'/],
    ['--range with --branch', ['git', '--range', 'a..b', '--branch', 'main'], /^secretscan: option '--range <A\.\.B>' cannot be used with option '--branch <ref>'/],
    ['a bad --max-commits', ['git', '--max-commits', '0'], /^secretscan: option '--max-commits <n>' argument '0' is invalid/],
    ['a bad revision', ['git', '--range', 'nope..main'], /^secretscan: nope\.\.main: not a revision or range in this repository .*as in main\.\.feature\n$/],
  ])('exits 2 with one line for %s', async (_name, args, message) => {
    const { root } = await leakyHistory();
    const { code, stdout, stderr } = await cli(args, { cwd: root });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 2 with one line for an option value holding a carriage return', async () => {
    const root = await tempTree({ 'a.txt': 'x\n' });
    const { code, stderr } = await cli(['scan', '--format', 'a\rb', '.'], { cwd: root });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^secretscan: .*; run "secretscan --help" for usage\n$/);
    expect(stderr.trimEnd()).not.toMatch(/[\r\n]/);
  });

  it('exits 2 with one line outside a repository', async () => {
    const root = await tempTree({ 'a.txt': 'x\n' });
    const { code, stderr } = await cli(['git'], { cwd: root });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^secretscan: .*: not a Git repository .*; give the path of a repository or run inside one\n$/);
  });

  it('falls back to isomorphic-git when git is not on PATH: same findings, one line on stderr (a real process)', async () => {
    const { root, rulesDir } = await leakyHistory();
    const nodeOnly = await tempTree();
    symlinkSync(process.execPath, join(nodeOnly, 'node'));
    const withGit = await execFileAsync(process.execPath, [BIN, 'git', root, '--rules', rulesDir, '-f', 'json']).catch((e) => e);
    const withoutGit = await execFileAsync(process.execPath, [BIN, 'git', root, '--rules', rulesDir, '-f', 'json'], { env: { PATH: nodeOnly, HOME: process.env.HOME } }).catch((e) => e);
    expect(withoutGit.code).toBe(1);
    expect(withoutGit.stderr).toMatch(/^secretscan: no git executable on PATH: reading the repository with the built-in engine \(isomorphic-git\)[^\n]*\n$/);
    const strip = (report: { findings: unknown[]; scan: { commitsScanned: number; blobsScanned: number } }) => ({ findings: report.findings, commits: report.scan.commitsScanned, blobs: report.scan.blobsScanned });
    expect(strip(JSON.parse(withoutGit.stdout))).toEqual(strip(JSON.parse(withGit.stdout)));
    expect(JSON.parse(withoutGit.stdout).scan.git.engine).toBe('isomorphic-git');
  });
});

describe('secretscan git --staged and the pre-commit hook (real processes)', () => {
  async function repoWithShim() {
    const root = await tempTree({ 'README.md': '# app\n', '.secretscanrc': `rules: [${JSON.stringify(join('rules', 'acme.yml'))}]\n`, 'rules/acme.yml': RULES });
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    // `secretscan` on PATH for the hook: this checkout's launcher.
    const bin = await tempTree({ secretscan: `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n` });
    chmodSync(join(bin, 'secretscan'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.org' };
    const git = (args: string[]) => execFileAsync('git', args, { cwd: root, env }).catch((e) => e);
    return { root, env, git };
  }

  it('blocks a commit that adds a secret once the hook is installed, and lets a clean one through', async () => {
    const { root, git } = await repoWithShim();
    const install = await execFileAsync(process.execPath, [BIN, 'hook', 'install'], { cwd: root });
    expect(install.stdout).toMatch(/^secretscan: wrote .*\.git\/hooks\/pre-commit: each commit now runs "secretscan git --staged"/);
    expect(statSync(join(root, '.git/hooks/pre-commit')).mode & 0o111).not.toBe(0);

    await git(['add', '.']);
    expect((await git(['commit', '-qm', 'clean'])).code ?? 0).toBe(0);
    await writeTree(root, { 'src/app.ts': `const key = "${SECRET_A}";\n` });
    await git(['add', 'src/app.ts']);
    const blocked = await git(['commit', '-qm', 'leak']);
    expect(blocked.code).toBe(1);
    // git hands a hook's output to stderr.
    expect(blocked.stderr).toContain('src/app.ts:1:14');
    expect(blocked.stderr).toMatch(/1 staged file \(\d+ B\) scanned/);
  });

  it('loads no hashing, worker or timing module when the staged change is clean (start-up of every commit)', async () => {
    // No configuration: the common hook, and cosmiconfig is not loaded at all then.
    const root = await tempTree({ 'README.md': '# app\n' });
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    const env = { ...process.env };
    const git = (args: string[]) => execFileAsync('git', args, { cwd: root, env });
    await writeTree(root, { 'src/app.ts': 'export const answer = 42;\n' });
    await git(['add', 'src/app.ts']);
    // Node's list of the built-ins this process loaded, written when it exits.
    const probe = join(await tempTree(), 'probe.cjs');
    await writeFile(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(`${probe}.out`)}, process.moduleLoadList.join('\\n')));\n`);
    const clean = await execFileAsync(process.execPath, ['--require', probe, BIN, 'git', '--staged'], { cwd: root, env });
    expect(clean.stdout).toMatch(/1 staged file \(\d+ B\) scanned/);
    const loaded = (await readFile(`${probe}.out`, 'utf8')).split('\n');
    expect(loaded).toContain('NativeModule child_process');
    for (const unneeded of ['crypto', 'worker_threads', 'perf_hooks']) expect(loaded).not.toContain(`NativeModule ${unneeded}`);

    // A finding needs its id, a hash: then node:crypto is loaded, and the hook blocks the commit.
    await writeTree(root, { 'src/app.ts': `const token = "${faker.make('github:ghp')}";\n` });
    await git(['add', 'src/app.ts']);
    const blocked = await execFileAsync(process.execPath, ['--require', probe, BIN, 'git', '--staged', '-f', 'json'], { cwd: root, env }).catch((e) => e);
    expect(blocked.code).toBe(1);
    expect(JSON.parse(blocked.stdout).findings[0].id).toMatch(/^[0-9a-f]{32}$/);
    expect((await readFile(`${probe}.out`, 'utf8')).split('\n')).toContain('NativeModule crypto');
  });

  it('never replaces an existing hook without --force, and refuses when core.hooksPath is set', async () => {
    const { root } = await repoWithShim();
    await writeTree(root, { '.git/hooks/pre-commit': '#!/bin/sh\necho mine\n' });
    const refused = await execFileAsync(process.execPath, [BIN, 'hook', 'install'], { cwd: root }).catch((e) => e);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^secretscan: hook install: .*pre-commit already exists; add "secretscan git --staged" to it, or run "secretscan hook install --force" to replace it\n$/);
    expect(await readFile(join(root, '.git/hooks/pre-commit'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
    await execFileAsync(process.execPath, [BIN, 'hook', 'install', '--force'], { cwd: root });
    expect(await readFile(join(root, '.git/hooks/pre-commit'), 'utf8')).toContain('secretscan git --staged');
    // Our own hook is replaced quietly (an upgrade), without --force.
    expect((await execFileAsync(process.execPath, [BIN, 'hook', 'install'], { cwd: root })).stdout).toMatch(/replaced/);

    execFileSync('git', ['config', 'core.hooksPath', '.husky/_'], { cwd: root });
    const husky = await execFileAsync(process.execPath, [BIN, 'hook', 'install'], { cwd: root }).catch((e) => e);
    expect(husky.code).toBe(2);
    expect(husky.stderr).toMatch(/core\.hooksPath is set to "\.husky\/_", so git ignores \.git\/hooks/);
  });
});
