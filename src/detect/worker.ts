/**
 * A detection worker: compiles the rules it is given once, then turns files into candidates. The main
 * thread keeps walking, reading and grouping; see pool.ts for when workers are used at all.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileRules, loadPrebuiltMatcher, markVetted } from '../rules/load.js';
import type { RuleSpec } from '../types.js';
import { Detector } from './detector.js';
import type { WorkerReply, WorkerRequest } from './pool.js';

const { rules, vetted } = workerData as { rules: RuleSpec[]; vetted: boolean[] };
markVetted(rules.filter((_, index) => vetted[index]));
// The main thread loaded the same image; building the automaton again cost each worker ~14 ms.
await loadPrebuiltMatcher();
const detector = new Detector(await compileRules(rules));

parentPort!.on('message', (batch: WorkerRequest[]) => {
  parentPort!.postMessage(batch.map(detectOne));
});

function detectOne(request: WorkerRequest): WorkerReply {
  try {
    const candidates = detector.detect({ origin: { path: request.path, source: request.source }, bytes: request.bytes });
    // The origin is the main thread's to attach: it does not need to cross the thread boundary.
    return { id: request.id, candidates: candidates.map(({ origin: _origin, ...candidate }) => candidate) };
  } catch (error) {
    return { id: request.id, candidates: [], error: String((error as Error).message ?? error) };
  }
}
parentPort!.postMessage({ ready: true });
