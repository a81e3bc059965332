/**
 * src/ci/shell.ts: splitting scripts into commands with file offsets (pipes, redirects, heredocs,
 * continuations, comments), and the script checks on their own: where a secret goes (the log, a program,
 * a file), literal credentials on command lines.
 */
import { describe, expect, it } from 'vitest';
import { analyzeScript, splitCommands, workspacePath, type ScriptContext } from '../../src/ci/shell.js';

describe('splitCommands', () => {
  it('splits on ; && || and pipes, keeping offsets', () => {
    const text = 'a 1; b "2 3" && c | d > out.txt || e';
    const commands = splitCommands(text, 100);
    expect(commands.map((command) => command.words.map((word) => word.value))).toEqual([['a', '1'], ['b', '2 3'], ['c'], ['d'], ['e']]);
    expect(commands[2]!.pipedTo).toBe(commands[3]);
    expect(commands[3]!.redirect?.value).toBe('out.txt');
    expect(commands[1]!.words[1]).toMatchObject({ start: 107, end: 112, valueStart: 108, valueEnd: 111 });
  });

  it('joins continuation lines and keeps heredoc bodies with their command', () => {
    const text = 'docker login \\\n  -u ci \\\n  -p x\ncat <<EOF > f\nbody $X\nEOF\nnext';
    const commands = splitCommands(text, 0);
    expect(commands.map((command) => command.words.map((word) => word.value).join(' '))).toEqual(['docker login -u ci -p x', 'cat', 'next']);
    expect(commands[1]!.heredoc?.text).toBe('body $X\n');
    expect(commands[1]!.redirect?.value).toBe('f');
  });

  it('treats stderr redirects and fd duplication as no output file', () => {
    const [command] = splitCommands('echo "$T" 2>/dev/null 1>&2', 0);
    expect(command!.redirect).toBeUndefined();
  });

  it('skips comments, not # inside words or quotes', () => {
    const commands = splitCommands('# comment\necho a#b "#c" # trailing', 0);
    expect(commands.map((command) => command.words.map((word) => word.value))).toEqual([['echo', 'a#b', '#c']]);
  });

  it('keeps $( … ) and ${{ … }} as one word', () => {
    const [command] = splitCommands('x $(cat a | b) ${{ secrets.X }}', 0);
    expect(command!.words.map((word) => word.value)).toEqual(['x', '$(cat a | b)', '${{ secrets.X }}']);
  });
});

const gitlab: ScriptContext = { platform: 'gitlab', secretVariables: new Set(), ambient: true, environmentHasSecrets: true };
const github: ScriptContext = { platform: 'github', secretVariables: new Set(['DEPLOY_TOKEN']), ambient: false, environmentHasSecrets: true };

function hits(text: string, context: ScriptContext) {
  return analyzeScript({ text, start: 0, language: 'sh' }, context).hits.map((hit) => [hit.ruleId, text.slice(hit.start, hit.end)]);
}

