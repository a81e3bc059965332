/**
 * Drone (`.drone.yml`, one pipeline per YAML document) and Woodpecker (`.woodpecker.yml`,
 * `.woodpecker/*.yml`): steps (a list, or Woodpecker's map of named steps and legacy `pipeline:`) with
 * `commands`, `environment` and plugin `settings`, where `from_secret:` is the reference syntax. Specific to
 * these platforms: literal passwords in registry plugins' settings, and third-party plugin images at a
 * moving tag that receive secrets.
 */
import type { CiPlatform } from '../files.js';
import { newStep, scriptOf, settingsOf, type Job, type PipelineModel } from '../model.js';
import { isLiteralSecretValue } from '../references.js';
import type { SourceFile } from '../source.js';
import { get, isMapNode, isScalarNode, mapEntries, scalarsIn, seqItems, text, type Node } from '../tree.js';

/** Plugins that log in to a registry with `username` and `password` settings. */
const REGISTRY_PLUGINS = /(?:^|\/)(?:drone-)?(?:docker|ecr|gcr|kaniko|buildx|docker-buildx|plugin-docker-buildx|plugin-kaniko|plugin-docker)(?::|@|$)/;
/** The platforms' own plugin namespaces. */
const OFFICIAL_PLUGINS = /^(?:(?:docker\.io|index\.docker\.io|quay\.io)\/)?(?:plugins|woodpeckerci)\/|^codeberg\.org\/woodpecker-plugins\//;

export function droneModel(root: Node | null, file: SourceFile, platform: CiPlatform, model: PipelineModel): void {
  if (!isMapNode(root)) return;
  const kind = text(get(root, 'kind'));
  if (kind === 'secret' || kind === 'signature') return;
  const pipelineEnv = settingsOf(get(root, 'environment'), platform);
  const steps = get(root, 'steps') ?? get(root, 'pipeline');
  const stepNodes = steps?.kind === 'map' ? mapEntries(steps).map((entry) => entry.value) : seqItems(steps);
  const job: Job = { name: text(get(root, 'name')) ?? 'pipeline', env: pipelineEnv, steps: [], uploads: [] };
  for (const node of [...stepNodes, ...seqItems(get(root, 'services'))]) {
    if (!isMapNode(node)) continue;
    const image = get(node, 'image');
    const settings = settingsOf(get(node, 'settings'), platform);
    const step = newStep({ env: settingsOf(get(node, 'environment'), platform), inputs: settings });
    if (isScalarNode(image) && settings.length > 0) step.uses = image;
    for (const scalar of scalarsIn(get(node, 'commands'))) {
      if (typeof scalar.value !== 'string') continue;
      model.scriptNodes.add(scalar);
      step.scripts.push(scriptOf(scalar, file));
    }
    if (isScalarNode(image) && settings.length > 0) plugin(image, node, step.env.some((setting) => setting.fromSecret) || settings.some((setting) => setting.fromSecret), platform, model);
    job.steps.push(step);
  }
  model.jobs.push(job);
}

function plugin(image: Node & { kind: 'scalar' }, node: Node, receivesSecrets: boolean, platform: CiPlatform, model: PipelineModel): void {
  if (REGISTRY_PLUGINS.test(image.text)) {
    const password = get(get(node, 'settings'), 'password');
    if (isScalarNode(password)) {
      model.claimed.add(password);
      if (typeof password.value === 'string' && isLiteralSecretValue(password.text, platform, 6)) {
        model.hits.push({ ruleId: 'ci-registry-literal-password', start: password.valueStart, end: password.valueEnd, secret: password.text });
      }
    }
  }
  if (receivesSecrets && !OFFICIAL_PLUGINS.test(image.text) && !/@sha256:[0-9a-f]{64}$/.test(image.text)) {
    model.hits.push({ ruleId: 'ci-unpinned-action-with-secrets', start: image.valueStart, end: image.valueEnd, secret: `third-party plugin image ${image.text} not pinned by digest receives secrets` });
  }
}
