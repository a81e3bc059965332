/**
 * The platform-neutral model of a pipeline that the shared CI checks read: jobs, their steps, the variables
 * each script can see, the scripts themselves, and what a job uploads or caches. Each platform module
 * (platforms/*.ts) builds one from its own syntax and adds the checks only its syntax allows (GitHub's
 * triggers and permissions, GitLab's includes, ...) as hits of its own.
 */
import type { CiPlatform } from './files.js';
import { containsReference, isSafeReference, isSecretName } from './references.js';
import type { Hit, SourceFile } from './source.js';
import { isScalarNode, mapEntries, seqItems, type MapNode, type Node, type Scalar } from './tree.js';

/** A variable or input: `env:`, `variables:`, `with:`, pipe variables, plugin settings, `NAME=value` items. */
export interface Setting {
  name: string;
  nameStart: number;
  nameEnd: number;
  /** The value as text ('' for maps such as `{ from_secret: x }`), and its span (inside quotes). */
  value: string;
  valueStart: number;
  valueEnd: number;
  /** The value comes from a secret store: the platform's reference syntax or a structural one. */
  fromSecret: boolean;
  /** The value is a literal string written in the file (not a reference, not a map). */
  literal: boolean;
}

export type ScriptLanguage = 'sh' | 'powershell' | 'cmd' | 'js';

/** Shell (or other) code a step runs, as it is written in the file. */
export interface Script {
  /** The source text; `text[i]` is at file offset `start + i`. */
  text: string;
  start: number;
  language: ScriptLanguage;
  /** The shell traces every command (`bash -x`): secrets used anywhere in it are printed. */
  traced?: boolean;
}

export interface Upload {
  kind: 'artifact' | 'cache';
  /** What uploads it, for the descriptor: `actions/upload-artifact`, `artifacts:paths`, ... */
  via: string;
  patterns: string[];
  excludes: string[];
  /** Everything in the workspace (GitLab `untracked: true`, a path of `.`). */
  everything: boolean;
  /** actions/upload-artifact leaves out dot-files unless `include-hidden-files: true`. */
  includeHidden: boolean;
  start: number;
  end: number;
}

/** A secret written into a file. */
export interface FileWrite {
  /** The file, workspace-relative when it is in the workspace; undefined when it is not (or unknown). */
  file: string | undefined;
  start: number;
  end: number;
  /** What is written: a secret's name, "the environment", a credentials file. */
  what: string;
  /** Report at the upload that takes the file rather than at the write (nothing in the file writes it). */
  reportAtUpload?: boolean;
}

export interface Step {
  /** The action, pipe, plugin, orb command or image the step runs, when it names one. */
  uses?: Scalar;
  inputs: Setting[];
  env: Setting[];
  scripts: Script[];
  uploads: Upload[];
  /** Files the step writes secrets into without a script (google-github-actions/auth's gha-creds-*.json). */
  writes: FileWrite[];
}

export interface Job {
  name: string;
  /** Variables every step of the job sees (the pipeline's and the job's). */
  env: Setting[];
  steps: Step[];
  /** Uploaded after the steps (GitLab `artifacts:`, Bitbucket `artifacts:`). */
  uploads: Upload[];
}

/** What a platform module returns. */
export interface PipelineModel {
  jobs: Job[];
  /** Platform-specific findings. */
  hits: Hit[];
  /** Spans whose text is a reference or an encrypted blob (Travis `secure:`): detector hits there are dropped. */
  safeSpans: [number, number][];
  /** Nodes a specific check reports; the catch-all hardcoded-secret walk leaves them alone. */
  claimed: Set<Node>;
  /** Nodes holding code (scripts): the walk leaves them to the script checks. */
  scriptNodes: Set<Node>;
  /** GitLab: local files this pipeline includes. */
  includes: string[];
}

export function emptyModel(): PipelineModel {
  return { jobs: [], hits: [], safeSpans: [], claimed: new Set(), scriptNodes: new Set(), includes: [] };
}

export function newStep(fields: Partial<Step> = {}): Step {
  return { inputs: [], env: [], scripts: [], uploads: [], writes: [], ...fields };
}

