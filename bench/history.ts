/**
 * `npm run bench:history`: speed and memory of `secretscan git` on a generated, realistic repository.
 *
 * 1. Builds a repository of at least 5,000 commits with `git fast-import` from one seeded PRNG (same seed,
 *    same repository, byte for byte): TypeScript sources, tests, docs and config edited a few lines at a
 *    time, files added, renamed and deleted, feature branches merged with merge commits, a lockfile
 *    regenerated now and then, a minified bundle rebuilt, and planted fake secrets (test/helpers/
 *    fake-secrets.ts), most of them deleted again some commits later; one is planted on a feature branch
 *    and one in a merge resolution. Author dates go forward, except on a few rebased branches.
 * 2. Times `git log -p -U0 --all --no-color > /dev/null` (the floor of a patch-reading design) and
 *    `secretscan git <repo>` as users run it (a fresh process, JSON report to a file), median of N runs
 *    each, with the scanner's peak RSS.
 * 3. Checks every planted secret is found, attributed to the commit that planted it, with the right
 *    presentAtHead; then times `secretscan git --staged` on a five-file staged change (the pre-commit hook,
 *    cold start included), median of 10.
 *
 *   npx tsx bench/history.ts [--commits N] [--runs N] [--seed N] [--keep] [--json] [--repo PATH]
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, cpSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createFaker, type Faker } from '../test/helpers/fake-secrets.js';
import { Rng } from '../test/helpers/random.js';
import { median } from './measure.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MIB = 1024 * 1024;
const STAGED_RUNS = 10;
const TARGETS = { ratio: 2, peakRssMiB: 300, stagedMs: 200 };

// ─── The repository ──────────────────────────────────────────────────────────────────────────────

/** A secret planted by the generator: where and when it went in, and whether HEAD still has it. */
export interface PlantedSecret {
  kind: string;
  value: string;
  path: string;
  /** Mark of the commit that added it; resolved to a hash after fast-import. */
  mark: number;
  commit?: string;
  presentAtHead: boolean;
  how: 'commit' | 'feature-branch' | 'merge-resolution';
}

export interface HistorySummary {
  commits: number;
  merges: number;
  renames: number;
  planted: PlantedSecret[];
  fastImportBytes: number;
}

interface Branch {
  ref: string;
  files: Map<string, string[]>;
  mark: number;
  /** Paths changed on this branch since it forked (feature branches), for the merge commit. */
  touched: Set<string>;
  renamed: [string, string][];
}

const WORDS = (
  'account user session order invoice payment customer cart product price stock report event queue job worker ' +
  'cache store client server request response handler router config setting option feature flag metric log trace ' +
  'message email notification template render view model schema record table index query filter page item list'
).split(' ');
const CREDENTIAL_WORDS = ['token', 'password', 'secret', 'apiKey', 'accessKey', 'clientSecret', 'authToken'];
const AUTHORS = [
  ['Ada Park', 'ada@example.org'],
  ['Bo Lindqvist', 'bo@example.org'],
  ['Chidi Okafor', 'chidi@example.org'],
  ['Dana Weiss', 'dana@example.org'],
  ['Émile Durand', 'emile@example.org'],
  ['Farah Haddad', 'farah@example.org'],
  ['Gus Moreno', 'gus@example.org'],
  ['Hana Sato', 'hana@example.org'],
] as const;
const SECRET_KINDS = ['github:ghp', 'npm', 'slack:xoxb', 'sendgrid', 'openai:proj', 'telegram-bot', 'discord-webhook', 'slack-webhook', 'github:gho'];

class RepoWriter {
  private readonly rng: Rng;
  private readonly faker: Faker;
  private readonly chunks: Buffer[] = [];
  private pendingBytes = 0;
  private markCounter = 0;
  private time = Date.UTC(2019, 0, 7, 9, 0, 0) / 1000;
  private fileCounter = 0;
  readonly summary: HistorySummary = { commits: 0, merges: 0, renames: 0, planted: [], fastImportBytes: 0 };
  /** Planted secrets still in the tree: where they are, for a later commit to delete them. */
  private readonly live: { secret: PlantedSecret; deleteAt: number; branch: Branch }[] = [];
  /** Files holding a planted secret: ordinary commits leave them alone, so only a deletion removes one. */
  private readonly secretFiles = new Set<string>();

