import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { configTemplate, init, PINNED_ACTIONS } from '../../src/commands/init.js';
import { loadConfig } from '../../src/config/load.js';
import { tempTree, writeTree } from '../helpers/tmp.js';

const VERSION = '9.8.7';
const schemaPath = join(import.meta.dirname, '..', '..', 'schema', 'config.schema.json');

async function read(root: string, path: string) {
  return readFile(join(root, path), 'utf8');
}

/**
 * The template with every commented-out setting switched on: a line `# key:` for a key of the schema,
 * and the indented lines under it.
 */
function uncommented(template: string, keys: string[]): string {
  const out: string[] = [];
  let inSetting = false;
  for (const line of template.split('\n')) {
    const key = /^# ([A-Za-z]+):/.exec(line)?.[1];
    if (key && keys.includes(key)) {
      inSetting = true;
      out.push(line.slice(2));
    } else if (inSetting && /^# {2,}\S/.test(line)) {
      out.push(line.slice(2));
    } else {
      inSetting = false;
      out.push(line);
    }
  }
  return out.join('\n');
}

describe('secretscan init', () => {
  it('writes a .secretscanrc that loads as written and points editors at the schema', async () => {
    const root = await tempTree();
    const result = await init({ dir: root, version: VERSION });
    expect(result).toEqual({ written: ['.secretscanrc', '.gitattributes'], kept: [], notes: [] });
    const text = await read(root, '.secretscanrc');
    expect(text).toContain('# yaml-language-server: $schema=./node_modules/secretscan/schema/config.schema.json');
    const config = await loadConfig({ explicitPath: join(root, '.secretscanrc'), searchFrom: root });
    expect(config.file).toEqual({ failOn: 'low' });
  });

  it('documents every configuration key, and each commented-out example is valid once switched on', async () => {
    const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
    const keys = Object.keys(schema.properties).filter((key) => key !== '$schema');
    const template = configTemplate();
    for (const key of keys) expect(template).toMatch(new RegExp(`^#? ?${key}:`, 'm'));
    const all = parseYaml(uncommented(template, keys));
    expect(Object.keys(all).sort()).toEqual([...keys].sort());
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(all) ? [] : validate.errors).toEqual([]);
  });

  it('never overwrites a file without --force, and replaces it with --force', async () => {
    const root = await tempTree({ '.secretscanrc': 'failOn: high\n', '.github/workflows/secretscan.yml': 'name: mine\n' });
    const kept = await init({ dir: root, github: true, version: VERSION });
    expect(kept.written).toEqual(['.gitattributes']);
    expect(kept.kept).toEqual(['.secretscanrc', '.github/workflows/secretscan.yml']);
    expect(await read(root, '.secretscanrc')).toBe('failOn: high\n');
    expect(await read(root, '.github/workflows/secretscan.yml')).toBe('name: mine\n');

    const forced = await init({ dir: root, github: true, force: true, version: VERSION });
    expect(forced.written).toEqual(['.secretscanrc', '.github/workflows/secretscan.yml']);
    expect(await read(root, '.secretscanrc')).toBe(configTemplate());
  });

  it('does not shadow another config file with a new .secretscanrc', async () => {
    const root = await tempTree({ '.secretscanrc.yml': 'failOn: critical\n' });
    const result = await init({ dir: root, version: VERSION });
    expect(result.kept).toEqual(['.secretscanrc']);
    expect(result.notes).toEqual(['.secretscanrc.yml already configures secretscan: not writing .secretscanrc beside it (it would take precedence)']);
    expect(existsSync(join(root, '.secretscanrc'))).toBe(false);
  });

  it('adds the baseline merge attribute to .gitattributes once, keeping what is there', async () => {
    const root = await tempTree({ '.gitattributes': '*.png binary' });
    await init({ dir: root, version: VERSION });
    await init({ dir: root, version: VERSION });
    expect(await read(root, '.gitattributes')).toBe('*.png binary\n.secretscan-baseline.json merge=union\n');
  });

  it('--github writes a workflow that scans the event\u2019s commits, uploads SARIF and pins every action by commit', async () => {
    const root = await tempTree();
    await init({ dir: root, github: true, version: VERSION });
    const text = await read(root, '.github/workflows/secretscan.yml');
    const workflow = parseYaml(text);
    expect(workflow.on).toEqual({ push: null, pull_request: null });
    const job = workflow.jobs.secretscan;
    expect(job.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const uses = job.steps.filter((step: { uses?: string }) => step.uses).map((step: { uses: string }) => step.uses);
    expect(uses).toEqual([PINNED_ACTIONS.checkout, PINNED_ACTIONS.setupNode, PINNED_ACTIONS.uploadSarif].map((pin) => pin.split(' #')[0]));
    for (const pin of uses) expect(pin).toMatch(/@[0-9a-f]{40}$/);
    expect(job.steps[0].with).toEqual({ 'fetch-depth': 0 });
    expect(text).toContain(`npx --yes secretscan@${VERSION} git $RANGE_ARGS --format sarif --output secretscan.sarif`);
    // Event data reaches the script through env, never spliced into it.
    for (const step of job.steps) if (step.run) expect(step.run).not.toContain('${{');
  });

  it('--gitlab writes an included job with the secret_detection report, and a .gitlab-ci.yml only if there is none', async () => {
    const fresh = await tempTree();
    const result = await init({ dir: fresh, gitlab: true, version: VERSION });
    expect(result.written).toEqual(['.secretscanrc', '.gitattributes', '.gitlab/ci/secretscan.yml', '.gitlab-ci.yml']);
    expect(parseYaml(await read(fresh, '.gitlab-ci.yml'))).toEqual({ include: [{ local: '.gitlab/ci/secretscan.yml' }] });
    const job = parseYaml(await read(fresh, '.gitlab/ci/secretscan.yml')).secretscan;
    expect(job.artifacts.reports).toEqual({ secret_detection: 'gl-secret-detection-report.json' });
    expect(job.script.join('\n')).toContain(`--format gitlab --output gl-secret-detection-report.json`);

    const existing = await tempTree({ '.gitlab-ci.yml': 'stages: [build]\n' });
    const kept = await init({ dir: existing, gitlab: true, version: VERSION });
    expect(await read(existing, '.gitlab-ci.yml')).toBe('stages: [build]\n');
    expect(kept.notes).toEqual(['add to .gitlab-ci.yml:  include: [{ local: .gitlab/ci/secretscan.yml }]  (it was not changed)']);
  });

  it('--pre-commit writes a pre-commit framework hook that scans the staged changes', async () => {
    const root = await tempTree();
    await init({ dir: root, preCommit: true, version: VERSION });
    const config = parseYaml(await read(root, '.pre-commit-config.yaml'));
    expect(config.repos[0].hooks[0]).toMatchObject({
      id: 'secretscan',
      entry: 'secretscan git --staged',
      language: 'node',
      additional_dependencies: [`secretscan@${VERSION}`],
      pass_filenames: false,
    });

    await writeTree(root, { '.pre-commit-config.yaml': 'repos: []\n' });
    const kept = await init({ dir: root, preCommit: true, version: VERSION });
    expect(kept.kept).toContain('.pre-commit-config.yaml');
    expect(kept.notes[0]).toMatch(/^add the secretscan hook to \.pre-commit-config\.yaml by hand/);
  });
});
