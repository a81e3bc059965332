/**
 * GitLab's secret-detection report. GitLab refuses a whole report that does not match its schema, so the
 * output is checked against the requirements of security-report-schemas 15.2.1
 * (dist/secret-detection-report-format.json) for every field we write, restated below from the published
 * schema, and a golden file pins the shape.
 */
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderGitlab, GITLAB_SCHEMA_VERSION } from '../../src/report/gitlab.js';
import { toReport } from '../../src/report/redact.js';
import { scan } from '../../src/scan.js';
import type { ScanResult } from '../../src/types.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree } from '../helpers/tmp.js';

const TOOL = { name: 'secretscan', version: '0.0.0-test' };
const FINISHED = new Date('2026-02-03T04:05:06.789Z');
const faker = createFaker(515);
const [LIVE, OTHER] = [`acme_${faker.make('alnum:16')}`, `acme_${faker.make('alnum:16')}`];

const RULES = `rules:
  - id: acme-key
    name: Acme API key
    provider: acme
    credentialType: saas-api-key
    privilege: high
    lifetime: long-lived
    keywords: [acme_]
    pattern: '\\b(acme_[A-Za-z0-9]{16})\\b'
    entropy: 3
    remediation: Revoke the key in the Acme console and issue a scoped, short-lived one.
    references: [https://docs.acme.example/keys, not a url]
`;

/** The parts of the 15.2.1 schema that the fields we write must meet. */
const REQUIREMENTS = {
  type: 'object',
  required: ['scan', 'version', 'vulnerabilities'],
  properties: {
    version: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$' },
    schema: { type: 'string', pattern: '^https?://.+' },
    scan: {
      type: 'object',
      required: ['analyzer', 'end_time', 'scanner', 'start_time', 'status', 'type'],
      properties: {
        analyzer: { $ref: '#/definitions/component' },
        scanner: { $ref: '#/definitions/component' },
        start_time: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$' },
        end_time: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$' },
        status: { enum: ['success', 'failure'] },
        type: { enum: ['secret_detection'] },
        messages: {
          type: 'array',
          items: { type: 'object', required: ['level', 'value'], properties: { level: { enum: ['info', 'warn', 'fatal'] }, value: { type: 'string', minLength: 1 } } },
        },
      },
    },
    vulnerabilities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'identifiers', 'location'],
        properties: {
          id: { type: 'string', minLength: 1 },
          name: { type: 'string', maxLength: 255 },
          description: { type: 'string', maxLength: 1048576 },
          severity: { enum: ['Info', 'Unknown', 'Low', 'Medium', 'High', 'Critical'] },
          solution: { type: 'string', maxLength: 7000 },
          identifiers: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['type', 'name', 'value'],
              properties: {
                type: { type: 'string', minLength: 1 },
                name: { type: 'string', minLength: 1 },
                value: { type: 'string', minLength: 1 },
                url: { type: 'string', pattern: '^(https?|ftp)://.+' },
              },
            },
          },
          links: { type: 'array', items: { type: 'object', required: ['url'], properties: { url: { type: 'string', pattern: '^(https?|ftp)://.+' } } } },
          details: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['name', 'type', 'value'],
              properties: { name: { type: 'string', minLength: 1 }, type: { enum: ['text', 'value'] } },
              if: { properties: { type: { const: 'text' } } },
              then: { properties: { value: { type: 'string' } } },
              else: { properties: { value: { type: ['number', 'string', 'boolean'] } } },
            },
          },
          location: {
            type: 'object',
            required: ['commit'],
            properties: {
              file: { type: 'string' },
              start_line: { type: 'number' },
              end_line: { type: 'number' },
              commit: {
                type: 'object',
                required: ['sha'],
                properties: { sha: { type: 'string', minLength: 1 }, author: { type: 'string' }, date: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
          raw_source_code_extract: { type: 'string' },
        },
      },
    },
  },
  definitions: {
    component: {
      type: 'object',
      required: ['id', 'name', 'version', 'vendor'],
      properties: {
        id: { type: 'string', minLength: 1 },
        name: { type: 'string', minLength: 1 },
        version: { type: 'string', minLength: 1 },
        vendor: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
      },
    },
  },
};

async function worktreeScan() {
  const root = await tempTree({
    'rules/acme.yml': RULES,
    'src/app.ts': `const live = "${LIVE}";\n`,
    'deploy/.env': `ACME=${LIVE}\nOTHER=${OTHER}\n`,
  });
  return scan({ kind: 'worktree', cwd: root, rulePaths: ['rules'] });
}

