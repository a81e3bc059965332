/**
 * src/ci/tree.ts and src/ci/source.ts: YAML and JSON(C) as trees whose every node knows its span, and
 * offsets turned into 1-based lines and columns (UTF-16 units, CRLF-safe). Parse errors carry the offset
 * of the problem; runCiChecks turns them into one error line and never throws.
 */
import { describe, expect, it } from 'vitest';
import { runCiChecks } from '../../src/ci/index.js';
import { SourceFile } from '../../src/ci/source.js';
import { at, get, parseJson, parseYaml, ParseError, seqItems, type Node, type Scalar } from '../../src/ci/tree.js';

function position(text: string, node: Node | null | undefined) {
  const file = new SourceFile('x', text);
  const scalar = node as Scalar;
  return { ...file.position(scalar.valueStart), value: text.slice(scalar.valueStart, scalar.valueEnd) };
}

describe('YAML with positions', () => {
  const text = [
    '# a comment',
    'plain: value here',
    "single: 'it''s'",
    'double: "a \\"b\\""',
    'block: |',
    '  line one',
    '  line two',
    'base: &base',
    '  image: node:22',
    'job:',
    '  <<: *base',
    '  tags: [a, "b"]',
    'alias: *base',
    '',
  ].join('\n');
  const [root] = parseYaml(text);

  it.each([
    ['plain', 2, 8, 'value here'],
    ['single', 3, 10, "it''s"],
    ['double', 4, 10, 'a \\"b\\"'],
    ['block', 6, 3, 'line one\n  line two'],
  ])('%s at line %i, column %i', (key, line, column, value) => {
    expect(position(text, get(root, key))).toEqual({ line, column, value });
  });

  it('resolves merge keys and aliases to the anchored text', () => {
    expect(position(text, at(root, 'job', 'image'))).toEqual({ line: 9, column: 10, value: 'node:22' });
    expect(position(text, at(root, 'alias', 'image'))).toEqual({ line: 9, column: 10, value: 'node:22' });
    expect(position(text, seqItems(at(root, 'job', 'tags'))[1])).toEqual({ line: 12, column: 14, value: 'b' });
  });

  it('reads every document of a stream', () => {
    expect(parseYaml('a: 1\n---\nb: 2\n').map((document) => (document?.kind === 'map' ? document.entries[0]!.key.text : null))).toEqual(['a', 'b']);
  });

  it('counts lines the same with CRLF', () => {
    const crlf = text.replace(/\n/g, '\r\n');
    const [document] = parseYaml(crlf);
    expect(position(crlf, get(document, 'single'))).toEqual({ line: 3, column: 10, value: "it''s" });
  });

  it('counts columns in UTF-16 units, as SARIF does', () => {
    const unicode = 'name: "🔑 deploy"\ntoken: x\n';
    const [document] = parseYaml(unicode);
    expect(position(unicode, get(document, 'token'))).toEqual({ line: 2, column: 8, value: 'x' });
    expect(new SourceFile('x', unicode).position(unicode.indexOf('deploy'))).toEqual({ line: 1, column: 11 });
  });

  it('breaks alias cycles instead of recursing', () => {
    const [document] = parseYaml('a: &a [1, *a]\n');
    expect(seqItems(get(document, 'a'))).toHaveLength(1);
  });

  it('throws a ParseError at the offending offset', () => {
    expect(() => parseYaml('a: [1, 2\nb: 3\n')).toThrow(ParseError);
    try {
      parseYaml('ok: 1\nbad: "unterminated\n');
    } catch (error) {
      expect((error as ParseError).offset).toBeGreaterThan(5);
    }
  });
});

describe('JSON and JSONC with positions', () => {
  const text = '// VS Code allows comments\n{\n  "servers": {\n    /* and block comments */\n    "x": { "env": { "K": "v\\u0041" }, },\n  },\n}\n';

  it('parses comments and trailing commas, with positions', () => {
    const root = parseJson(text);
    const value = at(root, 'servers', 'x', 'env', 'K') as Scalar;
    expect(value.text).toBe('vA');
    expect(new SourceFile('x', text).position(value.valueStart)).toEqual({ line: 5, column: 27 });
  });

  it.each([
    ['{"a": }', 6],
    ['{"a": "b"', 9],
    ['{"a" "b"}', 5],
    ['[1, 2', 5],
    ['{"a": "b\n"}', 8],
    ['{"a": tru}', 6],
    ['{} {}', 3],
  ])('%j fails at offset %i', (json, offset) => {
    expect(() => parseJson(json)).toThrow(ParseError);
    try {
      parseJson(json);
    } catch (error) {
      expect((error as ParseError).offset).toBe(offset);
    }
  });

  it('reads an empty file as nothing', () => {
    expect(parseJson('  \n// only a comment\n')).toBeNull();
  });
});

describe('parse errors from runCiChecks', () => {
  it.each([
    ['.github/workflows/ci.yml', 'on: push\njobs:\n  a:\n    steps: [\n', 'YAML (line 5'],
    ['.gitlab-ci.yml', 'build:\n  script:\n    - echo "a\n  - b: [\n', 'YAML (line'],
    ['.mcp.json', '{ "mcpServers": { "x": { "env": { "API_KEY": "hunter2hunter2" } }', 'JSON (line 1'],
  ])('%s: returned, not thrown', (path, text, message) => {
    const result = runCiChecks({ path, text });
    expect(result.candidates).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.path).toBe(path);
    expect(result.errors[0]!.message).toContain(`not valid ${message}`);
    expect(result.errors[0]!.message).toMatch(/checks skipped for this file, the secret detectors still read it$/);
    expect(result.errors[0]!.message).not.toContain('\n');
  });
});
