/**
 * Reading the shell a CI step runs, as written in the file (offsets are file offsets). Not a shell parser:
 * a quote-aware splitter into commands, pipes and redirects, which is what the checks need to tell
 * `echo "$TOKEN"` (into the log) from `echo "$TOKEN" | docker login --password-stdin` (into a program) and
 * from `echo "$TOKEN" > .npmrc` (into a file that may then be uploaded).
 *
 * Line continuations are read as spaces, heredoc bodies belong to the command that opens them, and a `#`
 * after whitespace starts a comment.
 */
import type { CiPlatform } from './files.js';
import { BUILTIN_SECRET_VARIABLES, type FileWrite, type Script } from './model.js';
import { isLiteralSecretValue, isSecretName } from './references.js';
import type { Hit } from './source.js';

export interface ScriptContext {
  platform: CiPlatform;
  /** Variables known to hold secrets where this script runs. */
  secretVariables: ReadonlySet<string>;
  /** The project's secrets are in the environment whatever the file says: secret-named `$VARS` are secrets. */
  ambient: boolean;
  /** Dumping the environment (printenv) prints secrets. */
  environmentHasSecrets: boolean;
  /** The shell already traces commands (GitHub `shell: bash -x {0}`, or a `set -x` earlier in the same shell). */
  xtrace?: XtraceState;
}

/** Whether the shell traces commands, since which `set -x`, and whether that was already reported. */
export interface XtraceState {
  on: boolean;
  at?: { start: number; end: number };
  reported: boolean;
}

/** A secret a script writes into a file. */
export type ScriptWrite = FileWrite;

export type Registry = 'npm' | 'pypi' | 'rubygems' | 'crates' | 'nuget';

/** A command that publishes a package, and the token it is given on the command line, if any. */
export interface PublishCommand {
  registry: Registry;
  start: number;
  end: number;
  /** `--token $X`, `-p $X`, `_authToken=${X}`: the value's span. */
  credential?: { start: number; end: number; text: string };
}

export interface ScriptAnalysis {
  hits: Hit[];
  writes: ScriptWrite[];
  publishes: PublishCommand[];
  /** Secrets referenced anywhere in the script (for "job uses secrets" decisions). */
  usesSecrets: boolean;
  /** Tracing at the end of the script, for the next script of the same shell session. */
  xtrace: XtraceState;
}

interface Word {
  raw: string;
  /** Without quotes and backslash escapes (roughly: enough to compare with literals). */
  value: string;
  start: number;
  end: number;
  /** Span of the value inside the quotes when the whole word is one quoted string. */
  valueStart: number;
  valueEnd: number;
}

interface Command {
  words: Word[];
  start: number;
  end: number;
  /** The next command reads this one's output. */
  pipedTo?: Command;
  pipedFrom?: Command;
  /** Output redirected to a file (`>`, `>>`, `&>`, `1>`); stderr-only redirects are not recorded. */
  redirect?: Word;
  /** Heredoc body, as text with its file offset. */
  heredoc?: { text: string; start: number };
  /** The source text of the command, for regex-level checks. */
  text: string;
}

// ------------------------------------------------------------------------------------------------ splitting

