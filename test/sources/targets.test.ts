import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandTargets } from '../../src/sources/targets.js';
import { runCli } from '../helpers/cli.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree } from '../helpers/tmp.js';

const faker = createFaker(77);

describe('command-line targets', () => {
  it('expands a glob pattern to the files it matches, dotfiles included, in a stable order', async () => {
    const root = await tempTree({ 'deploy/prod/.env': 'A=1\n', 'deploy/dev/.env': 'A=2\n', 'deploy/dev/app.ts': 'x\n', 'node_modules/p/.env': 'A=3\n', 'src/a.env': 'A=4\n' });
    expect(await expandTargets(root, ['deploy/**/.env'])).toEqual(['deploy/dev/.env', 'deploy/prod/.env']);
    expect(await expandTargets(root, ['**/*.env', 'deploy/dev/app.ts'])).toEqual(['deploy/dev/.env', 'deploy/prod/.env', 'src/a.env', 'deploy/dev/app.ts']);
  });

  it('takes an existing path as given, even one whose name looks like a pattern', async () => {
    const root = await tempTree({ 'odd[1].txt': 'x\n', 'odd1.txt': 'y\n' });
    expect(await expandTargets(root, ['odd[1].txt', '.'])).toEqual(['odd[1].txt', '.']);
  });

  it('does not follow symbolic links while expanding', async () => {
    const root = await tempTree({ 'real/k.env': 'A=1\n', 'links/own.env': 'A=2\n' });
    await symlink(join(root, 'real'), join(root, 'links', 'to-real'));
    expect(await expandTargets(root, ['links/**/*.env'])).toEqual(['links/own.env']);
  }, 10_000);

  it('scans only the files a quoted pattern names, and says so when it names none (exit 2)', async () => {
    const token = faker.make('github:ghp');
    const root = await tempTree({ 'config/prod.env': `GITHUB_TOKEN=${token}\n`, 'config/notes.md': `GITHUB_TOKEN=${token}\n` });
    const scanned = await runCli(['scan', 'config/*.env', '--format', 'json'], { cwd: root });
    expect(scanned.code).toBe(1);
    const report = JSON.parse(scanned.stdout) as { findings: { occurrences: { path: string }[] }[] };
    expect(report.findings.flatMap((finding) => finding.occurrences.map((occurrence) => occurrence.path))).toEqual(['config/prod.env']);

    const none = await runCli(['scan', 'config/*.yaml'], { cwd: root });
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toEqual(['secretscan: config/*.yaml: no file matches this pattern; check it, and quote it so the shell passes it on unchanged']);
  });
});
