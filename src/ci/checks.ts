/**
 * The CI checks every platform shares, over the neutral model (model.ts) and the parsed tree:
 *
 * - scripts: secrets printed, traced or dumped into the log; literal registry passwords; credentials in URLs
 *   and headers; literal secrets assigned in shell; secrets written into files (shell.ts does the reading);
 * - secrets written into the workspace and then uploaded as an artifact or cached;
 * - static cloud keys where the platform can federate with OIDC instead;
 * - static package-publishing tokens where the registry offers trusted publishing from this platform;
 * - the catch-all walk: literal values under secret-named keys anywhere in the file, and credentials inside
 *   URL-valued settings.
 *
 * Platform modules add what only their syntax allows (platforms/*.ts).
 */
import { globMatches, PLATFORM_NAMES, type CiPlatform } from './files.js';
import { AMBIENT_SECRETS, assignmentsIn, secretVariableNames, type FileWrite, type Job, type PipelineModel, type Setting, type Upload } from './model.js';
import { isLiteralSecretValue, isSecretName } from './references.js';
import { analyzeScript, credentialsInText, workspacePath, type PublishCommand, type Registry, type XtraceState } from './shell.js';
import type { Hit, SourceFile } from './source.js';
import { isScalarNode, mapEntries, walk, type Node, type Scalar } from './tree.js';

/** Runs the shared checks over a model. */
export function modelChecks(model: PipelineModel, platform: CiPlatform): Hit[] {
  return model.jobs.flatMap((job) => jobChecks(job, platform));
}

function jobChecks(job: Job, platform: CiPlatform): Hit[] {
  const hits: Hit[] = [];
  const ambient = AMBIENT_SECRETS.has(platform);
  const jobSecrets = secretVariableNames(job.env, platform);
  const writes: { write: FileWrite; step: number }[] = [];
  const uploads: { upload: Upload; step: number }[] = [];
  const publishes: PublishCommand[] = [];
  const settings: Setting[] = [...job.env];

  job.steps.forEach((step, index) => {
    const stepSecrets = new Set([...jobSecrets, ...secretVariableNames(step.env, platform)]);
    // The scripts of one step run in one shell session: `set -x` in one traces the next.
    let xtrace: XtraceState | undefined;
    for (const script of step.scripts) {
      const analysis = analyzeScript(script, {
        platform,
        secretVariables: stepSecrets,
        ambient,
        environmentHasSecrets: ambient || stepSecrets.size > 0,
        xtrace: script.traced ? { on: true, reported: xtrace?.reported ?? false } : xtrace,
      });
      xtrace = analysis.xtrace;
      hits.push(...analysis.hits);
      for (const write of analysis.writes) writes.push({ write, step: index });
      publishes.push(...analysis.publishes);
    }
    for (const write of step.writes) writes.push({ write, step: index });
    for (const upload of step.uploads) uploads.push({ upload, step: index });
    settings.push(...step.env, ...step.inputs);
  });
  for (const upload of job.uploads) uploads.push({ upload, step: Number.POSITIVE_INFINITY });

  // A secret in a workspace file that a later step (or the job's artifacts) uploads or caches.
  for (const { write, step } of writes) {
    if (write.file === undefined) continue;
    const taken = uploads.find((candidate) => candidate.step > step && covers(candidate.upload, write.file!));
    if (!taken) continue;
    const { upload } = taken;
    const at = write.reportAtUpload ? upload : write;
    const verb = upload.kind === 'cache' ? 'cached' : 'uploaded';
    hits.push({ ruleId: 'ci-secret-to-artifact', start: at.start, end: at.end, secret: `${write.what} written to ${write.file} and ${verb} (${upload.via})` });
  }

  hits.push(...staticCloudKeys(settings, platform, job));
  hits.push(...staticPublishTokens(settings, publishes, platform, job));
  return hits;
}

// ------------------------------------------------------------------------------------------------ uploads

function covers(upload: Upload, file: string): boolean {
  const hidden = file.split('/').some((part) => part.startsWith('.'));
  if (hidden && !upload.includeHidden) return false;
  if (upload.excludes.some((pattern) => matchesPath(pattern, file))) return false;
  if (upload.everything) return true;
  return upload.patterns.some((pattern) => matchesPath(pattern, file));
}

function matchesPath(pattern: string, file: string): boolean {
  const path = workspacePath(pattern.replace(/^!/, ''));
  if (path === undefined) return false;
  if (path === '.' || path === '*' || path === '**' || path === '**/*') return true;
  const directory = path.replace(/\/+$/, '');
  return globMatches(directory, file) || file.startsWith(`${directory}/`) || globMatches(`${directory}/**`, file);
}

