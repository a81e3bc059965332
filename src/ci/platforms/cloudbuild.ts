/**
 * Google Cloud Build (`cloudbuild.yaml`/`.json`): one job whose steps run `script:` or `args:` after a
 * shell's `-c`; `env:` lists of `NAME=value`; `secretEnv:` names that `availableSecrets` (Secret Manager) or
 * `secrets` (KMS ciphertexts, whose spans are safe) fill; user `substitutions:`; `artifacts.objects` uploads.
 */
import { newStep, scriptOf, settingsOf, type Job, type PipelineModel, type Setting } from '../model.js';
import type { SourceFile } from '../source.js';
import { at, get, isMapNode, isScalarNode, mapEntries, scalarsIn, seqItems, text, type Node } from '../tree.js';

export function cloudbuildModel(root: Node | null, file: SourceFile, model: PipelineModel): void {
  if (!isMapNode(root)) return;
  for (const secret of seqItems(get(root, 'secrets'))) {
    for (const { value } of mapEntries(get(secret, 'secretEnv'))) if (value) model.safeSpans.push([value.start, value.end]);
  }
  for (const inline of seqItems(at(root, 'availableSecrets', 'inline'))) {
    for (const { value } of mapEntries(get(inline, 'envMap'))) if (value) model.safeSpans.push([value.start, value.end]);
  }
  const options = get(root, 'options');
  const env = [...settingsOf(get(root, 'substitutions'), 'cloudbuild'), ...settingsOf(get(options, 'env'), 'cloudbuild'), ...secretEnv(get(options, 'secretEnv'))];
  const job: Job = { name: 'build', env, steps: [], uploads: [] };
  for (const node of seqItems(get(root, 'steps'))) {
    const step = newStep({ env: [...settingsOf(get(node, 'env'), 'cloudbuild'), ...secretEnv(get(node, 'secretEnv'))] });
    const script = get(node, 'script');
    if (isScalarNode(script) && typeof script.value === 'string') {
      model.scriptNodes.add(script);
      step.scripts.push(scriptOf(script, file));
    }
    // `entrypoint: bash` with `args: ['-c', '…']`: the argument after -c is a script.
    const entrypoint = text(get(node, 'entrypoint')) ?? text(get(node, 'name')) ?? '';
    const args = scalarsIn(get(node, 'args'));
    if (/(?:^|\/)(?:ba|z|da)?sh$/.test(entrypoint)) {
      const flag = args.findIndex((arg) => /^-[a-z]*c$/.test(arg.text));
      const body = flag > -1 ? args[flag + 1] : undefined;
      if (body && typeof body.value === 'string') {
        model.scriptNodes.add(body);
        step.scripts.push(scriptOf(body, file));
      }
    }
    job.steps.push(step);
  }
  const objects = at(root, 'artifacts', 'objects');
  const paths = scalarsIn(get(objects, 'paths'));
  if (paths.length > 0) {
    job.uploads.push({ kind: 'artifact', via: 'artifacts.objects', patterns: paths.map((path) => path.text), excludes: [], everything: false, includeHidden: true, start: paths[0]!.valueStart, end: paths[0]!.valueEnd });
  }
  model.jobs.push(job);
}

/** `secretEnv: [NAME]`: variables filled from Secret Manager or KMS. */
function secretEnv(node: Node | null | undefined): Setting[] {
  return scalarsIn(node).map((name) => ({
    name: name.text,
    nameStart: name.valueStart,
    nameEnd: name.valueEnd,
    value: '',
    valueStart: name.valueEnd,
    valueEnd: name.valueEnd,
    fromSecret: true,
    literal: false,
  }));
}