/** Environment variables the platform puts in every job that hold credentials. */
export const BUILTIN_SECRET_VARIABLES: Partial<Record<CiPlatform, string[]>> = {
  gitlab: ['CI_JOB_TOKEN', 'CI_REGISTRY_PASSWORD', 'CI_DEPLOY_PASSWORD', 'CI_JOB_JWT', 'CI_JOB_JWT_V1', 'CI_JOB_JWT_V2', 'CI_BUILD_TOKEN', 'CI_DEPENDENCY_PROXY_PASSWORD'],
  circleci: ['CIRCLE_OIDC_TOKEN', 'CIRCLE_OIDC_TOKEN_V2'],
  bitbucket: ['BITBUCKET_STEP_OIDC_TOKEN'],
  azure: ['SYSTEM_ACCESSTOKEN', 'System.AccessToken'],
  buildkite: ['BUILDKITE_AGENT_ACCESS_TOKEN'],
  drone: ['DRONE_NETRC_PASSWORD'],
  woodpecker: ['CI_NETRC_PASSWORD'],
};

/**
 * Platforms whose jobs get the project's secrets in their environment without the file naming them
 * (GitLab CI/CD variables, CircleCI contexts and project variables, Bitbucket repository variables, ...):
 * there, `$DEPLOY_TOKEN` in a script is a secret even if the file never defines it.
 */
export const AMBIENT_SECRETS: ReadonlySet<CiPlatform> = new Set<CiPlatform>(['gitlab', 'circleci', 'bitbucket', 'azure', 'buildkite', 'travis', 'codebuild', 'cirrus', 'harness', 'jenkins']);

