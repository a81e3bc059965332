/**
 * .secretscanrc.example is documentation users copy: it must stay a valid configuration that names
 * real rules.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/generated/schema-validators.js';
import { builtinRulesDir, loadRuleSource } from '../../src/rules/load.js';

const root = join(import.meta.dirname, '..', '..');

describe('.secretscanrc.example', () => {
  it('is valid against the config schema and names only existing built-in rules', async () => {
    const example = parse(await readFile(join(root, '.secretscanrc.example'), 'utf8'));
    expect(validateConfig(example), JSON.stringify(validateConfig.errors)).toBe(true);
    const ids = new Set((await loadRuleSource(builtinRulesDir(), { builtin: true })).map((rule) => rule.id));
    for (const id of [...example.disableRules, ...Object.keys(example.allowlist.byRule)]) expect(ids).toContain(id);
  });

  it("is the repository's own .secretscanrc's shape too", async () => {
    expect(validateConfig(parse(await readFile(join(root, '.secretscanrc'), 'utf8')))).toBe(true);
  });
});
