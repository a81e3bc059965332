/**
 * MCP client configurations: the tables where AI agents and editors wire up MCP servers. Claude Desktop,
 * Claude Code (`.mcp.json`), Cursor, Windsurf, Cline, Roo Code, Gemini CLI and Continue use `mcpServers`;
 * VS Code (`.vscode/mcp.json`) `servers`; Zed `context_servers`; opencode `mcp`; Codex `[mcp_servers.*]` in
 * TOML. Each server's `env`, `headers`, `args` and URL are read for literal keys; `${input:x}`,
 * `${env:X}`, `${X}` and `$X` are the references that keep keys out of the file.
 */
import { isLiteralSecretValue, isSecretName } from '../references.js';
import type { Hit, SourceFile } from '../source.js';
import { get, isMapNode, isScalarNode, mapEntries, parseJson, parseYaml, seqItems, walk, type MapNode, type Node, type Scalar } from '../tree.js';

const SERVER_TABLES = new Set(['mcpServers', 'mcp_servers', 'context_servers']);
/** Keys that hold servers only at the top of a file (VS Code's mcp.json, opencode.json). */
const ROOT_SERVER_TABLES = new Set(['servers', 'mcp']);
const HEADER_TABLES = new Set(['headers', 'http_headers', 'httpHeaders']);
const ENV_TABLES = new Set(['env', 'environment']);
const URL_KEYS = new Set(['url', 'serverUrl', 'httpUrl', 'uri', 'endpoint']);
const AUTH_SCHEME = /^(?:bearer|basic|token|bot|apikey|api-key)\s+/i;
const RULE = 'mcp-literal-api-key';

export function mcpChecks(file: SourceFile, syntax: 'yaml' | 'json' | 'toml' | 'groovy'): Hit[] {
  if (syntax === 'toml') return tomlChecks(file);
  const roots = syntax === 'json' ? [parseJson(file.text)] : parseYaml(file.text);
  const hits: Hit[] = [];
  for (const root of roots) {
    const servers: MapNode[] = [];
    for (const { key, value } of mapEntries(root)) if (ROOT_SERVER_TABLES.has(key.text) && value) servers.push(...serversIn(value));
    walk(root, (node) => {
      for (const { key, value } of mapEntries(node)) if (SERVER_TABLES.has(key.text) && value) servers.push(...serversIn(value));
    });
    for (const server of new Set(servers)) hits.push(...serverChecks(server, file));
  }
  return hits;
}

/** Servers in a table: a map of name → server (most clients) or a list of servers (Continue). */
function serversIn(table: Node): MapNode[] {
  return isMapNode(table) ? mapEntries(table).flatMap(({ value }) => (isMapNode(value) ? [value] : [])) : seqItems(table).filter(isMapNode);
}

function serverChecks(server: MapNode, file: SourceFile): Hit[] {
  const hits: Hit[] = [];
  // Zed nests the process under `command: { path, args, env }`; opencode's `command` is the argv list.
  const command = get(server, 'command');
  const holders = isMapNode(command) ? [server, command] : [server];
  for (const holder of holders) {
    for (const { key, value } of mapEntries(holder)) {
      if (ENV_TABLES.has(key.text)) {
        for (const variable of mapEntries(value)) if (isScalarNode(variable.value) && isSecretName(variable.key.text)) literal(variable.value, 0, hits);
      } else if (HEADER_TABLES.has(key.text)) {
        for (const header of mapEntries(value)) headerValue(header.key.text, header.value, hits);
      } else if (key.text === 'args' || (key.text === 'command' && value?.kind === 'seq')) {
        hits.push(...argumentChecks(seqItems(value).filter(isScalarNode)));
      } else if (URL_KEYS.has(key.text) && isScalarNode(value)) {
        hits.push(...urlChecks(value, file));
      }
    }
  }
  // Some clients put headers under requestInit (the TypeScript SDK's option name).
  for (const header of mapEntries(get(get(server, 'requestInit'), 'headers'))) headerValue(header.key.text, header.value, hits);
  return hits;
}

function headerValue(name: string, value: Node | null | undefined, hits: Hit[]): void {
  if (!isScalarNode(value)) return;
  if (/^(?:authorization|proxy-authorization)$/i.test(name)) {
    const scheme = AUTH_SCHEME.exec(value.text);
    literal(value, scheme ? scheme[0].length : 0, hits);
  } else if (isSecretName(name)) literal(value, 0, hits);
}

/** A literal key in a scalar (after `skip` characters of it, such as "Bearer "). */
function literal(value: Scalar, skip: number, hits: Hit[]): void {
  if (typeof value.value !== 'string') return;
  const key = value.text.slice(skip);
  if (!isLiteralSecretValue(key, 'mcp')) return;
  const exact = value.valueEnd - value.valueStart === value.text.length;
  hits.push({ ruleId: RULE, start: exact ? value.valueStart + skip : value.valueStart, end: value.valueEnd, secret: key });
}

