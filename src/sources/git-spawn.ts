/**
 * Starting `git`: the settings every command pins, the environment, and the pre-commit hook's one diff,
 * which can be started before the CLI has loaded (startStagedDiff): Git diffing the staged files then
 * runs alongside the loading, on the other core, instead of after it (~15 ms of a hook run on the bench
 * repository, measured with a git that answers at once). Kept apart from git-native.ts so that the
 * launcher (src/launch.ts) can start it without loading the rest.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { trackChild } from './interrupt.js';

/** `-c` settings that make git's output the format this parser reads, whatever the user's config says. */
export function pinnedConfig(maxFileSize?: number): string[] {
  return [
    '-c', 'core.quotePath=false',
    ...(maxFileSize !== undefined ? ['-c', `core.bigFileThreshold=${maxFileSize}`] : []),
    '-c', 'diff.noprefix=false',
    '-c', 'diff.mnemonicPrefix=false',
    '-c', 'diff.relative=false',
    '-c', 'log.showSignature=false',
    '-c', 'log.showRoot=true',
  ];
}

export const DIFF_FLAGS = [
  '-U0',
  '--inter-hunk-context=0',
  '-M',
  '--full-index',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

/** `-U` for --staged: more lines than any file has, so each diff holds the whole staged file. */
const WHOLE_FILE_CONTEXT = 2147483647;

/**
 * --staged: one `git diff --cached` with unlimited context, so every changed file's staged content comes
 * whole (its context and added lines), with the added lines marked, and no `cat-file` round trip is
 * needed. Paths are the repository root's, wherever in the work tree it runs (--no-relative).
 */
export function stagedDiffArgs(): string[] {
  return [...pinnedConfig(), 'diff', '--cached', ...DIFF_FLAGS, `--unified=${WHOLE_FILE_CONTEXT}`, '--no-relative', '--'];
}

/** The environment for git children: no pager, no prompts, no external diff, messages in English. */
export function gitEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_PAGER: 'cat', PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANGUAGE: 'C' };
  delete env.GIT_EXTERNAL_DIFF;
  delete env.GIT_DIFF_OPTS;
  return env;
}

export function spawnGit(cwd: string, args: string[], withStdin = false): ChildProcessWithoutNullStreams {
  const child = spawn('git', args, { cwd, stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: gitEnvironment() }) as ChildProcessWithoutNullStreams;
  trackChild(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });
  (child as unknown as { stderrText: () => string }).stderrText = () => stderr;
  // Errors surface through exited(); without listeners an ENOENT, or an EPIPE when we stop reading
  // early and the child goes away, would crash the process.
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  return child;
}

/** A `git diff --cached` started early, its output kept as it comes until someone reads it. */
export interface StagedDiff {
  /** Where it ran: it answers for the repository git finds from there. */
  cwd: string;
  child: ChildProcessWithoutNullStreams;
  output: AsyncIterable<Buffer>;
}

/**
 * Starts the staged diff from `cwd`. Reading starts at once (Node drops the output of a child that
 * exits before anyone listens); until it is taken, neither the child nor its output keeps the process
 * alive, so a run that never takes it (a bad option, a config error) exits as before.
 */
export function startStagedDiff(cwd: string): StagedDiff {
  const child = spawnGit(cwd, stagedDiffArgs());
  const chunks: Buffer[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    wake?.();
  });
  child.stdout.once('close', () => {
    ended = true;
    wake?.();
  });
  child.unref();
  unrefStream(child.stdout);
  unrefStream(child.stderr);
  async function* output(): AsyncGenerator<Buffer> {
    child.ref();
    refStream(child.stdout);
    refStream(child.stderr);
    for (let next = 0; ; ) {
      while (next < chunks.length) {
        const chunk = chunks[next]!;
        chunks[next++] = EMPTY;
        yield chunk;
      }
      if (ended) return;
      await new Promise<void>((resolveWait) => (wake = resolveWait));
      wake = undefined;
    }
  }
  return { cwd, child, output: { [Symbol.asyncIterator]: output } };
}

const EMPTY = Buffer.alloc(0);

let early: StagedDiff | undefined;

/** The launcher's staged diff, for the repository's staged() to take (takeStagedDiff). */
export function offerStagedDiff(diff: StagedDiff): void {
  early?.child.kill();
  early = diff;
}

/** The staged diff started early, if it ran where the repository was opened from; once. */
export function takeStagedDiff(openedFrom: string): StagedDiff | undefined {
  const diff = early;
  early = undefined;
  if (!diff) return undefined;
  // Tracked for interruption since it started (spawnGit).
  if (resolve(diff.cwd) === resolve(openedFrom)) return diff;
  diff.child.kill();
  return undefined;
}

function unrefStream(stream: unknown): void {
  (stream as { unref?: () => void }).unref?.();
}

function refStream(stream: unknown): void {
  (stream as { ref?: () => void }).ref?.();
}
