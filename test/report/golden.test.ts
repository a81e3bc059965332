/**
 * Golden files pin the shape of each report: a change to them is a change to a contract (DESIGN §3)
 * and must show up in review. Timing and the temp-dir root are normalised.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { createFaker } from '../helpers/fake-secrets.js';

// A fixed seed: the finding ids in the golden files are hashes of these values.
const faker = createFaker(42);
const [LIVE, TEST, ALLOWED] = [faker.make('alnum:16'), faker.make('alnum:16'), faker.make('alnum:16')];

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
    'src/app.ts': `const live = "acme_${LIVE}";\nconst test = "acmt_${TEST}";\n`,
    'deploy/.env': `ACME=acme_${LIVE}\n`,
    'src/skip.ts': `const x = "acme_${ALLOWED}"; // secretscan:allow\n`,
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
