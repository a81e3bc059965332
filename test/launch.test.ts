/**
 * The launcher (src/launch.ts): the CLI bundled as one ASCII script whose compiled code the build saves,
 * which a fresh Node takes; and the same answers through it as through the ES modules it replaces.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createFaker } from './helpers/fake-secrets.js';
import { runScript, tempTree } from './helpers/tmp.js';

const execFileAsync = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const BIN = join(ROOT, 'bin', 'secretscan.js');
const faker = createFaker(1127);

async function cli(args: string[], cwd: string, viaModules: boolean) {
  const env = { ...process.env, SECRETSCAN_CODE_CACHE: viaModules ? '0' : '1' };
  const result = await execFileAsync(process.execPath, [BIN, ...args], { cwd, env }).catch((error: { code: number; stdout: string; stderr: string }) => error);
  return { code: 'code' in result ? result.code : 0, stdout: result.stdout, stderr: result.stderr };
}

/** Both ways, with the volatile parts of a JSON report (timings) left out. */
async function bothWays(args: string[], cwd: string) {
  const [bundled, modules] = await Promise.all([cli(args, cwd, false), cli(args, cwd, true)]);
  const stable = (run: { code: number; stdout: string; stderr: string }) => ({ ...run, stdout: run.stdout.replace(/"(durationMs|startedAt|finishedAt)":\s*[^,}]+/g, '"$1":0').replace(/ in \d+ ms/g, '') });
  return { bundled: stable(bundled), modules: stable(modules) };
}

describe('the launcher', () => {
  it('ships the CLI as an ASCII script, whose saved code a fresh Node takes', async () => {
    expect(/^[\x00-\x7f]*$/.test(readFileSync(join(DIST, 'cli.cjs'), 'latin1'))).toBe(true);
    const probe = await runScript(
      `const { readFileSync } = await import('node:fs');
       const { compileBundle, codeCacheFile } = await import(${JSON.stringify(join(DIST, 'launch.cjs'))});
       const { script, exports } = compileBundle(${JSON.stringify(DIST)}, readFileSync(codeCacheFile(${JSON.stringify(DIST)})));
       console.log(JSON.stringify({ rejected: script.cachedDataRejected, run: typeof exports.run }));`,
    );
    expect(probe.stderr).toBe('');
    expect(JSON.parse(probe.stdout)).toEqual({ rejected: false, run: 'function' });
  });

  it('gives the same answers through the bundle as through the ES modules: a staged change, a JavaScript config, a folder', async () => {
    const token = faker.make('github:ghp');
    const root = await tempTree({ 'src/app.ts': 'export const ok = 1;\n', 'trusted.mjs': 'export default { failOn: "never" };\n' });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: root });
    git('init', '-q');
    git('add', 'src/app.ts');
    git('commit', '-q', '-m', 'start');
    execFileSync('sh', ['-c', `printf 'export const token = "%s";\\n' "$1" >> src/app.ts`, 'sh', token], { cwd: root });
    git('add', 'src/app.ts');

    const staged = await bothWays(['git', '--staged', '--format', 'json'], root);
    expect(staged.bundled.code).toBe(1);
    expect(JSON.parse(staged.bundled.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['github-pat-classic']);
    expect(staged.bundled).toEqual(staged.modules);

    // A JavaScript config is imported: the bundle's import() goes through the launcher.
    const configured = await bothWays(['scan', 'src', '--config', 'trusted.mjs'], root);
    expect(configured.bundled).toMatchObject({ code: 0, stderr: '' });
    expect(configured.bundled.stdout).toContain('1 secret');
    expect(configured.bundled).toEqual(configured.modules);

    const folder = await bothWays(['scan', '.', '--format', 'sarif'], root);
    expect(folder.bundled.code).toBe(1);
    expect(folder.bundled).toEqual(folder.modules);
  });
});
