import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules, loadRuleSource, RuleLoadError } from '../../src/rules/load.js';
import { tempTree } from '../helpers/tmp.js';

const good = `rules:
  - id: acme-key
    name: Acme key
    provider: acme
    keywords: [ACME_]
    pattern: '\\b(acme_[a-z0-9]{16})\\b'
`;

async function loadAndCompile(files: Record<string, string>, path = 'rules.yml') {
  const root = await tempTree(files);
  return compileRules(await loadRuleSource(join(root, path), { builtin: false }));
}

describe('loadRuleSource', () => {
  it('loads a rule file with defaults for the optional fields, keywords lower-cased', async () => {
    const root = await tempTree({ 'rules.yml': good });
    const [rule] = await loadRuleSource(join(root, 'rules.yml'), { builtin: false });
    expect(rule).toMatchObject({
      id: 'acme-key',
      keywords: ['acme_'],
      secretGroup: 1,
      privilege: 'unknown',
      lifetime: 'unknown',
      credentialType: 'generic-secret',
      multiline: false,
      builtin: false,
      origin: join(root, 'rules.yml'),
    });
  });

  it('loads every .yml, .yaml and .json file of a folder, in name order', async () => {
    const root = await tempTree({
      'r/b.yaml': good.replace('acme-key', 'b-key'),
      'r/a.yml': good.replace('acme-key', 'a-key'),
      'r/c.json': JSON.stringify({ rules: [{ id: 'c-key', pattern: 'c' }] }),
      'r/notes.txt': 'not a rule file',
    });
    expect((await loadRuleSource(join(root, 'r'), { builtin: false })).map((r) => r.id)).toEqual(['a-key', 'b-key', 'c-key']);
  });

  it.each([
    ['a missing file', {}, 'missing.yml', /missing\.yml: rule file or folder not found/],
    ['invalid YAML', { 'rules.yml': 'rules: [\n' }, 'rules.yml', /rules\.yml: not valid YAML/],
    // regression: a parser message quoting a lone CR was two lines (found by npm run fuzz in CI files)
    ['invalid YAML quoting a lone CR', { 'rules.yml': '>+\r>' }, 'rules.yml', /rules\.yml: not valid YAML/],
    ['no rules list', { 'rules.yml': 'rulez: []' }, 'rules.yml', /rules\.yml: a rule file needs a top-level "rules:" list/],
    ['a missing pattern', { 'rules.yml': 'rules:\n  - id: no-pattern\n' }, 'rules.yml', /rules\.yml: rule "no-pattern": missing key "pattern"/],
    ['an unknown key', { 'rules.yml': good.replace('provider:', 'providr:') }, 'rules.yml', /rule "acme-key": unknown key "providr"/],
    ['a bad enum value', { 'rules.yml': good + '    privilege: root\n' }, 'rules.yml', /rule "acme-key": "privilege" must be one of admin, high/],
    ['a bad id', { 'rules.yml': good.replace('acme-key', 'Acme Key') }, 'rules.yml', /rule "Acme Key": "id" must match pattern/],
    ['a duplicate id', { 'rules.yml': good + good.replace('rules:\n', '') }, 'rules.yml', /rule "acme-key" is defined twice/],
  ])('rejects %s with an error naming the file and rule', async (_name, files, path, message) => {
    const error = await loadAndCompile(files, path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleLoadError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/[\r\n\u2028\u2029]/);
  });

  it.each([
    ['a lookahead (not RE2)', 'acme(?=_)', /rule "acme-key": pattern does not compile: not valid RE2 syntax/],
    ['a backreference (not RE2)', '(a)\\1', /rule "acme-key": pattern does not compile/],
    ['an unbalanced group', '(acme', /rule "acme-key": pattern does not compile/],
  ])('rejects a user pattern with %s, naming the file and rule', async (_name, pattern, message) => {
    const file = good.replace("'\\b(acme_[a-z0-9]{16})\\b'", `'${pattern}'`);
    const error = await loadAndCompile({ 'rules.yml': file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleLoadError);
    expect((error as Error).message).toMatch(/rules\.yml/);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects a secretGroup past the last capture group', async () => {
    const error = await loadAndCompile({ 'rules.yml': `${good}    secretGroup: 2\n` }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/rule "acme-key": secretGroup 2 but the pattern has 1 capture group/);
  });

  it('rejects an unknown validator name', async () => {
    const error = await loadAndCompile({ 'rules.yml': `${good}    validators: [luhn-ish]\n` }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/rule "acme-key": unknown validator "luhn-ish"/);
  });

  it('lets a later rule with the same id replace an earlier one', async () => {
    const root = await tempTree({ 'a.yml': good, 'b.yml': good.replace("name: Acme key", "name: Acme key v2") });
    const specs = [...(await loadRuleSource(join(root, 'a.yml'), { builtin: false })), ...(await loadRuleSource(join(root, 'b.yml'), { builtin: false }))];
    const compiled = await compileRules(specs);
    expect(compiled.map((r) => r.spec.name)).toEqual(['Acme key v2']);
  });
});
