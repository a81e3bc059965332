/**
 * Detection on more than one core. The main thread walks, reads and groups; when a scan is large enough
 * to pay for them, worker threads take a share of the detection, each with its own compiled rules.
 *
 * perf-probe §7: on 2 vCPUs a worker gives ~1.0× at 50 MB and 1.2-1.5× at 200 MB, because each one
 * repeats JIT warm-up, rule compilation and GC (~100-250 ms before it is productive). So a scan of a
 * folder starts its worker first thing (start(), then useRules() once the rules are loaded), where its
 * start-up runs beside the main thread's; a scan of named files only once it has read
 * AUTO_THRESHOLD_BYTES or run AUTO_THRESHOLD_MS. `--jobs N` sets the count explicitly (`--jobs 1`:
 * main thread only). A file goes to a worker only
 * while that worker has little in flight; otherwise the main thread detects it itself, which balances
 * the load without a scheduler.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { Candidate, ChunkOrigin, OccurrenceSource, RuleSpec } from '../types.js';
import { workerThreadsModule } from '../util/builtins.js';
import { preferDirectRegexCompile } from './regex.js';

export interface WorkerRequest {
  id: number;
  path: string;
  source: OccurrenceSource;
  bytes: Uint8Array;
}

/** The first message a worker gets: the rules it detects with. */
export interface RulesMessage {
  rules: RuleSpec[];
  vetted: boolean[];
}

export interface WorkerReply {
  id: number;
  candidates: Omit<Candidate, 'origin'>[];
  error?: string;
}

export const AUTO_THRESHOLD_BYTES = 4 * 1024 * 1024;
/**
 * Or once a scan has run this long: bytes alone started the worker 0.6-0.8 s into the bench tree, whose
 * first files are dozens of CI workflows (checked on the main thread, a few ms each) and lockfiles.
 */
export const AUTO_THRESHOLD_MS = 150;
/** Deep enough that a worker still has work queued while the main thread detects a large file itself. */
export const MAX_BYTES_IN_FLIGHT_PER_WORKER = 8 * 1024 * 1024;
const MAX_FILES_IN_FLIGHT_PER_WORKER = 512;
/**
 * Files travel in batches: a message costs ~20 µs of main-thread time each way, which for a tree of
 * small files was a tenth of the main thread's work. A batch is sent at once to an idle worker, and
 * otherwise collects files until it is this large or the worker's current batch comes back.
 */
const BATCH_BYTES = 256 * 1024;
const BATCH_FILES = 64;
/**
 * A worker's queue of sent batches is kept to about this: enough work for it while the main thread
 * detects a large file itself (~20 ms at the worker's pace), little enough to end the scan in step.
 */
const MAX_BYTES_SENT = 4 * 1024 * 1024;

interface Pending {
  origin: ChunkOrigin;
  /** Taken at submission: the bytes themselves may have moved to the worker since. */
  size: number;
  resolve: (candidates: Candidate[]) => void;
  reject: (error: Error) => void;
}

interface Lane {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Bytes sent or waiting in `open`. */
  bytesInFlight: number;
  /** The bytes of each batch sent and not yet answered, oldest first. */
  bytesSent: number[];
  /** Files waiting for the next send. */
  open: WorkerRequest[];
  openBytes: number;
  alive: boolean;
  /**
   * Whether the worker has finished starting (~150-250 ms: its own module loading and rule compiling).
   * Until then files wait here, not in its message queue, where takeBackUnsent can still reach them: a
   * scan of a few MiB otherwise ended waiting for a worker to start and then detect what it was sent.
   */
  ready: boolean;
}

/** How many workers `--jobs` (or its absence) asks for, besides the main thread. */
export function workerCount(jobs: number | undefined): number {
  if (jobs !== undefined) return Math.max(0, jobs - 1);
  return Math.max(0, Math.min(availableParallelism() - 1, 3));
}

/** The bundled worker script, or undefined when running from sources that were never built. */
function workerScript(): URL | undefined {
  const here = fileURLToPath(import.meta.url);
  const candidates = here.includes('/src/') ? [new URL('../../dist/worker.js', import.meta.url)] : [new URL('./worker.js', import.meta.url)];
  return candidates.find((url) => existsSync(fileURLToPath(url)));
}

export class DetectionPool {
  private nextId = 0;