  constructor(
    seed: number,
    private readonly sink: (data: Buffer) => Promise<void>,
  ) {
    this.rng = new Rng(seed);
    this.faker = createFaker(seed);
  }

  async generate(targetCommits: number): Promise<void> {
    const rng = this.rng;
    const main: Branch = { ref: 'refs/heads/main', files: new Map(), mark: 0, touched: new Set(), renamed: [] };
    for (let i = 0; i < 120; i++) main.files.set(this.newPath(), this.sourceFile(rng.logNormal(120, 0.8, 10, 1500)));
    main.files.set('package-lock.json', this.lockfile());
    main.files.set('dist/app.min.js', [this.bundleLine()]);
    main.files.set('docs/getting started.md', this.sourceFile(60));
    await this.commit(main, [...main.files.keys()], [], 'Initial import');

    const secretEvery = Math.floor(targetCommits / 24);
    let feature: Branch | undefined;
    let featureLeft = 0;
    while (this.summary.commits < targetCommits) {
      if (!feature && rng.chance(0.04)) {
        feature = { ref: `refs/heads/feature/${this.summary.commits}`, files: new Map(main.files), mark: main.mark, touched: new Set(), renamed: [] };
        // Each side keeps off the files the other changed since the fork, so merges are clean.
        main.touched = new Set();
        featureLeft = rng.range(3, 12);
      }
      const onFeature = feature !== undefined && rng.chance(0.5);
      const branch = onFeature ? feature! : main;
      const owned = feature ? (onFeature ? main.touched : feature.touched) : undefined;
      const plantHere = this.summary.commits > 0 && this.summary.commits % secretEvery === 0;

      if (plantHere && !(onFeature && this.summary.planted.some((s) => s.how === 'feature-branch'))) {
        await this.plant(branch, onFeature ? 'feature-branch' : 'commit', owned);
      } else {
        await this.ordinaryCommit(branch, owned);
      }
      await this.deleteDueSecrets(main);

      if (onFeature && --featureLeft <= 0) {
        await this.merge(main, feature!);
        feature = undefined;
      }
    }
    if (feature) await this.merge(main, feature);
    this.emit(`reset refs/heads/main\nfrom :${main.mark}\n\n`);
    await this.flush(true);
  }

  private async ordinaryCommit(branch: Branch, avoid?: Set<string>): Promise<void> {
    const rng = this.rng;
    const changed: string[] = [];
    const deleted: string[] = [];
    const renamed: [string, string][] = [];
    const roll = rng.float();
    const paths = [...branch.files.keys()].filter((p) => !avoid?.has(p) && !this.secretFiles.has(p) && !p.startsWith('package-lock') && !p.startsWith('dist/'));
    if (roll < 0.02) {
      changed.push('package-lock.json');
      branch.files.set('package-lock.json', this.updateLockfile(branch.files.get('package-lock.json')!));
    } else if (roll < 0.025) {
      changed.push('dist/app.min.js');
      branch.files.set('dist/app.min.js', [this.bundleLine()]);
    } else if (roll < 0.06) {
      const path = this.newPath();
      branch.files.set(path, this.sourceFile(rng.logNormal(80, 0.7, 5, 800)));
      changed.push(path);
    } else if (roll < 0.075 && paths.length > 20) {
      const from = rng.pick(paths);
      const to = this.newPath();
      branch.files.set(to, branch.files.get(from)!);
      branch.files.delete(from);
      renamed.push([from, to]);
      this.summary.renames++;
      if (rng.chance(0.5)) {
        this.edit(branch, to);
        changed.push(to);
      }
    } else if (roll < 0.085 && paths.length > 60) {
      const path = rng.pick(paths);
      branch.files.delete(path);
      deleted.push(path);
    }
    if (changed.length + deleted.length + renamed.length === 0) {
      for (let n = rng.range(1, 4); n > 0; n--) {
        const path = rng.pick(paths);
        this.edit(branch, path);
        changed.push(path);
      }
    }
    await this.commit(branch, changed, deleted, `${rng.pick(['Fix', 'Add', 'Update', 'Refactor', 'Tidy'])} ${rng.pick(WORDS)} ${rng.pick(WORDS)}`, renamed);
  }

