import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { RuleLoadError } from '../../src/rules/load.js';
import { tempTree } from '../helpers/tmp.js';

describe('loadConfig', () => {
  it('returns empty defaults when there is no config', async () => {
    const root = await tempTree({ '.git/HEAD': 'ref: refs/heads/main\n' });
    expect(await loadConfig({ searchFrom: root })).toEqual({ baseDir: root, file: {}, rules: [] });
  });

  it.each([
    ['.secretscanrc (YAML)', '.secretscanrc', 'failOn: high\n'],
    ['.secretscanrc (JSON)', '.secretscanrc', '{"failOn": "high"}'],
    ['.secretscanrc.json', '.secretscanrc.json', '{"failOn": "high"}'],
    ['.secretscanrc.yml', '.secretscanrc.yml', 'failOn: high\n'],
    ['package.json "secretscan" key', 'package.json', '{"name": "x", "secretscan": {"failOn": "high"}}'],
  ])('reads %s', async (_name, file, content) => {
    const root = await tempTree({ [file]: content });
    const config = await loadConfig({ searchFrom: root });
    expect(config.filepath).toBe(join(root, file));
    expect(config.file.failOn).toBe('high');
  });

  it('loads a JavaScript config named with --config', async () => {
    const root = await tempTree({ 'secretscan.config.mjs': 'export default { failOn: "high" };\n' });
    const config = await loadConfig({ searchFrom: root, explicitPath: join(root, 'secretscan.config.mjs') });
    expect(config.file.failOn).toBe('high');
  });

  it.each(['secretscan.config.mjs', '.secretscanrc.js', '.secretscanrc.cjs'])(
    'regression: never runs a JavaScript config (%s) it finds in the scanned tree; says how to trust it',
    async (file) => {
      // If the code ran, it would leave this marker file behind.
      const root = await tempTree();
      const marker = join(root, 'ran');
      const code = file.endsWith('.mjs') ? `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(marker)}, "");\nexport default { failOn: "high" };\n` : `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "");\nmodule.exports = { failOn: "high" };\n`;
      await writeFile(join(root, file), code);
      const error = (await loadConfig({ searchFrom: root }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toBe(`${join(root, file)}: a JavaScript configuration runs code, so secretscan does not load one it finds in the scanned tree; pass --config ${join(root, file)} if you trust it, or use a .secretscanrc (YAML or JSON)`);
      expect(existsSync(marker)).toBe(false);
    },
  );

  it('searches upwards from a subfolder to the repository root, and no further', async () => {
    const outer = await tempTree({ '.secretscanrc': 'failOn: critical\n', 'repo/.git/HEAD': 'x', 'repo/.secretscanrc': 'failOn: medium\n' });
    await mkdir(join(outer, 'repo/src/deep'), { recursive: true });
    expect((await loadConfig({ searchFrom: join(outer, 'repo/src/deep') })).file.failOn).toBe('medium');

    const noConfigRepo = await tempTree({ '.secretscanrc': 'failOn: critical\n', 'repo/.git/HEAD': 'x' });
    await mkdir(join(noConfigRepo, 'repo/src'), { recursive: true });
    expect((await loadConfig({ searchFrom: join(noConfigRepo, 'repo/src') })).filepath).toBeUndefined();
  });

  it('prefers an explicit --config file', async () => {
    const root = await tempTree({ '.secretscanrc': 'failOn: high\n', 'other.yml': 'failOn: info\n' });
    const config = await loadConfig({ searchFrom: root, explicitPath: join(root, 'other.yml') });
    expect(config.file.failOn).toBe('info');
  });

  it.each([
    ['an unknown top-level key', 'failon: high\n', /\.secretscanrc: unknown key "failon"; see \.secretscanrc\.example/],
    ['an unknown nested key', 'allowlist:\n  pathz: [x]\n', /\.secretscanrc: unknown key "allowlist\.pathz"/],
    ['an unknown key in a per-rule allowlist', 'allowlist:\n  byRule:\n    aws-access-key-id:\n      path: [x]\n', /unknown key "allowlist\.byRule\.aws-access-key-id\.path"/],
    ['a bad severity', 'failOn: extreme\n', /\.secretscanrc: "failOn" must be one of critical, high, medium, low, info, never/],
    ['a wrong type', 'exclude: dist\n', /\.secretscanrc: "exclude" must be an array/],
    ['a non-integer size', 'maxFileSize: 1.5\n', /"maxFileSize" must be an integer/],
    ['invalid YAML', 'allowlist: [\n', /\.secretscanrc: cannot read the configuration: YAML syntax error at line 2, column 1: /],
  ])('rejects %s in one line that names the file and key', async (_name, content, message) => {
    const root = await tempTree({ '.secretscanrc': content });
    const error = await loadConfig({ searchFrom: root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(join(root, '.secretscanrc'));
    expect((error as Error).message).not.toContain('\n');
  });

  it('regression: a syntax error says where and what, without quoting the file (it may hold an allowlisted secret)', async () => {
    const value = 'Zq8vR2mXkP4wLs7N';
    const root = await tempTree({ '.secretscanrc.yml': `allowlist:\n  secrets:\n  - ${value}\n   paths: x\n`, 'json/.secretscanrc.json': `{"allowlist": {"secrets": ["${value}",]}}` });
    const yaml = (await loadConfig({ searchFrom: root }).catch((e: unknown) => e)) as Error;
    expect(yaml.message).toMatch(/\.secretscanrc\.yml: cannot read the configuration: YAML syntax error at line 4, column \d+: bad indentation/);
    const json = (await loadConfig({ searchFrom: join(root, 'json') }).catch((e: unknown) => e)) as Error;
    expect(json.message).toMatch(/\.secretscanrc\.json: cannot read the configuration: not valid JSON/);
    for (const error of [yaml, json]) {
      expect(error.message).not.toContain(value.slice(0, 8));
      expect(error.message).not.toContain('\n');
    }
  });

  it('names the --config option when the file does not exist', async () => {
    const root = await tempTree();
    await expect(loadConfig({ searchFrom: root, explicitPath: join(root, 'nope.yml') })).rejects.toThrow(/--config .*nope\.yml: file not found/);
  });

  it('loads rule files relative to the config file, and inline rule objects', async () => {
    const root = await tempTree({
      'conf/.secretscanrc': 'rules:\n  - my-rules.yml\n  - id: inline-rule\n    pattern: "inl_[a-z]{8}"\n',
      'conf/my-rules.yml': 'rules:\n  - id: file-rule\n    pattern: "fil_[a-z]{8}"\n',
    });
    const config = await loadConfig({ searchFrom: join(root, 'conf') });
    expect(config.rules.map((rule) => [rule.id, rule.builtin])).toEqual([
      ['file-rule', false],
      ['inline-rule', false],
    ]);
    expect(config.rules[1]!.origin).toBe(`${join(root, 'conf/.secretscanrc')} (rules[1])`);
  });

  it('names the config file and the rule when an inline rule is invalid', async () => {
    const root = await tempTree({ '.secretscanrc': 'rules:\n  - id: broken\n    patern: "x"\n' });
    const error = await loadConfig({ searchFrom: root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleLoadError);
    expect((error as Error).message).toMatch(/\.secretscanrc \(rules\[0\]\): rule "broken": unknown key "patern"/);
  });
});