  private constructor(private readonly lanes: Lane[]) {}

  /** `vetted[i]`: whether rules[i] is built in and runs on V8 (rules/load.ts isVetted); others run on re2js. */
  static create(rules: readonly RuleSpec[], vetted: readonly boolean[], workers: number): DetectionPool | undefined {
    const pool = DetectionPool.start(workers);
    pool?.useRules(rules, vetted);
    return pool;
  }

  /**
   * start(), called by the launcher (src/early.ts) before the CLI's own modules load, for a scan that
   * will likely want a worker: the scan takes it with takeEarly(), or closes it.
   */
  static startEarly(workers: number): void {
    earlyPool ??= DetectionPool.start(workers);
  }

  static takeEarly(): DetectionPool | undefined {
    const pool = earlyPool;
    earlyPool = undefined;
    return pool;
  }

  /**
   * Workers that boot now (Node, modules, the keyword automaton: ~100-250 ms) and wait for useRules.
   * Until then they do not keep the process alive: a scan that fails before it has rules just exits.
   */
  static start(workers: number): DetectionPool | undefined {
    const script = workerScript();
    if (!script || workers < 1) return undefined;
    const lanes: Lane[] = [];
    for (let i = 0; i < workers; i++) {
      // A young generation of 16 MiB, not V8's default 48: the worker's objects are short-lived
      // (one file's text, hits and windows), and on a 2 GiB tree the larger one was ~30 MiB of peak RSS.
      const worker = new (workerThreadsModule().Worker)(script, { resourceLimits: { maxYoungGenerationSizeMb: 16 } });
      const lane: Lane = { worker, pending: new Map(), bytesInFlight: 0, bytesSent: [], open: [], openBytes: 0, alive: true, ready: false };
      worker.on('message', (message: WorkerReply[] | { ready: true }) => {
        if (!Array.isArray(message)) {
          lane.ready = true;
          if (lane.alive) sendWhatFits(lane);
          return;
        }
        lane.bytesSent.shift();
        for (const reply of message) {
          const request = lane.pending.get(reply.id);
          if (!request) continue;
          lane.pending.delete(reply.id);
          lane.bytesInFlight -= request.size;
          if (reply.error !== undefined) request.reject(new Error(reply.error));
          else request.resolve(reply.candidates.map((candidate) => ({ ...candidate, origin: request.origin })));
        }
        if (lane.alive) sendWhatFits(lane);
      });
      // A dead worker's files are handed back to the caller to detect on the main thread.
      const fail = (error: Error) => {
        lane.alive = false;
        for (const request of lane.pending.values()) request.reject(Object.assign(error, { retryInline: true }));
        lane.pending.clear();
        lane.open = [];
        lane.openBytes = 0;
        lane.bytesInFlight = 0;
        lane.bytesSent = [];
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (lane.alive && code !== 0) fail(new Error(`detection worker exited with code ${code}`));
        lane.alive = false;
      });
      // After the listeners: adding a 'message' listener refs the worker again.
      worker.unref();
      lanes.push(lane);
    }
    const pool = new DetectionPool(lanes);
    openPools.add(pool);
    return pool;
  }

  /** The rules to detect with: each worker compiles them and then says it is ready. */
  useRules(rules: readonly RuleSpec[], vetted: readonly boolean[]): void {
    // Here, not in start(): the launcher starts a pool before the CLI loads, and a V8 flag set then
    // would make Node compile every built-in module the CLI loads from source (regex.ts).
    preferDirectRegexCompile();
    const message: RulesMessage = { rules: [...rules], vetted: [...vetted] };
    for (const lane of this.lanes) {
      lane.worker.ref();
      lane.worker.postMessage(message);
    }
  }

  /**
   * Gives the file to the least-loaded worker that has room, or returns undefined: then the caller
   * detects it on the main thread. A file taken may have its bytes moved to the worker (emptied here):
   * the caller must not read them afterwards, and on a failure with `retryInline` reads the file again.
   */
  trySubmit(origin: ChunkOrigin, bytes: Uint8Array): Promise<Candidate[]> | undefined {
    const lane = this.laneWithRoom();
    if (!lane) return undefined;
    const id = this.nextId++;
    return new Promise<Candidate[]>((resolve, reject) => {
      lane.pending.set(id, { origin, size: bytes.byteLength, resolve, reject });
      lane.bytesInFlight += bytes.byteLength;
      lane.open.push({ id, path: origin.path, source: origin.source, bytes });
      lane.openBytes += bytes.byteLength;
      if (lane.ready && (lane.bytesSent.length === 0 || lane.openBytes >= BATCH_BYTES || lane.open.length >= BATCH_FILES)) sendWhatFits(lane);
    });
  }

  /** Whether trySubmit would take a file now: the caller can then read it into a buffer of its own. */
  hasRoom(): boolean {
    return this.laneWithRoom() !== undefined;
  }

  private laneWithRoom(): Lane | undefined {
    let best: Lane | undefined;
    for (const lane of this.lanes) {
      if (!lane.alive || lane.bytesInFlight >= MAX_BYTES_IN_FLIGHT_PER_WORKER || lane.pending.size >= MAX_FILES_IN_FLIGHT_PER_WORKER) continue;
      if (!best || lane.bytesInFlight < best.bytesInFlight) best = lane;
    }
    return best;
  }

  /**
   * Detects here, with `detect`, the files still waiting to be sent: at the end of a walk the main
   * thread has nothing else to do, and the worker would otherwise work through them alone.
   */
  takeBackUnsent(detect: (origin: ChunkOrigin, bytes: Uint8Array) => Candidate[]): void {
    for (const lane of this.lanes) {
      const unsent = lane.open;
      lane.open = [];
      lane.openBytes = 0;
      for (const request of unsent) {
        const pending = lane.pending.get(request.id);
        if (!pending) continue;
        lane.pending.delete(request.id);
        lane.bytesInFlight -= pending.size;
        try {
          pending.resolve(detect(pending.origin, request.bytes));
        } catch (error) {
          pending.reject(error as Error);
        }
      }
    }
  }

  /** Stops the workers; call after every submitted file has settled. */
  async close(): Promise<void> {
    openPools.delete(this);
    for (const lane of this.lanes) lane.alive = false;
    await Promise.all(this.lanes.map((lane) => lane.worker.terminate()));
  }
}