  private edit(branch: Branch, path: string): void {
    const rng = this.rng;
    const lines = branch.files.get(path)!.slice();
    const at = rng.int(lines.length + 1);
    const removed = rng.chance(0.6) ? rng.range(0, Math.min(6, lines.length - at)) : 0;
    const added = Array.from({ length: rng.range(removed === 0 ? 1 : 0, 12) }, () => this.codeLine());
    lines.splice(at, removed, ...added);
    branch.files.set(path, lines);
  }

  private async plant(branch: Branch, how: PlantedSecret['how'], avoid?: Set<string>): Promise<void> {
    const rng = this.rng;
    const kind = rng.pick(SECRET_KINDS);
    const value = this.faker.make(kind);
    const paths = [...branch.files.keys()].filter((p) => p.endsWith('.ts') && !avoid?.has(p) && !this.secretFiles.has(p));
    const path = rng.pick(paths);
    const lines = branch.files.get(path)!.slice();
    lines.splice(rng.int(lines.length + 1), 0, `export const ${rng.pick(WORDS)}Credential = "${value}";`);
    branch.files.set(path, lines);
    this.secretFiles.add(path);
    await this.commit(branch, [path], [], `Configure ${rng.pick(WORDS)} client`);
    const secret: PlantedSecret = { kind, value, path, mark: branch.mark, presentAtHead: true, how };
    this.summary.planted.push(secret);
    // Most secrets are noticed and deleted again; a few stay until HEAD.
    if (how === 'commit' && rng.chance(0.8)) this.live.push({ secret, deleteAt: this.summary.commits + rng.range(20, 600), branch });
  }

  private async deleteDueSecrets(main: Branch): Promise<void> {
    for (let i = this.live.length - 1; i >= 0; i--) {
      const entry = this.live[i]!;
      if (entry.branch !== main || this.summary.commits < entry.deleteAt) continue;
      this.live.splice(i, 1);
      const lines = main.files.get(entry.secret.path);
      if (!lines) continue;
      main.files.set(
        entry.secret.path,
        lines.filter((line) => !line.includes(entry.secret.value)),
      );
      entry.secret.presentAtHead = false;
      this.secretFiles.delete(entry.secret.path);
      await this.commit(main, [entry.secret.path], [], 'Remove hard-coded credential');
    }
  }

  private async merge(main: Branch, feature: Branch): Promise<void> {
    const changed: string[] = [];
    const deleted: string[] = [];
    for (const path of feature.touched) {
      const content = feature.files.get(path);
      if (content) {
        main.files.set(path, content);
        changed.push(path);
      } else if (main.files.has(path)) {
        main.files.delete(path);
        deleted.push(path);
      }
    }
    // Every tenth merge carries a change of its own, as a conflict resolution does; one of them a secret.
    const resolution = this.rng.chance(0.1) || !this.summary.planted.some((s) => s.how === 'merge-resolution');
    let planted: PlantedSecret | undefined;
    if (resolution) {
      const candidates = [...main.files.keys()].filter((p) => p.endsWith('.ts') && !this.secretFiles.has(p) && !feature.touched.has(p));
      const path = this.rng.pick(candidates);
      const lines = main.files.get(path)!.slice();
      if (!this.summary.planted.some((s) => s.how === 'merge-resolution')) {
        const value = this.faker.make('github:ghp');
        lines.splice(this.rng.int(lines.length + 1), 0, `const resolvedToken = "${value}";`);
        planted = { kind: 'github:ghp', value, path, mark: 0, presentAtHead: true, how: 'merge-resolution' };
        this.secretFiles.add(path);
      } else {
        lines.push(this.codeLine());
      }
      main.files.set(path, lines);
      if (!changed.includes(path)) changed.push(path);
    }
    this.summary.merges++;
    await this.commit(main, changed, [...new Set(deleted)].filter((p) => !main.files.has(p)), `Merge ${feature.ref.slice(11)}`, [], feature.mark);
    if (planted) {
      planted.mark = main.mark;
      this.summary.planted.push(planted);
    }
  }

