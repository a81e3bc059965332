/**
 * Buildkite (`.buildkite/*.yml`): each command step (also inside `group:` steps) is a job, with `command` or
 * `commands`, `env:` (merged with the pipeline's), `plugins:` as steps with their configuration as inputs,
 * and `artifact_paths` as its upload. Specific to Buildkite: third-party plugins at a moving version that
 * receive secrets.
 */
import { newStep, scriptOf, settingsOf, type Job, type PipelineModel, type Setting, type Step } from '../model.js';
import type { SourceFile } from '../source.js';
import { get, isMapNode, isScalarNode, mapEntries, scalarsIn, seqItems, type Node, type Scalar } from '../tree.js';

export function buildkiteModel(root: Node | null, file: SourceFile, model: PipelineModel): void {
  const pipelineEnv = settingsOf(get(root, 'env'), 'buildkite');
  const steps = isMapNode(root) ? get(root, 'steps') : root; // a pipeline may be just a list of steps
  for (const node of commandSteps(steps)) {
    const env = [...pipelineEnv, ...settingsOf(get(node, 'env'), 'buildkite')];
    const job: Job = { name: 'step', env, steps: [], uploads: [] };
    const commands = newStep();
    for (const scalar of [...scalarsIn(get(node, 'command')), ...scalarsIn(get(node, 'commands'))]) {
      if (typeof scalar.value !== 'string') continue;
      model.scriptNodes.add(scalar);
      commands.scripts.push(scriptOf(scalar, file));
    }
    const plugins = seqItems(get(node, 'plugins')).map((plugin) => pluginStep(plugin, env, model)).filter((step): step is Step => step !== undefined);
    job.steps.push(...plugins, commands);
    const paths = scalarsIn(get(node, 'artifact_paths'));
    if (paths.length > 0) {
      job.uploads.push({
        kind: 'artifact',
        via: 'artifact_paths',
        patterns: paths.flatMap((path) => path.text.split(';').map((part) => part.trim())),
        excludes: [],
        everything: false,
        includeHidden: true,
        start: paths[0]!.valueStart,
        end: paths[0]!.valueEnd,
      });
    }
    model.jobs.push(job);
  }
}

function commandSteps(list: Node | null | undefined, depth = 0): Node[] {
  if (!list || depth > 4) return [];
  const found: Node[] = [];
  for (const item of seqItems(list)) {
    if (!isMapNode(item)) continue;
    if (get(item, 'group') !== undefined || (get(item, 'steps') && !get(item, 'command'))) found.push(...commandSteps(get(item, 'steps'), depth + 1));
    else if (get(item, 'command') || get(item, 'commands') || get(item, 'plugins')) found.push(item);
  }
  return found;
}

/** A plugin entry: `name#version` as a string, or a one-key map to its configuration. */
function pluginStep(plugin: Node, env: readonly Setting[], model: PipelineModel): Step | undefined {
  const [first] = mapEntries(plugin);
  const name: Scalar | undefined = isScalarNode(plugin) ? plugin : first?.key;
  if (!name) return undefined;
  const inputs = settingsOf(isMapNode(first?.value) ? first!.value : null, 'buildkite');
  const [source = '', version] = name.text.split('#');
  const firstParty = !source.includes('/') || /^(?:github\.com\/)?buildkite-plugins\//.test(source);
  const pinned = version !== undefined && /^[0-9a-f]{40}$/.test(version);
  const receives = inputs.some((input) => input.fromSecret) || env.some((setting) => setting.fromSecret);
  if (!firstParty && !pinned && receives) {
    model.hits.push({ ruleId: 'ci-unpinned-action-with-secrets', start: name.valueStart, end: name.valueEnd, secret: `third-party plugin ${source}#${version ?? '(no version)'} not pinned to a commit receives secrets` });
  }
  return newStep({ uses: name, inputs });
}