/**
 * Bytes that own their whole ArrayBuffer (each file is read into its own) move to the worker instead of
 * being copied: the copies, freed only when each thread's GC got round to them, took a 2 GiB scan to
 * 430 MiB of RSS (bench:scale), against 265 MiB on one thread. A view into a shared buffer (Node's
 * pool for small Buffers) is copied, since moving it would take its neighbours along.
 */
function send(lane: Lane, count: number, bytes: number): void {
  const batch = lane.open.splice(0, count);
  // A Set: the same buffer twice in a transfer list is an error, should a caller submit it twice.
  const movable = new Set<ArrayBuffer>();
  for (const { bytes: file } of batch) {
    if (file.byteOffset === 0 && file.byteLength === file.buffer.byteLength && file.buffer instanceof ArrayBuffer) movable.add(file.buffer);
  }
  lane.worker.postMessage(batch, [...movable]);
  lane.bytesSent.push(bytes);
  lane.openBytes -= bytes;
}

/**
 * Sends batches (BATCH_BYTES or BATCH_FILES each) while the worker holds less than MAX_BYTES_SENT: the
 * rest waits here, where takeBackUnsent can still hand it to the main thread when the walk ends (the
 * main thread spent the last ~80 ms of a bench scan waiting on a worker's long queue).
 */
function sendWhatFits(lane: Lane): void {
  while (lane.open.length > 0) {
    const sent = lane.bytesSent.reduce((sum, bytes) => sum + bytes, 0);
    if (lane.bytesSent.length > 0 && sent >= MAX_BYTES_SENT) return;
    let count = 0;
    let bytes = 0;
    while (count < lane.open.length && count < BATCH_FILES && bytes < BATCH_BYTES) bytes += lane.open[count++]!.bytes.byteLength;
    send(lane, count, bytes);
  }
}

/** A pool the launcher started before the CLI loaded, until a scan takes it. */
let earlyPool: DetectionPool | undefined;

/** Every pool not yet closed. */
const openPools = new Set<DetectionPool>();

/**
 * Stops every detection worker in the process, for an interrupted scan (SIGINT/SIGTERM in cli.ts): its
 * files in flight never settle, and nothing is left to keep the process alive.
 */
export async function terminateAllPools(): Promise<void> {
  await Promise.all([...openPools].map((pool) => pool.close()));
}
