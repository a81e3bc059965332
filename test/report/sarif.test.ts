/**
 * The SARIF report (DESIGN §4): valid against the OASIS SARIF 2.1.0 schema (draft-04, so ajv-draft-04),
 * for working-tree and history occurrences; its shape pinned by golden files; what GitHub code scanning
 * reads (rules, security-severity, fingerprints, categories, limits) checked field by field; and no
 * secret anywhere in it unless --show-secrets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { collectLineHashes, lineHashes } from '../../src/report/line-hash.js';
import { toReport, type Report } from '../../src/report/redact.js';
import { renderSarif } from '../../src/report/sarif.js';
import { builtinRulesDir, loadRuleSource } from '../../src/rules/load.js';
import { scan } from '../../src/scan.js';
import type { ScanResult } from '../../src/types.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { testRule } from '../helpers/rules.js';
import { tempTree } from '../helpers/tmp.js';

const SARIF_SCHEMA = join(import.meta.dirname, '..', '..', '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');
const TOOL = { name: 'secretscan', version: '0.0.0-test' };

// A fixed seed: finding ids and line hashes in the golden files derive from these values.
const faker = createFaker(4242);
const [LIVE, OTHER, TEST_KEY] = [faker.make('alnum:16'), faker.make('alnum:16'), faker.make('alnum:16')];
const SECRETS = [`acme_${LIVE}`, `acme_${OTHER}`, `acmt_${TEST_KEY}`];

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
    references: [https://docs.acme.example/keys#revoke]
  - id: acme-test-key
    name: Acme test key
    provider: acme
    credentialType: payment-test-key
    privilege: low
    keywords: [acmt_]
    pattern: '\\b(acmt_[A-Za-z0-9]{16})\\b'
    remediation: Test keys reach only the sandbox; rotate it anyway.
`;

const FILES: Record<string, string> = {
  'rules/acme.yml': RULES,
  'src/app.ts': `import { Acme } from "acme";\n\nexport const client = new Acme("acme_${LIVE}");\nconst sandbox = "acmt_${TEST_KEY}";\n`,
  'deploy/prod env/.env': `ACME_KEY=acme_${LIVE}\nACME_OTHER=acme_${OTHER}\n`,
};

interface Scanned {
  root: string;
  result: ScanResult;
}

async function worktreeScan(): Promise<Scanned> {
  const root = await tempTree(FILES);
  return { root, result: await scan({ kind: 'worktree', cwd: root, rulePaths: ['rules'] }) };
}

const COMMITS = ['4d3c2b1a0f9e8d7c6b5a49382716050f1e2d3c4b', '9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc'];

/** The same findings as a history scan would report them: added by commits, no longer all at HEAD. */
function asHistory({ result }: Scanned): ScanResult {
  return {
    ...result,
    stats: { ...result.stats, kind: 'git', commitsScanned: 2 },
    findings: result.findings.map((finding, f) => ({
      ...finding,
      presentAtHead: f !== 1,
      occurrences: finding.occurrences.map((occurrence, o) => ({
        ...occurrence,
        source: 'history' as const,
        commit: COMMITS[(f + o) % 2]!,
        author: 'Ada Park',
        email: 'ada@example.org',
        date: `2025-0${(f + o) % 2 ? 6 : 3}-14T09:30:00+02:00`,
      })),
    })),
  };
}

async function sarifOf(report: Report, root: string, options: { maxResults?: number } = {}) {
  const occurrences = report.findings.flatMap((finding) => finding.occurrences);
  // History occurrences read the file as the commit left it; here every commit left the file as it is now.
  const lineHashes = await collectLineHashes(occurrences, ({ path }) => readFile(join(root, path), 'utf8'));
  return renderSarif(report, { tool: TOOL, lineHashes, ...options });
}

function normalise(text: string, root: string): string {
  return text.replaceAll(pathToFileURL(root).href, 'file:///<root>').replaceAll(root, '<root>');
}