  private async commit(branch: Branch, changed: string[], deleted: string[], message: string, renamed: [string, string][] = [], mergeMark?: number): Promise<void> {
    const rng = this.rng;
    const mark = ++this.markCounter;
    this.time += rng.range(60, 4 * 3600);
    const [name, email] = rng.pick(AUTHORS);
    // Some feature-branch commits keep an older author date, as after a rebase: dates out of order.
    const authorTime = branch.ref !== 'refs/heads/main' && rng.chance(0.2) ? this.time - rng.range(86400, 20 * 86400) : this.time;
    const lines = [
      `commit ${branch.ref}`,
      `mark :${mark}`,
      `author ${name} <${email}> ${authorTime} +0${rng.int(3)}00`,
      `committer ${name} <${email}> ${this.time} +0000`,
      `data ${Buffer.byteLength(message)}`,
      message,
    ];
    if (branch.mark) lines.push(`from :${branch.mark}`);
    if (mergeMark) lines.push(`merge :${mergeMark}`);
    this.emit(`${lines.join('\n')}\n`);
    for (const [from, to] of renamed) {
      this.emit(`R ${quote(from)} ${quote(to)}\n`);
      branch.renamed.push([from, to]);
      branch.touched.add(to);
      branch.touched.add(from);
    }
    for (const path of deleted) {
      this.emit(`D ${quote(path)}\n`);
      branch.touched.add(path);
    }
    for (const path of changed) {
      const content = Buffer.from(`${branch.files.get(path)!.join('\n')}\n`);
      this.emit(`M 100644 inline ${quote(path)}\ndata ${content.length}\n`);
      this.emitBuffer(content);
      this.emit('\n');
      branch.touched.add(path);
    }
    this.emit('\n');
    branch.mark = mark;
    this.summary.commits++;
    await this.flush(false);
  }

  private newPath(): string {
    const rng = this.rng;
    const n = ++this.fileCounter;
    const dir = rng.weighted([
      ['src', 5],
      ['src/api', 3],
      ['src/services', 3],
      ['lib', 2],
      ['test', 3],
      ['scripts', 1],
    ] as const);
    return `${dir}/${rng.pick(WORDS)}-${rng.pick(WORDS)}-${n}.ts`;
  }

  private sourceFile(lines: number): string[] {
    return Array.from({ length: lines }, () => this.codeLine());
  }

  /** A line of TypeScript; about one in twelve names a credential (a keyword hit, never a secret). */
  private codeLine(): string {
    const rng = this.rng;
    const a = rng.pick(WORDS);
    const b = rng.pick(WORDS);
    const indent = '  '.repeat(rng.int(3));
    switch (rng.int(12)) {
      case 0:
        return `${indent}const ${rng.pick(CREDENTIAL_WORDS)} = process.env.${a.toUpperCase()}_${b.toUpperCase()}_TOKEN ?? '';`;
      case 1:
        return `${indent}// ${a} ${b}: keep the ${rng.pick(WORDS)} in sync with the ${rng.pick(WORDS)} before it is sent.`;
      case 2:
        return `${indent}export async function ${a}${pascal(b)}(${rng.pick(WORDS)}: ${pascal(rng.pick(WORDS))}): Promise<void> {`;
      case 3:
        return `${indent}}`;
      case 4:
        return '';
      case 5:
        return `${indent}if (!${a}.${b}) throw new Error('${a} ${b} is missing');`;
      default:
        return `${indent}const ${a}${pascal(b)} = await this.${rng.pick(WORDS)}.${rng.pick(WORDS)}(${a}, { limit: ${rng.int(1000)} });`;
    }
  }

  private lockfile(): string[] {
    const lines = ['{', '  "name": "app",', '  "lockfileVersion": 3,', '  "packages": {'];
    for (let i = 0; i < 1500; i++) lines.push(...this.lockEntry(i));
    lines.push('  }', '}');
    return lines;
  }