/**
 * `--api-key VALUE`, `--token=VALUE`, `-e NAME=VALUE` (docker run), `NAME=VALUE`, and
 * `--header "Authorization: Bearer VALUE"` (mcp-remote).
 */
function argumentChecks(args: readonly Scalar[]): Hit[] {
  const hits: Hit[] = [];
  args.forEach((arg, index) => {
    if (typeof arg.value !== 'string') return;
    const text = arg.text;
    const exact = arg.valueEnd - arg.valueStart === text.length;
    const at = (offset: number, value: string) => {
      if (isLiteralSecretValue(value, 'mcp')) hits.push({ ruleId: RULE, start: exact ? arg.valueStart + offset : arg.valueStart, end: exact ? arg.valueStart + offset + value.length : arg.valueEnd, secret: value });
    };
    const flag = /^(--?[A-Za-z][\w-]*)=(.+)$/.exec(text);
    if (flag && isSecretName(flag[1]!)) return at(flag[1]!.length + 1, flag[2]!);
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(text);
    if (assignment && isSecretName(assignment[1]!)) return at(assignment[1]!.length + 1, assignment[2]!);
    const header = /^\s*(?:authorization|proxy-authorization)\s*:\s*(?:(?:bearer|basic|token)\s+)?(\S+)\s*$/i.exec(text);
    if (header) return at(text.length - header[1]!.length - (text.length - text.trimEnd().length), header[1]!);
    const previous = args[index - 1]?.text ?? '';
    if (/^--?[A-Za-z][\w-]*$/.test(previous) && !/^--?(?:e|env|header|H)$/.test(previous) && isSecretName(previous)) return at(0, text);
    return undefined;
  });
  return hits;
}

const URL_SECRETS = /[?&](?:access_token|api_key|apikey|api-key|token|key|auth|auth_token|secret|password)=([^&#\s]+)|:\/\/[^/\s:@]*:([^@/\s]+)@/gi;

function urlChecks(value: Scalar, file: SourceFile): Hit[] {
  const hits: Hit[] = [];
  const source = file.text.slice(value.valueStart, value.valueEnd);
  for (const match of source.matchAll(URL_SECRETS)) {
    const secret = match[1] ?? match[2]!;
    if (!isLiteralSecretValue(secret, 'mcp')) continue;
    const start = value.valueStart + match.index! + match[0].lastIndexOf(secret);
    hits.push({ ruleId: RULE, start, end: start + secret.length, secret });
  }
  return hits;
}

// ------------------------------------------------------------------------------------------------- TOML

/**
 * Codex's `config.toml`, line by line: `[mcp_servers.NAME]` tables with `env = { … }`, `http_headers = { … }`,
 * `bearer_token = "…"` and one-line `args = [ … ]`; `[mcp_servers.NAME.env]` sub-tables of `KEY = "value"`.
 */
function tomlChecks(file: SourceFile): Hit[] {
  const hits: Hit[] = [];
  const text = file.text;
  let table = '';
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const header = /^\s*\[([^\]]+)\]\s*(?:#.*)?$/.exec(line);
    if (header) table = header[1]!.trim();
    else if (/^mcp_servers\./.test(table)) {
      const pair = /^\s*("?)([\w.-]+)\1\s*=\s*(.*)$/.exec(line);
      if (pair) {
        const key = pair[2]!;
        const valueOffset = lineStart + line.length - pair[3]!.length;
        const sub = table.split('.').slice(2).join('.');
        if (sub === 'env' || sub === 'http_headers') tomlValue(key, pair[3]!, valueOffset, hits);
        else if (key === 'env' || key === 'http_headers') {
          for (const inner of pair[3]!.matchAll(/("?)([\w.-]+)\1\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')/g)) tomlValue(inner[2]!, inner[3]!, valueOffset + inner.index! + inner[0].length - inner[3]!.length, hits);
        } else if (key === 'bearer_token') tomlValue('token', pair[3]!, valueOffset, hits);
        else if (key === 'args') {
          const items = [...pair[3]!.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((match) => {
            const value = match[1] ?? match[2]!;
            const start = valueOffset + match.index! + 1;
            return { kind: 'scalar', value, text: value, start: start - 1, end: start + value.length + 1, valueStart: start, valueEnd: start + value.length, style: 'double' } satisfies Scalar;
          });
          hits.push(...argumentChecks(items));
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  return hits;
}

function tomlValue(key: string, raw: string, offset: number, hits: Hit[]): void {
  const string = /^\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')/.exec(raw);
  if (!string) return;
  const value = string[1] ?? string[2]!;
  const start = offset + string[0].indexOf(value);
  const scalar: Scalar = { kind: 'scalar', value, text: value, start: start - 1, end: start + value.length + 1, valueStart: start, valueEnd: start + value.length, style: 'double' };
  headerValue(key, scalar, hits);
}
