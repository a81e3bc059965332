/**
 * AWS CodeBuild (`buildspec.yml`): one job whose phases' `commands` (and `finally`) are its scripts, with
 * `env.variables` (literals), `env.parameter-store` and `env.secrets-manager` (references: names and ARNs,
 * whose spans are safe), and `artifacts.files` and `cache.paths` as uploads.
 */
import { newStep, scriptOf, settingsOf, type Job, type PipelineModel, type Setting } from '../model.js';
import type { SourceFile } from '../source.js';
import { get, isMapNode, mapEntries, scalarsIn, type Node } from '../tree.js';

const PHASES = ['install', 'pre_build', 'build', 'post_build'];

export function codebuildModel(root: Node | null, file: SourceFile, model: PipelineModel): void {
  if (!isMapNode(root)) return;
  const env = get(root, 'env');
  const settings: Setting[] = settingsOf(get(env, 'variables'), 'codebuild');
  for (const store of ['parameter-store', 'secrets-manager']) {
    for (const setting of settingsOf(get(env, store), 'codebuild')) {
      model.safeSpans.push([setting.valueStart, setting.valueEnd]);
      settings.push({ ...setting, fromSecret: true, literal: false });
    }
  }
  const job: Job = { name: 'build', env: settings, steps: [], uploads: [] };
  for (const { key, value } of mapEntries(get(root, 'phases'))) {
    if (!PHASES.includes(key.text)) continue;
    const step = newStep();
    for (const scalar of [...scalarsIn(get(value, 'commands')), ...scalarsIn(get(value, 'finally'))]) {
      if (typeof scalar.value !== 'string') continue;
      model.scriptNodes.add(scalar);
      step.scripts.push(scriptOf(scalar, file));
    }
    job.steps.push(step);
  }
  const files = scalarsIn(get(get(root, 'artifacts'), 'files'));
  if (files.length > 0) {
    job.uploads.push({ kind: 'artifact', via: 'artifacts.files', patterns: files.map((path) => path.text), excludes: [], everything: false, includeHidden: true, start: files[0]!.valueStart, end: files[0]!.valueEnd });
  }
  const cached = scalarsIn(get(get(root, 'cache'), 'paths'));
  if (cached.length > 0) {
    job.uploads.push({ kind: 'cache', via: 'cache.paths', patterns: cached.map((path) => path.text), excludes: [], everything: false, includeHidden: true, start: cached[0]!.valueStart, end: cached[0]!.valueEnd });
  }
  model.jobs.push(job);
}
