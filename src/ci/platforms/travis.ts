/**
 * Travis CI (`.travis.yml`): the phases (`install`, `script`, `after_success`, ...) of the root and of each
 * `jobs.include` entry are scripts; `env:` items are `NAME=value` strings or `secure:` blobs. A `secure:`
 * value is an encrypted variable: its span is safe, so the detectors' entropy matches on it are dropped.
 */
import { assignmentsIn, newStep, scriptOf, type Job, type PipelineModel, type Setting } from '../model.js';
import type { SourceFile } from '../source.js';
import { get, isMapNode, isScalarNode, listOf, scalarsIn, seqItems, walk, type Node } from '../tree.js';

const PHASES = ['before_install', 'install', 'before_script', 'script', 'before_cache', 'after_success', 'after_failure', 'before_deploy', 'after_deploy', 'after_script'];

export function travisModel(root: Node | null, file: SourceFile, model: PipelineModel): void {
  if (!isMapNode(root)) return;
  walk(root, (node, key) => {
    if (key === 'secure' && isScalarNode(node)) model.safeSpans.push([node.start, node.end]);
  });
  const rootEnv = envOf(get(root, 'env'));
  const entries = [root, ...seqItems(get(get(root, 'jobs'), 'include')), ...seqItems(get(get(root, 'matrix'), 'include'))];
  for (const entry of entries) {
    const env = entry === root ? rootEnv : [...rootEnv, ...envOf(get(entry, 'env'))];
    const job: Job = { name: entry === root ? 'build' : 'include', env, steps: [], uploads: [] };
    // Travis runs every phase in one shell session.
    const shell = newStep();
    for (const phase of PHASES) {
      for (const scalar of scalarsIn(get(entry, phase))) {
        if (typeof scalar.value !== 'string') continue;
        model.scriptNodes.add(scalar);
        shell.scripts.push(scriptOf(scalar, file));
      }
    }
    job.steps.push(shell);
    model.jobs.push(job);
  }
}

function envOf(node: Node | null | undefined): Setting[] {
  const lists = isMapNode(node) ? [get(node, 'global'), get(node, 'jobs'), get(node, 'matrix')] : [node];
  const settings: Setting[] = [];
  for (const list of lists) {
    for (const item of listOf(list)) if (isScalarNode(item)) settings.push(...assignmentsIn(item, 'travis'));
  }
  return settings;
}