/** Splits a script into commands. `text[i]` is at file offset `base + i`. */
export function splitCommands(text: string, base: number): Command[] {
  // Line continuations become spaces of the same length, so offsets do not move.
  const source = text.replace(/\\\r?\n/g, (match) => ' '.repeat(match.length));
  const commands: Command[] = [];
  let lineStart = 0;
  while (lineStart <= source.length) {
    let lineEnd = source.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = source.length;
    const lineCommands = splitLine(source, lineStart, lineEnd, base);
    let next = lineEnd + 1;
    // Heredocs: the lines up to the delimiter belong to the command that opened them.
    for (const command of lineCommands) {
      const opener = /<<(-?)\s*(['"]?)([A-Za-z_][\w-]*)\2/.exec(command.text);
      if (!opener) continue;
      const delimiter = opener[3]!;
      const bodyStart = next;
      let at = next;
      while (at < source.length) {
        let end = source.indexOf('\n', at);
        if (end === -1) end = source.length;
        if (source.slice(at, end).trim() === delimiter) {
          command.heredoc = { text: source.slice(bodyStart, at), start: base + bodyStart };
          next = end + 1;
          break;
        }
        at = end + 1;
      }
      if (!command.heredoc) {
        command.heredoc = { text: source.slice(bodyStart), start: base + bodyStart };
        next = source.length + 1;
      }
    }
    commands.push(...lineCommands);
    lineStart = next;
  }
  return commands;
}

function splitLine(source: string, from: number, to: number, base: number): Command[] {
  const commands: Command[] = [];
  let words: Word[] = [];
  let commandStart = from;
  let redirect: Word | undefined;
  let expectRedirectTarget: 'out' | 'other' | undefined;
  let pipeFrom: Command | undefined;

  let wordStart = -1;
  let raw = '';
  let value = '';
  let quoteOnly: { start: number; end: number } | undefined;
  let quoted = 0;
  let depth = 0; // inside $( ... ) or ${ ... }

  const endWord = (at: number) => {
    if (wordStart === -1) return;
    const whole = quoted === 1 && quoteOnly && quoteOnly.start === wordStart + 1 && quoteOnly.end === at - 1;
    const word: Word = {
      raw,
      value,
      start: base + wordStart,
      end: base + at,
      valueStart: base + (whole ? quoteOnly!.start : wordStart),
      valueEnd: base + (whole ? quoteOnly!.end : at),
    };
    if (expectRedirectTarget) {
      if (expectRedirectTarget === 'out') redirect = word;
      expectRedirectTarget = undefined;
    } else words.push(word);
    wordStart = -1;
    raw = '';
    value = '';
    quoteOnly = undefined;
    quoted = 0;
  };
  const endCommand = (at: number, piped: boolean) => {
    endWord(at);
    if (words.length > 0 || redirect) {
      const command: Command = { words, start: base + commandStart, end: base + at, text: source.slice(commandStart, at), ...(redirect ? { redirect } : {}) };
      if (pipeFrom) {
        pipeFrom.pipedTo = command;
        command.pipedFrom = pipeFrom;
      }
      commands.push(command);
      pipeFrom = piped ? command : undefined;
    } else if (!piped) pipeFrom = undefined;
    words = [];
    redirect = undefined;
    expectRedirectTarget = undefined;
  };

  let i = from;
  while (i < to) {
    const char = source[i]!;
    if (char === "'" || char === '"') {
      const close = findClose(source, i, to, char);
      if (wordStart === -1) wordStart = i;
      quoted++;
      quoteOnly = { start: i + 1, end: close };
      raw += source.slice(i, close + 1);
      value += char === '"' ? source.slice(i + 1, close).replace(/\\(["\\$`])/g, '$1') : source.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    if (char === '\\' && i + 1 < to) {
      if (wordStart === -1) wordStart = i;
      raw += source.slice(i, i + 2);
      value += source[i + 1];
      i += 2;
      continue;
    }
    if (char === '$' && (source[i + 1] === '(' || source[i + 1] === '{')) {
      if (wordStart === -1) wordStart = i;
      depth++;
      raw += source.slice(i, i + 2);
      value += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (depth > 0) {
      if (char === ')' || char === '}') depth--;
      raw += char;
      value += char;
      i++;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      endWord(i);
      i++;
      continue;
    }
    if (char === '#' && wordStart === -1) break; // a comment
    if (char === ';' || (char === '&' && source[i + 1] === '&') || (char === '|' && source[i + 1] === '|')) {
      endCommand(i, false);
      i += char === ';' ? 1 : 2;
      commandStart = i;
      continue;
    }
    if (char === '|') {
      endCommand(i, true);
      i++;
      commandStart = i;
      continue;
    }
    if (char === '&' && source[i + 1] !== '>') {
      endCommand(i, false);
      i++;
      commandStart = i;
      continue;
    }
    if (char === '>' || (char === '&' && source[i + 1] === '>') || (/[0-9]/.test(char) && wordStart === -1 && source[i + 1] === '>')) {
      // 2> and 2>&1 are about stderr; >, >>, 1>, &> send the output to a file.
      const stderrOnly = char === '2';
      endWord(i);
      let j = i + (char === '>' ? 1 : 2);
      if (source[j] === '>') j++;
      if (source[j] === '&') {
        // >&2, 2>&1: a file descriptor, not a file.
        j++;
        while (j < to && /[0-9-]/.test(source[j]!)) j++;
        i = j;
        continue;
      }
      expectRedirectTarget = stderrOnly ? 'other' : 'out';
      i = j;
      continue;
    }
    if (char === '<' && source[i + 1] === '<') {
      endWord(i);
      // A here-string (<<< "$X") is data for the command: a word. A heredoc's delimiter (<<EOF) is not.
      if (source[i + 2] === '<') i += 3;
      else {
        i += source[i + 2] === '-' ? 3 : 2;
        expectRedirectTarget = 'other';
      }
      continue;
    }
    if (char === '<') {
      endWord(i);
      expectRedirectTarget = 'other';
      i++;
      continue;
    }
    if (wordStart === -1) wordStart = i;
    raw += char;
    value += char;
    i++;
  }
  endCommand(Math.min(i, to), false);
  return commands;
}

function findClose(source: string, open: number, to: number, quote: string): number {
  for (let i = open + 1; i < to; i++) {
    if (source[i] === '\\' && quote === '"') {
      i++;
      continue;
    }
    if (source[i] === quote) return i;
  }
  return to - 1 < open ? open : to;
}

// -------------------------------------------------------------------------------------------- references

export interface SecretReference {
  start: number;
  end: number;
  name: string;
}

/** Secrets referenced in `text` (at file offset `base`) in the platform's syntax. */
export function secretReferences(text: string, base: number, context: ScriptContext): SecretReference[] {
  const found: SecretReference[] = [];
  const github = context.platform === 'github' || context.platform === 'gitea';
  for (const match of text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    const expression = match[1]!;
    const secret = /\bsecrets\s*\.\s*([\w-]+)|\bsecrets\s*\[|\bgithub\.token\b|\btojson\s*\(\s*secrets\s*\)/i.exec(expression);
    const env = /\benv\.([\w-]+)/.exec(expression);
    if (secret) found.push({ start: base + match.index!, end: base + match.index! + match[0].length, name: secret[1] ? `secrets.${secret[1]}` : secret[0].replace(/\s+/g, '') });
    else if (env && context.secretVariables.has(env[1]!)) found.push({ start: base + match.index!, end: base + match.index! + match[0].length, name: env[1]! });
  }
  const builtins = BUILTIN_SECRET_VARIABLES[context.platform] ?? [];
  const isSecret = (name: string) => context.secretVariables.has(name) || (!github && context.ambient && (isSecretName(name) || builtins.includes(name)));
  const variable = context.platform === 'azure' ? /\$\{([A-Za-z_]\w*)[^}]*\}|\$([A-Za-z_]\w*)|\$env:([A-Za-z_]\w*)|%([A-Za-z_]\w*)%|\$\(([A-Za-z_][\w.]*)\)/gi : /\$\{([A-Za-z_]\w*)[^}]*\}|\$([A-Za-z_]\w*)|\$env:([A-Za-z_]\w*)|%([A-Za-z_]\w*)%/gi;
  for (const match of text.matchAll(variable)) {
    const name = match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5] ?? '';
    if (match[0].startsWith('$env:') || match[0].startsWith('$Env:')) {
      if (!isSecret(match[3] ?? '')) continue;
    } else if (!isSecret(name)) continue;
    found.push({ start: base + match.index!, end: base + match.index! + match[0].length, name: match[3] ?? name });
  }
  return found.sort((a, b) => a.start - b.start);
}

// -------------------------------------------------------------------------------------------------- checks

const ECHO_COMMANDS = new Set(['echo', 'printf', 'write-host', 'write-output', 'write-information', 'write-verbose', 'write-warning', 'print', 'puts']);
const LOGIN_COMMANDS = /^(?:docker|podman|buildah|nerdctl|skopeo|oras|helm|crane|regctl|finch)$/;
/** Where a redirect sends output away from the log and out of the workspace. */
const NOT_A_WORKSPACE_FILE = /^(?:\/dev\/|\$\{?(?:GITHUB_ENV|GITHUB_OUTPUT|GITHUB_PATH|GITHUB_STATE|BASH_ENV|RUNNER_TEMP|HOME|TMPDIR|CI_ENV_FILE|BUILDKITE_ENV_FILE)\b|\$env:(?:GITHUB_ENV|GITHUB_OUTPUT)|\$\{\{\s*runner\.temp|~|\/tmp\/|\/root\/|\/home\/|%GITHUB_ENV%|%GITHUB_OUTPUT%)/i;
const STEP_SUMMARY = /^\$\{?GITHUB_STEP_SUMMARY\b|^\$env:GITHUB_STEP_SUMMARY|^%GITHUB_STEP_SUMMARY%/i;
/** Prefixes that name the workspace itself: a file under them is in the workspace. */
const WORKSPACE_PREFIX = /^(?:\$\{?(?:GITHUB_WORKSPACE|CI_PROJECT_DIR|CIRCLE_WORKING_DIRECTORY|BITBUCKET_CLONE_DIR|BUILDKITE_BUILD_CHECKOUT_PATH|CODEBUILD_SRC_DIR|WORKSPACE|DRONE_WORKSPACE|CI_WORKSPACE|PWD)(?![\w])\}?|\$\{\{\s*github\.workspace\s*\}\}|\$\((?:Build\.SourcesDirectory|System\.DefaultWorkingDirectory|Build\.Repository\.LocalPath)\)|\/workspace(?![\w-]))(?:\/|$)/;

/**
 * The workspace-relative path a redirect writes or an upload takes (`.` for the workspace itself), or
 * undefined when it is outside the workspace or unknown.
 */
export function workspacePath(target: string): string | undefined {
  let path = target.trim().replace(/^["']|["']$/g, '');
  const inWorkspace = WORKSPACE_PREFIX.exec(path);
  if (inWorkspace) path = path.slice(inWorkspace[0].length);
  else if (NOT_A_WORKSPACE_FILE.test(path) || path.startsWith('/') || path.startsWith('$')) return undefined;
  path = path.replace(/^(?:\.\/)+/, '');
  return path === '' || path === '.' ? '.' : path;
}

/** Command name of a command: past `VAR=x` prefixes, sudo, and a path (`/usr/bin/docker`). */
function commandIndex(words: readonly Word[]): number {
  let index = 0;
  while (index < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[index]!.raw)) index++;
  while (index < words.length && /^(?:sudo|command|exec|time|nohup|export|declare|local|readonly|typeset)$/.test(words[index]!.value)) {
    if (/^(?:export|declare|local|readonly|typeset)$/.test(words[index]!.value)) return index;
    index++;
  }
  return index;
}

function nameOf(word: Word | undefined): string {
  return word ? word.value.replace(/^.*[\\/]/, '').toLowerCase() : '';
}

/** The value of `-p X`, `--password X`, `--password=X` among `words` (after index `from`). */
function flagValue(words: readonly Word[], flags: readonly string[], from = 0): Word | undefined {
  for (let i = from; i < words.length; i++) {
    const word = words[i]!;
    for (const flag of flags) {
      if (word.value === flag) return words[i + 1];
      if (flag.startsWith('--') && word.value.startsWith(`${flag}=`)) {
        const offset = word.raw.indexOf('=') + 1;
        return subWord(word, offset);
      }
    }
  }
  return undefined;
}

/** The part of a word after `offset` characters of its raw text, with quotes around it dropped. */
function subWord(word: Word, offset: number): Word {
  let raw = word.raw.slice(offset);
  let start = word.start + offset;
  let end = word.end;
  if (/^["'].*["']$/.test(raw) && raw.length >= 2) {
    raw = raw.slice(1, -1);
    start++;
    end--;
  }
  return { raw, value: raw, start, end, valueStart: start, valueEnd: end };
}

/** True when a command-line value is a literal credential: no variable, no command substitution, no placeholder. */
function literalCredential(word: Word | undefined, context: ScriptContext, minLength = 6): word is Word {
  if (!word || word.value.startsWith('-') || /[$`]/.test(word.raw)) return false;
  return isLiteralSecretValue(word.value, context.platform, minLength);
}

const HEADER_PATTERN =
  /\b(authorization|private-token|job-token|x-api-key|api-key|apikey|x-auth-token|x-access-token|x-jfrog-art-api|x-vault-token|circle-token|travis-api-token|x-gitlab-token|x-buildkite-token|x-octopus-apikey)\s*:\s*(?:(bearer|basic|token|bot|apikey|sso-key|digest|gitlab-ci-token)\s+)?([^\s"'\\]+)/gi;
const URL_USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/@:'"`]*):([^\s/@'"`]+)@[^\s'"`]/gi;
const URL_TOKEN_USER = /\b(?:https?|git|ssh):\/\/([^\s/@:'"`]{20,})@[^\s'"`]/gi;
const URL_QUERY = /[?&](access_token|api_key|apikey|api-key|token|private_token|auth_token|password|client_secret|secret)=([^\s&#'"`]+)/gi;

/** Credentials in URLs and HTTP headers written in `text` (a script command, or any setting's value). */
export function credentialsInText(text: string, base: number, context: Pick<ScriptContext, 'platform'>): Hit[] {
  const hits: Hit[] = [];
  const literal = (value: string, minLength: number) => !/[$%`]/.test(value) && isLiteralSecretValue(value, context.platform, minLength);
  for (const match of text.matchAll(HEADER_PATTERN)) {
    const value = match[3]!;
    if (!literal(value, 8)) continue;
    const start = base + match.index! + match[0].length - value.length;
    hits.push({ ruleId: 'ci-credential-in-url', start, end: start + value.length, secret: value });
  }
  for (const match of text.matchAll(URL_USERINFO)) {
    const password = match[2]!;
    if (!literal(password, 6)) continue;
    const start = base + match.index! + match[0].indexOf(`:${password}@`, match[0].indexOf('://') + 3) + 1;
    hits.push({ ruleId: 'ci-credential-in-url', start, end: start + password.length, secret: password });
  }
  for (const match of text.matchAll(URL_TOKEN_USER)) {
    const token = match[1]!;
    if (!literal(token, 20) || !/[0-9]/.test(token) || !/[A-Za-z]/.test(token)) continue;
    const start = base + match.index! + match[0].indexOf(token);
    hits.push({ ruleId: 'ci-credential-in-url', start, end: start + token.length, secret: token });
  }
  for (const match of text.matchAll(URL_QUERY)) {
    const value = match[2]!;
    if (!literal(value, 8)) continue;
    const start = base + match.index! + match[0].length - value.length;
    hits.push({ ruleId: 'ci-credential-in-url', start, end: start + value.length, secret: value });
  }
  return hits;
}

/** Package publishing commands. */
function publishRegistry(words: readonly Word[], index: number): Registry | undefined {
  const name = nameOf(words[index]);
  const args = words.slice(index + 1).map((word) => word.value);
  const has = (...sequence: string[]) => args.join(' ').includes(sequence.join(' '));
  if (['npm', 'yarn', 'pnpm'].includes(name) && args.includes('publish')) return 'npm';
  if (['semantic-release', 'lerna', 'changeset'].includes(name) && (name === 'semantic-release' || args.includes('publish'))) return 'npm';
  if (name === 'npx' && (args[0] === 'semantic-release' || (args.includes('publish') && /^(?:lerna|changeset|@changesets\/cli)$/.test(args[0] ?? '')))) return 'npm';
  if (name === 'twine' && args[0] === 'upload') return 'pypi';
  if (/^python[0-9.]*$/.test(name) && has('-m', 'twine', 'upload')) return 'pypi';
  if (['poetry', 'uv', 'flit', 'hatch', 'pdm'].includes(name) && args[0] === 'publish') return 'pypi';
  if (name === 'gem' && args[0] === 'push') return 'rubygems';
  if (name === 'cargo' && args[0] === 'publish') return 'crates';
  if (name === 'dotnet' && has('nuget', 'push')) return 'nuget';
  if (name === 'nuget' && args[0] === 'push') return 'nuget';
  return undefined;
}

const PUBLISH_TOKEN_FLAGS: Record<Registry, string[]> = {
  npm: ['--//registry.npmjs.org/:_authToken'],
  pypi: ['-p', '--password', '--token', '-t', '--auth'],
  rubygems: ['--key'],
  crates: ['--token'],
  nuget: ['--api-key', '-k', '-ApiKey', '-apikey'],
};

/** Runs every script-level check over one script. */
export function analyzeScript(script: Script, context: ScriptContext): ScriptAnalysis {
  const xtrace: XtraceState = context.xtrace ? { ...context.xtrace } : { on: false, reported: false };
  const result: ScriptAnalysis = { hits: [], writes: [], publishes: [], usesSecrets: false, xtrace };
  if (script.language === 'js') return result;
  const commands = splitCommands(script.text, script.start);

  for (const command of commands) {
    const { words } = command;
    const bodyText = command.heredoc ? `${command.text}\n${command.heredoc.text}` : command.text;
    const references = [
      ...secretReferences(command.text, command.start, context),
      ...(command.heredoc ? secretReferences(command.heredoc.text, command.heredoc.start, context) : []),
    ];
    if (references.length > 0) result.usesSecrets = true;
    const index = commandIndex(words);
    const name = nameOf(words[index]);
    const args = words.slice(index + 1);

    // Tracing: `set -x` prints every command after expansion, secrets included.
    if (name === 'set') {
      const flags = args.map((word) => word.value);
      if (flags.some((flag) => /^-[a-zA-Z]*x[a-zA-Z]*$/.test(flag)) || (flags[0] === '-o' && flags[1] === 'xtrace')) {
        const word = args.find((candidate) => /x/.test(candidate.value) && candidate.value.startsWith('-')) ?? args[1]!;
        xtrace.on = true;
        xtrace.at = { start: words[index]!.start, end: word.end };
        xtrace.reported = false;
      } else if (flags.some((flag) => /^\+[a-zA-Z]*x[a-zA-Z]*$/.test(flag)) || (flags[0] === '+o' && flags[1] === 'xtrace')) {
        xtrace.on = false;
      }
    }
    if (xtrace.on && !xtrace.reported && references.length > 0 && name !== 'set') {
      const at = xtrace.at ?? { start: references[0]!.start, end: references[0]!.end };
      result.hits.push({ ruleId: 'ci-secret-in-logs', start: at.start, end: at.end, secret: `shell tracing (set -x) while ${references[0]!.name} is used` });
      xtrace.reported = true;
    }

    // Shell assignments of literal secrets: `export API_TOKEN=...`.
    for (const word of words.slice(0, /^(?:export|declare|local|readonly|typeset)$/.test(name) ? words.length : index)) {
      const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(word.raw);
      if (!assignment || !isSecretName(assignment[1]!)) continue;
      const value = subWord(word, assignment[0].length);
      if (literalCredential(value, context, 8)) result.hits.push({ ruleId: 'ci-hardcoded-secret', start: value.start, end: value.end, secret: value.value });
    }

    // Printing secrets.
    const printing = ECHO_COMMANDS.has(name) || (name === 'cat' && command.heredoc !== undefined);
    const masking = /::add-mask::|##vso\[task\.setvariable[^\]]*issecret=true/i.test(bodyText);
    const pipelineEnd = lastOf(command);
    if (printing && references.length > 0 && !masking) {
      const target = command.redirect;
      if (target && STEP_SUMMARY.test(target.value)) {
        result.hits.push(logsHit(references[0]!, 'written to the job summary'));
      } else if (target) {
        result.writes.push({ file: workspacePath(target.value), start: target.start, end: target.end, what: references[0]!.name });
      } else if (command.pipedTo) {
        const tee = command.pipedTo;
        if (nameOf(tee.words[commandIndex(tee.words)]) === 'tee') {
          const file = tee.words.slice(commandIndex(tee.words) + 1).find((word) => !word.value.startsWith('-'));
          if (file) result.writes.push({ file: workspacePath(file.value), start: file.start, end: file.end, what: references[0]!.name });
          if (!tee.redirect && !tee.pipedTo) result.hits.push(logsHit(references[0]!, 'printed'));
        }
      } else {
        result.hits.push(logsHit(references[0]!, 'printed'));
      }
    }

    // Dumping the environment.
    const dump = isEnvironmentDump(name, args) || (name === 'printenv' && args.some((word) => isSecretVariable(word.value, context)));
    if (dump && (context.environmentHasSecrets || name === 'printenv') && !command.pipedFrom) {
      const target = pipelineEnd.redirect;
      const span = { start: words[index]!.start, end: args.length > 0 ? args[args.length - 1]!.end : words[index]!.end };
      if (target && !STEP_SUMMARY.test(target.value)) {
        result.writes.push({ file: workspacePath(target.value), start: target.start, end: target.end, what: 'the environment' });
      } else if (context.environmentHasSecrets || args.length > 0) {
        const what = args.length > 0 && name === 'printenv' ? `printenv ${args.map((word) => word.value).join(' ')}` : `${words.slice(index).map((word) => word.value).join(' ')}`;
        result.hits.push({ ruleId: 'ci-secret-in-logs', start: span.start, end: span.end, secret: `environment dumped to the log (${what})` });
      }
    }

    // Registry logins and registry credentials with literal passwords.
    if (LOGIN_COMMANDS.test(name) && args.some((word) => word.value === 'login')) {
      const password = flagValue(args, ['-p', '--password']);
      if (literalCredential(password, context)) result.hits.push({ ruleId: 'ci-registry-literal-password', start: password.valueStart, end: password.valueEnd, secret: password.value });
      if (args.some((word) => word.value === '--password-stdin') && command.pipedFrom && ECHO_COMMANDS.has(nameOf(command.pipedFrom.words[commandIndex(command.pipedFrom.words)]))) {
        const echoed = command.pipedFrom.words.slice(commandIndex(command.pipedFrom.words) + 1).filter((word) => !word.value.startsWith('-') && word.value !== '%s');
        const only = echoed.length === 1 ? echoed[0] : undefined;
        if (literalCredential(only, context)) result.hits.push({ ruleId: 'ci-registry-literal-password', start: only.valueStart, end: only.valueEnd, secret: only.value });
      }
    }
    // The regex names token settings and holds no value (the allow comment keeps the generic rule quiet).
    for (const match of bodyText.matchAll(/(?:_authToken|_auth|_password|:rubygems_api_key:|pypi-token\.[\w-]+)\s*[= ]\s*["']?([^\s"'$`;]+)/g)) { // secretscan:allow generic-secret-assignment
      const value = match[1]!;
      if (!isLiteralSecretValue(value, context.platform, 6)) continue;
      const offset = offsetInBody(command, match.index! + match[0].length - value.length);
      if (offset !== undefined) result.hits.push({ ruleId: 'ci-registry-literal-password', start: offset, end: offset + value.length, secret: value });
    }

    // Publishing, and the token it is given.
    const registry = publishRegistry(words, index);
    if (registry) {
      const flag = flagValue(args, PUBLISH_TOKEN_FLAGS[registry]);
      const publish: PublishCommand = { registry, start: words[index]!.start, end: command.end };
      if (flag && !flag.value.startsWith('-')) {
        publish.credential = { start: flag.valueStart, end: flag.valueEnd, text: flag.value };
        if (literalCredential(flag, context)) result.hits.push({ ruleId: 'ci-registry-literal-password', start: flag.valueStart, end: flag.valueEnd, secret: flag.value });
      }
      result.publishes.push(publish);
    }
    if (name === 'cargo' && args[0]?.value === 'login' && literalCredential(args[1], context)) {
      result.hits.push({ ruleId: 'ci-registry-literal-password', start: args[1].valueStart, end: args[1].valueEnd, secret: args[1].value });
    }
    if ((name === 'dotnet' || name === 'nuget') && args.some((word) => /^(?:add|update)$/.test(word.value)) && args.some((word) => word.value === 'source')) {
      const password = flagValue(args, ['-p', '--password', '-Password']);
      if (literalCredential(password, context)) result.hits.push({ ruleId: 'ci-registry-literal-password', start: password.valueStart, end: password.valueEnd, secret: password.value });
    }
    for (const match of bodyText.matchAll(/\/\/registry\.npmjs\.org\/:_authToken\s*=\s*["']?(\$\{?\w+\}?|\$\{\{[^}]*\}\})/g)) {
      const offset = offsetInBody(command, match.index! + match[0].length - match[1]!.length);
      if (offset !== undefined) result.publishes.push({ registry: 'npm', start: offset, end: offset + match[1]!.length, credential: { start: offset, end: offset + match[1]!.length, text: match[1]! } });
    }

    // Credentials in URLs and headers, and curl/wget user:password flags.
    result.hits.push(...credentialsInText(command.text, command.start, context));
    if (command.heredoc) result.hits.push(...credentialsInText(command.heredoc.text, command.heredoc.start, context));
    if (name === 'curl') {
      const user = flagValue(args, ['-u', '--user']);
      // user:password: the user may be a variable; the password (after the first colon) must be a literal.
      const quoted = user !== undefined && /^["'].*["']$/.test(user.raw) && user.raw.length > 1;
      const raw = user ? (quoted ? user.raw.slice(1, -1) : user.raw) : '';
      const colon = raw.indexOf(':');
      if (user && colon > -1) {
        const value = raw.slice(colon + 1);
        const end = quoted ? user.end - 1 : user.end;
        if (!/[$%`]/.test(value) && isLiteralSecretValue(value, context.platform, 6)) {
          result.hits.push({ ruleId: 'ci-credential-in-url', start: end - value.length, end, secret: value });
        }
      }
    }
    if (name === 'wget') {
      const password = flagValue(args, ['--password', '--http-password', '--http-passwd', '--ftp-password']);
      if (literalCredential(password, context)) result.hits.push({ ruleId: 'ci-credential-in-url', start: password.valueStart, end: password.valueEnd, secret: password.value });
    }
  }
  return result;
}

function logsHit(reference: SecretReference, how: string): Hit {
  return { ruleId: 'ci-secret-in-logs', start: reference.start, end: reference.end, secret: `${reference.name} ${how} in a script` };
}

function lastOf(command: Command): Command {
  let last = command;
  while (last.pipedTo) last = last.pipedTo;
  return last;
}

function isSecretVariable(name: string, context: ScriptContext): boolean {
  return context.secretVariables.has(name) || (context.ambient && isSecretName(name));
}

function isEnvironmentDump(name: string, args: readonly Word[]): boolean {
  const values = args.map((word) => word.value.toLowerCase());
  if (name === 'printenv' || name === 'env') return values.every((value) => value.startsWith('-') && value !== '-u' && value !== '-i');
  if (name === 'export') return values.length === 0 || (values.length === 1 && values[0] === '-p');
  if (name === 'declare' || name === 'typeset') return values.length > 0 && values.every((value) => /^-[px]+$/.test(value));
  if (name === 'set') return values.length === 0;
  if (['get-childitem', 'gci', 'dir', 'ls', 'get-item'].includes(name)) return values.some((value) => /^env:\*?$/.test(value));
  return false;
}

/** File offset of character `index` of a command's text followed by its heredoc body (joined by "\n"). */
function offsetInBody(command: Command, index: number): number | undefined {
  if (index < command.text.length) return command.start + index;
  if (!command.heredoc) return undefined;
  return command.heredoc.start + index - command.text.length - 1;
}
