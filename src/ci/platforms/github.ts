/**
 * GitHub Actions workflows and actions (also Gitea and Forgejo, which read the same syntax): the model for
 * the shared checks, and the checks only this syntax allows: untrusted checkouts in privileged triggers,
 * token permissions, unpinned third-party actions that receive secrets, `toJSON(secrets)` and
 * `secrets: inherit`, secrets interpolated into `run:` scripts, self-hosted runners on fork pull requests.
 */
import type { CiPlatform } from '../files.js';
import { newStep, scriptOf, secretVariableNames, settingsOf, type Job, type PipelineModel, type Script, type Step, type Upload } from '../model.js';
import { isLiteralSecretValue, isSecretName } from '../references.js';
import type { Hit, SourceFile } from '../source.js';
import { entry, get, isMapNode, isScalarNode, listOf, mapEntries, seqItems, text, walk, type Node, type Scalar } from '../tree.js';

/** Triggers that run with the base repository's secrets and a write token on events outsiders can cause. */
const PRIVILEGED_TRIGGERS = ['pull_request_target', 'workflow_run', 'issue_comment'];
const RISKY_TRIGGERS = [...PRIVILEGED_TRIGGERS, 'issues', 'discussion', 'discussion_comment', 'pull_request_review', 'pull_request_review_comment'];
const FORK_TRIGGERS = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'];

/** Expressions that name the pull request's head: checking them out runs the contributor's code. */
const PR_HEAD =
  /github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch)|refs\/pull\/|github\.event\.(?:issue|pull_request)\.number|github\.event\.number|merge_commit_sha|steps\.[\w-]+\.outputs\.[\w-]*(?:head|sha|ref|pr)[\w-]*/;
