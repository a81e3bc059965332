/**
 * Secrecy of working-tree and CI scans: every way secretscan speaks (each report format, --verbose, files
 * it writes, the baseline, progress on a terminal, error messages) over a tree holding an example of every
 * built-in rule's credential, and not one 12-character piece of a secret may come out unless
 * --show-secrets asks for them; with it they must come out, which proves the check can fail.
 *
 * Real processes, as a hook or CI job runs secretscan: stderr and the spinner are the launcher's own.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CI_CHECKS, LITERAL_VALUE_CHECKS } from '../../src/ci/rules.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { buildPlantedTree, checkable, hasScript, leaks, snapshotCli, type Cli } from './helpers-outputs.js';

/** CI checks that report a practice, not a value: their "secret" is a description, not a credential. */
const PRACTICE_CHECKS = new Set(CI_CHECKS.map((check) => check.id).filter((id) => !LITERAL_VALUE_CHECKS.has(id)));

let work: string;
let cli: Cli;
let root: string;
/** Everything planted, and everything a --show-secrets report calls a secret, 12 characters or longer. */
let secrets: string[];
/** The literal secrets the scan reports: what --show-secrets must print. */
let reported: string[];
/** Rule names, remediation and references: text anyone has, so a piece of it (an URL prefix) is no leak. */
let publicText: string;
/** The children's temp folder: anything left in it afterwards is a temp file secretscan forgot. */
let childTmp: string;

const env = () => ({ TMPDIR: childTmp, NO_COLOR: '1' });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'secretscan-secrecy-'));
  childTmp = join(work, 'tmp');
  await mkdir(childTmp);
  cli = await snapshotCli(work);
  root = join(work, 'tree');
  const tree = await buildPlantedTree(root);
  const shown = await cli.run(['scan', '-f', 'json', '--show-secrets'], root, env());
  const findings = (JSON.parse(shown.stdout) as { findings: { ruleId: string; secret: string }[] }).findings;
  reported = checkable(findings.filter((finding) => !PRACTICE_CHECKS.has(finding.ruleId)).map((finding) => finding.secret));
  secrets = checkable([...tree.planted, ...reported]);
  publicText = (await cli.run(['rules', '--format', 'json'], root, env())).stdout;
}, 60_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('secrecy of scan', () => {
  it('plants enough: hundreds of secrets reported, CI files among them', () => {
    expect(reported.length).toBeGreaterThan(250);
    expect(secrets.length).toBeGreaterThan(reported.length);
  });

  // --verbose: everything the plain formats print and more (score reasons, details, every error).
  it.each([
    ['text --verbose', ['scan', '--verbose']],
    ['json --verbose', ['scan', '-f', 'json', '--verbose']],
    ['sarif', ['scan', '-f', 'sarif']],
    ['gitlab', ['scan', '-f', 'gitlab']],
  ])('%s holds no piece of any secret, on stdout or stderr', async (_name, args) => {
    const run = await cli.run(args, root, env());
    expect(run.code).toBe(1);
    expect(run.stdout.length).toBeGreaterThan(1000);
    expect(leaks(run.stdout + run.stderr, secrets, args.join(' '), publicText)).toEqual([]);
  });

  it.each([
    ['sarif', 'report.sarif'],
    ['gitlab', 'gl-secret-detection-report.json'],
    ['text', 'report.txt'],
  ])('a %s report written with -o holds no piece of any secret', async (format, name) => {
    const out = join(work, name);
    const run = await cli.run(['scan', '-f', format, '-o', out, '--verbose'], root, env());
    const written = await readFile(out, 'utf8');
    expect(written.length).toBeGreaterThan(1000);
    expect(leaks(run.stdout + run.stderr + written, secrets, `scan -f ${format} -o`, publicText)).toEqual([]);
  });

  it('the baseline file, and scans that use it, hold no piece of any secret', async () => {
    const file = join(work, 'scan-baseline.json');
    const written = await cli.run(['baseline', '--baseline', file], root, env());
    expect(written.code).toBe(0);
    const baseline = await readFile(file, 'utf8');
    expect(Object.keys(JSON.parse(baseline)).length).toBeGreaterThan(250);
    const suppressed = await cli.run(['scan', '-f', 'json', '--baseline', file, '--verbose'], root, env());
    expect(JSON.parse(suppressed.stdout).suppressed.baseline).toBeGreaterThan(250);
    const all = written.stdout + written.stderr + baseline + suppressed.stdout + suppressed.stderr;
    expect(leaks(all, secrets, 'baseline', publicText)).toEqual([]);
  });

  it.runIf(hasScript())('the spinner and the report on a terminal hold no piece of any secret', async () => {
    const { screen, timedOut } = await cli.terminal(['scan', '--verbose'], root, { columns: 120 });
    expect(timedOut).toBe(false);
    // The spinner really ran (ora draws it only on a terminal) and the report followed.
    expect(screen).toMatch(/scanning/);
    expect(screen).toMatch(/secrets \(.*\) in \d+ locations/);
    expect(leaks(screen, secrets, 'terminal', publicText)).toEqual([]);
  });

  it('a CI file that does not parse is reported in errors without quoting its text', async () => {
    const run = await cli.run(['scan', '-f', 'json'], root, env());
    const errors = JSON.parse(run.stdout).errors as { path: string; message: string }[];
    expect(errors.map((error) => error.path)).toContain('.gitlab-ci.yml');
    expect(leaks(JSON.stringify(errors), secrets, 'errors', publicText)).toEqual([]);
  });

  it('prints every secret whole with --show-secrets, in every format (so the checks above can fail)', async () => {
    for (const format of ['text', 'json', 'sarif', 'gitlab']) {
      const run = await cli.run(['scan', '-f', format, '--show-secrets'], root, env());
      const shown = leaks(run.stdout, reported, format);
      expect(shown.length, `${format}: secrets printed`).toBe(reported.length);
    }
  });

  it('leaves no temp file behind', async () => {
    expect(await readdir(childTmp)).toEqual([]);
  });
});

