/**
 * GitLab CI/CD (`.gitlab-ci.yml` and the files it includes): jobs are the top-level keys that are not
 * keywords; `before_script`, `script` and `after_script` are their scripts (nested lists from anchors and
 * `!reference` flattened); `artifacts:` and `cache:` are their uploads. Specific to GitLab: debug tracing in
 * `variables:`, includes of other projects' or remote files at a moving ref, and the list of local includes
 * that the caller should check as GitLab files too.
 */
import { newStep, scriptOf, settingsOf, type Job, type PipelineModel, type Setting, type Upload } from '../model.js';
import type { Hit, SourceFile } from '../source.js';
import { entry, get, isMapNode, isScalarNode, listOf, scalarsIn, text, type Node, type Scalar } from '../tree.js';

const KEYWORDS = new Set(['image', 'services', 'stages', 'types', 'before_script', 'after_script', 'variables', 'cache', 'include', 'default', 'workflow', 'spec']);
const DEBUG_VARIABLES = new Set(['CI_DEBUG_TRACE', 'CI_DEBUG_SERVICES']);
const FULL_SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;
const FULL_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/;

export function gitlabModel(root: Node | null, file: SourceFile, model: PipelineModel): void {
  if (!isMapNode(root)) return;
  const globalVariables = settingsOf(get(root, 'variables'), 'gitlab');
  debugTracing(globalVariables, model.hits);
  includes(get(root, 'include'), model);
  const defaults = get(root, 'default');

  for (const { key, value } of root.entries) {
    if (KEYWORDS.has(key.text) || !isMapNode(value)) continue;
    if (!entry(value, 'script') && !entry(value, 'trigger') && !entry(value, 'extends') && !key.text.startsWith('.')) continue;
    const variables = settingsOf(get(value, 'variables'), 'gitlab');
    debugTracing(variables, model.hits);
    const job: Job = { name: key.text, env: [...globalVariables, ...variables], steps: [], uploads: uploadsOf(value) };
    const step = newStep();
    for (const field of ['before_script', 'script', 'after_script']) {
      const node = get(value, field) ?? (field === 'script' ? undefined : get(defaults, field) ?? get(root, field));
      for (const scalar of scalarsIn(node)) {
        if (typeof scalar.value !== 'string') continue;
        model.scriptNodes.add(scalar);
        step.scripts.push(scriptOf(scalar, file));
      }
    }
    job.steps.push(step);
    model.jobs.push(job);
  }
}

function debugTracing(variables: readonly Setting[], hits: Hit[]): void {
  for (const variable of variables) {
    if (!DEBUG_VARIABLES.has(variable.name) || !/^(?:true|1|yes)$/i.test(variable.value.trim())) continue;
    hits.push({ ruleId: 'ci-secret-in-logs', start: variable.nameStart, end: variable.nameEnd, secret: `${variable.name} enabled in the committed configuration` });
  }
}

function uploadsOf(job: Node): Upload[] {
  const uploads: Upload[] = [];
  const artifacts = get(job, 'artifacts');
  if (isMapNode(artifacts)) {
    const paths = get(artifacts, 'paths');
    const untracked = get(artifacts, 'untracked');
    const dotenv = get(get(artifacts, 'reports'), 'dotenv');
    const patterns = [...scalarsIn(paths), ...scalarsIn(dotenv)].map((scalar) => scalar.text);
    const everything = text(untracked) === 'true';
    const at = (isScalarNode(untracked) && everything ? untracked : undefined) ?? firstScalar(paths) ?? firstScalar(dotenv);
    if (at) {
      uploads.push({
        kind: 'artifact',
        via: everything ? 'artifacts:untracked' : 'artifacts:paths',
        patterns,
        excludes: scalarsIn(get(artifacts, 'exclude')).map((scalar) => scalar.text),
        everything,
        includeHidden: true,
        start: at.valueStart,
        end: at.valueEnd,
      });
    }
  }
  for (const cache of listOf(get(job, 'cache'))) {
    const paths = get(cache, 'paths');
    const at = firstScalar(paths);
    const untracked = text(get(cache, 'untracked')) === 'true';
    if (!at) continue;
    uploads.push({ kind: 'cache', via: 'cache:paths', patterns: scalarsIn(paths).map((scalar) => scalar.text), excludes: [], everything: untracked, includeHidden: true, start: at.valueStart, end: at.valueEnd });
  }
  return uploads;
}

function firstScalar(node: Node | null | undefined): Scalar | undefined {
  return scalarsIn(node)[0];
}

/**
 * `include:` entries. Local files go to the caller (checked as GitLab files); other projects, remote URLs and
 * components at a moving ref run with every CI/CD variable of this project.
 */
function includes(node: Node | null | undefined, model: PipelineModel): void {
  for (const item of listOf(node)) {
    if (isScalarNode(item)) {
      if (/^https?:\/\//.test(item.text)) unpinnedInclude(item, `remote include ${item.text}`, model.hits);
      else model.includes.push(item.text.replace(/^\/+/, ''));
      continue;
    }
    const local = get(item, 'local');
    if (isScalarNode(local)) {
      model.includes.push(local.text.replace(/^\/+/, ''));
      continue;
    }
    const remote = get(item, 'remote');
    if (isScalarNode(remote) && !entry(item, 'integrity')) unpinnedInclude(remote, `remote include ${remote.text} without integrity`, model.hits);
    const project = get(item, 'project');
    if (isScalarNode(project)) {
      const ref = get(item, 'ref');
      if (!isScalarNode(ref)) unpinnedInclude(project, `include of ${project.text} at its default branch`, model.hits);
      else if (!FULL_SHA.test(ref.text) && !FULL_VERSION.test(ref.text)) unpinnedInclude(ref, `include of ${project.text} at ${ref.text}`, model.hits);
    }
    const component = get(item, 'component');
    if (isScalarNode(component)) {
      const version = component.text.split('@')[1] ?? '';
      if (!FULL_SHA.test(version) && !FULL_VERSION.test(version)) unpinnedInclude(component, `component ${component.text}`, model.hits);
    }
  }
}

function unpinnedInclude(at: Scalar, what: string, hits: Hit[]): void {
  hits.push({ ruleId: 'ci-unpinned-action-with-secrets', start: at.valueStart, end: at.valueEnd, secret: `${what} not pinned to a commit receives every CI/CD variable` });
}