// -------------------------------------------------------------------------------------------- cloud keys

type Cloud = 'AWS' | 'Google Cloud' | 'Azure';

/** Setting names (lower-case, `-` as `_`) that carry a cloud provider's long-lived keys. */
const CLOUD_KEY_NAMES: Record<string, Cloud> = {
  aws_access_key_id: 'AWS',
  aws_secret_access_key: 'AWS',
  aws_access_key: 'AWS',
  aws_secret_key: 'AWS',
  aws_secret_access_key_id: 'AWS',
  google_credentials: 'Google Cloud',
  google_application_credentials_json: 'Google Cloud',
  google_cloud_keyfile_json: 'Google Cloud',
  gcloud_service_key: 'Google Cloud',
  gcp_sa_key: 'Google Cloud',
  gcp_service_account_key: 'Google Cloud',
  gcp_credentials: 'Google Cloud',
  gcp_credentials_json: 'Google Cloud',
  credentials_json: 'Google Cloud',
  service_account_key: 'Google Cloud',
  gke_service_account_key: 'Google Cloud',
  azure_client_secret: 'Azure',
  arm_client_secret: 'Azure',
  azure_credentials: 'Azure',
  azure_password: 'Azure',
};

/** Platforms with OIDC federation (or a native workload identity) that makes stored cloud keys unnecessary. */
export const OIDC_PLATFORMS: ReadonlySet<CiPlatform> = new Set<CiPlatform>(['github', 'gitlab', 'circleci', 'bitbucket', 'buildkite', 'azure', 'codebuild', 'cloudbuild', 'tekton', 'argo', 'cirrus', 'harness']);

export function cloudOfSetting(name: string): Cloud | undefined {
  return CLOUD_KEY_NAMES[name.toLowerCase().replace(/-/g, '_')];
}

/** Settings among `settings` that hand static cloud keys to a pipeline that could federate instead. */
export function staticCloudKeys(settings: readonly Setting[], platform: CiPlatform, job?: Job): Hit[] {
  if (!OIDC_PLATFORMS.has(platform)) return [];
  const hits: Hit[] = [];
  const azureLogin = (job?.steps ?? []).flatMap((step) => (step.uses && /^azure\/login@/i.test(step.uses.text) ? step.inputs : []));
  for (const setting of settings) {
    const cloud = cloudOfSetting(setting.name) ?? (setting.name === 'creds' && azureLogin.includes(setting) ? 'Azure' : undefined);
    if (!cloud || (setting.value.trim() === '' && !setting.fromSecret)) continue;
    if (handedOn(setting.value)) continue;
    // A literal that cannot be a key (`randomKey` for a local DynamoDB or S3 emulator) is a stand-in; an
    // env var's name (CircleCI orb parameters take names) and a real-looking key are stored keys.
    if (setting.literal && !/^[A-Z][A-Z0-9_]*$/.test(setting.value.trim()) && !isLiteralSecretValue(setting.value, platform, 16)) continue;
    hits.push({ ruleId: 'ci-static-cloud-keys', start: setting.nameStart, end: setting.nameEnd, secret: `static ${cloud} credentials in ${setting.name} (${PLATFORM_NAMES[platform]} can use OIDC federation)` });
  }
  return hits;
}

/** Credentials handed on from an earlier step (an OIDC exchange's outputs) are not stored ones. */
function handedOn(value: string): boolean {
  return /\b(?:steps|needs|jobs)\.[\w-]+\.outputs\b|\boutputs\./.test(value);
}

// ------------------------------------------------------------------------------------------ publish tokens

/** Where each registry accepts trusted publishing (OIDC) instead of a stored token. */
export const TRUSTED_PUBLISHING: Record<Registry, readonly CiPlatform[]> = {
  npm: ['github', 'gitlab'],
  pypi: ['github', 'gitlab', 'cloudbuild'],
  rubygems: ['github'],
  crates: ['github'],
  nuget: ['github'],
};

const REGISTRY_NAMES: Record<Registry, string> = { npm: 'npm', pypi: 'PyPI', rubygems: 'RubyGems', crates: 'crates.io', nuget: 'NuGet' };