  private lockEntry(i: number): string[] {
    const rng = this.rng;
    return [
      `    "node_modules/${rng.pick(WORDS)}-${i}": {`,
      `      "version": "${rng.int(9)}.${rng.int(30)}.${rng.int(30)}",`,
      `      "integrity": "sha512-${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 86)}=="`,
      '    },',
    ];
  }

  private updateLockfile(lines: string[]): string[] {
    const next = lines.slice();
    for (let n = this.rng.range(20, 120); n > 0; n--) {
      const entry = this.rng.int(1500);
      next.splice(4 + entry * 4, 4, ...this.lockEntry(entry));
    }
    return next;
  }

  /** One minified line of ~60-120 KB, rebuilt whole each time, as a bundler does. */
  private bundleLine(): string {
    const rng = this.rng;
    const parts: string[] = [];
    let size = 0;
    const target = rng.range(60_000, 120_000);
    while (size < target) {
      const part = `function ${rng.chars('abcdefghij', 2)}(${rng.chars('xyz', 1)}){return ${rng.pick(WORDS)}.${rng.pick(WORDS)}(${rng.int(999)})}`;
      parts.push(part);
      size += part.length + 1;
    }
    return parts.join(';');
  }

  private emit(text: string): void {
    this.emitBuffer(Buffer.from(text));
  }

  private emitBuffer(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.pendingBytes += buffer.length;
  }

  private async flush(force: boolean): Promise<void> {
    if (!force && this.pendingBytes < 1024 * 1024) return;
    const data = Buffer.concat(this.chunks.splice(0));
    this.summary.fastImportBytes += data.length;
    this.pendingBytes = 0;
    await this.sink(data);
  }
}

function pascal(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function quote(path: string): string {
  return /[\s"\\]/.test(path) ? JSON.stringify(path) : path;
}

/** Writes the repository into `dir` (a new, non-bare repository with main checked out). */
/**
 * `repack: false` leaves fast-import's own pack: every blob already deltified against its previous
 * version, and it saves the scale bench minutes of pack-objects at 50,000 commits.
 */
export async function generateRepository(dir: string, options: { commits: number; seed: number; repack?: boolean }): Promise<HistorySummary> {
  git(dirname(dir), ['init', '-q', '-b', 'main', dir]);
  const marksFile = join(dir, '.git', 'bench-marks');
  const child = spawn('git', ['fast-import', '--quiet', `--export-marks=${marksFile}`], { cwd: dir, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const closed = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const writer = new RepoWriter(options.seed, (data) => new Promise<void>((resolve, reject) => child.stdin.write(data, (error) => (error ? reject(error) : resolve()))));
  await writer.generate(options.commits);
  child.stdin.end();
  if ((await closed) !== 0) throw new Error(`git fast-import failed: ${stderr.trim()}`);

  const marks = new Map<number, string>();
  for (const line of readFileSync(marksFile, 'utf8').split('\n')) {
    const [mark, hash] = line.split(' ');
    if (mark && hash) marks.set(Number(mark.slice(1)), hash);
  }
  for (const secret of writer.summary.planted) secret.commit = marks.get(secret.mark);
  if (options.repack !== false) git(dir, ['repack', '-a', '-d', '-q']);
  git(dir, ['checkout', '-q', '-f', 'main']);
  return writer.summary;
}

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * MIB });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

// ─── Measuring ───────────────────────────────────────────────────────────────────────────────────

interface Timed {
  seconds: number;
  peakRssMiB: number;
  code: number;
  stderr: string;
}

/** Runs a command with stdout to /dev/null (or a file); peak RSS from GNU time when it is there. */
async function timed(file: string, args: string[], cwd: string, work: string, stdoutTo = '/dev/null'): Promise<Timed> {
  const rssFile = join(work, 'max-rss.txt');
  let haveTime = true;
  try {
    accessSync('/usr/bin/time', constants.X_OK);
  } catch {
    haveTime = false;
  }
  const command = haveTime ? '/usr/bin/time' : file;
  const commandArgs = haveTime ? ['-f', '%M', '-o', rssFile, file, ...args] : args;
  const out = openSync(stdoutTo, 'w');
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stderr }));
  });
  const seconds = (performance.now() - started) / 1000;
  closeSync(out);
  const peakRssMiB = haveTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : Number.NaN;
  return { seconds, peakRssMiB, code, stderr };
}


