/**
 * Tekton (Task, Pipeline, TaskRun, PipelineRun) and Argo Workflows (Workflow, WorkflowTemplate,
 * CronWorkflow) manifests: every container (a map with an `image`) is a job with its `env:` list, where
 * `valueFrom.secretKeyRef` is the reference syntax, and its script: Tekton's `script:`, Argo's
 * `script.source`, or the argument after a shell's `-c`. Parameters with literal values under secret names
 * are caught by the shared walk (`{ name, value }` pairs).
 */
import type { CiPlatform } from '../files.js';
import { newStep, scriptOf, settingsOf, type PipelineModel } from '../model.js';
import type { SourceFile } from '../source.js';
import { get, isMapNode, isScalarNode, scalarsIn, walk, type Node } from '../tree.js';

export function kubernetesModel(root: Node | null, file: SourceFile, platform: CiPlatform, model: PipelineModel): void {
  walk(root, (node) => {
    if (!isMapNode(node) || !get(node, 'image')) return;
    const step = newStep({ env: settingsOf(get(node, 'env'), platform) });
    const script = get(node, 'script') ?? get(node, 'source');
    if (isScalarNode(script) && typeof script.value === 'string') {
      model.scriptNodes.add(script);
      step.scripts.push(scriptOf(script, file));
    }
    const words = [...scalarsIn(get(node, 'command')), ...scalarsIn(get(node, 'args'))];
    const flag = words.findIndex((word) => /^-[a-z]*c$/.test(word.text));
    const body = flag > -1 ? words[flag + 1] : undefined;
    if (body && typeof body.value === 'string' && /(?:^|\/)(?:ba|z|da)?sh$/.test(words[flag - 1]?.text ?? words[0]?.text ?? '')) {
      model.scriptNodes.add(body);
      step.scripts.push(scriptOf(body, file));
    }
    model.jobs.push({ name: 'container', env: [], steps: [step], uploads: [] });
  });
}
