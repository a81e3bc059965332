/**
 * Golden files pin the shape of each report: a change to them is a change to a contract (DESIGN §3)
 * and must show up in review. Timing and the temp-dir root are normalised.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { tempTree } from '../helpers/tmp.js';

const RULES = `rules:
  - id: acme-key
    name: Acme API key
    provider: acme
    credentialType: api-key
    privilege: high
    lifetime: long-lived
    keywords: [acme_]
    pattern: '\\b(acme_[A-Za-z0-9]{16})\\b'
    entropy: 3
    remediation: Revoke the key in the Acme console and issue a scoped, short-lived one.
  - id: acme-test-key
    name: Acme test key
    provider: acme
    credentialType: api-key
    privilege: low
    keywords: [acmt_]
    pattern: '\\b(acmt_[A-Za-z0-9]{16})\\b'
    remediation: Test keys reach only the sandbox; rotate it anyway.
`;

async function render(args: string[]): Promise<string> {
  const root = await tempTree({
    'rules/acme.yml': RULES,
    'src/app.ts': 'const live = "acme_Zq8mT2vLx9pR4kWb";\nconst test = "acmt_H7nC3yQ6sD1fG5jK";\n',
    'deploy/.env': 'ACME=acme_Zq8mT2vLx9pR4kWb\n',
    'src/skip.ts': 'const x = "acme_Q1w2E3r4T5y6U7i8"; // secretscan:allow\n',
  });
  let out = '';
  await run(['scan', '--rules', 'rules', ...args], {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: () => undefined },
    stdin: Readable.from([]),
    cwd: root,
    env: {},
  });
  return out
    .replaceAll(root, '<root>')
    .replace(/"durationMs": \d+/, '"durationMs": 0')
    .replace(/"version": "[^"]+"/, '"version": "<version>"')
    .replace(/scanned in \d+ ms/, 'scanned in <n> ms')
    .replace(/\d+ B\)/, '<n> B)');
}

describe('report golden files', () => {
  it('json', async () => {
    await expect(await render(['-f', 'json'])).toMatchFileSnapshot('__golden__/report.json');
  });

  it('text', async () => {
    await expect(await render([])).toMatchFileSnapshot('__golden__/report.txt');
  });

  it('text --verbose', async () => {
    await expect(await render(['--verbose'])).toMatchFileSnapshot('__golden__/report-verbose.txt');
  });
});