/** Bytes of `git log -p -U0 --all --no-color` output, counted as it streams. */
export async function patchBytes(repo: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['log', '-p', '-U0', '--all', '--no-color'], { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] });
    let bytes = 0;
    child.stdout.on('data', (data: Buffer) => (bytes += data.length));
    child.on('error', reject);
    child.on('close', () => resolve(bytes));
  });
}

export interface Report {
  scan: { commitsScanned: number; blobsScanned: number; bytesScanned: number; durationMs: number; skipped: Record<string, number> };
  findings: {
    ruleId: string;
    secretHash: string;
    presentAtHead: boolean;
    occurrences: { commit?: string; path: string }[];
  }[];
}

const HELP = `usage: npx tsx bench/history.ts [options]   (after npm run build; or npm run bench:history -- [options])
  --commits N    commits to generate (default 5500, at least 5000 for the target)
  --runs N       timed runs of git log and of secretscan (default 5)
  --seed N       PRNG seed: same seed, same repository (default 1)
  --repo PATH    measure an existing repository instead (no recall check)
  --keep         keep the temp folder and print its path
  --json         print the results as JSON`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      commits: { type: 'string', default: '5500' },
      runs: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      repo: { type: 'string' },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const runs = Math.max(1, Number.parseInt(values.runs, 10) || 5);
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js not found; run `npm run build` first (npm run bench:history does)');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const work = await mkdtemp(join(tmpdir(), 'secretscan-bench-history-'));
  try {
    // The built CLI is copied first (it is one bundle): a rebuild in the work tree meanwhile cannot
    // pull chunks from under a run.
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(work, 'app', part), { recursive: true });
    const cli = join(work, 'app', 'bin', 'secretscan.js');
    let repo = values.repo;
    let summary: HistorySummary | undefined;
    let generateSeconds = 0;
    if (!repo) {
      repo = join(work, 'repo');
      log(`generating ${values.commits} commits in ${repo} ...`);
      const started = performance.now();
      summary = await generateRepository(repo, { commits: Number(values.commits), seed: Number(values.seed) });
      generateSeconds = (performance.now() - started) / 1000;
      writeFileSync(join(work, 'planted.json'), JSON.stringify(summary.planted, null, 2));
    }
    const commits = Number(git(repo, ['rev-list', '--all', '--count']).trim());
    const patchMiB = (await patchBytes(repo)) / MIB;

    // Interleaved, so a busy host slows both sides alike and the ratio stays fair.
    const gitRuns: Timed[] = [];
    const scanRuns: Timed[] = [];
    let report: Report | undefined;
    for (let i = 0; i < runs; i++) {
      gitRuns.push(await timed('git', ['log', '-p', '-U0', '--all', '--no-color'], repo, work));
      const output = join(work, `report-${i}.json`);
      const run = await timed(process.execPath, [cli, 'git', repo, '--format', 'json', '--no-progress', '--output', output], repo, work);
      if (run.code !== 0 && run.code !== 1) throw new Error(`secretscan git exited with ${run.code}: ${run.stderr.trim()}`);
      report ??= JSON.parse(readFileSync(output, 'utf8')) as Report;
      scanRuns.push(run);
      log(`run ${i + 1}/${runs}: git log -p -U0 --all ${gitRuns[i]!.seconds.toFixed(2)} s; secretscan git ${run.seconds.toFixed(2)} s, peak RSS ${run.peakRssMiB.toFixed(0)} MiB`);
    }

    const staged = summary ? await stagedTimings(cli, repo, work, log) : undefined;
    const gitSeconds = median(gitRuns.map((r) => r.seconds));
    const scanSeconds = median(scanRuns.map((r) => r.seconds));
    const peakRssMiB = Math.max(...scanRuns.map((r) => r.peakRssMiB));
    const result: BenchResult = {
      machine: { vcpus: availableParallelism(), node: process.version, git: git(repo, ['--version']).trim() },
      repository: {
        path: values.keep || values.repo ? repo : undefined,
        commits,
        generated: summary ? { commits: summary.commits, merges: summary.merges, renames: summary.renames, planted: summary.planted.length, seconds: generateSeconds } : undefined,
        patchMiB,
      },
      gitLog: { runs: gitRuns.length, medianSeconds: gitSeconds, seconds: gitRuns.map((r) => r.seconds) },
      secretscan: {
        runs: scanRuns.length,
        medianSeconds: scanSeconds,
        seconds: scanRuns.map((r) => r.seconds),
        internalMs: report!.scan.durationMs,
        commitsScanned: report!.scan.commitsScanned,
        blobsScanned: report!.scan.blobsScanned,
        scannedMiB: report!.scan.bytesScanned / MIB,
        skipped: report!.scan.skipped,
        commitsPerSecond: commits / scanSeconds,
        patchMiBPerSecond: patchMiB / scanSeconds,
        peakRssMiB,
        ratioToGitLog: scanSeconds / gitSeconds,
        findings: report!.findings.length,
      },
      recall: summary ? recall(summary.planted, report!) : undefined,
      staged,
      targets: {
        ratio: { target: `<= ${TARGETS.ratio}x git log -p -U0 --all`, pass: scanSeconds / gitSeconds <= TARGETS.ratio },
        peakRss: { target: `< ${TARGETS.peakRssMiB} MiB`, pass: peakRssMiB < TARGETS.peakRssMiB },
        staged: staged ? { target: `< ${TARGETS.stagedMs} ms`, pass: staged.medianMs < TARGETS.stagedMs } : undefined,
      },
    };
    console.log(values.json ? JSON.stringify(result, null, 2) : renderText(result));
    if (values.keep) log(`kept ${work}`);
    return 0;
  } finally {
    if (!values.keep) await rm(work, { recursive: true, force: true });
  }
}

