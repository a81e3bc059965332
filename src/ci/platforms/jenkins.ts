/**
 * Jenkinsfiles: Groovy, not YAML, so they are read line by line with a small lexer that knows comments and
 * Groovy's string kinds (single-quoted strings are literal, double-quoted GStrings interpolate `${…}` before
 * any shell sees them). What it finds:
 *
 * - credentials bound by `credentials('id')` in `environment {}` (NAME, NAME_USR, NAME_PSW) and by
 *   `withCredentials([...])` (`variable:`, `usernameVariable:`, `passwordVariable:`, ...);
 * - a GString passed to `sh`/`bat`/`powershell` that interpolates one of them (Groovy puts the secret into the
 *   command line: ci-secret-interpolated-in-script), or to `echo` (ci-secret-in-logs);
 * - the shell inside `sh` steps, through the shared script checks (echo, set -x, docker login -p, curl -u);
 * - literal secrets assigned to secret-named variables, map arguments and `withEnv` entries;
 * - secrets written to files that `archiveArtifacts` then archives.
 */
import { isLiteralSecretValue, isSecretName } from '../references.js';
import { analyzeScript, credentialsInText, workspacePath, type ScriptWrite } from '../shell.js';
import type { Hit, SourceFile } from '../source.js';
import { globMatches } from '../files.js';

interface GroovyString {
  start: number;
  end: number;
  contentStart: number;
  contentEnd: number;
  interpolating: boolean;
}

