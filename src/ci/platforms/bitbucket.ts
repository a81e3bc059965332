/**
 * Bitbucket Pipelines (`bitbucket-pipelines.yml`): every step (under default, branches, tags, bookmarks,
 * pull-requests and custom, inside parallel and stage blocks) is a job with its own container; its `script`
 * items are commands or pipes; `artifacts:` are its uploads. Specific to Bitbucket: image registry
 * credentials (`password:`, `aws: { access-key, secret-key }`) and third-party pipes at a moving tag.
 */
import { OIDC_PLATFORMS } from '../checks.js';
import { newStep, scriptOf, settingsOf, type Job, type PipelineModel, type Step } from '../model.js';
import { isLiteralSecretValue } from '../references.js';
import type { SourceFile } from '../source.js';
import { get, isMapNode, isScalarNode, listOf, mapEntries, scalarsIn, seqItems, text, type Node } from '../tree.js';

export function bitbucketModel(root: Node | null, file: SourceFile, model: PipelineModel): void {
  if (!isMapNode(root)) return;
  image(get(root, 'image'), model);
  for (const { value } of mapEntries(get(get(root, 'definitions'), 'services'))) image(get(value, 'image'), model);

  const pipelines = get(root, 'pipelines');
  const lists: Node[] = [];
  for (const { key, value } of mapEntries(pipelines)) {
    if (key.text === 'default') lists.push(value!);
    else for (const named of mapEntries(value)) if (named.value) lists.push(named.value);
  }
  for (const list of lists) for (const step of stepsIn(list)) model.jobs.push(jobOf(step, file, model));
}

/** The step maps in a pipeline list, through `parallel:` and `stage:` blocks. */
function stepsIn(list: Node | null | undefined, depth = 0): Node[] {
  if (!list || depth > 4) return [];
  const steps: Node[] = [];
  for (const item of seqItems(list)) {
    const step = get(item, 'step');
    if (isMapNode(step)) steps.push(step);
    const parallel = get(item, 'parallel');
    if (parallel) steps.push(...stepsIn(isMapNode(parallel) ? get(parallel, 'steps') : parallel, depth + 1));
    const stage = get(item, 'stage');
    if (stage) steps.push(...stepsIn(get(stage, 'steps'), depth + 1));
  }
  return steps;
}

function jobOf(node: Node, file: SourceFile, model: PipelineModel): Job {
  image(get(node, 'image'), model);
  const job: Job = { name: text(get(node, 'name')) ?? 'step', env: [], steps: [], uploads: [] };
  for (const field of ['script', 'after-script']) {
    // Consecutive commands run in one shell session; a pipe runs in a container of its own.
    let shell: Step | undefined;
    for (const item of seqItems(get(node, field))) {
      if (isScalarNode(item) && typeof item.value === 'string') {
        model.scriptNodes.add(item);
        if (!shell) job.steps.push((shell = newStep()));
        shell.scripts.push(scriptOf(item, file));
      } else if (isMapNode(item)) {
        const pipe = get(item, 'pipe');
        if (isScalarNode(pipe)) job.steps.push(pipeStep(pipe, get(item, 'variables'), model));
        shell = undefined;
      }
    }
  }
  const artifacts = get(node, 'artifacts');
  const paths = scalarsIn(isMapNode(artifacts) ? get(artifacts, 'paths') : artifacts);
  if (paths.length > 0) {
    job.uploads.push({ kind: 'artifact', via: 'artifacts', patterns: paths.map((path) => path.text), excludes: [], everything: false, includeHidden: true, start: paths[0]!.valueStart, end: paths[0]!.valueEnd });
  }
  return job;
}

function pipeStep(pipe: Node & { kind: 'scalar' }, variables: Node | null | undefined, model: PipelineModel): Step {
  const inputs = settingsOf(variables, 'bitbucket');
  const reference = pipe.text.replace(/^docker:\/\//, '');
  const firstParty = /^atlassian\//.test(reference) && !pipe.text.startsWith('docker://');
  if (!firstParty && !/@sha256:[0-9a-f]{64}$/.test(reference) && inputs.some((input) => input.fromSecret)) {
    model.hits.push({ ruleId: 'ci-unpinned-action-with-secrets', start: pipe.valueStart, end: pipe.valueEnd, secret: `third-party pipe ${reference} not pinned by digest receives secrets` });
  }
  return newStep({ uses: pipe, inputs });
}

/** An image's registry credentials: a literal password, or static AWS keys for ECR. */
function image(node: Node | null | undefined, model: PipelineModel): void {
  for (const holder of listOf(node)) {
    if (!isMapNode(holder)) continue;
    const password = get(holder, 'password');
    if (isScalarNode(password)) {
      model.claimed.add(password);
      if (typeof password.value === 'string' && isLiteralSecretValue(password.text, 'bitbucket', 6)) {
        model.hits.push({ ruleId: 'ci-registry-literal-password', start: password.valueStart, end: password.valueEnd, secret: password.text });
      }
    }
    const aws = get(holder, 'aws');
    for (const { key, value } of mapEntries(aws)) {
      if ((key.text !== 'access-key' && key.text !== 'secret-key') || !isScalarNode(value) || value.text.trim() === '' || !OIDC_PLATFORMS.has('bitbucket')) continue;
      model.hits.push({ ruleId: 'ci-static-cloud-keys', start: key.valueStart, end: key.valueEnd, secret: `static AWS credentials in image aws.${key.text} (Bitbucket Pipelines can use OIDC federation)` });
    }
  }
}