/** Token settings: the registry, and whether the name alone means publishing (NODE_AUTH_TOKEN also reads). */
const PUBLISH_TOKEN_NAMES: Record<string, { registry: Registry; publishes: boolean }> = {
  npm_token: { registry: 'npm', publishes: false },
  node_auth_token: { registry: 'npm', publishes: false },
  npm_auth_token: { registry: 'npm', publishes: false },
  npm_config__authtoken: { registry: 'npm', publishes: false },
  yarn_npm_auth_token: { registry: 'npm', publishes: false },
  twine_password: { registry: 'pypi', publishes: true },
  pypi_token: { registry: 'pypi', publishes: true },
  pypi_api_token: { registry: 'pypi', publishes: true },
  pypi_password: { registry: 'pypi', publishes: true },
  poetry_pypi_token_pypi: { registry: 'pypi', publishes: true },
  uv_publish_token: { registry: 'pypi', publishes: true },
  uv_publish_password: { registry: 'pypi', publishes: true },
  flit_password: { registry: 'pypi', publishes: true },
  hatch_index_auth: { registry: 'pypi', publishes: true },
  pdm_publish_password: { registry: 'pypi', publishes: true },
  gem_host_api_key: { registry: 'rubygems', publishes: true },
  rubygems_api_key: { registry: 'rubygems', publishes: true },
  cargo_registry_token: { registry: 'crates', publishes: true },
  cargo_registries_crates_io_token: { registry: 'crates', publishes: true },
  crates_io_token: { registry: 'crates', publishes: true },
  nuget_api_key: { registry: 'nuget', publishes: false },
  nuget_token: { registry: 'nuget', publishes: false },
};

/** Settings that send PyPI-style uploads to another index (devpi, Artifactory, a private registry). */
const PYPI_INDEX_SETTINGS = new Set(['twine_repository_url', 'twine_repository', 'uv_publish_url', 'repository_url', 'poetry_repositories_private_url', 'flit_index_url', 'hatch_index_repo', 'pdm_publish_repo']);

/** Publishing actions and the input that takes the token. */
const PUBLISH_ACTIONS: { action: RegExp; registry: Registry; input?: string }[] = [
  { action: /^pypa\/gh-action-pypi-publish@/i, registry: 'pypi', input: 'password' },
  { action: /^js-devtools\/npm-publish@/i, registry: 'npm', input: 'token' },
  { action: /^katyo\/publish-crates@/i, registry: 'crates', input: 'registry-token' },
  { action: /^changesets\/action@/i, registry: 'npm' },
  { action: /^cycjimmy\/semantic-release-action@/i, registry: 'npm' },
];

function staticPublishTokens(settings: readonly Setting[], publishes: readonly PublishCommand[], platform: CiPlatform, job: Job): Hit[] {
  const hits: Hit[] = [];
  const trusted = (registry: Registry) => TRUSTED_PUBLISHING[registry].includes(platform);
  const published = new Set(publishes.map((publish) => publish.registry));
  const actionInputs = new Set<Setting>();
  for (const step of job.steps) {
    const action = step.uses && PUBLISH_ACTIONS.find((candidate) => candidate.action.test(step.uses!.text));
    if (!action) continue;
    published.add(action.registry);
    const input = action.input && step.inputs.find((setting) => setting.name === action.input);
    if (input && input.value.trim() !== '' && trusted(action.registry)) {
      actionInputs.add(input);
      hits.push(publishHit(input.nameStart, input.nameEnd, action.registry, `${step.uses!.text.split('@')[0]} ${input.name}`, platform));
    }
  }
  // GitHub Packages and private indexes have no trusted publishing; their tokens are not the problem here.
  const everything = settings.map((setting) => setting.value).join('\n');
  const githubPackages = /npm\.pkg\.github\.com|\bGITHUB_TOKEN\b|github\.token/.test(everything);
  const privateIndex = settings.some((setting) => PYPI_INDEX_SETTINGS.has(setting.name.toLowerCase().replace(/-/g, '_')) && !/(?:^|[/.])pypi\.org\b|^(?:pypi|testpypi)$/.test(setting.value.trim()));
  for (const setting of settings) {
    if (actionInputs.has(setting)) continue;
    const token = PUBLISH_TOKEN_NAMES[setting.name.toLowerCase().replace(/-/g, '_')];
    if (!token || setting.value.trim() === '' || !trusted(token.registry) || handedOn(setting.value)) continue;
    if (!token.publishes && !published.has(token.registry)) continue;
    if (token.registry === 'npm' && (githubPackages || /\bGITHUB_TOKEN\b|github\.token/.test(setting.value))) continue;
    if (token.registry === 'pypi' && privateIndex) continue;
    hits.push(publishHit(setting.nameStart, setting.nameEnd, token.registry, setting.name, platform));
  }
  for (const publish of publishes) {
    if (!publish.credential || !trusted(publish.registry)) continue;
    hits.push(publishHit(publish.credential.start, publish.credential.end, publish.registry, 'a command-line token', platform));
  }
  return hits;
}

