/**
 * The leaky fixture tree: a small project with fake secrets planted in it, generated from the templates in
 * fixtures/templates/leaky/ (committed files never hold a secret-shaped value). Used by
 * `npm run fixtures` (scripts/make-fixtures.ts, which writes fixtures/leaky/) and by
 * test/fixtures/leaky.test.ts, which scans a fresh copy and checks every planted secret is reported
 * exactly where it was planted, and nothing else is.
 *
 * Template syntax, on top of the faker's `<<fake:KIND>>` (test/helpers/fake-secrets.ts):
 *
 *   <<fake:KIND>>        a planted secret by itself
 *   <<fake:KIND#NAME>>   the same value everywhere NAME is used in the tree: one secret in several places
 *   <<[ ... ]>>          one planted secret made of literal text and markers, for secrets whose fixed part
 *                        is in what the rule reports: `<<[sk_live_<<fake:alnum:24>>]>>`
 *   _gitignore           written as `.gitignore`: a real one among the templates would hide the files it
 *                        ignores from Git, and a fresh clone would miss them
 *
 * A planted secret is expected to be reported unless its line carries an inline allow comment, or its file
 * is named (literally, no globs) in the .gitignore of its own folder.
 */
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFaker } from './fake-secrets.js';

export interface PlantedSecret {
  /** Relative to the tree's root, `/` separators. */
  path: string;
  /** 1-based; columns in UTF-16 code units, as the scanner reports them. */
  line: number;
  column: number;
  endLine: number;
  /** The column after the last character (on endLine, for multi-line secrets such as PEM blocks). */
  endColumn: number;
  secret: string;
  /** The marker's KIND, or for a `<<[ ]>>` span its template text. */
  kind: string;
  /** False for secrets on an inline-allowed line or in a gitignored file. */
  expectReported: boolean;
}

export const LEAKY_SEED = 20_261_126;
export const LEAKY_TEMPLATES = fileURLToPath(new URL('../../fixtures/templates/leaky/', import.meta.url));

const TEMPLATE_GITIGNORE = '_gitignore';
const INLINE_ALLOW = /secretscan:allow|gitleaks:allow|pragma: allowlist secret/;
/** Span open, span close, or a faker marker with an optional #NAME. */
const TEMPLATE_TOKEN = /<<\[|\]>>|<<fake:([^>#]+)(?:#([\w-]+))?>>/g;

/**
 * Writes the tree into `outDir` (removed first, so every run starts from scratch), keeping each template's
 * file mode, and returns every planted secret with where it ends up.
 */
export async function buildLeakyTree(outDir: string, seed: number = LEAKY_SEED): Promise<PlantedSecret[]> {
  const target = resolve(outDir);
  if (target === resolve(LEAKY_TEMPLATES) || resolve(LEAKY_TEMPLATES).startsWith(`${target}/`) || target === dirname(target)) {
    throw new Error(`buildLeakyTree: refusing to replace ${target}, which holds the templates`);
  }
  await rm(target, { recursive: true, force: true });

  const faker = createFaker(seed);
  const named = new Map<string, string>();
  const fakeValue = (kind: string, name: string | undefined): string => {
    if (name === undefined) return faker.make(kind);
    let value = named.get(name);
    if (value === undefined) named.set(name, (value = faker.make(kind)));
    return value;
  };

  const planted: PlantedSecret[] = [];
  for (const templatePath of await listFiles(LEAKY_TEMPLATES)) {
    const templateRel = relative(LEAKY_TEMPLATES, templatePath).split('\\').join('/');
    const path = posix.basename(templateRel) === TEMPLATE_GITIGNORE ? posix.join(posix.dirname(templateRel), '.gitignore') : templateRel;
    const template = await readFile(templatePath, 'utf8');
    const { text, spans } = expandTemplate(template, fakeValue, templateRel);
    const ignored = await isGitignoredLiterally(templatePath);
    for (const span of spans) {
      const start = positionAt(text, span.start);
      const end = positionAt(text, span.end);
      planted.push({
        path,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        secret: text.slice(span.start, span.end),
        kind: span.kind,
        expectReported: !ignored && !INLINE_ALLOW.test(lineAt(text, span.start)),
      });
    }
    const outPath = join(target, ...path.split('/'));
    await mkdir(dirname(outPath), { recursive: true });
    await writeFile(outPath, text);
    await chmod(outPath, (await stat(templatePath)).mode & 0o7777);
  }
  return planted;
}

interface Span {
  start: number;
  end: number;
  kind: string;
}

/** The template with markers replaced, and the span of each planted secret in the result. */
function expandTemplate(template: string, fakeValue: (kind: string, name: string | undefined) => string, where: string) {
  let text = '';
  const spans: Span[] = [];
  let open: { start: number; templateStart: number } | undefined;
  let last = 0;
  for (const token of template.matchAll(TEMPLATE_TOKEN)) {
    text += template.slice(last, token.index);
    last = token.index + token[0].length;
    if (token[0] === '<<[') {
      if (open) throw new Error(`${where}: "<<[" inside another "<<["`);
      open = { start: text.length, templateStart: last };
    } else if (token[0] === ']>>') {
      if (!open) throw new Error(`${where}: "]>>" without "<<["`);
      spans.push({ start: open.start, end: text.length, kind: template.slice(open.templateStart, token.index) });
      open = undefined;
    } else {
      const start = text.length;
      text += fakeValue(token[1]!, token[2]);
      if (!open) spans.push({ start, end: text.length, kind: token[1]! });
    }
  }
  if (open) throw new Error(`${where}: "<<[" is never closed`);
  text += template.slice(last);
  if (/<<fake:|<<\[|\]>>/.test(text)) throw new Error(`${where}: a marker was not expanded (a fake value contains "]>>"?)`);
  return { text, spans };
}

/** Templates in a fixed order, so the faker hands out the same values on every run. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** Named by a line of the template `_gitignore` beside it: `name` or `/name`. */
async function isGitignoredLiterally(templatePath: string): Promise<boolean> {
  let gitignore: string;
  try {
    gitignore = await readFile(join(dirname(templatePath), TEMPLATE_GITIGNORE), 'utf8');
  } catch {
    return false;
  }
  const name = templatePath.slice(dirname(templatePath).length + 1);
  return gitignore.split(/\r?\n/).some((line) => line.trim() === name || line.trim() === `/${name}`);
}

/** 1-based line and column (UTF-16 code units) of `offset`; lines end at LF, CRLF or CR. */
function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function lineAt(text: string, offset: number): string {
  const start = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const newline = text.slice(offset).search(/[\r\n]/);
  return text.slice(start, newline === -1 ? text.length : offset + newline);
}