function asHistory(result: ScanResult): ScanResult {
  return {
    ...result,
    stats: { ...result.stats, kind: 'git' },
    findings: result.findings.map((finding) => ({
      ...finding,
      occurrences: finding.occurrences.map((o) => ({ ...o, source: 'history' as const, commit: 'ab'.repeat(20), author: 'Ada Park', date: '2025-03-14T09:30:00+02:00' })),
    })),
  };
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(REQUIREMENTS);

describe('the GitLab secret-detection report', () => {
  it.each([
    ['a working-tree scan', (r: ScanResult) => r],
    ['a history scan', asHistory],
    ['a clean scan with errors', (r: ScanResult) => ({ ...r, findings: [], errors: [{ path: 'x.bin', message: 'cannot read file: permission denied; skipped' }] })],
  ])('meets the 15.2.1 schema for %s', async (_name, shape) => {
    const document = JSON.parse(renderGitlab(toReport(shape(await worktreeScan()), false), { tool: TOOL, finishedAt: FINISHED }));
    const valid = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(document.version).toBe(GITLAB_SCHEMA_VERSION);
  });

  it('writes one vulnerability per occurrence, with the rule as primary identifier and a stable id', async () => {
    const result = await worktreeScan();
    const first = JSON.parse(renderGitlab(toReport(result, false), { tool: TOOL, finishedAt: FINISHED, commitSha: 'cafe'.repeat(10) }));
    const again = JSON.parse(renderGitlab(toReport(await worktreeScan(), false), { tool: TOOL, finishedAt: FINISHED, commitSha: 'cafe'.repeat(10) }));
    expect(first.vulnerabilities).toHaveLength(3);
    expect(first.vulnerabilities.map((v: { id: string }) => v.id)).toEqual(again.vulnerabilities.map((v: { id: string }) => v.id));
    expect(new Set(first.vulnerabilities.map((v: { id: string }) => v.id)).size).toBe(3);
    const [vulnerability] = first.vulnerabilities;
    expect(vulnerability).toMatchObject({
      name: 'Acme API key',
      severity: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' }[result.findings[0]!.severity],
      solution: 'Revoke the key in the Acme console and issue a scoped, short-lived one.',
      identifiers: [
        { type: 'secretscan_rule_id', name: 'secretscan rule acme-key', value: 'acme-key' },
        { type: 'secretscan_finding_id', value: result.findings[0]!.id },
      ],
      links: [{ url: 'https://docs.acme.example/keys' }],
      location: { file: 'deploy/.env', start_line: 1, end_line: 1, commit: { sha: 'cafe'.repeat(10) } },
    });
    expect(first.scan).toMatchObject({ start_time: expect.stringMatching(/^2026-02-03T04:05:0\d$/), end_time: '2026-02-03T04:05:06' });
  });

  it('takes the commit of history occurrences, and 0000000 when there is none', async () => {
    const result = await worktreeScan();
    const history = JSON.parse(renderGitlab(toReport(asHistory(result), false), { tool: TOOL, commitSha: 'cafe'.repeat(10) }));
    expect(history.vulnerabilities[0].location.commit).toEqual({ sha: 'ab'.repeat(20), author: 'Ada Park', date: '2025-03-14T09:30:00+02:00' });
    const bare = JSON.parse(renderGitlab(toReport(result, false), { tool: TOOL }));
    expect(bare.vulnerabilities[0].location.commit).toEqual({ sha: '0000000' });
  });

  it('holds no secret nor any 12-character piece of one; the raw extract only with --show-secrets', async () => {
    const result = await worktreeScan();
    const text = renderGitlab(toReport(asHistory(result), false), { tool: TOOL });
    for (const secret of [LIVE, OTHER]) {
      for (let i = 0; i + 12 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 12));
    }
    const shown = JSON.parse(renderGitlab(toReport(result, true), { tool: TOOL }));
    expect(shown.vulnerabilities.map((v: { raw_source_code_extract: string }) => v.raw_source_code_extract).sort()).toEqual([LIVE, LIVE, OTHER].sort());
  });

  it('golden file', async () => {
    const result = await worktreeScan();
    const text = renderGitlab(toReport({ ...result, stats: { ...result.stats, durationMs: 1234 } }, false), { tool: TOOL, finishedAt: FINISHED });
    await expect(text).toMatchFileSnapshot(join('__golden__', 'report.gitlab.json'));
  });
});
