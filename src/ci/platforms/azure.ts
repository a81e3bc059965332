/**
 * Azure Pipelines (`azure-pipelines*.yml`): stages, jobs and deployment jobs with their steps; `variables:`
 * in map or list form at every level; script steps (`script`, `bash`, `pwsh`, `powershell`) and the inline
 * scripts of script tasks; artifact publishing and caching tasks. Specific to Azure: `system.debug: true`
 * committed in `variables:`. `$(name)` macros are Azure's references.
 */
import { newStep, scriptOf, settingsOf, type Job, type PipelineModel, type ScriptLanguage, type Setting, type Step, type Upload } from '../model.js';
import type { SourceFile } from '../source.js';
import { get, isMapNode, isScalarNode, seqItems, text, walk, type Node, type Scalar } from '../tree.js';

const SCRIPT_KEYS: Record<string, ScriptLanguage> = { script: 'sh', bash: 'sh', pwsh: 'powershell', powershell: 'powershell' };
/** Script tasks and the input holding their inline script. */
const TASK_SCRIPTS: { task: RegExp; input: string; language: ScriptLanguage }[] = [
  { task: /^Bash@/i, input: 'script', language: 'sh' },
  { task: /^ShellScript@/i, input: 'script', language: 'sh' },
  { task: /^CmdLine@/i, input: 'script', language: 'sh' },
  { task: /^PowerShell@/i, input: 'script', language: 'powershell' },
  { task: /^AzureCLI@/i, input: 'inlineScript', language: 'sh' },
  { task: /^AzurePowerShell@/i, input: 'Inline', language: 'powershell' },
];
const UPLOAD_TASKS: { task: RegExp; inputs: string[]; kind: Upload['kind'] }[] = [
  { task: /^PublishPipelineArtifact@/i, inputs: ['targetPath', 'path'], kind: 'artifact' },
  { task: /^PublishBuildArtifacts@/i, inputs: ['PathtoPublish', 'pathToPublish', 'pathtoPublish'], kind: 'artifact' },
  { task: /^Cache@/i, inputs: ['path'], kind: 'cache' },
];

export function azureModel(root: Node | null, file: SourceFile, model: PipelineModel): void {
  if (!isMapNode(root)) return;
  const rootVariables = variables(get(root, 'variables'), model);
  const jobs: { node: Node; env: Setting[] }[] = [];
  for (const stage of seqItems(get(root, 'stages'))) {
    const stageVariables = variables(get(stage, 'variables'), model);
    for (const job of seqItems(get(stage, 'jobs'))) jobs.push({ node: job, env: [...rootVariables, ...stageVariables] });
  }
  for (const job of seqItems(get(root, 'jobs'))) jobs.push({ node: job, env: rootVariables });
  if (get(root, 'steps')) jobs.push({ node: root, env: [] });

  for (const { node, env } of jobs) {
    const name = text(get(node, 'job')) ?? text(get(node, 'deployment')) ?? 'steps';
    const job: Job = { name, env: [...env, ...(node === root ? rootVariables : variables(get(node, 'variables'), model))], steps: [], uploads: [] };
    // Deployment jobs keep their steps under strategy.<kind>.<hook>.steps.
    const stepLists: Node[] = [];
    if (get(node, 'steps')) stepLists.push(get(node, 'steps')!);
    walk(get(node, 'strategy'), (child, key) => {
      if (key === 'steps' && child.kind === 'seq') stepLists.push(child);
    });
    for (const list of stepLists) for (const item of seqItems(list)) job.steps.push(stepOf(item, file, model));
    model.jobs.push(job);
  }
}

function variables(node: Node | null | undefined, model: PipelineModel): Setting[] {
  const settings = settingsOf(node, 'azure');
  for (const setting of settings) {
    if (setting.name.toLowerCase() === 'system.debug' && /^true$/i.test(setting.value.trim())) {
      model.hits.push({ ruleId: 'ci-secret-in-logs', start: setting.nameStart, end: setting.nameEnd, secret: 'system.debug enabled in the committed configuration' });
    }
  }
  return settings;
}

function stepOf(node: Node, file: SourceFile, model: PipelineModel): Step {
  const step = newStep({ env: settingsOf(get(node, 'env'), 'azure') });
  for (const [key, language] of Object.entries(SCRIPT_KEYS)) {
    const script = get(node, key);
    if (isScalarNode(script) && typeof script.value === 'string') addScript(step, script, language, file, model);
  }
  const task = get(node, 'task');
  const inputs = get(node, 'inputs');
  if (isScalarNode(task)) {
    step.uses = task;
    step.inputs = settingsOf(inputs, 'azure');
    for (const candidate of TASK_SCRIPTS) {
      const script = candidate.task.test(task.text) ? get(inputs, candidate.input) : undefined;
      if (isScalarNode(script) && typeof script.value === 'string') addScript(step, script, candidate.language, file, model);
    }
    for (const candidate of UPLOAD_TASKS) {
      if (!candidate.task.test(task.text)) continue;
      const path = candidate.inputs.map((input) => get(inputs, input)).find(isScalarNode);
      if (path) step.uploads.push(upload(candidate.kind, task.text.split('@')[0]!, path));
    }
  }
  const publish = get(node, 'publish');
  if (isScalarNode(publish)) step.uploads.push(upload('artifact', 'publish', publish));
  return step;
}

function addScript(step: Step, node: Scalar, language: ScriptLanguage, file: SourceFile, model: PipelineModel): void {
  model.scriptNodes.add(node);
  step.scripts.push(scriptOf(node, file, language));
}

function upload(kind: Upload['kind'], via: string, path: Scalar): Upload {
  return { kind, via, patterns: [path.text], excludes: [], everything: false, includeHidden: true, start: path.valueStart, end: path.valueEnd };
}
