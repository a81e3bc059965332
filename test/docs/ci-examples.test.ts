/**
 * The example CI files in docs/ci/: valid YAML, in step with this package's version and the actions
 * secretscan pins, and doing what their comments say (scan the added commits, write the platform's report).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { PINNED_ACTIONS } from '../../src/commands/init.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const read = (name: string) => readFileSync(join(ROOT, 'docs', 'ci', name), 'utf8');

describe('docs/ci examples', () => {
  it.each(['github-actions.yml', 'gitlab-ci.yml', 'circleci.yml', 'azure-pipelines.yml'])('%s is YAML and installs this version of secretscan', (name) => {
    const text = read(name);
    expect(() => parseYaml(text)).not.toThrow();
    for (const [, version] of text.matchAll(/secretscan@(\d+\.\d+\.\d+)/g)) expect(version).toBe(VERSION);
  });

  it('GitHub Actions: full history, code-scanning permission, actions pinned by commit', () => {
    const workflow = parseYaml(read('github-actions.yml'));
    const job = workflow.jobs.secretscan;
    expect(job.permissions['security-events']).toBe('write');
    expect(job.steps[0].uses).toBe(PINNED_ACTIONS.checkout.split(' #')[0]);
    expect(job.steps[0].with['fetch-depth']).toBe(0);
    expect(job.steps[1].with['fail-on']).toBe('high');
  });

  it('GitLab CI: writes the secret_detection report from a commit range', () => {
    const job = parseYaml(read('gitlab-ci.yml')).secretscan;
    expect(job.variables.GIT_DEPTH).toBe('0');
    expect(job.artifacts.reports.secret_detection).toBe('gl-secret-detection-report.json');
    const script = job.script.join('\n');
    expect(script).toContain('--range $CI_MERGE_REQUEST_DIFF_BASE_SHA..$CI_COMMIT_SHA');
    expect(script).toContain('--format gitlab --output gl-secret-detection-report.json');
  });

  it.each(['circleci.yml', 'azure-pipelines.yml'])('%s scans a commit range and keeps the SARIF report', (name) => {
    const text = read(name);
    expect(text).toMatch(/--range /);
    expect(text).toMatch(/--format sarif --output \S*secretscan\.sarif/);
  });
});
