/**
 * How CI findings read in each report: a posture problem (write-all, an untrusted checkout) holds no secret
 * and is shown in clear, a CI finding that is a secret (a literal password) stays redacted unless
 * --show-secrets, in every format.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';

const GITHUB = join(import.meta.dirname, '..', '..', 'fixtures', 'ci', 'github', 'bad');

interface JsonFinding {
  ruleId: string;
  kind: string;
  secret: string;
}

const ci = (args: string[], cwd = GITHUB) => runCli(['ci', '.', ...args], { cwd });

describe('CI findings in reports', () => {
  it('json: posture problems in clear with kind "posture", secrets redacted with kind "secret"', async () => {
    const findings: JsonFinding[] = JSON.parse((await ci(['-f', 'json'])).stdout).findings;
    expect(findings.find((f) => f.ruleId === 'ci-excessive-permissions' && f.secret.includes('write-all'))).toEqual(
      expect.objectContaining({ kind: 'posture', secret: 'permissions: write-all' }),
    );
    expect(findings.find((f) => f.ruleId === 'ci-untrusted-checkout')).toEqual(expect.objectContaining({ kind: 'posture', secret: 'checkout of PR head in pull_request_target' }));
    const secrets = findings.filter((f) => ['ci-hardcoded-secret', 'ci-registry-literal-password', 'ci-credential-in-url'].includes(f.ruleId));
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const finding of secrets) {
      expect(finding.kind).toBe('secret');
      expect(finding.secret).toMatch(/^hun…\(redacted\)$/);
    }
    const shown: JsonFinding[] = JSON.parse((await ci(['-f', 'json', '--show-secrets'])).stdout).findings;
    expect(shown.find((f) => f.ruleId === 'ci-hardcoded-secret')?.secret).toBe('hunter2hunter2');
  });

  it('text: a "problem" line for posture findings, and no literal secret', async () => {
    const { stdout } = await ci(['--no-color']);
    expect(stdout).toMatch(/^ {2}problem {2}permissions: write-all$/m);
    expect(stdout).toMatch(/^ {2}secret {3}hun…\(redacted\)$/m);
    expect(stdout).not.toMatch(/hunter\d/);
  });

  it('sarif: the problem in the message and properties, the secret nowhere', async () => {
    const { stdout } = await ci(['-f', 'sarif']);
    const results: { ruleId: string; message: { text: string }; properties: Record<string, unknown> }[] = JSON.parse(stdout).runs[0].results;
    const permissions = results.find((r) => r.ruleId === 'ci-excessive-permissions' && r.properties.problem === 'permissions: write-all');
    expect(permissions?.message.text).toContain('permissions: write-all');
    expect(permissions?.message.text).not.toContain('Revoke');
    const hardcoded = results.find((r) => r.ruleId === 'ci-hardcoded-secret');
    expect(hardcoded?.properties.problem).toBeUndefined();
    expect(stdout).not.toMatch(/hunter\d/);
  });

  it('gitlab: the problem in the description, the secret nowhere', async () => {
    const { stdout } = await ci(['-f', 'gitlab']);
    const vulnerabilities: { description: string; identifiers: { value: string }[] }[] = JSON.parse(stdout).vulnerabilities;
    expect(vulnerabilities.some((v) => v.description.includes('permissions: write-all'))).toBe(true);
    expect(stdout).not.toMatch(/hunter\d/);
  });

  it('a URL quoted in a problem description loses its user-info', async () => {
    const root = await tempTree({ '.gitlab-ci.yml': "include:\n  - remote: 'https://deployer:hunter7hunter7@templates.internal/ci.yml'\nbuild:\n  script:\n    - make\n" });
    const { stdout } = await runCli(['ci', '.', '-f', 'json', '--show-secrets'], { cwd: root });
    const findings: JsonFinding[] = JSON.parse(stdout).findings;
    const include = findings.find((f) => f.ruleId === 'ci-unpinned-action-with-secrets');
    expect(include).toEqual(expect.objectContaining({ kind: 'posture', secret: 'remote include https://…@templates.internal/ci.yml without integrity not pinned to a commit receives every CI/CD variable' }));
  });
});