/** True when a setting's value text pulls a secret from the platform's store. */
export function referencesSecret(value: string, platform: CiPlatform): boolean {
  if (platform === 'github' || platform === 'gitea' || platform === 'dependabot') return /\$\{\{[^}]*\b(?:secrets\s*[.[]|github\.token\b)/.test(value);
  if (/\bcredentials\s*\(|<\+secrets\.|ENCRYPTED\[|\(\([\w.\-/:]+\)\)|\$\{\{[^}]*\bsecrets\./.test(value)) return true;
  const builtins = BUILTIN_SECRET_VARIABLES[platform] ?? [];
  for (const match of value.matchAll(/\$\$?\{?([A-Za-z_][\w.]*)\}?|\$\(([\w.]+)\)|%([A-Za-z_]\w*)%/g)) {
    const name = match[1] ?? match[2] ?? match[3] ?? '';
    if (isSecretName(name) || builtins.includes(name)) return true;
  }
  return false;
}

/** A setting from a map entry (`NAME: value`); a map value is read for structural references (`from_secret`). */
export function settingFromEntry(key: Scalar, value: Node | null, platform: CiPlatform): Setting {
  const base = { name: key.text, nameStart: key.valueStart, nameEnd: key.valueEnd };
  if (isScalarNode(value)) {
    const text = value.value === null ? '' : value.text;
    const fromSecret = referencesSecret(text, platform);
    return {
      ...base,
      value: text,
      valueStart: value.valueStart,
      valueEnd: value.valueEnd,
      fromSecret,
      literal: typeof value.value === 'string' && !value.tag?.includes('reference') && !containsReference(text) && !isSafeReference(text, platform),
    };
  }
  // A map value: `{ from_secret: x }` (Drone, Woodpecker), `valueFrom: { secretKeyRef }`, GitLab's
  // `{ value: x, description: y }`.
  const structural = value?.kind === 'map' ? structuralSecret(value) : false;
  const inner = value?.kind === 'map' ? mapEntries(value).find((entry) => entry.key.text === 'value')?.value : undefined;
  if (isScalarNode(inner)) return { ...settingFromEntry(key, inner, platform), fromSecret: structural || referencesSecret(inner.text, platform) };
  return {
    ...base,
    value: '',
    valueStart: value?.start ?? key.end,
    valueEnd: value?.end ?? key.end,
    fromSecret: structural,
    literal: false,
  };
}

function structuralSecret(node: MapNode): boolean {
  for (const { key, value } of node.entries) {
    if (key.text === 'from_secret' || key.text === 'secretKeyRef' || key.text === 'fromSecret') return true;
    if (key.text === 'valueFrom' && value?.kind === 'map' && structuralSecret(value)) return true;
  }
  return false;
}

/** Settings from a map (`env: { A: b }`) or a list of `NAME=value` strings or `{ name, value }` maps. */
export function settingsOf(node: Node | null | undefined, platform: CiPlatform): Setting[] {
  if (!node) return [];
  if (node.kind === 'map') return node.entries.map(({ key, value }) => settingFromEntry(key, value, platform));
  if (node.kind === 'seq') {
    const settings: Setting[] = [];
    for (const item of seqItems(node)) {
      if (item.kind === 'scalar') settings.push(...assignmentsIn(item, platform));
      else if (item.kind === 'map') {
        const name = mapEntries(item).find((entry) => entry.key.text === 'name')?.value;
        if (isScalarNode(name)) {
          const valueEntry = mapEntries(item).find((entry) => entry.key.text === 'value' || entry.key.text === 'default' || entry.key.text === 'valueFrom');
          const setting = settingFromEntry(name, valueEntry?.value ?? null, platform);
          if (valueEntry?.key.text === 'valueFrom') setting.fromSecret = valueEntry.value?.kind === 'map' && structuralSecret({ kind: 'map', entries: [valueEntry], start: 0, end: 0 }); // secretscan:allow generic-secret-assignment -- code, not a value
          settings.push(setting);
        } else {
          // Azure's list form puts `- group:` and `- template:` here: no variables the file can see.
          for (const { key, value } of mapEntries(item)) if (isScalarNode(value) && key.text !== 'group' && key.text !== 'template') settings.push(settingFromEntry(key, value, platform));
        }
      }
    }
    return settings;
  }
  return [];
}

/**
 * `NAME=value` assignments in a string item ("API_TOKEN=abc", Travis' "A=1 B=2", Cloud Build's env list),
 * with the value's span in the file. Quotes around the value are dropped from the span.
 */
export function assignmentsIn(item: Scalar, platform: CiPlatform): Setting[] {
  if (typeof item.value !== 'string' || item.style === 'block') return [];
  const settings: Setting[] = [];
  const raw = item.text;
  // Offsets map 1:1 only for plain and quoted scalars without escapes; otherwise report the whole item.
  const exact = item.valueEnd - item.valueStart === raw.length;
  const pattern = /(?:^|\s)(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)=("[^"]*"|'[^']*'|\S*)/g;
  for (const match of raw.matchAll(pattern)) {
    const name = match[1]!;
    let value = match[2]!;
    let offset = match.index! + match[0].length - value.length;
    if (/^["']/.test(value)) {
      value = value.slice(1, -1);
      offset += 1;
    }
    const nameOffset = match.index! + match[0].indexOf(name);
    const position = (at: number) => (exact ? item.valueStart + at : item.valueStart);
    settings.push({
      name,
      nameStart: position(nameOffset),
      nameEnd: exact ? position(nameOffset + name.length) : item.valueEnd,
      value,
      valueStart: position(offset),
      valueEnd: exact ? position(offset + value.length) : item.valueEnd,
      fromSecret: referencesSecret(value, platform),
      literal: !containsReference(value) && !isSafeReference(value, platform),
    });
  }
  return settings;
}

/** A script from a scalar node: its text as written, so offsets into it are file offsets. */
export function scriptOf(node: Scalar, file: SourceFile, language: ScriptLanguage = 'sh'): Script {
  return { text: file.text.slice(node.valueStart, node.valueEnd), start: node.valueStart, language };
}

/** Names of the variables among `settings` that hold secrets (for scripts that expand them). */
export function secretVariableNames(settings: readonly Setting[], platform: CiPlatform): Set<string> {
  const names = new Set<string>();
  for (const setting of settings) {
    if (setting.fromSecret || (AMBIENT_SECRETS.has(platform) && isSecretName(setting.name) && setting.value !== '')) names.add(setting.name);
  }
  return names;
}
