import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { isPemBlock } from '../../src/detect/validators/structure.js';
import { builtinRulesDir, compileRules, loadRuleSource } from '../../src/rules/load.js';
import { createFaker } from '../helpers/fake-secrets.js';

const indent = (block: string, prefix: string) => block.split('\n').map((line) => prefix + line).join('\n');

describe('pem-structure on indented blocks', () => {
  it('strips indented Proc-Type and DEK-Info headers of a legacy encrypted key embedded in YAML', () => {
    const block = createFaker(11).make('pem-legacy-encrypted');
    expect(isPemBlock(block)).toBe(true);
    // The secret a rule captures starts at BEGIN: every later line keeps the YAML indentation.
    const embedded = indent(block, '    ').trimStart();
    expect(embedded).toMatch(/\n {4}Proc-Type: 4,ENCRYPTED\n {4}DEK-Info: /);
    expect(isPemBlock(embedded)).toBe(true);
    expect(isPemBlock(indent(block, '\t').trimStart())).toBe(true);
  });

  it('still rejects an indented body line that is not base64', () => {
    const block = indent(createFaker(12).make('pem:RSA PRIVATE KEY'), '  ').trimStart();
    expect(isPemBlock(block)).toBe(true);
    const lines = block.split('\n');
    expect(isPemBlock([...lines.slice(0, 3), '  not base64 !!', ...lines.slice(3)].join('\n'))).toBe(false);
  });

  it('lets the detector report an encrypted key in a Helm values file', async () => {
    const rules = await loadRuleSource(builtinRulesDir(), { builtin: true });
    const detector = new Detector(await compileRules(rules));
    const block = createFaker(13).make('pem-legacy-encrypted');
    const text = `ingress:\n  tls:\n    key: |\n${indent(block, '      ')}\n    cert: ""\n`;
    const found = detector.detect({ origin: { path: 'charts/api/values.yaml', source: 'worktree' }, text });
    const key = found.find((candidate) => candidate.secret.startsWith('-----BEGIN RSA PRIVATE KEY-----'));
    expect(key?.ruleId).toBe('private-key-encrypted');
    expect(key).toMatchObject({ line: 4, column: 7 });
  });
});
