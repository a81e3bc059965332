import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

const created: string[] = [];

afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temp folder holding `files` (path → content), removed after the test. */
export async function tempTree(files: Record<string, string | Buffer> = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'secretscan-test-'));
  created.push(root);
  await writeTree(root, files);
  return root;
}

export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

/**
 * Runs TypeScript `source` in a Node process of its own (through tsx), for what only a whole process
 * shows: whether something keeps it alive, or what V8's per-process flags do. `{{src}}` in the source
 * is the URL of the repository's src/ folder, to import modules from.
 */
export async function runScript(source: string, args: string[] = [], timeoutMs = 60_000): Promise<SpawnSyncReturns<string>> {
  const script = join(await tempTree(), 'script.mts');
  await writeFile(script, source.replaceAll('{{src}}', new URL('../../src/', import.meta.url).href));
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', timeout: timeoutMs });
}