const BINDING = /\b(?:variable|usernameVariable|passwordVariable|keyFileVariable|passphraseVariable|tokenVariable|credentialsVariable|usernamePasswordVariable)\s*:\s*['"]([A-Za-z_]\w*)['"]/g;
const ENVIRONMENT_CREDENTIAL = /\b([A-Za-z_]\w*)\s*=\s*credentials\s*\(/g;
/** The step a string is an argument of: `sh "…"`, `sh(script: "…")`, `echo "…"`, `writeFile file: …, text: "…"`. */
const STEP_BEFORE = /\b(sh|bat|powershell|pwsh|echo|println|print|error|writeFile)\b\s*\(?\s*(?:(?:label|encoding|returnStdout|returnStatus|file)\s*:\s*(?:'[^']*'|"[^"]*"|[\w.]+)\s*,\s*)*(?:(?:script|text|message)\s*:\s*)?$/;

export function jenkinsfileChecks(file: SourceFile): Hit[] {
  const { code, strings } = lex(file.text);
  const hits: Hit[] = [];
  const bound = new Set<string>();
  for (const match of code.matchAll(BINDING)) bound.add(match[1]!);
  for (const match of blankStrings(code, strings).matchAll(ENVIRONMENT_CREDENTIAL)) {
    bound.add(match[1]!);
    bound.add(`${match[1]}_USR`);
    bound.add(`${match[1]}_PSW`);
  }
  const isCredential = (name: string) => {
    const bare = name.replace(/^env\./, '');
    return bound.has(bare) || (name.startsWith('params.') && isSecretName(name.slice(7)));
  };

  const writes: ScriptWrite[] = [];
  const archives: { patterns: string[]; start: number; end: number }[] = [];
  for (const string of strings) {
    const content = file.text.slice(string.contentStart, string.contentEnd);
    const lineStart = code.lastIndexOf('\n', string.start - 1) + 1;
    const before = code.slice(Math.max(lineStart, string.start - 300), string.start);
    const step = STEP_BEFORE.exec(before)?.[1];

    // Groovy interpolation of credentials.
    if (string.interpolating) {
      for (const match of content.matchAll(/(?<!\\)\$\{\s*((?:env\.|params\.)?[A-Za-z_]\w*)\s*\}|(?<!\\)\$((?:env\.)?[A-Za-z_]\w*)/g)) {
        const name = match[1] ?? match[2]!;
        if (!isCredential(name)) continue;
        const start = string.contentStart + match.index!;
        const end = start + match[0].length;
        if (step === 'sh' || step === 'bat' || step === 'powershell' || step === 'pwsh') {
          hits.push({ ruleId: 'ci-secret-interpolated-in-script', start, end, secret: `${name} interpolated by Groovy into a ${step} step` });
        } else if (step === 'echo' || step === 'println' || step === 'print' || step === 'error') {
          hits.push({ ruleId: 'ci-secret-in-logs', start, end, secret: `${name} printed by ${step}` });
        } else if (step === 'writeFile') {
          const target = /\bfile\s*:\s*['"]([^'"]+)['"]/.exec(code.slice(lineStart, string.end + 200));
          writes.push({ file: target ? workspacePath(target[1]!) : undefined, start, end, what: name });
        }
      }
    }

    // The shell script of sh/bat/powershell steps.
    if (step === 'sh' || step === 'bat' || step === 'powershell' || step === 'pwsh') {
      const analysis = analyzeScript(
        { text: content, start: string.contentStart, language: step === 'bat' ? 'cmd' : step === 'sh' ? 'sh' : 'powershell' },
        { platform: 'jenkins', secretVariables: bound, ambient: false, environmentHasSecrets: bound.size > 0 },
      );
      hits.push(...analysis.hits);
      writes.push(...analysis.writes);
    } else {
      hits.push(...credentialsInText(content, string.contentStart, { platform: 'jenkins' }));
    }

    // Literal secrets: `TOKEN = '…'`, `password: '…'`, withEnv(['TOKEN=…']).
    const literal = !string.interpolating || !content.includes('$');
    if (literal) {
      const assigned = /\b([A-Za-z_][\w.]*)\s*(?:=|:)\s*$/.exec(before);
      if (assigned && isSecretName(assigned[1]!.replace(/^(?:env|params)\./, '')) && isLiteralSecretValue(content, 'jenkins')) {
        hits.push({ ruleId: 'ci-hardcoded-secret', start: string.contentStart, end: string.contentEnd, secret: content });
      }
      const assignment = /^([A-Za-z_]\w*)=(\S+)$/.exec(content);
      if (assignment && /\bwithEnv\s*\(\s*\[[^\]]*$/.test(code.slice(Math.max(0, string.start - 300), string.start)) && isSecretName(assignment[1]!) && isLiteralSecretValue(assignment[2]!, 'jenkins')) {
        const start = string.contentStart + assignment[1]!.length + 1;
        hits.push({ ruleId: 'ci-hardcoded-secret', start, end: string.contentEnd, secret: assignment[2]! });
      }
    }

    // archiveArtifacts 'dist/**' / archiveArtifacts artifacts: '…'
    if (/\barchiveArtifacts\b\s*\(?\s*(?:artifacts\s*:\s*)?$/.test(before)) {
      archives.push({ patterns: content.split(',').map((part) => part.trim()), start: string.contentStart, end: string.contentEnd });
    }
  }

  for (const write of writes) {
    if (write.file === undefined) continue;
    const archive = archives.find((candidate) => candidate.start > write.start && candidate.patterns.some((pattern) => covers(pattern, write.file!)));
    if (archive) hits.push({ ruleId: 'ci-secret-to-artifact', start: write.start, end: write.end, secret: `${write.what} written to ${write.file} and uploaded (archiveArtifacts)` });
  }
  return hits;
}

function covers(pattern: string, file: string): boolean {
  const path = pattern.replace(/^\.\//, '');
  return path === '*' || path === '**' || path === '**/*' || globMatches(path, file) || file.startsWith(`${path.replace(/\/+$/, '')}/`);
}

/**
 * Comments blanked out (same length, so offsets hold) and the string literals with their spans. Slashy
 * strings (/…/) are not recognised: in a Jenkinsfile they are rare and ambiguous with division.
 */
function lex(text: string): { code: string; strings: GroovyString[] } {
  const strings: GroovyString[] = [];
  const out: string[] = [];
  let i = 0;
  let copied = 0;
  const blank = (from: number, to: number) => {
    out.push(text.slice(copied, from), text.slice(from, to).replace(/[^\n]/g, ' '));
    copied = to;
  };
  while (i < text.length) {
    const char = text[i]!;
    if (char === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      blank(i, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end;
      continue;
    }
    if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (char === "'" || char === '"') {
      const triple = text.startsWith(char.repeat(3), i);
      const quote = triple ? char.repeat(3) : char;
      const contentStart = i + quote.length;
      let j = contentStart;
      let end = -1;
      while (j < text.length) {
        const c = text[j]!;
        if (c === '\\') {
          j += 2;
          continue;
        }
        if (char === '"' && c === '$' && text[j + 1] === '{') {
          // Skip the interpolated expression, which may hold quotes of its own.
          let depth = 0;
          for (; j < text.length; j++) {
            if (text[j] === '{') depth++;
            else if (text[j] === '}' && --depth === 0) break;
            else if (text[j] === '\n' && !triple) break;
          }
          j++;
          continue;
        }
        if (!triple && c === '\n') break; // unterminated: give up on this string at the line's end
        if (text.startsWith(quote, j)) {
          end = j;
          break;
        }
        j++;
      }
      if (end === -1) {
        i = Math.max(j, i + 1);
        continue;
      }
      strings.push({ start: i, end: end + quote.length, contentStart, contentEnd: end, interpolating: char === '"' });
      i = end + quote.length;
      continue;
    }
    i++;
  }
  out.push(text.slice(copied));
  return { code: out.join(''), strings };
}

/** The code with string contents blanked, so a pattern cannot match inside a string. */
function blankStrings(code: string, strings: readonly GroovyString[]): string {
  const parts: string[] = [];
  let copied = 0;
  for (const string of strings) {
    parts.push(code.slice(copied, string.contentStart), ' '.repeat(string.contentEnd - string.contentStart));
    copied = string.contentEnd;
  }
  parts.push(code.slice(copied));
  return parts.join('');
}
