/**
 * Writes V8's compiled code for dist/cli.cjs (src/launch.ts explains why), run by scripts/build.mjs
 * in a fresh process: V8 rejects cached code made under other flags than the loading process has, and
 * the launcher compiles the bundle before it sets any. The CLI sets some as it runs (regex compiling,
 * inlining); here setting them does nothing, so the code saved after the runs matches a fresh process.
 *
 * The runs are the two whose start-up time matters: the pre-commit hook on a staged change that holds a
 * finding, and a scan of one file. Whatever they never call is compiled when first called, as without
 * the cache.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

v8.setFlagsFromString = () => {};

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const { compileBundle, codeCacheFile } = await import(pathToFileURL(join(dist, 'launch.cjs')).href);
const { exports: cli, script } = compileBundle(dist);

const work = mkdtempSync(join(tmpdir(), 'secretscan-code-cache-'));
try {
  const git = (...args) => execFileSync('git', ['-c', 'user.name=secretscan build', '-c', 'user.email=build@example.invalid', '-c', 'core.hooksPath=/dev/null', ...args], { cwd: work, stdio: 'ignore' });
  const code = Array.from({ length: 40 }, (_, i) => `export const setting${i} = compute(${i}, 'label');\n`).join('');
  writeFileSync(join(work, 'app.ts'), code);
  let staged = false;
  try {
    git('init', '-q');
    git('add', 'app.ts');
    git('commit', '-q', '-m', 'start');
    // Made up here, so the repository holds no secret-shaped string.
    writeFileSync(join(work, 'app.ts'), `${code}export const databasePassword = "${randomBytes(18).toString('base64url')}";\n`);
    git('add', 'app.ts');
    staged = true;
  } catch {
    // no git here: the file scan alone
  }
  const sink = { write: () => true, isTTY: false };
  const io = { stdout: sink, stderr: sink, cwd: work, env: {} };
  if (staged) await cli.run(['git', '--staged'], io);
  await cli.run(['scan', 'app.ts'], io);
  writeFileSync(codeCacheFile(dist), script.createCachedData());
} finally {
  rmSync(work, { recursive: true, force: true });
}