function publishHit(start: number, end: number, registry: Registry, what: string, platform: CiPlatform): Hit {
  return { ruleId: 'ci-static-publish-token', start, end, secret: `static ${REGISTRY_NAMES[registry]} token (${what}) where ${PLATFORM_NAMES[platform]} has trusted publishing` };
}

// ---------------------------------------------------------------------------------------- catch-all walk

/**
 * Values set for service containers (`services:` of GitHub jobs, GitLab, Bitbucket, Drone and Woodpecker;
 * CircleCI's secondary images): the passwords of throwaway test databases, which the job then repeats in
 * its own variables to connect. Neither place is a leaked credential.
 */
function serviceValues(roots: readonly (Node | null)[]): Set<string> {
  const values = new Set<string>();
  const collect = (node: Node) =>
    walk(node, (child) => {
      if (isScalarNode(child) && typeof child.value === 'string' && child.text.length < 200) values.add(child.text);
    });
  for (const root of roots) {
    walk(root, (node, key) => {
      if (key === 'services' && node.kind !== 'scalar') {
        collect(node);
        return false;
      }
      if (key === 'docker' && node.kind === 'seq') for (const image of node.items.slice(1)) if (image) collect(image);
      return true;
    });
  }
  return values;
}

/** Keys whose values are pointers into secret stores, never values: the walk does not look inside. */
const POINTER_KEYS = new Set(['from_secret', 'secretKeyRef', 'secretRef', 'parameter-store', 'secrets-manager', 'availableSecrets', 'secretEnv', 'image_pull_secrets', 'imagePullSecrets', 'secure']);

/**
 * Literal values under secret-named keys anywhere in the file (env, variables, with, substitutions, plugin
 * settings, deploy providers, ...), `NAME=value` items of lists, `{ name, value }` pairs, and credentials
 * inside URL-valued settings. Scripts and nodes another check reports are left alone.
 */
export function literalWalk(roots: readonly (Node | null)[], model: PipelineModel, platform: CiPlatform, file: SourceFile): Hit[] {
  const hits: Hit[] = [];
  const throwaway = serviceValues(roots);
  const literalHit = (name: string, value: Scalar) => {
    if (model.claimed.has(value) || typeof value.value !== 'string' || value.tag?.includes('reference')) return;
    if (!isSecretName(name) || !isLiteralSecretValue(value.text, platform) || throwaway.has(value.text)) return;
    hits.push({ ruleId: 'ci-hardcoded-secret', start: value.valueStart, end: value.valueEnd, secret: value.text });
  };
  for (const root of roots) {
    walk(root, (node, key) => {
      if (model.claimed.has(node) || model.scriptNodes.has(node)) return false;
      if (key !== undefined && POINTER_KEYS.has(key)) return false;
      if (key === 'services' && node.kind !== 'scalar') return false;
      if (platform === 'gitlab' && key === 'secrets') return false; // Vault, AWS, GCP, Azure secret references
      if (node.kind === 'map') {
        const name = mapEntries(node).find((entry) => entry.key.text === 'name')?.value;
        for (const { key: entryKey, value } of node.entries) {
          if (isScalarNode(value)) {
            if ((entryKey.text === 'value' || entryKey.text === 'default') && isScalarNode(name)) literalHit(name.text, value);
            else literalHit(entryKey.text, value);
          } else if (value?.kind === 'map') {
            // GitLab's `VAR: { value: x, description: y }`.
            const inner = mapEntries(value).find((entry) => entry.key.text === 'value')?.value;
            if (isScalarNode(inner) && !mapEntries(value).some((entry) => entry.key.text === 'name')) literalHit(entryKey.text, inner);
          }
        }
      } else if (node.kind === 'seq') {
        for (const item of node.items) {
          if (!isScalarNode(item) || model.claimed.has(item) || model.scriptNodes.has(item)) continue;
          for (const setting of assignmentsIn(item, platform)) {
            if (!setting.literal || !isSecretName(setting.name) || !isLiteralSecretValue(setting.value, platform) || throwaway.has(setting.value)) continue;
            hits.push({ ruleId: 'ci-hardcoded-secret', start: setting.valueStart, end: setting.valueEnd, secret: setting.value });
          }
        }
      } else if (typeof node.value === 'string' && /:\/\/|:\s/.test(node.text)) {
        hits.push(...credentialsInText(file.text.slice(node.valueStart, node.valueEnd), node.valueStart, { platform }).filter(() => !model.claimed.has(node)));
      }
      return true;
    });
  }
  return hits;
}