interface BenchResult {
  machine: { vcpus: number; node: string; git: string };
  repository: {
    path?: string;
    commits: number;
    patchMiB: number;
    generated?: { commits: number; merges: number; renames: number; planted: number; seconds: number };
  };
  gitLog: { runs: number; medianSeconds: number; seconds: number[] };
  secretscan: {
    runs: number;
    medianSeconds: number;
    seconds: number[];
    internalMs: number;
    commitsScanned: number;
    blobsScanned: number;
    scannedMiB: number;
    skipped: Record<string, number>;
    commitsPerSecond: number;
    patchMiBPerSecond: number;
    peakRssMiB: number;
    ratioToGitLog: number;
    findings: number;
  };
  recall?: ReturnType<typeof recall>;
  staged?: Awaited<ReturnType<typeof stagedTimings>>;
  targets: { ratio: { target: string; pass: boolean }; peakRss: { target: string; pass: boolean }; staged?: { target: string; pass: boolean } };
}

export function recall(planted: PlantedSecret[], report: Report) {
  const byHash = new Map(report.findings.map((finding) => [finding.secretHash, finding]));
  const missed: string[] = [];
  let attributed = 0;
  let headRight = 0;
  for (const secret of planted) {
    const hash = `sha256:${createHash('sha256').update(secret.value).digest('hex')}`;
    const finding = byHash.get(hash);
    if (!finding) {
      missed.push(`${secret.kind} (${secret.how}) in ${secret.path}`);
      continue;
    }
    if (finding.occurrences.some((o) => o.commit === secret.commit && o.path === secret.path)) attributed++;
    if (finding.presentAtHead === secret.presentAtHead) headRight++;
  }
  return { planted: planted.length, found: planted.length - missed.length, attributed, presentAtHeadRight: headRight, missed };
}


/**
 * The pre-commit case: five files edited and staged in the bench repository's work tree, then
 * `secretscan git --staged` run STAGED_RUNS times as a hook runs it (a fresh process each time).
 */
