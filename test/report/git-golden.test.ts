/**
 * Golden files for history reports (`secretscan git`): provenance on each occurrence, firstSeen and
 * lastSeen, presentAtHead, the scan counts, and the text report's word that deleting is not revoking.
 * The repository is built with fixed authors and dates, so its commit ids are the same on every run.
 */
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree, writeTree } from '../helpers/tmp.js';

// A fixed seed: the finding ids in the golden files are hashes of these values.
const faker = createFaker(77);
const [KEPT, DELETED] = [faker.make('alnum:16'), faker.make('alnum:16')];

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
`;

async function history(): Promise<{ repo: string; rules: string }> {
  const repo = await tempTree({ 'README.md': '# app\n' });
  const rules = await tempTree({ 'acme.yml': RULES });
  const commit = (message: string, date: string, author: [string, string]) =>
    execFileSync('git', ['-c', 'commit.gpgSign=false', 'commit', '-qam', message], {
      cwd: repo,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: author[0],
        GIT_AUTHOR_EMAIL: author[1],
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: 'CI',
        GIT_COMMITTER_EMAIL: 'ci@example.org',
        GIT_COMMITTER_DATE: date,
      },
    });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  execFileSync('git', ['add', '.'], { cwd: repo });
  commit('start', '2024-01-01T09:00:00+00:00', ['Ada Park', 'ada@example.org']);
  await writeTree(repo, { 'src/client.ts': `export const key = "acme_${KEPT}";\n`, 'deploy/.env': `ACME=acme_${DELETED}\n` });
  execFileSync('git', ['add', '.'], { cwd: repo });
  commit('client', '2024-02-01T09:00:00+01:00', ['Bo Lindqvist', 'bo@example.org']);
  await writeTree(repo, { 'deploy/.env': 'ACME=${ACME_KEY}\n', 'src/other.ts': `// moved here too\nconst key = "acme_${KEPT}";\n` });
  execFileSync('git', ['add', '.'], { cwd: repo });
  commit('use the environment', '2024-03-01T09:00:00-05:00', ['Ada Park', 'ada@example.org']);
  return { repo, rules };
}

async function render(args: string[]): Promise<string> {
  const { repo, rules } = await history();
  let out = '';
  await run(['git', '--rules', rules, ...args], {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: () => undefined },
    stdin: Readable.from([]),
    cwd: repo,
    env: {},
  });
  return out
    .replaceAll(repo, '<repo>')
    .replace(/"durationMs": \d+/, '"durationMs": 0')
    .replace(/"version": "[^"]+"/, '"version": "<version>"')
    .replace(/scanned in \d+ ms/, 'scanned in <n> ms');
}

describe('history report golden files', () => {
  it('json', async () => {
    await expect(await render(['-f', 'json'])).toMatchFileSnapshot('__golden__/git-report.json');
  });

  it('text', async () => {
    await expect(await render([])).toMatchFileSnapshot('__golden__/git-report.txt');
  });
});
