/**
 * Platforms read without a dedicated model: Cirrus CI (`*_script:` instructions, `ENCRYPTED[…]` values),
 * Harness (`command:` of Run steps, `<+secrets.getValue()>`), and Jenkins Configuration as Code
 * (`jenkins.yaml`, where credentials are literal or `${VAR}`). Any map with script-like keys is a job with
 * the map's `env`/`environment` as its variables; the shared walk finds literal secrets everywhere else.
 */
import type { CiPlatform } from '../files.js';
import { newStep, scriptOf, settingsOf, type PipelineModel } from '../model.js';
import type { SourceFile } from '../source.js';
import { get, isMapNode, isScalarNode, scalarsIn, walk, type Node } from '../tree.js';

const SCRIPT_KEY = /^(?:script|scripts|commands?|run)$|_script$/;

export function genericModel(root: Node | null, file: SourceFile, platform: CiPlatform, model: PipelineModel): void {
  walk(root, (node) => {
    if (isScalarNode(node) && /ENCRYPTED\[/.test(node.text)) model.safeSpans.push([node.start, node.end]);
    if (!isMapNode(node)) return;
    const step = newStep();
    for (const { key, value } of node.entries) {
      if (!SCRIPT_KEY.test(key.text)) continue;
      for (const scalar of scalarsIn(value)) {
        if (typeof scalar.value !== 'string') continue;
        model.scriptNodes.add(scalar);
        step.scripts.push(scriptOf(scalar, file));
      }
    }
    if (step.scripts.length === 0) return;
    const env = [...settingsOf(get(node, 'env'), platform), ...settingsOf(get(node, 'environment'), platform), ...settingsOf(get(node, 'envVariables'), platform)];
    model.jobs.push({ name: 'task', env, steps: [step], uploads: [] });
  });
}