async function stagedTimings(cli: string, repo: string, work: string, log: (line: string) => void) {
  const files = git(repo, ['ls-files', '-z', '--', 'src']).split('\0').filter(Boolean).slice(0, 5);
  for (const [index, path] of files.entries()) {
    const absolute = join(repo, path);
    writeFileSync(absolute, `${readFileSync(absolute, 'utf8')}export const stagedChange${index} = compute(${index});\n`);
  }
  git(repo, ['add', '--', ...files]);
  const times: number[] = [];
  // A bare `node -e ''` between runs: how long this host takes to start Node at all, right now.
  const bareNode: number[] = [];
  let code = 0;
  for (let i = 0; i < STAGED_RUNS; i++) {
    const run = await timed(process.execPath, [cli, 'git', '--staged', '--no-progress'], repo, work);
    if (run.code !== 0 && run.code !== 1) throw new Error(`secretscan git --staged exited with ${run.code}: ${run.stderr.trim()}`);
    code = run.code;
    times.push(run.seconds * 1000);
    bareNode.push((await timed(process.execPath, ['-e', ''], repo, work)).seconds * 1000);
  }
  git(repo, ['reset', '-q', '--hard']);
  log(`secretscan git --staged (${files.length} files): median ${median(times).toFixed(0)} ms`);
  return {
    files: files.length,
    runs: times.length,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    bareNodeMedianMs: median(bareNode),
    exitCode: code,
  };
}

function renderText(r: BenchResult): string {
  const pass = (ok: boolean | undefined) => (ok ? 'PASS' : 'FAIL');
  const s = r.secretscan;
  const lines = [
    `secretscan bench:history — ${r.machine.vcpus} vCPU, node ${r.machine.node}, ${r.machine.git}`,
    `repository: ${r.repository.commits.toLocaleString('en-US')} commits` +
      (r.repository.generated
        ? ` (${r.repository.generated.merges} merges, ${r.repository.generated.renames} renames, ${r.repository.generated.planted} planted secrets; generated in ${r.repository.generated.seconds.toFixed(1)} s)`
        : '') +
      `, ${r.repository.patchMiB.toFixed(1)} MiB of git log -p -U0 --all`,
    `git log -p -U0 --all --no-color > /dev/null: median ${r.gitLog.medianSeconds.toFixed(2)} s over ${r.gitLog.runs} runs (${r.gitLog.seconds.map((x) => x.toFixed(2)).join(', ')})`,
    `secretscan git: median ${s.medianSeconds.toFixed(2)} s over ${s.runs} runs (${s.seconds.map((x) => x.toFixed(2)).join(', ')}) → ${Math.round(s.commitsPerSecond).toLocaleString('en-US')} commits/s, ${s.patchMiBPerSecond.toFixed(1)} MiB/s of patch text; ${s.ratioToGitLog.toFixed(2)}× git log; peak RSS ${s.peakRssMiB.toFixed(0)} MiB`,
    `scanned: ${s.commitsScanned.toLocaleString('en-US')} commits, ${s.blobsScanned.toLocaleString('en-US')} blobs, ${s.scannedMiB.toFixed(1)} MiB of added lines; skipped ${
      Object.entries(s.skipped)
        .filter(([, n]) => n > 0)
        .map(([why, n]) => `${n} ${why}`)
        .join(', ') || 'none'
    }; ${s.findings} findings`,
  ];
  if (r.recall) {
    lines.push(
      `planted: ${r.recall.planted}, found ${r.recall.found}, attributed to the planting commit ${r.recall.attributed}, presentAtHead right ${r.recall.presentAtHeadRight}${r.recall.missed.length ? `; missed: ${r.recall.missed.join('; ')}` : ''}`,
    );
  }
  if (r.staged) {
    lines.push(
      `secretscan git --staged, ${r.staged.files} staged files: median ${r.staged.medianMs.toFixed(0)} ms over ${r.staged.runs} runs (min ${r.staged.minMs.toFixed(0)}, max ${r.staged.maxMs.toFixed(0)}); a bare node -e '' meanwhile: median ${r.staged.bareNodeMedianMs.toFixed(0)} ms`,
    );
  }
  lines.push(
    `targets: ${r.targets.ratio.target}  ${pass(r.targets.ratio.pass)} | peak RSS ${r.targets.peakRss.target}  ${pass(r.targets.peakRss.pass)}` +
      (r.targets.staged ? ` | --staged ${r.targets.staged.target}  ${pass(r.targets.staged.pass)}` : ''),
  );
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench:history: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