const PR_HEAD_REPOSITORY = /head\.repo\.full_name|pull_request\.head\.repo|workflow_run\.head_repository/;
const PR_CHECKOUT_COMMAND =
  /\bgh\s+pr\s+checkout\b|\bhub\s+pr\s+checkout\b|\bgit\s+(?:fetch|pull)\b[^\n]*\bpull\/[^\s/]+\/(?:head|merge)\b|\bgit\s+(?:fetch|pull|checkout|switch)\b[^\n]*\$\{\{\s*github\.(?:head_ref|event\.pull_request\.head\.(?:sha|ref)|event\.workflow_run\.head_(?:sha|branch))/;
/** A job condition that keeps fork pull requests out. */
const SAME_REPOSITORY_GUARD =
  /head\.repo\.full_name\s*==\s*github\.repository\b|github\.repository\s*==\s*github\.event\.pull_request\.head\.repo\.full_name|head\.repo\.fork\s*==\s*false|!\s*github\.event\.pull_request\.head\.repo\.fork|head_repository\.full_name\s*==\s*github\.repository\b/;
/** Steps after a checkout that do not run what was checked out. */
const INERT_ACTIONS = /^actions\/(?:upload-artifact|download-artifact)@/i;
const FIRST_PARTY_OWNERS = new Set(['actions', 'github']);
/** Step debug logging: ACTIONS_STEP_DEBUG and ACTIONS_RUNNER_DEBUG, and RUNNER_DEBUG, which the toolkit reads. */
const DEBUG_VARIABLES = new Set(['ACTIONS_STEP_DEBUG', 'ACTIONS_RUNNER_DEBUG', 'RUNNER_DEBUG']);

export function githubModel(root: Node | null, file: SourceFile, platform: CiPlatform, model: PipelineModel): void {
  if (!isMapNode(root)) return;
  const hits = model.hits;
  const triggers = triggersOf(get(root, 'on'));
  const workflowEnv = settingsOf(get(root, 'env'), platform);

  // Composite actions: `runs.steps` are one job; inputs' defaults are values written in the file.
  const runs = get(root, 'runs');
  if (isMapNode(runs)) {
    const job: Job = { name: 'action', env: settingsOf(get(runs, 'env'), platform), steps: [], uploads: [] };
    for (const stepNode of seqItems(get(runs, 'steps'))) job.steps.push(stepOf(stepNode, file, platform, model));
    model.jobs.push(job);
  }
  inputDefaults(get(root, 'inputs'), model, platform);
  const on = get(root, 'on');
  for (const trigger of ['workflow_call', 'workflow_dispatch']) inputDefaults(get(get(on, trigger), 'inputs'), model, platform);

  // Permissions.
  const workflowPermissions = entry(root, 'permissions');
  writeAll(workflowPermissions?.value, hits);
  const jobs = mapEntries(get(root, 'jobs'));
  if (platform === 'github' && !workflowPermissions) {
    const risky = triggers.find((trigger) => RISKY_TRIGGERS.includes(trigger.name));
    const unprotected = jobs.some(({ value }) => !entry(value, 'permissions'));
    if (risky && unprotected) {
      hits.push({ ruleId: 'ci-excessive-permissions', start: risky.node.valueStart, end: risky.node.valueEnd, secret: `no permissions: block in a workflow triggered by ${risky.name}` });
    }
  }

  for (const { key, value: jobNode } of jobs) {
    if (!isMapNode(jobNode)) continue;
    writeAll(get(jobNode, 'permissions'), hits);
    const container = get(jobNode, 'container');
    const env = [...workflowEnv, ...settingsOf(get(jobNode, 'env'), platform), ...settingsOf(get(container, 'env'), platform)];
    const job: Job = { name: key.text, env, steps: [], uploads: [] };
    const condition = text(get(jobNode, 'if')) ?? '';
    const guarded = SAME_REPOSITORY_GUARD.test(condition);

    // Registry credentials of the job's container and service containers.
    for (const holder of [container, ...mapEntries(get(jobNode, 'services')).map((service) => service.value)]) {
      const password = get(get(holder, 'credentials'), 'password');
      if (!isScalarNode(password)) continue;
      model.claimed.add(password);
      if (typeof password.value === 'string' && isLiteralSecretValue(password.text, platform, 6)) hits.push({ ruleId: 'ci-registry-literal-password', start: password.valueStart, end: password.valueEnd, secret: password.text });
    }

    // A reusable workflow call: its inputs and secrets are handed over like an action's.
    const uses = get(jobNode, 'uses');
    if (isScalarNode(uses)) {
      const secrets = get(jobNode, 'secrets');
      const inputs = [...settingsOf(get(jobNode, 'with'), platform), ...settingsOf(secrets, platform)];
      job.steps.push(newStep({ uses, inputs }));
      // A workflow of this repository is the same code under the same review: inherit is a convenience there.
      // Another repository's workflow gets every secret of this one.
      if (isScalarNode(secrets) && secrets.text === 'inherit' && !uses.text.startsWith('./')) {
        hits.push({ ruleId: 'ci-all-secrets-exposed', start: secrets.valueStart, end: secrets.valueEnd, secret: `secrets: inherit passes every secret to ${uses.text.split('@')[0]}` });
      }
      const receives = isScalarNode(secrets) ? secrets.text === 'inherit' : inputs.some((setting) => setting.fromSecret);
      unpinned(uses, receives, hits);
    }

    for (const stepNode of seqItems(get(jobNode, 'steps'))) job.steps.push(stepOf(stepNode, file, platform, model));
    model.jobs.push(job);
    if (!guarded) untrustedCheckout(job, triggers, hits);
    if (platform === 'github' && !guarded) selfHosted(get(jobNode, 'runs-on'), triggers, hits);
  }

  // Actions see the step's inputs and env, and the job's env: any secret there is handed to their code.
  for (const job of model.jobs) {
    const jobSecrets = secretVariableNames(job.env, platform);
    for (const step of job.steps) {
      if (!step.uses) continue;
      const receives = jobSecrets.size > 0 || step.inputs.some((setting) => setting.fromSecret) || step.env.some((setting) => setting.fromSecret);
      unpinned(step.uses, receives, hits);
    }
  }

  // Debug logging switched on in the committed file: actions print their debug output (inputs, tokens
  // they handle) into the log. It belongs on a single re-run, not in `env:`.
  for (const job of model.jobs) {
    for (const setting of [...job.env, ...job.steps.flatMap((step) => step.env)]) {
      if (!DEBUG_VARIABLES.has(setting.name) || !/^(?:true|1)$/i.test(setting.value.trim())) continue;
      hits.push({ ruleId: 'ci-secret-in-logs', start: setting.nameStart, end: setting.nameEnd, secret: `${setting.name} enabled in the committed configuration` });
    }
  }

  // Interpolation of secrets into scripts, and expressions that hand over every secret.
  for (const job of model.jobs) {
    for (const step of job.steps) {
      for (const script of step.scripts) {
        for (const match of script.text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
          const secret = /\bsecrets\s*\.\s*([\w-]+)|\bsecrets\s*\[|\bgithub\.token\b|\btojson\s*\(\s*secrets\s*\)/i.exec(match[1]!);
          if (!secret) continue;
          const name = secret[1] ? `secrets.${secret[1]}` : secret[0].replace(/\s*\[$/, '[…]').replace(/\s+/g, '');
          const where = script.language === 'js' ? 'a github-script script' : 'a run: script';
          hits.push({ ruleId: 'ci-secret-interpolated-in-script', start: script.start + match.index!, end: script.start + match.index! + match[0].length, secret: `${name} interpolated into ${where}` });
        }
      }
    }
  }
  walk(root, (node) => {
    if (!isScalarNode(node) || typeof node.value !== 'string' || !node.text.includes('secrets')) return;
    const source = file.text.slice(node.valueStart, node.valueEnd);
    for (const match of source.matchAll(/\bto[Jj][Ss][Oo][Nn]\s*\(\s*secrets\s*\)|\bsecrets\s*\[\s*(?!['"][\w-]+['"]\s*\])[^\]]*\]/gi)) {
      const all = /^to/i.test(match[0]);
      hits.push({
        ruleId: 'ci-all-secrets-exposed',
        start: node.valueStart + match.index!,
        end: node.valueStart + match.index! + match[0].length,
        secret: all ? 'toJSON(secrets) exposes every secret' : 'secrets[…] with a computed name makes every secret available to the job',
      });
    }
  });
}

function stepOf(node: Node, file: SourceFile, platform: CiPlatform, model: PipelineModel): Step {
  const uses = get(node, 'uses');
  const withNode = get(node, 'with');
  const step = newStep({ inputs: settingsOf(withNode, platform), env: settingsOf(get(node, 'env'), platform), ...(isScalarNode(uses) ? { uses } : {}) });
  const run = get(node, 'run');
  if (isScalarNode(run) && typeof run.value === 'string') {
    model.scriptNodes.add(run);
    const shell = text(get(node, 'shell')) ?? '';
    const language = /pwsh|powershell/i.test(shell) ? 'powershell' : /^cmd\b/i.test(shell) ? 'cmd' : /^python\b|^node\b/i.test(shell) ? 'js' : 'sh';
    const script: Script = scriptOf(run, file, language);
    // `shell: bash -x {0}` traces every command of the script.
    if (/\s-[a-z]*x[a-z]*\b/.test(shell)) script.traced = true;
    step.scripts.push(script);
  }
  if (!isScalarNode(uses)) return step;
  const action = uses.text.toLowerCase();
  if (action.startsWith('actions/github-script@')) {
    const script = get(withNode, 'script');
    if (isScalarNode(script)) {
      model.scriptNodes.add(script);
      step.scripts.push(scriptOf(script, file, 'js'));
    }
  }
  const upload = uploadOf(action, withNode);
  if (upload) {
    const path = get(withNode, 'path');
    const at = isScalarNode(path) ? path : uses;
    step.uploads.push({ ...upload, start: at.valueStart, end: at.valueEnd });
  }
  if (action.startsWith('google-github-actions/auth@') && text(get(withNode, 'create_credentials_file')) !== 'false') {
    // The action writes a service-account or workload-identity credential file into the workspace.
    step.writes.push({ file: 'gha-creds-0a1b2c3d4e5f6a7b.json', start: uses.valueStart, end: uses.valueEnd, what: 'Google Cloud credentials (gha-creds-*.json)', reportAtUpload: true });
  }
  return step;
}

function uploadOf(action: string, withNode: Node | null | undefined): Omit<Upload, 'start' | 'end'> | undefined {
  const kind = /^actions\/upload-artifact@/.test(action) ? 'artifact' : /^actions\/cache(?:\/save)?@/.test(action) ? 'cache' : undefined;
  if (!kind) return undefined;
  const lines = (text(get(withNode, 'path')) ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
  return {
    kind,
    via: action.split('@')[0]!,
    patterns: lines.filter((line) => !line.startsWith('!')),
    excludes: lines.filter((line) => line.startsWith('!')),
    everything: false,
    // upload-artifact v4.4+ leaves dot-files out unless asked; caches keep them.
    includeHidden: kind === 'cache' || text(get(withNode, 'include-hidden-files')) === 'true',
  };
}

interface Trigger {
  name: string;
  node: Scalar;
}

function triggersOf(on: Node | null | undefined): Trigger[] {
  if (isScalarNode(on)) return [{ name: on.text, node: on }];
  if (on?.kind === 'seq') return seqItems(on).filter(isScalarNode).map((node) => ({ name: node.text, node }));
  return mapEntries(on).map(({ key }) => ({ name: key.text, node: key }));
}

function writeAll(permissions: Node | null | undefined, hits: Hit[]): void {
  if (isScalarNode(permissions) && permissions.text === 'write-all') {
    hits.push({ ruleId: 'ci-excessive-permissions', start: permissions.valueStart, end: permissions.valueEnd, secret: 'permissions: write-all' });
  }
}

function inputDefaults(inputs: Node | null | undefined, model: PipelineModel, platform: CiPlatform): void {
  for (const { key, value } of mapEntries(inputs)) {
    const fallback = get(value, 'default');
    if (!isScalarNode(fallback) || !isSecretName(key.text)) continue;
    model.claimed.add(fallback);
    if (typeof fallback.value === 'string' && isLiteralSecretValue(fallback.text, platform)) {
      model.hits.push({ ruleId: 'ci-hardcoded-secret', start: fallback.valueStart, end: fallback.valueEnd, secret: fallback.text });
    }
  }
}

/** `owner/repo[/path]@ref` (or a URL to one) not pinned to a commit, receiving secrets. */
function unpinned(uses: Scalar, receivesSecrets: boolean, hits: Hit[]): void {
  if (!receivesSecrets) return;
  const reference = uses.text.trim();
  if (reference.startsWith('./') || reference.startsWith('.\\')) return;
  if (reference.startsWith('docker://')) {
    if (!/@sha256:[0-9a-f]{64}$/.test(reference)) hits.push({ ruleId: 'ci-unpinned-action-with-secrets', start: uses.valueStart, end: uses.valueEnd, secret: `container action ${reference} not pinned by digest receives secrets` });
    return;
  }
  const path = reference.replace(/^https?:\/\/[^/]+\//, '');
  const [name = '', ref = ''] = path.split('@');
  const owner = name.split('/')[0]!.toLowerCase();
  if (FIRST_PARTY_OWNERS.has(owner) && !/^https?:/.test(reference)) return;
  if (/^[0-9a-f]{40}$/.test(ref) || /^[0-9a-f]{64}$/.test(ref)) return;
  hits.push({ ruleId: 'ci-unpinned-action-with-secrets', start: uses.valueStart, end: uses.valueEnd, secret: `third-party ${name}@${ref || '(no ref)'} not pinned to a commit SHA receives secrets` });
}

function untrustedCheckout(job: Job, triggers: readonly Trigger[], hits: Hit[]): void {
  const trigger = triggers.find((candidate) => PRIVILEGED_TRIGGERS.includes(candidate.name));
  if (!trigger) return;
  for (let index = 0; index < job.steps.length; index++) {
    const step = job.steps[index]!;
    let at: { start: number; end: number } | undefined;
    if (step.uses && /^[\w.-]+\/checkout@/i.test(step.uses.text)) {
      const ref = step.inputs.find((setting) => setting.name === 'ref');
      const repository = step.inputs.find((setting) => setting.name === 'repository');
      if (ref && PR_HEAD.test(ref.value)) at = { start: ref.valueStart, end: ref.valueEnd };
      else if (repository && PR_HEAD_REPOSITORY.test(repository.value)) at = { start: repository.valueStart, end: repository.valueEnd };
    }
    for (const script of step.scripts) {
      const match = PR_CHECKOUT_COMMAND.exec(script.text);
      if (match && !at) at = { start: script.start + match.index, end: script.start + match.index + match[0].length };
    }
    if (!at) continue;
    const runsIt = job.steps.slice(index + 1).some((later) => later.scripts.length > 0 || (later.uses !== undefined && !INERT_ACTIONS.test(later.uses.text)));
    if (!runsIt) continue;
    hits.push({ ruleId: 'ci-untrusted-checkout', start: at.start, end: at.end, secret: `checkout of PR head in ${trigger.name}` });
    return;
  }
}

function selfHosted(runsOn: Node | null | undefined, triggers: readonly Trigger[], hits: Hit[]): void {
  const trigger = triggers.find((candidate) => FORK_TRIGGERS.includes(candidate.name));
  if (!trigger || !runsOn) return;
  const labels = isMapNode(runsOn) ? [...listOf(get(runsOn, 'labels')), ...listOf(get(runsOn, 'group'))] : listOf(runsOn);
  const label = labels.find((node): node is Scalar => isScalarNode(node) && node.text.toLowerCase() === 'self-hosted');
  if (!label) return;
  hits.push({ ruleId: 'ci-self-hosted-on-fork-prs', start: label.valueStart, end: label.valueEnd, secret: `self-hosted runner on ${trigger.name} from forks` });
}

/** Dependabot's private registries: credentials belong in Dependabot secrets, `${{ secrets.X }}`. */
export function dependabotModel(root: Node | null, platform: CiPlatform, model: PipelineModel): void {
  for (const { value } of mapEntries(get(root, 'registries'))) {
    for (const field of ['password', 'token', 'key']) {
      const node = get(value, field);
      if (!isScalarNode(node)) continue;
      model.claimed.add(node);
      if (typeof node.value === 'string' && isLiteralSecretValue(node.text, platform, 6)) {
        model.hits.push({ ruleId: 'ci-registry-literal-password', start: node.valueStart, end: node.valueEnd, secret: node.text });
      }
    }
  }
}