describe('secrecy of secretscan ci', () => {
  it.each([
    ['text --verbose', ['ci', '--verbose']],
    ['json', ['ci', '-f', 'json']],
    ['sarif', ['ci', '-f', 'sarif']],
    ['gitlab', ['ci', '-f', 'gitlab']],
  ])('%s holds no piece of any secret', async (_name, args) => {
    const run = await cli.run(args, root, env());
    expect(run.code).toBe(1);
    expect(leaks(run.stdout + run.stderr, secrets, args.join(' '), publicText)).toEqual([]);
  });

  it('reports the CI files’ secrets, and prints them with --show-secrets', async () => {
    const run = await cli.run(['ci', '-f', 'json', '--show-secrets'], root, env());
    const found = (JSON.parse(run.stdout) as { findings: { ruleId: string; secret: string }[] }).findings.filter((finding) => !PRACTICE_CHECKS.has(finding.ruleId));
    const paths = new Set(JSON.parse(run.stdout).findings.flatMap((finding: { occurrences: { path: string }[] }) => finding.occurrences.map((o) => o.path)));
    expect([...paths].sort()).toEqual(expect.arrayContaining(['.github/workflows/release.yml', '.mcp.json']));
    expect(leaks(run.stdout, checkable(found.map((finding) => finding.secret)), 'ci --show-secrets').length).toBe(checkable(found.map((f) => f.secret)).length);
    expect(found.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the spinner', () => {
  it.runIf(hasScript())('regression: a terminal that reports no width does not hang the scan', async () => {
    const { screen, timedOut } = await cli.terminal(['scan'], root, { timeoutMs: 15_000 });
    expect(timedOut).toBe(false);
    expect(screen).toMatch(/secrets \(.*\) in \d+ locations/);
    expect(screen.length).toBeLessThan(1024 * 1024);
  });
});

describe('secrecy of error messages', () => {
  async function withFile(name: string, content: (secret: string) => string) {
    const dir = await mkdtemp(join(work, 'errors-'));
    await writeFile(join(dir, 'a.txt'), 'nothing\n');
    // A token from the planted tree: the config holds what a person would paste in to allow it.
    const secret = reported.find((value) => value.startsWith('ghp_'))!;
    await writeFile(join(dir, name), content(secret));
    return { dir, secret };
  }

  async function refused(file: string, content: (secret: string) => string) {
    const { dir, secret } = await withFile(file, content);
    const run = await cli.run(['scan'], dir, env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^secretscan: .*\n$/);
    return { run, secret };
  }

  it('regression: an allowlist regex that does not compile is named without quoting the secret in it', async () => {
    const { run, secret } = await refused('.secretscanrc', (s) => `allowlist:\n  regexes: ['${s}(']\n`);
    expect(run.stderr).toMatch(/allowlist\.regexes\[0\]: not valid RE2 syntax: .*missing closing \)/);
    expect(leaks(run.stdout + run.stderr, [secret], 'allowlist')).toEqual([]);
  });

  it.each([
    ['whose key is not a finding id', (s: string) => `{\n  "${s}": { "ruleId": "github-pat-classic", "path": "a.txt" },\n  "$secretscan": { "baseline": 1 }\n}\n`, /keys are finding ids/],
    ['with an unknown key in an entry', (s: string) => `{\n  "0123456789abcdef0123456789abcdef": { "ruleId": "x", "path": "a.txt", "${s}": 1 },\n  "$secretscan": { "baseline": 1 }\n}\n`, /unknown key/],
    ['with a bad expiry', (s: string) => `{\n  "0123456789abcdef0123456789abcdef": { "ruleId": "x", "path": "a.txt", "expires": "${s}" },\n  "$secretscan": { "baseline": 1 }\n}\n`, /"expires" must be a date/],
  ])('regression: a baseline %s is named without quoting the secret in it', async (_name, content, message) => {
    const { run, secret } = await refused('.secretscan-baseline.json', content);
    expect(run.stderr).toMatch(message);
    expect(leaks(run.stdout + run.stderr, [secret], 'baseline')).toEqual([]);
  });

  it('regression: a --baseline that names a password file is refused without quoting the password', async () => {
    // V8 quotes a short JSON text whole in its syntax error (up to 20 characters): a password file is one.
    const faker = createFaker(77);
    let password = '';
    while (!/^[a-eg-mo-su-zA-Z]/.test(password)) password = faker.make('password:20');
    const dir = await mkdtemp(join(work, 'errors-'));
    await writeFile(join(dir, 'db-password'), password);
    const run = await cli.run(['scan', '--baseline', 'db-password'], dir, env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^secretscan: db-password: not valid JSON \(Unexpected token/);
    expect(leaks(run.stdout + run.stderr, [password], 'baseline')).toEqual([]);
  });
});
