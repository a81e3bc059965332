/**
 * CircleCI (`.circleci/config.yml`): jobs and reusable commands with their `run` steps, `environment:` at job,
 * executor, image and step level, `store_artifacts` and `save_cache` uploads, orb commands as steps. Specific
 * to CircleCI: image registry credentials (`auth:`, `aws_auth:`) and orbs at a moving version.
 */
import { staticCloudKeys } from '../checks.js';
import { newStep, scriptOf, settingsOf, type Job, type PipelineModel, type Step } from '../model.js';
import { isLiteralSecretValue } from '../references.js';
import type { SourceFile } from '../source.js';
import { get, isMapNode, isScalarNode, listOf, mapEntries, scalarsIn, seqItems, text, type Node } from '../tree.js';

export function circleciModel(root: Node | null, file: SourceFile, model: PipelineModel): void {
  if (!isMapNode(root)) return;
  orbs(get(root, 'orbs'), model);
  const executors = new Map(mapEntries(get(root, 'executors')).map(({ key, value }) => [key.text, value]));
  for (const { value } of mapEntries(get(root, 'executors'))) images(value, model);

  const blocks = [
    ...mapEntries(get(root, 'jobs')).map(({ key, value }) => ({ name: key.text, node: value })),
    ...mapEntries(get(root, 'commands')).map(({ key, value }) => ({ name: `command ${key.text}`, node: value })),
  ];
  for (const { name, node } of blocks) {
    if (!isMapNode(node)) continue;
    images(node, model);
    const executor = get(node, 'executor');
    const executorNode = executors.get(text(executor) ?? text(get(executor, 'name')) ?? '');
    const env = [
      ...settingsOf(get(executorNode, 'environment'), 'circleci'),
      ...seqItems(get(executorNode, 'docker')).flatMap((image) => settingsOf(get(image, 'environment'), 'circleci')),
      ...settingsOf(get(node, 'environment'), 'circleci'),
      ...seqItems(get(node, 'docker')).flatMap((image) => settingsOf(get(image, 'environment'), 'circleci')),
    ];
    const job: Job = { name, env, steps: [], uploads: [] };
    for (const item of seqItems(get(node, 'steps'))) {
      const step = stepOf(item, file, model);
      if (step) job.steps.push(step);
    }
    model.jobs.push(job);
  }
}

function stepOf(item: Node, file: SourceFile, model: PipelineModel): Step | undefined {
  if (!isMapNode(item)) return undefined; // `checkout`, `setup_remote_docker`
  const [first] = item.entries;
  if (!first) return undefined;
  const { key, value } = first;
  switch (key.text) {
    case 'run': {
      const command = isScalarNode(value) ? value : get(value, 'command');
      const step = newStep({ env: settingsOf(get(value, 'environment'), 'circleci') });
      if (isScalarNode(command) && typeof command.value === 'string') {
        model.scriptNodes.add(command);
        const shell = text(get(value, 'shell')) ?? '';
        step.scripts.push(scriptOf(command, file, /pwsh|powershell/i.test(shell) ? 'powershell' : 'sh'));
      }
      return step;
    }
    case 'store_artifacts': {
      const path = get(value, 'path');
      if (!isScalarNode(path)) return undefined;
      return newStep({ uploads: [{ kind: 'artifact', via: 'store_artifacts', patterns: [path.text], excludes: [], everything: false, includeHidden: true, start: path.valueStart, end: path.valueEnd }] });
    }
    case 'save_cache': {
      const paths = scalarsIn(get(value, 'paths'));
      if (paths.length === 0) return undefined;
      return newStep({ uploads: [{ kind: 'cache', via: 'save_cache', patterns: paths.map((path) => path.text), excludes: [], everything: false, includeHidden: true, start: paths[0]!.valueStart, end: paths[0]!.valueEnd }] });
    }
    default:
      // An orb command (`aws-cli/setup:`) or a reusable command: its parameters are inputs.
      return newStep({ uses: key, inputs: settingsOf(isMapNode(value) ? value : null, 'circleci') });
  }
}

/** Registry credentials of `docker:` images: `auth:` and `aws_auth:`. */
function images(node: Node | null | undefined, model: PipelineModel): void {
  for (const image of seqItems(get(node, 'docker'))) {
    const password = get(get(image, 'auth'), 'password');
    if (isScalarNode(password)) {
      model.claimed.add(password);
      if (typeof password.value === 'string' && isLiteralSecretValue(password.text, 'circleci', 6)) {
        model.hits.push({ ruleId: 'ci-registry-literal-password', start: password.valueStart, end: password.valueEnd, secret: password.text });
      }
    }
    const awsAuth = get(image, 'aws_auth');
    if (isMapNode(awsAuth)) model.hits.push(...staticCloudKeys(settingsOf(awsAuth, 'circleci'), 'circleci'));
  }
}

/** Orbs at `@volatile`, a dev: version or no version run their newest code with the project's secrets. */
function orbs(node: Node | null | undefined, model: PipelineModel): void {
  for (const { value } of mapEntries(node)) {
    for (const orb of listOf(value)) {
      if (!isScalarNode(orb)) continue;
      const [name = '', version] = orb.text.split('@');
      if (version !== undefined && version !== 'volatile' && !version.startsWith('dev:')) continue;
      model.hits.push({
        ruleId: 'ci-unpinned-action-with-secrets',
        start: orb.valueStart,
        end: orb.valueEnd,
        secret: `orb ${name}@${version ?? '(no version)'} not pinned to a version receives the project's secrets`,
      });
    }
  }
}