function validatorFor() {
  // ajv-draft-04 is CommonJS: its class is the default export's `default`, under Node and under vitest.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///base/'));
  ajv.addFormat('date-time', (value: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(value) && !Number.isNaN(Date.parse(value)));
  return ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
}

function secretPieces(secret: string, length = 12): string[] {
  return Array.from({ length: secret.length - length + 1 }, (_, i) => secret.slice(i, i + length));
}

describe.skipIf(!existsSync(SARIF_SCHEMA))('SARIF against the OASIS 2.1.0 schema', () => {
  const validate = existsSync(SARIF_SCHEMA) ? validatorFor() : undefined;

  it.each([
    ['a working-tree scan', (s: Scanned) => s.result],
    ['a history scan', asHistory],
    ['a clean scan', (s: Scanned) => ({ ...s.result, findings: [] })],
    ['a scan with errors and results left out', (s: Scanned) => ({ ...s.result, errors: [{ path: 'big.bin', message: 'cannot read file: permission denied; skipped' }] })],
  ])('validates for %s', async (_name, shape) => {
    const scanned = await worktreeScan();
    const { text } = await sarifOf(toReport(shape(scanned), false), scanned.root, { maxResults: 2 });
    const valid = validate!(JSON.parse(text));
    expect(validate!.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});

describe('SARIF golden files', () => {
  it('working tree', async () => {
    const scanned = await worktreeScan();
    const { text } = await sarifOf(toReport(scanned.result, false), scanned.root);
    await expect(normalise(text, scanned.root)).toMatchFileSnapshot('__golden__/report.sarif');
  });

  it('history', async () => {
    const scanned = await worktreeScan();
    const { text } = await sarifOf(toReport(asHistory(scanned), false), scanned.root);
    await expect(normalise(text, scanned.root)).toMatchFileSnapshot('__golden__/report-history.sarif');
  });
});

describe('SARIF for GitHub code scanning', () => {
  it('labels precision by the rule\'s validators: filters only (kubernetes-secret-data) are not "very-high"', async () => {
    const scanned = await worktreeScan();
    const builtin = await loadRuleSource(builtinRulesDir(), { builtin: true });
    const kubernetes = builtin.find((rule) => rule.id === 'kubernetes-secret-data')!;
    expect(kubernetes.validators).toEqual(['not-an-identifier-setting', 'base64-secret-like']);
    const precision = async (validators: string[], base = scanned.result.findings[0]!.rule) => {
      const rule = { ...base, validators };
      const result = { ...scanned.result, findings: scanned.result.findings.map((finding) => ({ ...finding, rule })) };
      const sarif = JSON.parse((await sarifOf(toReport(result, false), scanned.root)).text);
      return sarif.runs[0].tool.driver.rules[0].properties.precision as string;
    };
    // The built-in rule as it is: a generic secret whose validators only filter.
    expect(await precision(kubernetes.validators, kubernetes)).toBe('low');
    // acme-key (keywords, a specific credential type): "high" unless a validator checks the value itself.
    expect(await precision(['base64-secret-like'])).toBe('high');
    expect(await precision(['not-an-identifier-setting', 'base64-secret-like'])).toBe('high');
    expect(await precision(['base64-secret-like', 'github-checksum'])).toBe('very-high');
  });

  it('describes each rule with results from rule data, security-severity = best score / 10', async () => {
    const scanned = await worktreeScan();
    const sarif = JSON.parse((await sarifOf(toReport(scanned.result, false), scanned.root)).text);
    const [run] = sarif.runs;
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(['acme-key', 'acme-test-key']);
    const acme = run.tool.driver.rules[0];
    const bestScore = Math.max(...scanned.result.findings.filter((f) => f.rule.id === 'acme-key').map((f) => f.score));
    expect(acme).toMatchObject({
      shortDescription: { text: 'Acme API key' },
      help: { text: expect.stringContaining('Revoke the key in the Acme console'), markdown: expect.stringContaining('Revoke the key in the Acme console') },
      helpUri: 'https://docs.acme.example/keys#revoke',
      properties: { tags: ['security', 'secret', 'acme', 'saas-api-key'], precision: 'high', 'security-severity': (bestScore / 10).toFixed(1) },
    });
    expect(acme.fullDescription.text).toMatch(/^Acme API key: a long-lived saas-api-key for acme, with admin privilege\./);
  });

  it('gives one result per occurrence with level, full region, repo-relative URI and both fingerprints', async () => {
    const scanned = await worktreeScan();
    const report = toReport(scanned.result, false);
    const sarif = JSON.parse((await sarifOf(report, scanned.root)).text);
    const results = sarif.runs[0].results;
    expect(results).toHaveLength(report.findings.reduce((n, f) => n + f.occurrences.length, 0));
    const envFile = readFileSync(join(scanned.root, 'deploy/prod env/.env'), 'utf8');
    const onEnv = results.find((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'deploy/prod%20env/.env');
    const finding = report.findings.find((f) => f.occurrences.some((o) => o.path === 'deploy/prod env/.env' && o.line === 1))!;
    expect(onEnv).toMatchObject({
      ruleId: 'acme-key',
      ruleIndex: 0,
      level: finding.severity === 'critical' || finding.severity === 'high' ? 'error' : 'warning',
      locations: [{ physicalLocation: { artifactLocation: { uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 10, endLine: 1, endColumn: 31 } } }],
      partialFingerprints: { primaryLocationLineHash: lineHashes(envFile)[0], 'secretscan/v1': finding.id },
      properties: { findingId: finding.id, score: finding.score, 'security-severity': (finding.score / 10).toFixed(1), source: 'worktree' },
    });
    expect(onEnv.message.text).toBe(`Acme API key (acme-key) in deploy/prod env/.env: ${finding.severity} severity, score ${finding.score}. Revoke and rotate it; see the rule's help.`);
    expect(results.find((r: { ruleId: string }) => r.ruleId === 'acme-test-key')).toMatchObject({ ruleIndex: 1, level: 'note' });
    expect(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`${pathToFileURL(scanned.root).href}/`);
  });

  it('carries the commit of a history occurrence in its properties and its message', async () => {
    const scanned = await worktreeScan();
    const sarif = JSON.parse((await sarifOf(toReport(asHistory(scanned), false), scanned.root)).text);
    for (const result of sarif.runs[0].results) {
      expect(COMMITS).toContain(result.properties.commit);
      expect(result.properties).toMatchObject({ source: 'history', author: 'Ada Park', date: expect.stringMatching(/^2025-/) });
      expect(result.message.text).toContain(`added in commit ${result.properties.commit.slice(0, 12)} on 2025-0`);
      expect(JSON.stringify(result)).not.toContain('ada@example.org');
    }
    expect(sarif.runs[0].results.some((r: { message: { text: string } }) => r.message.text.includes('no longer in the code, but removing it revoked nothing'))).toBe(true);
  });

  it.each([
    ['worktree', 'secretscan/worktree/'],
    ['git', 'secretscan/git/'],
    ['staged', 'secretscan/staged/'],
    ['stdin', 'secretscan/stdin/'],
  ] as const)('names the analysis by scan kind: %s', async (kind, id) => {
    const scanned = await worktreeScan();
    const report = toReport({ ...scanned.result, stats: { ...scanned.result.stats, kind } }, false);
    expect(JSON.parse(renderSarif(report, { tool: TOOL }).text).runs[0].automationDetails).toEqual({ id });
  });

  it('includes rules that only findings carry, such as CI-check rules', async () => {
    const scanned = await worktreeScan();
    // As src/ci describes its checks: a RuleSpec plus a description and a Markdown help with fixes.
    const ciRule = {
      ...testRule({ id: 'ci-literal-token-in-env', pattern: 'x', name: 'Literal token in a workflow env block', provider: 'ci', credentialType: 'ci-token', remediation: 'Move it to a secret.' }),
      description: 'A token written into an env: block is readable by everyone who can read the workflow.',
      help: 'Move it to a secret.\n\n**GitHub Actions**\n\n```\nenv:\n  TOKEN: ${{ secrets.TOKEN }}\n```',
    };
    const [first] = scanned.result.findings;
    const result: ScanResult = { ...scanned.result, findings: [...scanned.result.findings, { ...first!, id: 'f'.repeat(32), rule: ciRule }] };
    const sarif = JSON.parse(renderSarif(toReport(result, false), { tool: TOOL }).text);
    const index = sarif.runs[0].tool.driver.rules.findIndex((rule: { id: string }) => rule.id === 'ci-literal-token-in-env');
    expect(sarif.runs[0].tool.driver.rules[index]).toMatchObject({
      fullDescription: { text: ciRule.description },
      help: { text: 'Move it to a secret.', markdown: `**Literal token in a workflow env block** (\`ci-literal-token-in-env\`)\n\n${ciRule.help}` },
    });
    expect(sarif.runs[0].results.filter((r: { ruleIndex: number }) => r.ruleIndex === index)).toHaveLength(first!.occurrences.length);
  });

  it('keeps the most severe results within the limit, and says so for stderr', async () => {
    const scanned = await worktreeScan();
    const report = toReport(scanned.result, false);
    const total = report.findings.reduce((n, f) => n + f.occurrences.length, 0);
    const { text, notices } = renderSarif(report, { tool: TOOL, maxResults: 2 });
    const sarif = JSON.parse(text);
    expect(sarif.runs[0].results).toHaveLength(2);
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['acme-key', 'acme-key']);
    expect(notices).toEqual([
      `SARIF holds 2 of ${total} results, GitHub's limit per run: the ${total - 2} least severe (${report.findings[1]!.severity} and below) were left out; the JSON report has them all`,
    ]);
    expect(sarif.runs[0].properties.resultsLeftOut).toBe(total - 2);
    expect(renderSarif(report, { tool: TOOL }).notices).toEqual([]);
  });

  it('leaves the line hash out when the file could not be read, for the upload to compute', async () => {
    const scanned = await worktreeScan();
    const sarif = JSON.parse(renderSarif(toReport(scanned.result, false), { tool: TOOL }).text);
    for (const result of sarif.runs[0].results) expect(Object.keys(result.partialFingerprints)).toEqual(['secretscan/v1']);
  });
});

describe('secrets in SARIF', () => {
  it.each([
    ['working tree', (s: Scanned) => s.result],
    ['history', asHistory],
  ])('%s: no secret, nor any 12-character piece of one, anywhere in the file', async (_name, shape) => {
    const scanned = await worktreeScan();
    const { text } = await sarifOf(toReport(shape(scanned), false), scanned.root);
    expect(text.length).toBeGreaterThan(1000);
    for (const secret of SECRETS) for (const piece of secretPieces(secret)) expect(text).not.toContain(piece);
  });

  it('puts whole secrets in result properties only with --show-secrets, never in messages', async () => {
    const scanned = await worktreeScan();
    const sarif = JSON.parse((await sarifOf(toReport(scanned.result, true), scanned.root)).text);
    expect(sarif.runs[0].results.map((r: { properties: { secret: string } }) => r.properties.secret).sort()).toEqual(
      [SECRETS[0], SECRETS[0], SECRETS[1], SECRETS[2]].sort(),
    );
    for (const result of sarif.runs[0].results) for (const secret of SECRETS) expect(result.message.text).not.toContain(secret.slice(5, 17));
  });
});
