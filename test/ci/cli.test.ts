/**
 * The CI checks as users meet them: `secretscan ci` on the fixture repositories, and CI files found by
 * an ordinary `scan`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'ci');

const cli = (args: string[], cwd: string) => runCli(args, { cwd });

interface Finding {
  ruleId: string;
  occurrences: { path: string; line: number; source: string }[];
}

describe('secretscan ci', () => {
  it.each(['github', 'gitlab', 'circleci', 'jenkins', 'azure', 'bitbucket', 'mcp'])('fires on %s/bad, is silent on %s/good', async (platform) => {
    const bad = await cli(['ci', join(FIXTURES, platform, 'bad'), '-f', 'json'], FIXTURES);
    expect(bad.code).toBe(1);
    const findings: Finding[] = JSON.parse(bad.stdout).findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.occurrences.every((o) => o.source === 'ci'))).toBe(true);
    const good = await cli(['ci', join(FIXTURES, platform, 'good'), '-f', 'json'], FIXTURES);
    expect(JSON.parse(good.stdout).findings).toEqual([]);
    expect(good.code).toBe(0);
  });

  it('looks only at CI and agent files', async () => {
    const root = await tempTree({
      '.github/workflows/ci.yml': 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
      'src/app.py': 'print("hello")\n',
    });
    const report = JSON.parse((await cli(['ci', '.', '-f', 'json'], root)).stdout);
    expect(report.scan).toMatchObject({ kind: 'ci', filesScanned: 1 });
  });
});

describe('CI files inside an ordinary scan', () => {
  it('runs the CI checks with the detectors, and never reports a secrets reference', async () => {
    const workflow = [
      'on: pull_request_target',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          ref: ${{ github.event.pull_request.head.sha }}',
      '      - run: npm test',
      '        env:',
      '          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}',
      '',
    ].join('\n');
    const root = await tempTree({ '.github/workflows/pr.yml': workflow });
    const report = JSON.parse((await cli(['scan', '.', '-f', 'json'], root)).stdout);
    const rules = report.findings.map((f: Finding) => `${f.ruleId}@${f.occurrences[0]!.line}`);
    expect(rules).toContain('ci-untrusted-checkout@8');
    expect(report.findings.every((f: Finding) => !f.ruleId.startsWith('generic'))).toBe(true);
  });

  it('recognises an agent config by its content in UTF-8, UTF-8 with BOM and UTF-16, and skips one without the marker', async () => {
    const config = '{\n  "mcpServers": {\n    "search": { "command": "npx", "args": ["-y", "@acme/search-mcp", "--api-key", "hunter3hunter3"] }\n  }\n}\n';
    const utf16be = Buffer.from(`\uFEFF${config}`, 'utf16le').swap16();
    const root = await tempTree({
      'tools/plain.json': config,
      'tools/bom.json': `\uFEFF${config}`,
      'tools/utf16le.json': Buffer.from(`\uFEFF${config}`, 'utf16le'),
      'tools/utf16be.json': utf16be,
      'tools/other.json': config.replace('mcpServers', 'servers'),
    });
    const report = JSON.parse((await cli(['ci', '.', '-f', 'json'], root)).stdout);
    const paths = report.findings.filter((f: Finding) => f.ruleId === 'mcp-literal-api-key').flatMap((f: Finding) => f.occurrences.map((o) => o.path));
    expect(paths.sort()).toEqual(['tools/bom.json', 'tools/plain.json', 'tools/utf16be.json', 'tools/utf16le.json']);
    expect(report.scan.filesScanned).toBe(4);
  });

  it('can be turned off with ci: false in the config', async () => {
    const root = await tempTree({ '.secretscanrc': 'ci: false\n', '.github/workflows/pr.yml': 'on: pull_request_target\njobs:\n  a:\n    runs-on: self-hosted\n    steps:\n      - run: echo\n' });
    const report = JSON.parse((await cli(['scan', '.', '-f', 'json'], root)).stdout);
    expect(report.findings.filter((f: Finding) => f.ruleId.startsWith('ci-'))).toEqual([]);
  });

  it('lists the CI checks among the rules', async () => {
    const { stdout } = await cli(['rules', '--format', 'json'], FIXTURES);
    const ids = JSON.parse(stdout).rules.map((rule: { id: string }) => rule.id);
    expect(ids).toEqual(expect.arrayContaining(['ci-hardcoded-secret', 'ci-untrusted-checkout', 'mcp-literal-api-key']));
  });
});

describe('files a GitLab pipeline includes', () => {
  const logged = (findings: Finding[]) =>
    findings
      .filter((f) => f.ruleId === 'ci-secret-in-logs')
      .flatMap((f) => f.occurrences.map((o) => `${o.path}:${o.line}`))
      .sort();

  it('secretscan ci checks them as GitLab files, named by path or by glob, relative to the pipeline', async () => {
    // Scanned from above the fixture repositories: includes are relative to each .gitlab-ci.yml's folder.
    const run = await cli(['ci', 'gitlab', '-f', 'json'], FIXTURES);
    const report = JSON.parse(run.stdout);
    expect(logged(report.findings)).toEqual(['bad/.gitlab-ci.yml:10', 'bad/.gitlab-ci.yml:35', 'bad/ci/jobs/release.yml:5', 'bad/ci/templates.yml:4']);
    expect(report.findings.some((f: Finding) => f.occurrences.some((o) => o.path.startsWith('good/')))).toBe(false);
    // Two pipelines and the four files they include.
    expect(report.scan.filesScanned).toBe(6);
    expect(report.errors).toEqual([]);
  });

  it('an ordinary scan checks included files and what they include, and leaves other YAML alone', async () => {
    const root = await tempTree({
      '.gitlab-ci.yml': 'include:\n  - local: /templates/base.yml\nbuild:\n  script:\n    - make\n',
      'templates/base.yml': "include: 'templates/deep/*.yml'\n.base:\n  script:\n    - echo \"$CHAT_TOKEN\"\n",
      'templates/deep/notify.yml': '.notify:\n  script:\n    - ./notify.sh\n    - echo "$API_TOKEN"\n',
      'other/unrelated.yml': '.job:\n  script:\n    - echo "$OTHER_TOKEN"\n',
    });
    const run = await cli(['scan', '.', '-f', 'json'], root);
    const report = JSON.parse(run.stdout);
    expect(logged(report.findings)).toEqual(['templates/base.yml:4', 'templates/deep/notify.yml:4']);
    expect(report.findings.every((f: Finding) => f.occurrences.every((o) => o.source === 'worktree'))).toBe(true);
    expect(run.code).toBe(1);
  });

  it('is silent when the included files are clean', async () => {
    const run = await cli(['ci', join(FIXTURES, 'gitlab', 'good'), '-f', 'json'], FIXTURES);
    const report = JSON.parse(run.stdout);
    expect(report.findings).toEqual([]);
    expect(report.scan.filesScanned).toBe(3);
  });
});
