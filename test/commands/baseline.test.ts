/**
 * The baseline, SARIF, GitLab and init options through the CLI (run() in-process), as wired into
 * src/cli.ts: `secretscan baseline`, `--baseline`, `--update-baseline`, `--format sarif|gitlab`,
 * `secretscan init`. Skipped until the CLI has them.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { parseBaseline, renderBaseline } from '../../src/suppress/baseline.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree } from '../helpers/tmp.js';

const faker = createFaker(606);
const [KEY_A, KEY_B] = [`acme_${faker.make('alnum:16')}`, `acme_${faker.make('alnum:16')}`];
const RULES = `rules:
  - id: acme-key
    name: Acme API key
    provider: acme
    credentialType: saas-api-key
    privilege: high
    keywords: [acme_]
    pattern: '\\b(acme_[A-Za-z0-9]{16})\\b'
    entropy: 3
    remediation: Revoke it in the Acme console.
`;

const cli = (args: string[], cwd: string, env: Record<string, string> = {}) => runCli(args, { cwd, env });


async function repo(files: Record<string, string>) {
  const root = await tempTree({ 'rules/acme.yml': RULES, ...files });
  execFileSync('git', ['init', '-q'], { cwd: root });
  return root;
}

describe('the baseline through the CLI', () => {
  it('secretscan baseline accepts what is there; later scans fail only on new secrets', async () => {
    const root = await repo({ 'src/app.ts': `k = "${KEY_A}"\n`, 'src/sub/x.ts': `k2 = "${KEY_A}"\n` });
    const written = await cli(['baseline', '--rules', 'rules'], root);
    expect(written).toMatchObject({ code: 0, stdout: '' });
    expect(written.stderr).toMatch(/^secretscan: \.secretscan-baseline\.json: 1 entries \(1 added, 0 pruned\); commit it/);
    const text = await readFile(join(root, '.secretscan-baseline.json'), 'utf8');
    expect(text).not.toContain(KEY_A.slice(5));

    const clean = await cli(['scan', '--rules', 'rules', '-f', 'json'], root);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ findings: [], suppressed: { baseline: 2 } });

    await writeFile(join(root, 'src/new.ts'), `n = "${KEY_B}"\n`);
    const fresh = await cli(['scan', 'src', '--rules', 'rules', '-f', 'json'], root);
    expect(fresh.code).toBe(1);
    expect(JSON.parse(fresh.stdout).findings.map((f: { occurrences: { path: string }[] }) => f.occurrences[0]!.path)).toEqual(['new.ts']);
  });

  it('reports an expired entry again, and says so on stderr', async () => {
    const root = await repo({ 'a.ts': `k = "${KEY_A}"\n` });
    await cli(['baseline', '--rules', 'rules'], root);
    const path = join(root, '.secretscan-baseline.json');
    const [entry] = [...parseBaseline(await readFile(path, 'utf8'), path).values()];
    await writeFile(path, renderBaseline(new Map([[entry!.id, { ...entry!, expires: '2020-01-01' }]])));
    const { code, stderr } = await cli(['scan', '--rules', 'rules'], root);
    expect(code).toBe(1);
    expect(stderr).toContain(`secretscan: baseline entry ${entry!.id} (acme-key, a.ts) expired on 2020-01-01: the finding is reported again`);
  });

  it('--update-baseline prunes what is gone and keeps reasons', async () => {
    const root = await repo({ 'a.ts': `k = "${KEY_A}"\n`, 'b.ts': `k = "${KEY_B}"\n` });
    await cli(['baseline', '--rules', 'rules'], root);
    const path = join(root, '.secretscan-baseline.json');
    const entries = parseBaseline(await readFile(path, 'utf8'), path);
    await writeFile(path, renderBaseline(new Map([...entries].map(([id, e]) => [id, { ...e, reason: `accepted ${e.path}` }]))));
    await writeFile(join(root, 'b.ts'), '// revoked and removed\n');
    const { code, stderr } = await cli(['scan', '--rules', 'rules', '--update-baseline'], root);
    expect(code).toBe(0);
    expect(stderr).toMatch(/1 entries \(0 added, 1 pruned\)/);
    expect([...parseBaseline(await readFile(path, 'utf8'), path).values()].map((e) => e.reason)).toEqual(['accepted a.ts']);
  });

  it.each([
    [['git', '.', '--range', 'HEAD~1..HEAD', '--update-baseline'], /^secretscan: --update-baseline: would prune the entries of every finding outside this part of the history/],
    [['scan', '--baseline', 'missing.json'], /^secretscan: --baseline missing\.json: file not found; write one with "secretscan baseline"/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const root = await repo({});
    const { code, stderr } = await cli([...args, '--rules', 'rules'], root);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('--format sarif and gitlab, and init, through the CLI', () => {
  it.each(['sarif', 'gitlab'])('--format %s holds no secret', async (format) => {
    const root = await repo({ 'a.ts': `k = "${KEY_A}"\n` });
    const { code, stdout } = await cli(['scan', '--rules', 'rules', '-f', format], root, { CI_COMMIT_SHA: 'ab'.repeat(20) });
    expect(code).toBe(1);
    expect(() => JSON.parse(stdout)).not.toThrow();
    for (let i = 0; i + 12 <= KEY_A.length; i++) expect(stdout).not.toContain(KEY_A.slice(i, i + 12));
    if (format === 'sarif') expect(JSON.parse(stdout).runs[0].results[0].partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]+:1$/);
    else expect(JSON.parse(stdout).vulnerabilities[0].location.commit.sha).toBe('ab'.repeat(20));
  });

  it('init writes its files once, and says which it kept', async () => {
    const root = await tempTree();
    const first = await cli(['init', '--github'], root);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe('secretscan: wrote .secretscanrc\nsecretscan: wrote .gitattributes\nsecretscan: wrote .github/workflows/secretscan.yml\n');
    const second = await cli(['init', '--github'], root);
    expect(second.stderr).toBe(
      'secretscan: kept .secretscanrc, which exists (--force replaces it)\nsecretscan: kept .github/workflows/secretscan.yml, which exists (--force replaces it)\n',
    );
  });
});
