/**
 * A detection worker: compiles the rules its first message gives it, then turns files into candidates.
 * The main thread keeps walking, reading and grouping; see pool.ts for when workers are used at all.
 */
import { parentPort } from 'node:worker_threads';
import { compileRules, loadPrebuiltMatcher, markVetted } from '../rules/load.js';
import { Detector } from './detector.js';
import type { RulesMessage, WorkerReply, WorkerRequest } from './pool.js';

// The main thread loaded the same image; building the automaton again cost each worker ~14 ms. Loaded
// before the rules arrive: the pool starts a worker while the main thread is still loading them.
const matcherLoaded = loadPrebuiltMatcher();
let detector: Detector | undefined;

parentPort!.on('message', (message: RulesMessage | WorkerRequest[]) => {
  if (Array.isArray(message)) parentPort!.postMessage(message.map(detectOne));
  else void prepare(message);
});

async function prepare({ rules, vetted }: RulesMessage): Promise<void> {
  markVetted(rules.filter((_, index) => vetted[index]));
  await matcherLoaded;
  detector = new Detector(await compileRules(rules));
  parentPort!.postMessage({ ready: true });
}

function detectOne(request: WorkerRequest): WorkerReply {
  try {
    // The pool sends files only after the ready message, so the detector is there.
    const candidates = detector!.detect({ origin: { path: request.path, source: request.source }, bytes: request.bytes });
    // The origin is the main thread's to attach: it does not need to cross the thread boundary.
    return { id: request.id, candidates: candidates.map(({ origin: _origin, ...candidate }) => candidate) };
  } catch (error) {
    return { id: request.id, candidates: [], error: String((error as Error).message ?? error) };
  }
}