describe('analyzeScript', () => {
  it.each([
    ['echo "$DEPLOY_TOKEN"', [['ci-secret-in-logs', '$DEPLOY_TOKEN']]],
    ['echo "$DEPLOY_TOKEN" | docker login --password-stdin', []],
    ['echo "$DEPLOY_TOKEN" > token.txt', []],
    ['echo "::add-mask::$DEPLOY_TOKEN"', []],
    ['echo "$DEPLOY_TOKEN" | tee token.txt', [['ci-secret-in-logs', '$DEPLOY_TOKEN']]],
    ['printf "%s" "${DEPLOY_TOKEN}"', [['ci-secret-in-logs', '${DEPLOY_TOKEN}']]],
    ['echo ${#DEPLOY_TOKEN}', []],
    ['echo "$CI_JOB_TOKEN"', [['ci-secret-in-logs', '$CI_JOB_TOKEN']]],
    ['echo "$BUILD_NUMBER"', []],
    ['set -x\n./deploy "$DEPLOY_TOKEN"', [['ci-secret-in-logs', 'set -x']]],
    ['set -x\nset +x\n./deploy "$DEPLOY_TOKEN"', []],
    ['set -o xtrace\n./deploy "$DEPLOY_TOKEN"', [['ci-secret-in-logs', 'set -o xtrace']]],
    ['env', [['ci-secret-in-logs', 'env']]],
    ['env FOO=1 ./run', []],
    ['export -p | sort', [['ci-secret-in-logs', 'export -p']]],
    ['printenv DEPLOY_TOKEN', [['ci-secret-in-logs', 'printenv DEPLOY_TOKEN']]],
    ['docker login -u ci --password=hunter2hunter2 r.internal', [['ci-registry-literal-password', 'hunter2hunter2']]],
    ['podman login -u ci -p "$REGISTRY_PASSWORD" r.internal', []],
    ['helm registry login r.internal -u ci -p hunter2hunter2', [['ci-registry-literal-password', 'hunter2hunter2']]],
    ['dotnet nuget add source https://nuget.internal -n internal -u ci -p hunter2hunter2', [['ci-registry-literal-password', 'hunter2hunter2']]],
    ['echo "//npm.internal/:_authToken=hunter2hunter2" > .npmrc', [['ci-registry-literal-password', 'hunter2hunter2']]],
    ['curl -u "ci:hunter2hunter2" https://files.internal', [['ci-credential-in-url', 'hunter2hunter2']]],
    ['curl -u "$USER:$PASS" https://files.internal', []],
    ['curl -u ci: https://files.internal', []],
    ['export SIGNING_KEY=hunter2hunter2', [['ci-hardcoded-secret', 'hunter2hunter2']]],
    ['SIGNING_KEY="$(vault read -field=key ci/signing)" ./sign.sh', []],
  ] as [string, [string, string][]][])('%j', (text, expected) => {
    expect(hits(text, gitlab)).toEqual(expected);
  });

  it('sees GitHub secrets only where the workflow maps them', () => {
    expect(hits('echo "$DEPLOY_TOKEN" "$OTHER_TOKEN"', github)).toEqual([['ci-secret-in-logs', '$DEPLOY_TOKEN']]);
    expect(hits('echo "${{ secrets.X }}"', github)).toEqual([['ci-secret-in-logs', '${{ secrets.X }}']]);
    expect(hits('echo "$GITHUB_TOKEN"', { ...github, secretVariables: new Set() })).toEqual([]);
  });

  it('records writes and publish commands', () => {
    const analysis = analyzeScript(
      { text: 'echo "$NPM_TOKEN" > "$GITHUB_WORKSPACE/.npmrc"\ntwine upload -p "$PYPI_TOKEN" dist/*\ncargo publish', start: 0, language: 'sh' },
      gitlab,
    );
    expect(analysis.writes.map((write) => [write.file, write.what])).toEqual([['.npmrc', 'NPM_TOKEN']]);
    expect(analysis.publishes.map((publish) => [publish.registry, publish.credential?.text])).toEqual([
      ['pypi', '$PYPI_TOKEN'],
      ['crates', undefined],
    ]);
  });
});

describe('workspacePath', () => {
  it.each([
    ['token.txt', 'token.txt'],
    ['./out/token', 'out/token'],
    ['$GITHUB_WORKSPACE/x', 'x'],
    ['${{ github.workspace }}/x', 'x'],
    ['$CI_PROJECT_DIR', '.'],
    ['$(Build.SourcesDirectory)/drop', 'drop'],
    ['$RUNNER_TEMP/x', undefined],
    ['~/.npmrc', undefined],
    ['/tmp/x', undefined],
    ['$GITHUB_ENV', undefined],
    ['$WORKSPACE_TMP/x', undefined],
  ])('%s → %s', (target, expected) => {
    expect(workspacePath(target)).toBe(expected);
  });
});
