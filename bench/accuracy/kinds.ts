/**
 * The kinds of file the corpus is made of, and how each one writes a setting, a token, a URL, a connection
 * URI or a multi-line key in its own syntax.
 *
 * A kind is a path pattern, a head and tail (the file's structure), filler entries (ordinary content that
 * holds nothing secret) and templates. Items are written between the head and the tail, joined by `sep`,
 * so a JSON kind's items are object members and a compose file's items are entries of one `environment:`.
 *
 * Template slots (what a template can hold):
 *   A  a single-line value under a setting name: {NAME}, {name}, {nameC}, ... spell the name
 *   T  a token with no name of its own: headers, arguments, URL parameters
 *   U  a URL on its own (webhooks): curl, fetch, requests.post
 *   R  a connection URI on its own: create_engine("..."), psql "..."
 *   B  a multi-line value (keys), with a name or in a file of its own
 *   L  a whole command line from a rule's example (shell, docs)
 *   E  an expression that reads the value from elsewhere (negatives only): {E}
 * {V} is the value, {V:esc} with \n escapes, {V:indN} re-indented, {V:b64} base64 (a scanner must decode),
 * {V:b64up} base64 of "user:value" (Basic auth, Docker auths), {V:jsconcat} / {V:javaconcat} split into
 * concatenated string literals.
 *
 * Conditions on the value: plain (valid unquoted in YAML, .env, shell, INI), nospace, urlsafe (in a URL
 * user-info or query), password (the setting holds a password: .netrc, SQL, Maven <password>), nested
 * (a name of two words or more, written as a section and a key), xmlsafe, command (a one-line command),
 * registry (package-registry and Git credential files: registry, SCM and CI tokens; of the negatives only
 * placeholders), credfile (other credential files: any positive; of the negatives only placeholders).
 */

export type Slot = 'A' | 'T' | 'U' | 'R' | 'B' | 'L' | 'E';
export type Cond = 'plain' | 'nospace' | 'urlsafe' | 'password' | 'nested' | 'xmlsafe' | 'command' | 'registry' | 'credfile';

export type Lang =
  | 'env' | 'shell' | 'powershell' | 'batch' | 'make' | 'docker' | 'yaml' | 'json' | 'toml' | 'ini' | 'properties'
  | 'xml' | 'python' | 'js' | 'ts' | 'go' | 'java' | 'kotlin' | 'csharp' | 'ruby' | 'php' | 'swift' | 'rust' | 'dart'
  | 'groovy' | 'hcl' | 'sql' | 'markdown' | 'text' | 'http' | 'html' | 'css' | 'elixir' | 'hocon' | 'none';

export interface Template {
  id: string;
  slots: Slot[];
  text: string;
  when: Cond[];
  weight: number;
}

export interface FileKind {
  id: string;
  /** For the report: env, yaml, json, config, xml, code, docs, keys, logs, lockfile, ... */
  family: string;
  lang: Lang;
  paths: string[];
  head: string;
  tail: string;
  sep: string;
  /** Prefix for a language's code lines (negatives) inside this kind's structure. */
  indent: string;
  filler: string[];
  templates: Template[];
  /** Most items in one file. */
  maxItems: number;
  /** Only raw negatives (lockfiles, bundles, encrypted files) go here, written by bench/accuracy/negatives.ts. */
  rawOnly: boolean;
}

type TemplateSpec = [id: string, slots: string, text: string, options?: { when?: Cond[]; weight?: number }];

interface KindSpec {
  id: string;
  family: string;
  lang: Lang;
  paths: string[];
  head?: string;
  tail?: string;
  sep?: string;
  indent?: string;
  filler?: string[];
  t?: TemplateSpec[];
  maxItems?: number;
  rawOnly?: boolean;
}

function kind(spec: KindSpec): FileKind {
  return {
    id: spec.id,
    family: spec.family,
    lang: spec.lang,
    paths: spec.paths,
    head: spec.head ?? '',
    tail: spec.tail ?? '\n',
    sep: spec.sep ?? '\n',
    indent: spec.indent ?? '',
    filler: spec.filler ?? [],
    templates: (spec.t ?? []).map(([id, slots, text, options]) => ({
      id,
      slots: [...slots] as Slot[],
      text,
      when: options?.when ?? [],
      weight: options?.weight ?? 1,
    })),
    maxItems: spec.maxItems ?? 6,
    rawOnly: spec.rawOnly ?? false,
  };
}

const P = { when: ['plain'] as Cond[] };
const PW = { when: ['password'] as Cond[] };
const URLSAFE = { when: ['urlsafe'] as Cond[] };
const REG = { when: ['registry'] as Cond[] };
const REG_PLAIN = { when: ['registry', 'plain'] as Cond[] };
const REG_URLSAFE = { when: ['registry', 'urlsafe'] as Cond[] };
const REG_XML = { when: ['registry', 'xmlsafe'] as Cond[] };
const NESTED = { when: ['nested'] as Cond[] };
const NESTED_PLAIN = { when: ['nested', 'plain'] as Cond[] };

// ─── Environment, shell, build ────────────────────────────────────────────────────────────────────

const ENV_FILLER = ['NODE_ENV=production', 'PORT={port}', 'LOG_LEVEL=info', '{NOUN}_HOST={host}', '{NOUN}_TIMEOUT_MS=5000', '', '# {Noun} service'];

const SHELL_TOKEN: TemplateSpec[] = [
  ['curl-bearer', 'T', 'curl -fsS -H "Authorization: Bearer {V}" https://api.{svc}.com/v1/{noun}s'],
  ['curl-apikey', 'T', 'curl -fsS -H "X-API-Key: {V}" "https://api.{svc}.com/v1/{noun}s?limit=50"'],
  ['cli-token-flag', 'T', '{svc} login --token {V}', P],
  ['git-clone', 'T', 'git clone https://oauth2:{V}@github.com/acme/{noun}.git', REG_URLSAFE],
  ['query-param', 'T', 'curl -s "https://api.{svc}.com/v2/{noun}?api_key={V}&format=json"', URLSAFE],
  ['curl-webhook', 'U', `curl -X POST -H 'Content-type: application/json' --data '{"text":"deploy of {noun} finished"}' {V}`],
  ['psql', 'R', 'psql "{V}" -c "select count(*) from {noun}s"'],
  ['heredoc', 'B', "mkdir -p ~/.ssh\ncat > ~/.ssh/id_{noun} <<'EOF'\n{V}\nEOF\nchmod 600 ~/.ssh/id_{noun}"],
  ['line', 'L', '{V}', { when: ['command'] }],
];

const SHELL_KINDS: KindSpec[] = [
  {
    id: 'dotenv', family: 'env', lang: 'env',
    paths: ['.env', '.env.production', '.env.local', 'services/{noun}/.env', '.env.staging', 'deploy/{noun}.env', '.Renviron'],
    head: '# {Noun} service configuration\n', filler: ENV_FILLER,
    t: [
      ['bare', 'A', '{NAME}={V}', P],
      ['dquote', 'A', '{NAME}="{V}"'],
      ['squote', 'A', "{NAME}='{V}'"],
      ['export', 'A', 'export {NAME}={V}', P],
      ['spaced', 'A', '{NAME} = "{V}"', { weight: 0.3 }],
      ['multiline', 'B', '{NAME}="{V}"'],
      ['escaped', 'B', '{NAME}="{V:esc}"'],
    ],
  },
  {
    id: 'shell-script', family: 'shell', lang: 'shell',
    paths: ['scripts/deploy.sh', 'bin/setup-{noun}.sh', 'ci/publish.sh', 'scripts/{noun}-backup.sh', 'tools/bootstrap.sh'],
    head: '#!/usr/bin/env bash\nset -euo pipefail\n\n',
    filler: ['echo "==> building {noun}"', 'npm ci --no-audit --no-fund', 'docker build -t acme/{noun}:{ver} .', 'cd "$(dirname "$0")/.."', 'if [ -z "${CI:-}" ]; then\n  echo "running locally"\nfi'],
    t: [
      ['export-dq', 'A', 'export {NAME}="{V}"'],
      ['export-sq', 'A', "export {NAME}='{V}'"],
      ['assign', 'A', '{NAME}={V}', P],
      ['default', 'A', ': "${{NAME}:={V}}"', { weight: 0.4 }],
      ['docker-run', 'A', 'docker run -d --name {noun} -e {NAME}={V} acme/{noun}:{ver}', P],
      ['kubectl-secret', 'A', 'kubectl create secret generic {noun}-secrets --from-literal={name-k}={V} --dry-run=client -o yaml | kubectl apply -f -', { when: ['nospace'] }],
      ['heroku-config', 'A', 'heroku config:set {NAME}={V} --app {noun}-prod', P],
      ['gh-secret', 'A', 'gh secret set {NAME} --body "{V}"'],
      ['commented', 'A', '# export {NAME}="{V}"  # old value, rotated?', { weight: 0.5 }],
      ...SHELL_TOKEN,
      ['expr', 'E', 'export {NAME}={E}'],
    ],
  },
  {
    id: 'shell-rc', family: 'shell', lang: 'shell',
    paths: ['dotfiles/.zshrc', 'dotfiles/.bashrc', 'home/.bash_profile'],
    head: '# ~/.zshrc\nexport PATH="$HOME/.local/bin:$PATH"\nalias ll="ls -la"\n\n',
    filler: ['alias k=kubectl', 'export EDITOR=vim', 'eval "$(starship init zsh)"', 'export GOPATH="$HOME/go"'],
    t: [
      ['export', 'A', 'export {NAME}={V}', P],
      ['export-dq', 'A', 'export {NAME}="{V}"'],
      ['expr', 'E', 'export {NAME}={E}'],
    ],
  },
  {
    id: 'powershell', family: 'shell', lang: 'powershell',
    paths: ['scripts/deploy.ps1', 'tools/Setup-{Noun}.ps1'],
    head: '$ErrorActionPreference = "Stop"\n\n',
    filler: ['Write-Host "Deploying {noun}"', 'Set-Location $PSScriptRoot', 'dotnet publish -c Release -o ./out'],
    t: [
      ['env', 'A', '$env:{NAME} = "{V}"'],
      ['var', 'A', '${nameC} = "{V}"'],
      ['setenv', 'A', '[Environment]::SetEnvironmentVariable("{NAME}", "{V}", "User")', { weight: 0.5 }],
      ['header', 'T', '$headers = @{ Authorization = "Bearer {V}" }'],
      ['irm', 'T', 'Invoke-RestMethod -Uri "https://api.{svc}.com/v1/{noun}s" -Headers @{ "X-Api-Key" = "{V}" }'],
      ['webhook', 'U', 'Invoke-RestMethod -Method Post -Uri "{V}" -Body (@{ text = "done" } | ConvertTo-Json)'],
      ['expr', 'E', '$env:{NAME} = {E}'],
    ],
  },
  {
    id: 'batch', family: 'shell', lang: 'batch',
    paths: ['scripts/setup.bat', 'build/env.cmd'],
    head: '@echo off\nsetlocal\n\n', filler: ['call npm run build', 'echo Building {noun}...', 'if errorlevel 1 exit /b 1'],
    t: [
      ['set', 'A', 'set {NAME}={V}', { when: ['nospace'] }],
      ['set-quoted', 'A', 'set "{NAME}={V}"', { when: ['nospace'] }],
      ['setx', 'A', 'setx {NAME} "{V}"'],
    ],
  },
  {
    id: 'makefile', family: 'build', lang: 'make',
    paths: ['Makefile', 'deploy/Makefile'],
    head: '.PHONY: build deploy\n\n', filler: ['build:\n\tgo build -o bin/{noun} ./cmd/{noun}', 'VERSION ?= {ver}', 'test:\n\tgo test ./...'],
    t: [
      ['default', 'A', '{NAME} ?= {V}', P],
      ['export', 'A', 'export {NAME} := {V}', P],
      ['recipe', 'T', 'deploy-{noun}:\n\tcurl -fsS -H "Authorization: Bearer {V}" https://api.{svc}.com/deploy'],
      ['expr', 'E', '{NAME} ?= {E}'],
    ],
  },
  {
    id: 'dockerfile', family: 'build', lang: 'docker',
    paths: ['Dockerfile', 'docker/{noun}.Dockerfile', 'services/{noun}/Dockerfile'],
    head: 'FROM node:20-alpine\nWORKDIR /app\n', tail: '\nCMD ["node", "dist/server.js"]\n',
    filler: ['COPY package*.json ./', 'RUN npm ci --omit=dev', 'EXPOSE {port}', 'COPY . .', 'RUN npm run build'],
    t: [
      ['env-eq', 'A', 'ENV {NAME}={V}', P],
      ['env-quoted', 'A', 'ENV {NAME}="{V}"'],
      ['env-space', 'A', 'ENV {NAME} {V}', P],
      ['arg', 'A', 'ARG {NAME}={V}', P],
      ['run-curl', 'T', 'RUN curl -fsSL -H "Authorization: token {V}" https://api.github.com/repos/acme/{noun}/tarball/main -o src.tgz'],
      ['run-npmrc', 'T', 'RUN echo "//registry.npmjs.org/:_authToken={V}" > .npmrc && npm ci && rm .npmrc', REG_PLAIN],
      ['ssh-key', 'B', 'RUN mkdir -p /root/.ssh && echo "{V:esc}" > /root/.ssh/id_rsa && chmod 600 /root/.ssh/id_rsa'],
      ['run-line', 'L', 'RUN {V}', { when: ['command'] }],
      ['expr', 'E', 'ARG {NAME}\nENV {NAME}={E}'],
    ],
  },
  {
    id: 'systemd-unit', family: 'config', lang: 'none',
    paths: ['deploy/systemd/{noun}.service'],
    head: '[Unit]\nDescription={Noun} worker\nAfter=network.target\n\n[Service]\nUser={user}\nExecStart=/usr/local/bin/{noun}\n',
    tail: '\n\n[Install]\nWantedBy=multi-user.target\n', filler: ['Restart=on-failure', 'Environment="LOG_LEVEL=info"'],
    t: [
      ['env', 'A', 'Environment="{NAME}={V}"'],
      ['env-bare', 'A', 'Environment={NAME}={V}', P],
    ],
  },
  {
    id: 'nginx-conf', family: 'config', lang: 'none', maxItems: 3,
    paths: ['deploy/nginx/{noun}.conf'],
    head: 'server {\n    listen 443 ssl;\n    server_name {noun}.acme-corp.io;\n\n    location /api/ {\n        proxy_pass http://{noun}:{port};\n',
    tail: '\n    }\n}\n', filler: ['        proxy_set_header Host $host;', '        proxy_read_timeout 60s;'],
    t: [
      ['auth-header', 'T', '        proxy_set_header Authorization "Bearer {V}";'],
      ['api-key-header', 'T', '        proxy_set_header X-Api-Key "{V}";'],
    ],
  },
];

// ─── YAML ─────────────────────────────────────────────────────────────────────────────────────────

const YAML_KINDS: KindSpec[] = [
  {
    id: 'docker-compose', family: 'yaml', lang: 'yaml', indent: '      ',
    paths: ['docker-compose.yml', 'compose.{noun}.yaml', 'deploy/docker-compose.prod.yml'],
    head: 'services:\n  {noun}:\n    image: acme/{noun}:{ver}\n    restart: unless-stopped\n    environment:\n',
    tail: '\n    ports:\n      - "{port}:{port}"\n', filler: ['      NODE_ENV: production', '      {NOUN}_HOST: {host}', '      LOG_LEVEL: info'],
    t: [
      ['map', 'A', '      {NAME}: {V}', P],
      ['map-quoted', 'A', '      {NAME}: "{V}"'],
      ['map-squoted', 'A', "      {NAME}: '{V}'", { weight: 0.5 }],
    ],
  },
  {
    id: 'docker-compose-list', family: 'yaml', lang: 'none',
    paths: ['docker-compose.override.yml', 'stack/{noun}-stack.yml'],
    head: 'version: "3.8"\nservices:\n  {noun}:\n    build: .\n    environment:\n', tail: '\n',
    filler: ['      - NODE_ENV=production', '      - {NOUN}_PORT={port}'],
    t: [
      ['list', 'A', '      - {NAME}={V}', { when: ['nospace'] }],
      ['list-quoted', 'A', '      - "{NAME}={V}"'],
    ],
  },
  {
    id: 'k8s-deployment', family: 'yaml', lang: 'none',
    paths: ['k8s/{noun}-deployment.yaml', 'deploy/k8s/{noun}.yaml'],
    head:
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {noun}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: {noun}\n          image: ghcr.io/acme/{noun}:{ver}\n          env:\n',
    filler: ['            - name: LOG_LEVEL\n              value: info', '            - name: {NOUN}_HOST\n              value: "{host}"'],
    t: [
      ['env-quoted', 'A', '            - name: {NAME}\n              value: "{V}"'],
      ['env-plain', 'A', '            - name: {NAME}\n              value: {V}', P],
    ],
  },
  {
    id: 'k8s-secret-stringdata', family: 'yaml', lang: 'none',
    paths: ['k8s/{noun}-secret.yaml', 'deploy/secrets/{noun}.yaml'],
    head: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {noun}-secrets\ntype: Opaque\nstringData:\n', filler: ['  LOG_LEVEL: info'],
    t: [
      ['kebab-quoted', 'A', '  {name-k}: "{V}"'],
      ['upper-plain', 'A', '  {NAME}: {V}', P],
      ['snake-squoted', 'A', "  {name}: '{V}'"],
      ['block', 'B', '  {name-k}: |\n    {V:ind4}'],
    ],
  },
  {
    id: 'k8s-secret-data', family: 'yaml-encoded', lang: 'none',
    paths: ['k8s/{noun}-secret-data.yaml', 'manifests/{noun}/secret.yaml'],
    head: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {noun}-credentials\n  namespace: {noun}\ntype: Opaque\ndata:\n', filler: ['  LOG_LEVEL: aW5mbw==', '  ENVIRONMENT: cHJvZHVjdGlvbg=='],
    t: [
      ['b64-upper', 'A', '  {NAME}: {V:b64}'],
      ['b64-kebab', 'A', '  {name-k}: {V:b64}'],
      ['b64-block', 'B', '  {name-k}: {V:b64}'],
    ],
  },
  {
    id: 'k8s-configmap', family: 'yaml', lang: 'none',
    paths: ['k8s/{noun}-configmap.yaml'],
    head: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {noun}-config\ndata:\n', filler: ['  LOG_LEVEL: "info"', '  FEATURE_FLAGS: "search,export"'],
    t: [
      ['quoted', 'A', '  {NAME}: "{V}"'],
      ['plain', 'A', '  {name}: {V}', P],
    ],
  },
  {
    id: 'helm-values', family: 'yaml', lang: 'yaml',
    paths: ['charts/{noun}/values.yaml', 'helm/{noun}/values-prod.yaml'],
    head: 'replicaCount: 2\nimage:\n  repository: ghcr.io/acme/{noun}\n  tag: "{ver}"\n\n', filler: ['resources:\n  limits:\n    memory: 512Mi', 'service:\n  type: ClusterIP\n  port: {port}'],
    t: [
      ['nested', 'A', '{sec}:\n  {restC}: {V}', NESTED_PLAIN],
      ['nested-quoted', 'A', '{sec}:\n  {restC}: "{V}"', NESTED],
      ['flat', 'A', '{nameC}: "{V}"'],
      ['block', 'B', '{nameC}: |\n  {V:ind2}'],
    ],
  },
  {
    id: 'github-actions', family: 'ci', lang: 'none',
    paths: ['.github/workflows/{noun}.yml', '.github/workflows/deploy.yml', '.github/workflows/release.yaml'],
    head: 'name: {Noun}\non:\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n',
    filler: ['      - uses: actions/setup-node@v4\n        with:\n          node-version: 20', '      - run: npm ci', '      - run: npm test -- --ci'],
    t: [
      ['step-env', 'A', '      - name: {Noun} step\n        run: ./scripts/{noun}.sh\n        env:\n          {NAME}: {V}', P],
      ['step-env-quoted', 'A', '      - name: Deploy {noun}\n        run: make deploy\n        env:\n          {NAME}: "{V}"'],
      ['with-token', 'T', '      - uses: acme/deploy-action@v2\n        with:\n          token: {V}', P],
      ['run-curl', 'T', '      - run: curl -fsS -H "Authorization: Bearer {V}" https://api.{svc}.com/v1/deploy'],
      ['run-webhook', 'U', `      - run: curl -X POST -d '{"text":"released"}' {V}`],
      ['run-line', 'L', '      - run: {V}', { when: ['command'] }],
    ],
  },
  {
    id: 'gitlab-ci', family: 'ci', lang: 'none',
    paths: ['.gitlab-ci.yml', 'ci/{noun}.gitlab-ci.yml'],
    head: 'stages: [test, deploy]\n\nvariables:\n', tail: '\n\ntest:\n  stage: test\n  script:\n    - npm ci\n    - npm test\n',
    filler: ['  GIT_DEPTH: "10"', '  DOCKER_DRIVER: overlay2'],
    t: [
      ['var-quoted', 'A', '  {NAME}: "{V}"'],
      ['var-plain', 'A', '  {NAME}: {V}', P],
    ],
  },
  {
    id: 'circleci', family: 'ci', lang: 'none',
    paths: ['.circleci/config.yml'],
    head: 'version: 2.1\njobs:\n  build:\n    docker:\n      - image: cimg/node:20.11\n    environment:\n',
    tail: '\n    steps:\n      - checkout\n      - run: npm ci\n      - run: npm test\n', filler: ['      NODE_ENV: test'],
    t: [
      ['env', 'A', '      {NAME}: {V}', P],
      ['env-quoted', 'A', '      {NAME}: "{V}"'],
    ],
  },
  {
    id: 'travis', family: 'ci', lang: 'none',
    paths: ['.travis.yml'],
    head: 'language: node_js\nnode_js:\n  - 20\nenv:\n  global:\n', tail: '\nscript:\n  - npm test\n', filler: ['    - NODE_ENV=test'],
    t: [['global', 'A', '    - {NAME}={V}', { when: ['nospace'] }]],
  },
  {
    id: 'azure-pipelines', family: 'ci', lang: 'none',
    paths: ['azure-pipelines.yml', '.azure/{noun}-pipeline.yml'],
    head: 'trigger:\n  - main\npool:\n  vmImage: ubuntu-latest\nvariables:\n', tail: '\nsteps:\n  - script: npm ci && npm test\n    displayName: Test\n',
    filler: ['  - name: buildConfiguration\n    value: Release'],
    t: [
      ['var', 'A', "  - name: {NAME}\n    value: '{V}'"],
      ['var-plain', 'A', '  - name: {NAME}\n    value: {V}', P],
    ],
  },
  {
    id: 'ansible-vars', family: 'yaml', lang: 'yaml',
    paths: ['group_vars/{noun}.yml', 'roles/{noun}/defaults/main.yml', 'inventory/host_vars/{noun}-01.yml'],
    head: '---\n', filler: ['{noun}_port: {port}', '{noun}_user: {user}', '{noun}_packages:\n  - nginx\n  - curl'],
    t: [
      ['quoted', 'A', '{name}: "{V}"'],
      ['plain', 'A', '{name}: {V}', P],
      ['block', 'B', '{name}: |\n  {V:ind2}'],
    ],
  },
  {
    id: 'spring-yaml', family: 'yaml', lang: 'yaml',
    paths: ['src/main/resources/application.yml', 'src/main/resources/application-prod.yaml'],
    head: 'server:\n  port: {port}\n', filler: ['logging:\n  level:\n    root: INFO', 'management:\n  endpoints:\n    web:\n      exposure:\n        include: health'],
    t: [
      ['nested', 'A', '{sec}:\n  {rest}: {V}', NESTED_PLAIN],
      ['nested-kebab', 'A', '{sec}:\n  {restC}: "{V}"', NESTED],
      ['flat-kebab', 'A', '{name-k}: {V}', P],
    ],
  },
  {
    id: 'serverless', family: 'yaml', lang: 'none',
    paths: ['serverless.yml', 'functions/{noun}/serverless.yml'],
    head: 'service: {noun}-api\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  region: {region}\n  environment:\n',
    tail: '\nfunctions:\n  handler:\n    handler: src/handler.main\n', filler: ['    STAGE: prod', '    TABLE_NAME: {noun}s'],
    t: [
      ['env', 'A', '    {NAME}: {V}', P],
      ['env-quoted', 'A', "    {NAME}: '{V}'"],
    ],
  },
  {
    id: 'rails-database-yml', family: 'yaml', lang: 'none',
    paths: ['config/database.yml'],
    head: 'default: &default\n  adapter: postgresql\n  encoding: unicode\n  pool: 5\n\n', filler: ['development:\n  <<: *default\n  database: {noun}_development'],
    t: [
      ['password', 'A', '{noun}_{n}:\n  <<: *default\n  database: {noun}_production\n  username: {user}\n  password: {V}', { when: ['password', 'plain'] }],
      ['password-quoted', 'A', '{noun}_{n}:\n  <<: *default\n  username: {user}\n  password: "{V}"', PW],
      ['url', 'R', 'production:\n  <<: *default\n  url: {V}'],
    ],
  },
  {
    id: 'app-config-yaml', family: 'yaml', lang: 'yaml',
    paths: ['config/{noun}.yml', 'config/settings.yaml', 'deploy/config/{noun}-prod.yml'],
    head: '# {Noun} settings\n', filler: ['timeout: 30s', 'retries: 3', 'features:\n  search: true'],
    t: [
      ['flat', 'A', '{name}: {V}', P],
      ['flat-quoted', 'A', '{name}: "{V}"'],
      ['nested', 'A', '{sec}:\n  {rest}: {V}', NESTED_PLAIN],
      ['camel', 'A', '{nameC}: "{V}"'],
      ['commented', 'A', '# {name}: {V}', { when: ['plain'], weight: 0.5 }],
      ['webhook', 'U', 'notifications:\n  - type: webhook\n    url: {V}'],
      ['block', 'B', '{name}: |\n  {V:ind2}'],
    ],
  },
];

// ─── JSON ─────────────────────────────────────────────────────────────────────────────────────────

const JSON_KINDS: KindSpec[] = [
  {
    id: 'config-json', family: 'json', lang: 'json', sep: ',\n', indent: '  ',
    paths: ['config/production.json', 'config/{noun}.json', 'settings/{noun}.json'],
    head: '{\n', tail: '\n}\n', filler: ['  "port": {port}', '  "logLevel": "info"', '  "{noun}Url": "https://{host}/{noun}"'],
    t: [
      ['camel', 'A', '  "{nameC}": "{V}"'],
      ['snake', 'A', '  "{name}": "{V}"'],
      ['nested', 'A', '  "{sec}": {\n    "{restC}": "{V}"\n  }', NESTED],
      ['escaped-key', 'B', '  "{nameC}": "{V:esc}"'],
    ],
  },
  {
    id: 'appsettings-json', family: 'json', lang: 'none', sep: ',\n',
    paths: ['src/{Noun}.Api/appsettings.json', 'appsettings.Production.json'],
    head: '{\n  "Logging": {\n    "LogLevel": {\n      "Default": "Information"\n    }\n  },\n', tail: ',\n  "AllowedHosts": "*"\n}\n',
    filler: ['  "FeatureManagement": {\n    "Search": true\n  }'],
    t: [
      ['nested', 'A', '  "{Sec}": {\n    "{RestP}": "{V}"\n  }', NESTED],
      ['flat', 'A', '  "{NameP}": "{V}"'],
      ['conn-uri', 'R', '  "ConnectionStrings": {\n    "{Noun}": "{V}"\n  }'],
      ['ado-net', 'A', '  "ConnectionStrings": {\n    "Default": "Server=tcp:{noun}-sql.database.windows.net,1433;Database={noun};User ID={user};Password={V};Encrypt=True;"\n  }', { when: ['password', 'nospace'] }],
    ],
  },
  {
    id: 'package-json', family: 'json', lang: 'none', sep: ',\n', maxItems: 3,
    paths: ['package.json', 'packages/{noun}/package.json'],
    head: '{\n  "name": "@acme/{noun}",\n  "version": "{ver}",\n  "private": true,\n', tail: ',\n  "license": "UNLICENSED"\n}\n',
    filler: ['  "type": "module"', '  "engines": {\n    "node": ">=20"\n  }'],
    t: [
      ['config', 'A', '  "config": {\n    "{nameC}": "{V}"\n  }'],
      ['script-env', 'A', '  "scripts": {\n    "deploy:{noun}": "{NAME}={V} node scripts/deploy.js"\n  }', P],
    ],
  },
  {
    id: 'vscode-launch', family: 'json', lang: 'none', sep: ',\n',
    paths: ['.vscode/launch.json'],
    head: '{\n  "version": "0.2.0",\n  "configurations": [\n', tail: '\n  ]\n}\n',
    filler: ['    {\n      "type": "node",\n      "request": "attach",\n      "name": "Attach",\n      "port": 9229\n    }'],
    t: [['env', 'A', '    {\n      "type": "node",\n      "request": "launch",\n      "name": "{Noun}",\n      "program": "${workspaceFolder}/src/{noun}.js",\n      "env": {\n        "{NAME}": "{V}"\n      }\n    }']],
  },
  {
    id: 'composer-auth-json', family: 'credentials', lang: 'none', maxItems: 1,
    paths: ['auth.json'], head: '{\n', tail: '\n}\n',
    t: [
      ['http-basic', 'T', '  "http-basic": {\n    "repo.{svc}.com": {\n      "username": "{user}",\n      "password": "{V}"\n    }\n  }', REG],
      ['http-basic-password', 'A', '  "http-basic": {\n    "repo.{svc}.com": {\n      "username": "{user}",\n      "password": "{V}"\n    }\n  }', PW],
      ['bearer', 'T', '  "bearer": {\n    "repo.{svc}.com": "{V}"\n  }', REG],
    ],
  },
  {
    id: 'docker-config-json', family: 'credentials', lang: 'none', sep: ',\n',
    paths: ['.docker/config.json', 'ci/docker-config.json'], head: '{\n  "auths": {\n', tail: '\n  }\n}\n',
    t: [
      ['auth-b64', 'T', '    "registry.{svc}.io": {\n      "auth": "{V:b64up}"\n    }', REG],
      ['auth-b64-password', 'A', '    "{noun}.azurecr.io": {\n      "auth": "{V:b64up}"\n    }', PW],
      ['identitytoken', 'T', '    "{noun}.jfrog.io": {\n      "identitytoken": "{V}"\n    }', REG],
    ],
  },
  {
    id: 'gcp-service-account', family: 'keys', lang: 'none', maxItems: 1,
    paths: ['keys/{noun}-sa.json', 'credentials/{noun}-gcp.json', 'service-account.json'],
    head: '{\n  "type": "service_account",\n  "project_id": "{noun}-prod-{n}",\n  "private_key_id": "{hex40}",\n',
    tail: '\n  "client_email": "{noun}-runner@{noun}-prod-{n}.iam.gserviceaccount.com",\n  "client_id": "1{digits20}",\n  "auth_uri": "https://accounts.google.com/o/oauth2/auth",\n  "token_uri": "https://oauth2.googleapis.com/token"\n}\n',
    t: [['private-key', 'B', '  "private_key": "{V:esc}\\n",']],
  },
  {
    id: 'tfstate', family: 'json', lang: 'none', sep: ',\n',
    paths: ['terraform/terraform.tfstate', 'infra/{noun}/terraform.tfstate.backup'],
    head: '{\n  "version": 4,\n  "terraform_version": "1.7.5",\n  "serial": {n},\n  "lineage": "{uuid}",\n  "outputs": {},\n  "resources": [\n', tail: '\n  ]\n}\n',
    t: [
      ['attribute', 'A', '    {\n      "mode": "managed",\n      "type": "{svc}_{noun}",\n      "name": "main",\n      "instances": [\n        {\n          "attributes": {\n            "id": "{uuid}",\n            "{name}": "{V}"\n          }\n        }\n      ]\n    }'],
      ['private-key-pem', 'B', '    {\n      "mode": "managed",\n      "type": "tls_private_key",\n      "name": "{noun}",\n      "instances": [\n        {\n          "attributes": {\n            "algorithm": "RSA",\n            "private_key_pem": "{V:esc}\\n"\n          }\n        }\n      ]\n    }'],
    ],
  },
  {
    id: 'jupyter-notebook', family: 'code', lang: 'none', sep: ',\n',
    paths: ['notebooks/{noun}-analysis.ipynb', 'research/{noun}.ipynb'],
    head: '{\n "cells": [\n',
    tail: '\n ],\n "metadata": {\n  "kernelspec": {\n   "display_name": "Python 3",\n   "language": "python",\n   "name": "python3"\n  }\n },\n "nbformat": 4,\n "nbformat_minor": 5\n}\n',
    filler: ['  {\n   "cell_type": "markdown",\n   "metadata": {},\n   "source": [\n    "## Load the {noun} data"\n   ]\n  }'],
    t: [
      ['assign', 'A', '  {\n   "cell_type": "code",\n   "execution_count": {n},\n   "metadata": {},\n   "outputs": [],\n   "source": [\n    "import os\\n",\n    "{NAME} = \\"{V}\\"\\n",\n    "client = {Svc}Client({name}={NAME})"\n   ]\n  }'],
      ['environ', 'A', '  {\n   "cell_type": "code",\n   "execution_count": {n},\n   "metadata": {},\n   "outputs": [],\n   "source": [\n    "os.environ[\\"{NAME}\\"] = \\"{V}\\""\n   ]\n  }'],
      ['client', 'T', '  {\n   "cell_type": "code",\n   "execution_count": {n},\n   "metadata": {},\n   "outputs": [],\n   "source": [\n    "client = {Svc}(\\"{V}\\")"\n   ]\n  }'],
    ],
  },
  {
    id: 'postman-environment', family: 'json', lang: 'none', sep: ',\n',
    paths: ['postman/{noun}.postman_environment.json'],
    head: '{\n  "id": "{uuid}",\n  "name": "{Noun} (prod)",\n  "values": [\n', tail: '\n  ],\n  "_postman_variable_scope": "environment"\n}\n',
    filler: ['    {\n      "key": "baseUrl",\n      "value": "https://api.{svc}.com",\n      "enabled": true\n    }'],
    t: [['kv', 'A', '    {\n      "key": "{nameC}",\n      "value": "{V}",\n      "type": "secret",\n      "enabled": true\n    }']],
  },
];

// ─── TOML, INI, properties, credentials files ─────────────────────────────────────────────────────

const CONFIG_KINDS: KindSpec[] = [
  {
    id: 'toml-config', family: 'config', lang: 'toml',
    paths: ['config/{noun}.toml', 'settings.toml', 'config/production.toml'],
    head: 'title = "{Noun}"\nport = {port}\n\n', filler: ['log_level = "info"', 'timeout_seconds = 30'],
    t: [
      ['flat', 'A', '{name} = "{V}"'],
      ['section', 'A', '[{sec}]\n{rest} = "{V}"', NESTED],
      ['literal', 'A', "{name} = '{V}'", { weight: 0.5 }],
      ['multiline', 'B', '{name} = """\n{V}"""'],
    ],
  },
  {
    id: 'fly-toml', family: 'config', lang: 'none',
    paths: ['fly.toml', 'deploy/fly.{noun}.toml'],
    head: 'app = "{noun}-api"\nprimary_region = "ams"\n\n[env]\n', filler: ['  PORT = "{port}"', '  LOG_LEVEL = "info"'],
    t: [['env', 'A', '  {NAME} = "{V}"']],
  },
  {
    id: 'cargo-credentials', family: 'credentials', lang: 'none', maxItems: 1,
    paths: ['.cargo/credentials.toml'],
    t: [
      ['registry', 'T', '[registry]\ntoken = "{V}"', REG],
      ['named-registry', 'T', '[registries.{noun}]\ntoken = "{V}"', REG],
    ],
  },
  {
    id: 'ini-config', family: 'config', lang: 'ini',
    paths: ['config/{noun}.ini', 'conf/app.ini', 'setup.cfg'],
    head: '[DEFAULT]\nlog_level = info\n\n', filler: ['timeout = 30', '[server]\nport = {port}'],
    t: [
      ['section', 'A', '[{sec}]\n{rest} = {V}', NESTED_PLAIN],
      ['flat', 'A', '{name} = {V}', P],
      ['colon', 'A', '{name}: {V}', P],
    ],
  },
  {
    id: 'alembic-ini', family: 'config', lang: 'none', maxItems: 1,
    paths: ['alembic.ini', 'migrations/alembic.ini'],
    head: '[alembic]\nscript_location = migrations\n', tail: '\n\n[loggers]\nkeys = root\n',
    t: [['url', 'R', 'sqlalchemy.url = {V}']],
  },
  {
    id: 'mysql-cnf', family: 'config', lang: 'none', maxItems: 1,
    paths: ['.my.cnf', 'config/my.cnf'],
    t: [
      ['client', 'A', '[client]\nuser = {user}\npassword = {V}\nhost = {host}', { when: ['password', 'plain'] }],
      ['client-quoted', 'A', '[mysqldump]\nuser={user}\npassword="{V}"', PW],
    ],
  },
  {
    id: 'java-properties', family: 'config', lang: 'properties',
    paths: ['src/main/resources/application.properties', 'config/{noun}.properties', 'src/main/resources/application-prod.properties'],
    head: '# {Noun} configuration\nserver.port={port}\n', filler: ['spring.jpa.hibernate.ddl-auto=validate', 'logging.level.root=INFO'],
    t: [
      ['dotted', 'A', '{name.d}={V}', { when: ['nospace'] }],
      ['dotted-spaced', 'A', '{name.d} = {V}', { when: ['nospace'] }],
      ['colon', 'A', '{name.d}: {V}', { when: ['nospace'] }],
      ['camel', 'A', '{sec}.{restC}={V}', { when: ['nested', 'nospace'] }],
      ['uri', 'R', '{noun}.datasource.url={V}'],
    ],
  },
  {
    id: 'gradle-properties', family: 'config', lang: 'none',
    paths: ['gradle.properties', 'android/gradle.properties'],
    head: 'org.gradle.jvmargs=-Xmx2g\n', filler: ['kotlin.code.style=official', 'android.useAndroidX=true'],
    t: [
      ['camel', 'A', '{nameC}={V}', { when: ['nospace'] }],
      ['dotted', 'A', '{name.d}={V}', { when: ['nospace'] }],
    ],
  },
  {
    id: 'npmrc', family: 'credentials', lang: 'none', maxItems: 3,
    paths: ['.npmrc', 'frontend/.npmrc', 'packages/{noun}/.npmrc'],
    head: 'registry=https://registry.npmjs.org/\n', filler: ['save-exact=true', '@acme:registry=https://npm.pkg.github.com'],
    t: [
      ['npmjs', 'T', '//registry.npmjs.org/:_authToken={V}', REG_PLAIN],
      ['github', 'T', '//npm.pkg.github.com/:_authToken={V}', REG_PLAIN],
      ['artifactory', 'T', '//{noun}.jfrog.io/artifactory/api/npm/npm/:_authToken={V}', REG_PLAIN],
      ['password-b64', 'A', '//registry.{svc}.io/:username={user}\n//registry.{svc}.io/:_password={V:b64}', PW],
      ['auth-b64', 'T', '_auth={V:b64up}\nalways-auth=true', REG],
    ],
  },
  {
    id: 'pypirc', family: 'credentials', lang: 'none', maxItems: 1,
    paths: ['.pypirc'],
    head: '[distutils]\nindex-servers =\n    pypi\n    {noun}\n\n',
    t: [
      ['token', 'T', '[pypi]\nusername = __token__\npassword = {V}', REG_PLAIN],
      ['password', 'A', '[{noun}]\nrepository = https://pypi.{host}/\nusername = {user}\npassword = {V}', { when: ['password', 'plain'] }],
    ],
  },
  {
    id: 'netrc', family: 'credentials', lang: 'none', maxItems: 3,
    paths: ['.netrc', 'home/.netrc'],
    t: [
      ['multi-line', 'T', 'machine api.{svc}.com\n  login {user}\n  password {V}', { when: ['plain', 'credfile'] }],
      ['one-line', 'T', 'machine {noun}.{svc}.com login {email} password {V}', { when: ['plain', 'credfile'] }],
      ['password', 'A', 'machine {host}\n  login {user}\n  password {V}', { when: ['password', 'plain'] }],
    ],
  },
  {
    id: 'git-credentials', family: 'credentials', lang: 'none', maxItems: 3,
    paths: ['.git-credentials', 'home/.git-credentials'],
    t: [
      ['github', 'T', 'https://{user}:{V}@github.com', REG_URLSAFE],
      ['gitlab', 'T', 'https://oauth2:{V}@gitlab.com', REG_URLSAFE],
      ['password', 'A', 'https://{user}:{V}@git.{host}', { when: ['password', 'urlsafe'] }],
    ],
  },
  {
    id: 'gitconfig', family: 'credentials', lang: 'none', maxItems: 2,
    paths: ['.gitconfig', 'home/.gitconfig', '.git-config-ci'],
    head: '[user]\n\tname = CI Bot\n\temail = {email}\n',
    t: [
      ['extraheader', 'T', '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic {V:b64up}', REG],
      ['insteadof', 'T', '[url "https://{user}:{V}@github.com/"]\n\tinsteadOf = https://github.com/', REG_URLSAFE],
    ],
  },
  {
    id: 'pgpass', family: 'credentials', lang: 'none', maxItems: 3,
    paths: ['.pgpass', 'home/.pgpass'],
    t: [['line', 'A', '{host}:5432:{noun}:{user}:{V}', { when: ['password', 'nospace'] }]],
  },
  {
    id: 'hocon', family: 'config', lang: 'hocon',
    paths: ['src/main/resources/application.conf', 'conf/{noun}.conf'],
    head: 'akka {\n  loglevel = "INFO"\n}\n\n', filler: ['http.port = {port}', 'db.pool-size = 10'],
    t: [
      ['dotted', 'A', '{name.d} = "{V}"'],
      ['object', 'A', '{sec} {\n  {restC} = "{V}"\n}', NESTED],
    ],
  },
];

// ─── XML ──────────────────────────────────────────────────────────────────────────────────────────

const XML_KINDS: KindSpec[] = [
  {
    id: 'web-config', family: 'xml', lang: 'none',
    paths: ['Web.config', 'src/{Noun}.Web/Web.Release.config', 'App.config'],
    head: '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <appSettings>\n', tail: '\n  </appSettings>\n</configuration>\n',
    filler: ['    <add key="webpages:Version" value="3.0.0.0" />', '    <add key="ClientValidationEnabled" value="true" />'],
    t: [
      ['add', 'A', '    <add key="{NameP}" value="{V}" />', { when: ['xmlsafe'] }],
      ['add-colon', 'A', '    <add key="{Sec}:{RestP}" value="{V}" />', { when: ['xmlsafe', 'nested'] }],
    ],
  },
  {
    id: 'web-config-connections', family: 'xml', lang: 'none', maxItems: 3,
    paths: ['config/connections.config', 'src/{Noun}.Data/App.config'],
    head: '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <connectionStrings>\n', tail: '\n  </connectionStrings>\n</configuration>\n',
    t: [
      ['sqlserver', 'A', '    <add name="{Noun}" connectionString="Data Source={host};Initial Catalog={noun};User ID={user};Password={V};" providerName="System.Data.SqlClient" />', { when: ['password', 'xmlsafe', 'nospace'] }],
      ['uri', 'R', '    <add name="{Noun}Db" connectionString="{V}" />'],
    ],
  },
  {
    id: 'maven-settings', family: 'xml', lang: 'none',
    paths: ['.m2/settings.xml', 'ci/maven-settings.xml'],
    head: '<settings>\n  <servers>\n', tail: '\n  </servers>\n</settings>\n',
    t: [
      ['server-token', 'T', '    <server>\n      <id>{noun}-releases</id>\n      <username>{user}</username>\n      <password>{V}</password>\n    </server>', REG_XML],
      ['server-password', 'A', '    <server>\n      <id>{noun}-snapshots</id>\n      <username>{user}</username>\n      <password>{V}</password>\n    </server>', { when: ['password', 'xmlsafe'] }],
    ],
  },
  {
    id: 'pom-properties', family: 'xml', lang: 'none',
    paths: ['pom.xml', '{noun}-service/pom.xml'],
    head: '<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.acme</groupId>\n  <artifactId>{noun}</artifactId>\n  <properties>\n',
    tail: '\n  </properties>\n</project>\n', filler: ['    <java.version>21</java.version>', '    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>'],
    t: [
      ['dotted', 'A', '    <{name.d}>{V}</{name.d}>', { when: ['xmlsafe'] }],
      ['camel', 'A', '    <{nameC}>{V}</{nameC}>', { when: ['xmlsafe'] }],
    ],
  },
  {
    id: 'android-strings', family: 'xml', lang: 'none',
    paths: ['app/src/main/res/values/strings.xml', 'android/app/src/main/res/values/secrets.xml'],
    head: '<?xml version="1.0" encoding="utf-8"?>\n<resources>\n    <string name="app_name">{Noun}</string>\n', tail: '\n</resources>\n',
    filler: ['    <string name="title_{noun}">{Noun}</string>'],
    t: [['string', 'A', '    <string name="{name}">{V}</string>', { when: ['xmlsafe'] }]],
  },
  {
    id: 'nuget-config', family: 'xml', lang: 'none', maxItems: 1,
    paths: ['NuGet.Config', 'nuget.config'],
    head: '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <add key="{noun}" value="https://pkgs.dev.azure.com/acme/_packaging/{noun}/nuget/v3/index.json" />\n  </packageSources>\n',
    tail: '\n</configuration>\n',
    t: [
      ['cleartext', 'T', '  <packageSourceCredentials>\n    <{noun}>\n      <add key="Username" value="{user}" />\n      <add key="ClearTextPassword" value="{V}" />\n    </{noun}>\n  </packageSourceCredentials>', REG_XML],
      ['apikeys', 'T', '  <apikeys>\n    <add key="https://api.nuget.org/v3/index.json" value="{V}" />\n  </apikeys>', REG_XML],
      ['cleartext-password', 'A', '  <packageSourceCredentials>\n    <{noun}>\n      <add key="Username" value="{user}" />\n      <add key="ClearTextPassword" value="{V}" />\n    </{noun}>\n  </packageSourceCredentials>', { when: ['password', 'xmlsafe'] }],
    ],
  },
  {
    id: 'plist', family: 'xml', lang: 'none',
    paths: ['ios/{Noun}/Info.plist', 'ios/Runner/GoogleService-Info.plist'],
    head: '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n\t<key>CFBundleName</key>\n\t<string>{Noun}</string>\n',
    tail: '\n</dict>\n</plist>\n', filler: ['\t<key>CFBundleVersion</key>\n\t<string>{n}</string>'],
    t: [['key-string', 'A', '\t<key>{NameP}</key>\n\t<string>{V}</string>', { when: ['xmlsafe'] }]],
  },
];

// ─── Code ─────────────────────────────────────────────────────────────────────────────────────────

const CODE_KINDS: KindSpec[] = [
  {
    id: 'python', family: 'code', lang: 'python',
    paths: ['app/{noun}.py', 'src/{noun}/client.py', 'scripts/sync_{noun}.py', 'tests/test_{noun}.py'],
    head: 'import os\n\nimport requests\n\n',
    filler: ['def get_{noun}(session, {noun}_id):\n    return session.get(f"/{noun}s/{{noun}_id}").json()', 'TIMEOUT = 30', 'logger = logging.getLogger(__name__)'],
    t: [
      ['const', 'A', '{NAME} = "{V}"'],
      ['var-squote', 'A', "{name} = '{V}'"],
      ['kwarg', 'A', 'client = {Svc}Client({name}="{V}")'],
      ['environ-set', 'A', 'os.environ["{NAME}"] = "{V}"'],
      ['setdefault', 'A', 'os.environ.setdefault("{NAME}", "{V}")'],
      ['dict', 'A', 'settings = {"{name}": "{V}", "timeout": 30}'],
      ['getenv-default', 'A', '{NAME} = os.getenv("{NAME}", "{V}")'],
      ['class-attr', 'A', 'class Config:\n    {NAME} = "{V}"\n    DEBUG = False'],
      ['commented', 'A', '# {NAME} = "{V}"  # TODO: move to vault', { weight: 0.5 }],
      ['basic-auth', 'A', 'resp = requests.get(url, auth=("{user}", "{V}"), timeout=10)', PW],
      ['smtp-login', 'A', 'server = smtplib.SMTP_SSL("smtp.{host}", 465)\nserver.login("{email}", "{V}")', PW],
      ['header', 'T', 'headers = {"Authorization": "Bearer {V}"}'],
      ['requests-header', 'T', 'resp = requests.get(url, headers={"X-API-Key": "{V}"}, timeout=10)'],
      ['positional', 'T', 'client = {Svc}("{V}")'],
      ['webhook', 'U', 'requests.post("{V}", json={"text": message}, timeout=5)'],
      ['engine', 'R', 'engine = create_engine("{V}", pool_pre_ping=True)'],
      ['triple', 'B', '{NAME} = """{V}"""'],
      ['triple-nl', 'B', '{NAME} = """\n{V}\n"""'],
      ['expr', 'E', '{name} = {E}'],
    ],
  },
  {
    id: 'django-settings', family: 'code', lang: 'python',
    paths: ['{noun}/settings.py', 'config/settings/production.py'],
    head: 'from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\n', filler: ['DEBUG = False', 'ALLOWED_HOSTS = ["{noun}.acme-corp.io"]', 'TIME_ZONE = "UTC"'],
    t: [
      ['setting', 'A', "{NAME} = '{V}'"],
      ['databases', 'A', "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': '{noun}',\n        'USER': '{user}',\n        'PASSWORD': '{V}',\n        'HOST': '{host}',\n    }\n}", PW],
      ['email', 'A', "EMAIL_HOST_USER = '{email}'\nEMAIL_HOST_PASSWORD = '{V}'", PW],
      ['cache-url', 'R', "CACHES = {\n    'default': {\n        'BACKEND': 'django_redis.cache.RedisCache',\n        'LOCATION': '{V}',\n    }\n}"],
      ['expr', 'E', '{NAME} = {E}'],
    ],
  },
  {
    id: 'javascript', family: 'code', lang: 'js',
    paths: ['src/{noun}.js', 'lib/{noun}-client.js', 'server/config.js', 'next.config.js'],
    head: "'use strict';\n\nconst axios = require('axios');\n\n",
    filler: ["function {noun}Path(id) {\n  return `/{noun}s/${id}`;\n}", 'const TIMEOUT_MS = 10_000;', "module.exports.name = '{noun}';"],
    t: [
      ['const', 'A', "const {nameC} = '{V}';"],
      ['const-upper', 'A', 'const {NAME} = "{V}";'],
      ['exports', 'A', "module.exports.{nameC} = '{V}';"],
      ['env-fallback', 'A', "process.env.{NAME} = process.env.{NAME} || '{V}';"],
      ['object', 'A', "const config = { {nameC}: '{V}', timeout: 5000 };"],
      ['nullish', 'A', "const {nameC} = process.env.{NAME} ?? '{V}';"],
      ['commented', 'A', "// const {nameC} = '{V}';", { weight: 0.5 }],
      ['pg-client', 'A', "const client = new Client({ host: '{host}', user: '{user}', password: '{V}', database: '{noun}' });", PW],
      ['client-auth', 'T', "const client = new {Svc}({ auth: '{V}' });"],
      ['bearer', 'T', "axios.defaults.headers.common.Authorization = 'Bearer {V}';"],
      ['webhook', 'U', "await fetch('{V}', { method: 'POST', body: JSON.stringify({ text }) });"],
      ['pool', 'R', "const pool = new Pool({ connectionString: '{V}' });"],
      ['template-literal', 'B', 'const {nameC} = `{V}`;'],
      ['escaped', 'B', "const {nameC} = '{V:esc}';"],
      ['concat', 'B', 'const {nameC} =\n  {V:jsconcat};'],
      ['expr', 'E', 'const {nameC} = {E};'],
    ],
  },
  {
    id: 'typescript', family: 'code', lang: 'ts',
    paths: ['src/{noun}/config.ts', 'src/lib/{noun}.ts', 'apps/web/src/{noun}.tsx', 'test/{noun}.spec.ts'],
    head: "import { z } from 'zod';\n\n",
    filler: ['export interface {Noun} {\n  id: string;\n  createdAt: Date;\n}', 'export const DEFAULT_PAGE_SIZE = 50;', 'type {Noun}Id = string;'],
    t: [
      ['export-const', 'A', "export const {NAME}: string = '{V}';"],
      ['as-const', 'A', "const {nameC} = '{V}' as const;"],
      ['object', 'A', "export const {noun}Config = {\n  baseUrl: 'https://api.{svc}.com',\n  {nameC}: '{V}',\n  retries: 3,\n};"],
      ['client', 'T', "const {svc}Client = new {Svc}Client({ apiKey: '{V}', timeout: 5_000 });"],
      ['headers', 'T', "const headers = { Authorization: `Bearer {V}`, 'Content-Type': 'application/json' };"],
      ['webhook', 'U', "export const {NAME}_URL = '{V}';"],
      ['mongoose', 'R', "await mongoose.connect('{V}');"],
      ['template-literal', 'B', 'export const {NAME} = `{V}`;'],
      ['expr', 'E', 'export const {nameC} = {E};'],
    ],
  },
  {
    id: 'go', family: 'code', lang: 'go',
    paths: ['internal/{noun}/client.go', 'cmd/{noun}/main.go', 'pkg/{noun}/config.go'],
    head: 'package {noun}\n\nimport (\n\t"net/http"\n\t"os"\n)\n\n',
    filler: ['type {Noun} struct {\n\tID   string\n\tName string\n}', 'const defaultTimeout = 30'],
    t: [
      ['const', 'A', 'const {nameC} = "{V}"'],
      ['var', 'A', 'var {NameP} = "{V}"'],
      ['struct', 'A', 'var defaultConfig = Config{{NameP}: "{V}", Timeout: 30}'],
      ['setenv', 'A', 'func init() {\n\tos.Setenv("{NAME}", "{V}")\n}'],
      ['mysql-dsn', 'A', 'func openDB() (*sql.DB, error) {\n\treturn sql.Open("mysql", "{user}:{V}@tcp({host}:3306)/{noun}?parseTime=true")\n}', { when: ['password', 'nospace'] }],
      ['newclient', 'T', 'func new{Svc}Client() *{svc}.Client {\n\treturn {svc}.NewClient("{V}")\n}'],
      ['header', 'T', 'func authorize(req *http.Request) {\n\treq.Header.Set("Authorization", "Bearer {V}")\n}'],
      ['sql-open', 'R', 'func openDB() (*sql.DB, error) {\n\treturn sql.Open("pgx", "{V}")\n}'],
      ['raw-string', 'B', 'const {nameC} = `{V}`'],
      ['expr', 'E', 'var {nameC} = {E}'],
    ],
  },
  {
    id: 'java', family: 'code', lang: 'java', indent: '    ',
    paths: ['src/main/java/com/acme/{noun}/{Noun}Config.java', 'src/test/java/com/acme/{noun}/{Noun}ClientTest.java'],
    head: 'package com.acme.{noun};\n\npublic class {Noun}Config {\n', tail: '\n}\n',
    filler: ['    private static final int TIMEOUT_SECONDS = 30;', '    public String getName() {\n        return "{noun}";\n    }'],
    t: [
      ['static-final', 'A', '    private static final String {NAME} = "{V}";'],
      ['field', 'A', '    private String {nameC} = "{V}";'],
      ['public-const', 'A', '    public static final String {NAME} = "{V}";'],
      ['jdbc-connect', 'A', '    Connection open() throws SQLException {\n        return DriverManager.getConnection(DATABASE_URL, "{user}", "{V}");\n    }', PW],
      ['commented', 'A', '    // private static final String {NAME} = "{V}";', { weight: 0.5 }],
      ['client', 'T', '    private final {Svc}Client client = new {Svc}Client("{V}");'],
      ['auth-header', 'T', '    private static final String AUTH_HEADER = "Bearer {V}";'],
      ['jdbc', 'R', '    private static final String DATABASE_URL = "{V}";'],
      ['text-block', 'B', '    private static final String {NAME} = """\n        {V:ind8}\n        """;'],
      ['concat', 'B', '    private static final String {NAME} =\n            {V:javaconcat};'],
      ['expr', 'E', '    private final String {nameC} = {E};'],
    ],
  },
  {
    id: 'kotlin', family: 'code', lang: 'kotlin',
    paths: ['app/src/main/java/com/acme/{noun}/{Noun}Api.kt', 'src/main/kotlin/{Noun}Config.kt'],
    head: 'package com.acme.{noun}\n\n', filler: ['data class {Noun}(val id: String, val name: String)', 'private const val TIMEOUT = 30L'],
    t: [
      ['const-val', 'A', 'const val {NAME} = "{V}"'],
      ['val', 'A', 'private val {nameC}: String = "{V}"'],
      ['named-arg', 'T', 'val client = {Svc}Client(apiKey = "{V}")'],
      ['expr', 'E', 'val {nameC} = {E}'],
    ],
  },
  {
    id: 'csharp', family: 'code', lang: 'csharp', indent: '    ',
    paths: ['src/{Noun}/{Noun}Settings.cs', 'src/{Noun}.Api/Startup.cs'],
    head: 'namespace Acme.{Noun};\n\npublic static class {Noun}Settings\n{\n', tail: '\n}\n',
    filler: ['    public const int TimeoutSeconds = 30;', '    public static string Name => "{noun}";'],
    t: [
      ['const', 'A', '    public const string {NameP} = "{V}";'],
      ['readonly', 'A', '    private static readonly string {nameC} = "{V}";'],
      ['property', 'A', '    public static string {NameP} { get; } = "{V}";'],
      ['network-credential', 'A', '    public static readonly NetworkCredential Smtp = new("{user}", "{V}");', PW],
      ['http-header', 'T', '    public static void Authorize(HttpClient client) =>\n        client.DefaultRequestHeaders.Add("Authorization", "Bearer {V}");'],
      ['connection', 'R', '    private const string ConnectionString = "{V}";'],
      ['ado-net', 'A', '    private const string ConnectionString = "Server={host};Database={noun};User Id={user};Password={V};";', { when: ['password', 'nospace'] }],
      ['verbatim', 'B', '    private const string {NameP} = @"{V}";'],
      ['expr', 'E', '    private static readonly string {nameC} = {E};'],
    ],
  },
  {
    id: 'ruby', family: 'code', lang: 'ruby',
    paths: ['lib/{noun}_client.rb', 'config/initializers/{noun}.rb', 'spec/{noun}_spec.rb'],
    head: "require 'net/http'\n\n", filler: ['def {noun}_path(id)\n  "/{noun}s/#{id}"\nend', 'TIMEOUT = 30'],
    t: [
      ['const', 'A', '{NAME} = "{V}"'],
      ['local', 'A', "{name} = '{V}'"],
      ['env-default', 'A', 'ENV["{NAME}"] ||= "{V}"'],
      ['module-attr', 'A', '{Svc}.{name} = "{V}"'],
      ['configure', 'A', '{Svc}.configure do |config|\n  config.{name} = "{V}"\nend'],
      ['commented', 'A', '# {NAME} = "{V}"', { weight: 0.5 }],
      ['client', 'T', 'client = {Svc}::Client.new(access_token: "{V}")'],
      ['establish', 'R', 'ActiveRecord::Base.establish_connection("{V}")'],
      ['heredoc', 'B', '{NAME} = <<~KEY\n  {V:ind2}\nKEY'],
      ['expr', 'E', '{name} = {E}'],
    ],
  },
  {
    id: 'php', family: 'code', lang: 'php',
    paths: ['config/{noun}.php', 'wp-config.php', 'src/{Noun}/Client.php'],
    head: '<?php\n\n', filler: ["$timeout = 30;", "function {noun}_path($id) {\n    return '/{noun}s/' . $id;\n}"],
    t: [
      ['define', 'A', "define('{NAME}', '{V}');"],
      ['var', 'A', "${nameC} = '{V}';"],
      ['array', 'A', "$config['{name}'] = '{V}';"],
      ['putenv', 'A', "putenv('{NAME}={V}');"],
      ['pdo', 'A', "$pdo = new PDO('mysql:host={host};dbname={noun}', '{user}', '{V}');", PW],
      ['client', 'T', "$client = new \\{Svc}\\Client('{V}');"],
      ['redis', 'R', "$redis = new Predis\\Client('{V}');"],
      ['nowdoc', 'B', "${nameC} = <<<'KEY'\n{V}\nKEY;"],
      ['expr', 'E', '${nameC} = {E};'],
    ],
  },
  {
    id: 'swift', family: 'code', lang: 'swift',
    paths: ['Sources/{Noun}/Config.swift', 'ios/{Noun}/Secrets.swift'],
    head: 'import Foundation\n\n', filler: ['let timeout: TimeInterval = 30', 'struct {Noun}: Codable {\n    let id: String\n}'],
    t: [
      ['let', 'A', 'let {nameC} = "{V}"'],
      ['static', 'A', 'enum {Noun}Keys {\n    static let {nameC} = "{V}"\n}'],
      ['expr', 'E', 'let {nameC} = {E}'],
    ],
  },
  {
    id: 'rust', family: 'code', lang: 'rust',
    paths: ['src/{noun}.rs', 'src/config.rs'],
    head: 'use std::time::Duration;\n\n', filler: ['const TIMEOUT: Duration = Duration::from_secs(30);', 'pub struct {Noun} {\n    pub id: String,\n}'],
    t: [
      ['const', 'A', 'const {NAME}: &str = "{V}";'],
      ['static', 'A', 'pub static {NAME}: &str = "{V}";'],
      ['client', 'T', 'fn client() -> {Svc}Client {\n    {Svc}Client::new("{V}")\n}'],
      ['expr', 'E', 'const {NAME}: &str = {E};'],
    ],
  },
  {
    id: 'dart', family: 'code', lang: 'dart',
    paths: ['lib/config.dart', 'lib/services/{noun}_service.dart'],
    head: "import 'package:http/http.dart' as http;\n\n", filler: ['const timeout = Duration(seconds: 30);'],
    t: [
      ['const', 'A', "const {nameC} = '{V}';"],
      ['typed', 'A', "const String {nameC} = '{V}';"],
      ['expr', 'E', 'final {nameC} = {E};'],
    ],
  },
  {
    id: 'elixir', family: 'code', lang: 'elixir',
    paths: ['config/prod.exs', 'config/runtime.exs'],
    head: 'import Config\n\n', filler: ['config :logger, level: :info'],
    t: [
      ['config', 'A', 'config :{noun}, {Noun}.Client,\n  {name}: "{V}"'],
      ['expr', 'E', 'config :{noun}, {name}: {E}'],
    ],
  },
  {
    id: 'jenkinsfile', family: 'ci', lang: 'groovy',
    paths: ['Jenkinsfile', 'ci/Jenkinsfile.deploy'],
    head: 'pipeline {\n  agent any\n  environment {\n',
    tail: "\n  }\n  stages {\n    stage('Build') {\n      steps {\n        sh 'make build'\n      }\n    }\n  }\n}\n", filler: ["    APP_NAME = '{noun}'"],
    t: [
      ['env-squote', 'A', "    {NAME} = '{V}'"],
      ['env-dquote', 'A', '    {NAME} = "{V}"'],
      ['expr', 'E', '    {NAME} = {E}'],
    ],
  },
  {
    id: 'gradle-build', family: 'build', lang: 'groovy',
    paths: ['build.gradle', 'app/build.gradle'],
    head: "plugins {\n    id 'java'\n}\n\n", filler: ["repositories {\n    mavenCentral()\n}", "version = '{ver}'"],
    t: [
      ['ext', 'A', "ext.{nameC} = '{V}'"],
      ['def', 'A', 'def {nameC} = "{V}"'],
      ['credentials', 'A', "publishing {\n    repositories {\n        maven {\n            credentials {\n                username = '{user}'\n                password = '{V}'\n            }\n        }\n    }\n}", PW],
      ['expr', 'E', 'ext.{nameC} = {E}'],
    ],
  },
  {
    id: 'terraform', family: 'iac', lang: 'hcl',
    paths: ['infra/{noun}.tf', 'terraform/main.tf', 'modules/{noun}/variables.tf'],
    head: 'terraform {\n  required_version = ">= 1.5"\n}\n\n', filler: ['locals {\n  environment = "prod"\n}', 'output "{noun}_id" {\n  value = module.{noun}.id\n}'],
    t: [
      ['variable-default', 'A', 'variable "{name}" {\n  type      = string\n  default   = "{V}"\n  sensitive = true\n}'],
      ['resource-attr', 'A', 'resource "{svc}_{noun}" "main" {\n  name = "{noun}"\n  {name} = "{V}"\n}'],
      ['locals', 'A', 'locals {\n  {name} = "{V}"\n}'],
      ['provider', 'T', 'provider "{svc}" {\n  token = "{V}"\n}'],
      ['http-header', 'T', 'data "http" "{noun}" {\n  url = "https://api.{svc}.com/v1/{noun}"\n  request_headers = {\n    Authorization = "Bearer {V}"\n  }\n}'],
      ['connection', 'R', 'resource "{noun}_connection" "main" {\n  connection_string = "{V}"\n}'],
      ['heredoc', 'B', 'resource "{svc}_deploy_key" "{noun}" {\n  private_key = <<-EOT\n    {V:ind4}\n  EOT\n}'],
      ['expr', 'E', 'resource "{noun}_config" "main" {\n  {name} = {E}\n}'],
    ],
  },
  {
    id: 'tfvars', family: 'iac', lang: 'none',
    paths: ['envs/prod.tfvars', 'terraform.tfvars', 'infra/{noun}.auto.tfvars'],
    head: 'region = "{region}"\n', filler: ['instance_count = 3', 'environment = "prod"'],
    t: [['assign', 'A', '{name} = "{V}"']],
  },
  {
    id: 'sql', family: 'code', lang: 'sql',
    paths: ['db/migrations/00{n}_create_{noun}_user.sql', 'sql/grants.sql'],
    head: '-- {Noun} service account\n', filler: ['GRANT SELECT ON ALL TABLES IN SCHEMA public TO {user};', 'CREATE INDEX idx_{noun}_created ON {noun}s (created_at);'],
    t: [
      ['create-user', 'A', "CREATE USER {user} WITH PASSWORD '{V}';", PW],
      ['identified-by', 'A', "ALTER USER '{user}'@'%' IDENTIFIED BY '{V}';", PW],
      ['create-login', 'A', "CREATE LOGIN {user} WITH PASSWORD = '{V}';", PW],
      ['expr', 'E', 'ALTER ROLE {user} WITH PASSWORD {E};'],
    ],
  },
  {
    id: 'html', family: 'web', lang: 'html',
    paths: ['public/{noun}.html', 'templates/{noun}/index.html'],
    head: '<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>{Noun}</title>\n', tail: '\n</head>\n<body></body>\n</html>\n',
    filler: ['  <link rel="stylesheet" href="/static/{noun}.css">', '  <meta name="viewport" content="width=device-width, initial-scale=1">'],
    t: [
      ['window-var', 'A', '  <script>window.{NAME} = "{V}";</script>'],
      ['meta', 'A', '  <meta name="{name-k}" content="{V}">', { when: ['xmlsafe'] }],
      ['script-src-key', 'T', '  <script src="https://maps.googleapis.com/maps/api/js?key={V}&callback=initMap" async></script>', URLSAFE],
    ],
  },
];

// ─── Docs, notes, logs, keys ──────────────────────────────────────────────────────────────────────

const DOC_KINDS: KindSpec[] = [
  {
    id: 'markdown', family: 'docs', lang: 'markdown',
    paths: ['README.md', 'docs/{noun}.md', 'docs/setup.md', 'CONTRIBUTING.md', 'docs/runbooks/{noun}-rotation.md'],
    head: '# {Noun} service\n\nHow to run the {noun} service locally and in production.\n\n', sep: '\n\n',
    filler: ['## Running locally\n\nInstall the dependencies with `npm ci`, then start the server with `npm run dev`.', 'See the [architecture notes](./architecture.md) for details.'],
    t: [
      ['bash-export', 'A', '```bash\nexport {NAME}={V}\n```', P],
      ['bash-export-quoted', 'A', '```sh\nexport {NAME}="{V}"\n```'],
      ['yaml-block', 'A', '```yaml\n{name}: {V}\n```', P],
      ['inline', 'A', 'Set `{NAME}` to `{V}` in your environment before starting the worker.'],
      ['curl', 'T', '```\ncurl -H "Authorization: Bearer {V}" https://api.{svc}.com/v1/{noun}s\n```'],
      ['webhook', 'U', 'Alerts are posted to {V} (the #ops channel).'],
      ['psql', 'R', 'Connect to the replica with `psql {V}`.'],
      ['code-block', 'B', '```\n{V}\n```'],
      ['snippet', 'L', '```\n{V}\n```'],
      ['expr', 'E', '```bash\nexport {NAME}={E}\n```'],
    ],
  },
  {
    id: 'notes-txt', family: 'docs', lang: 'text',
    paths: ['notes/{noun}.txt', 'docs/credentials.txt', 'TODO.txt'],
    head: '{Noun} notes\n============\n\n', filler: ['- ask platform team about the staging cluster', '- migrate {noun} jobs to the new queue'],
    t: [
      ['colon', 'A', '{NAME}: {V}'],
      ['equals', 'A', '{name} = {V}'],
      ['prose', 'T', 'prod key for {svc}: {V}'],
      ['webhook', 'U', 'webhook: {V}'],
      ['db', 'R', 'db: {V}'],
      ['line', 'L', '{V}'],
    ],
  },
  {
    id: 'http-client-file', family: 'logs', lang: 'http',
    paths: ['requests/{noun}.http', 'api/{noun}.rest'], sep: '\n\n###\n\n',
    filler: ['GET https://api.{svc}.com/health\nAccept: application/json'],
    t: [
      ['variable', 'A', '@{nameC} = {V}', { when: ['nospace'] }],
      ['bearer', 'T', 'GET https://api.{svc}.com/v1/{noun}s\nAuthorization: Bearer {V}\nAccept: application/json'],
      ['api-key', 'T', 'POST https://api.{svc}.com/v1/{noun}s\nX-Api-Key: {V}\nContent-Type: application/json\n\n{"name": "{noun}"}'],
      ['webhook', 'U', 'POST {V}\nContent-Type: application/json\n\n{"text": "hello"}'],
      ['expr', 'E', 'GET https://api.{svc}.com/v1/{noun}s\nAuthorization: Bearer {E}'],
    ],
  },
  {
    id: 'http-access-log', family: 'logs', lang: 'none',
    paths: ['logs/{noun}-access.log', 'var/log/nginx/access.log'],
    filler: ['10.0.{n}.12 - - [12/Mar/2025:10:{n}:11 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"'],
    t: [
      ['query-api-key', 'T', '10.0.{n}.7 - - [12/Mar/2025:10:{n}:42 +0000] "GET /v1/{noun}s?api_key={V} HTTP/1.1" 200 {n}31 "-" "python-requests/2.31.0"', URLSAFE],
      ['query-token', 'T', '10.0.{n}.9 - - [12/Mar/2025:11:{n}:03 +0000] "GET /v1/{noun}?access_token={V}&page=2 HTTP/1.1" 200 {n}8 "-" "okhttp/4.12.0"', URLSAFE],
    ],
  },
  {
    id: 'app-debug-log', family: 'logs', lang: 'none',
    paths: ['logs/{noun}.log', 'tmp/debug-{noun}.log'],
    filler: ['2025-03-12T10:11:12.345Z INFO  server listening on :{port}', '2025-03-12T10:11:13.002Z DEBUG cache warmed ({n} keys)'],
    t: [
      ['headers', 'T', '2025-03-12T10:{n}:12.345Z DEBUG http: request headers: {"Authorization": "Bearer {V}", "User-Agent": "axios/1.6.8"}'],
      ['config-dump', 'A', '2025-03-12T10:{n}:01.118Z INFO  config loaded: {name}={V} region={region}', { when: ['nospace'] }],
      ['connecting', 'R', '2025-03-12T10:{n}:02.540Z INFO  connecting to {V}'],
    ],
  },
  {
    id: 'csv-export', family: 'docs', lang: 'none',
    paths: ['data/{noun}-keys.csv', 'docs/inventory/{noun}-integrations.csv'],
    head: 'service,environment,credential,owner,created\n',
    filler: ['{noun},staging,(see vault),{email},2024-0{n}-01'],
    t: [['row', 'T', '{svc},production,{V},{email},2024-11-{n}', { when: ['nospace'] }]],
  },
  {
    // A rule's example as it is, in a file named after what the example looks like (see snippetPath).
    id: 'config-snippet', family: 'config', lang: 'none', maxItems: 1,
    paths: ['config/{svc}.conf'],
    t: [['verbatim', 'L', '{V}']],
  },
  {
    id: 'key-file', family: 'keys', lang: 'none', maxItems: 1,
    paths: ['certs/{noun}.key', '.ssh/id_{noun}', 'keys/{noun}.pem', 'secrets/{noun}-signing.asc', 'deploy/{noun}_rsa'],
    t: [['file', 'B', '{V}']],
  },
  {
    id: 'pem-bundle', family: 'keys', lang: 'none', maxItems: 1,
    paths: ['certs/{noun}-fullchain.pem', 'tls/{noun}-bundle.pem'],
    head: '{cert}\n', t: [['after-cert', 'B', '{V}']],
  },
];

export const FILE_KINDS: FileKind[] = [...SHELL_KINDS, ...YAML_KINDS, ...JSON_KINDS, ...CONFIG_KINDS, ...XML_KINDS, ...CODE_KINDS, ...DOC_KINDS].map(kind);

/** Kinds that only hold negatives (lockfiles, bundles, encrypted files); negatives.ts writes their entries. */
export const RAW_KINDS: FileKind[] = [
  { id: 'package-lock', family: 'lockfile', lang: 'none', paths: ['package-lock.json', 'apps/{noun}/package-lock.json'], head: '{\n  "name": "{noun}",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n', tail: '\n  }\n}\n', sep: ',\n', maxItems: 12 },
  { id: 'yarn-lock', family: 'lockfile', lang: 'none', paths: ['yarn.lock', 'web/yarn.lock'], head: '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n', sep: '\n\n', maxItems: 12 },
  { id: 'go-sum', family: 'lockfile', lang: 'none', paths: ['go.sum', 'tools/go.sum'], maxItems: 12 },
  { id: 'python-lock', family: 'lockfile', lang: 'none', paths: ['poetry.lock', 'requirements.txt', 'Pipfile.lock.txt'], maxItems: 10 },
  { id: 'cargo-lock', family: 'lockfile', lang: 'none', paths: ['Cargo.lock'], head: '# This file is automatically @generated by Cargo.\nversion = 3\n\n', sep: '\n\n', maxItems: 10 },
  { id: 'terraform-lock', family: 'lockfile', lang: 'none', paths: ['.terraform.lock.hcl', 'infra/.terraform.lock.hcl'], head: '# This file is maintained automatically by "terraform init".\n\n', sep: '\n\n', maxItems: 6 },
  { id: 'checksums', family: 'lockfile', lang: 'none', paths: ['SHA256SUMS', 'dist/checksums.txt'], maxItems: 10 },
  { id: 'minified-js', family: 'generated', lang: 'none', paths: ['public/static/js/main.{hex8}.js', 'dist/{noun}.min.js'], maxItems: 1 },
  { id: 'source-map', family: 'generated', lang: 'none', paths: ['dist/{noun}.min.js.map', 'public/static/js/main.{hex8}.js.map'], maxItems: 1 },
  { id: 'css', family: 'web', lang: 'css', paths: ['src/styles/{noun}.css', 'public/css/app.css'], maxItems: 8 },
  { id: 'design-tokens', family: 'web', lang: 'none', paths: ['tokens/colors.json', 'design-tokens/{noun}.tokens.json'], head: '{\n  "color": {\n', tail: '\n  }\n}\n', sep: ',\n', maxItems: 10 },
  { id: 'i18n-json', family: 'web', lang: 'none', paths: ['locales/en.json', 'public/locales/de/common.json'], head: '{\n', tail: '\n}\n', sep: ',\n', maxItems: 10 },
  { id: 'sops-yaml', family: 'encrypted', lang: 'none', paths: ['secrets/{noun}.enc.yaml', 'deploy/secrets.sops.yaml'], maxItems: 6 },
  { id: 'ansible-vault-file', family: 'encrypted', lang: 'none', paths: ['group_vars/prod/vault.yml', 'roles/{noun}/vars/vault.yml'], maxItems: 1 },
  { id: 'sealed-secret', family: 'encrypted', lang: 'none', paths: ['k8s/sealed/{noun}-sealedsecret.yaml'], head: 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: {noun}-secrets\n  namespace: {noun}\nspec:\n  encryptedData:\n', tail: '\n  template:\n    metadata:\n      name: {noun}-secrets\n', maxItems: 5 },
  { id: 'rails-credentials-enc', family: 'encrypted', lang: 'none', paths: ['config/credentials.yml.enc', 'config/credentials/production.yml.enc'], maxItems: 1 },
  { id: 'known-hosts', family: 'keys', lang: 'none', paths: ['deploy/known_hosts', '.ssh/authorized_keys'], maxItems: 6 },
  { id: 'jwks', family: 'keys', lang: 'none', paths: ['.well-known/jwks.json', 'test/fixtures/jwks.json'], head: '{\n  "keys": [\n', tail: '\n  ]\n}\n', sep: ',\n', maxItems: 3 },
  { id: 'seed-data', family: 'fixtures', lang: 'none', paths: ['db/seeds/{noun}s.json', 'test/fixtures/{noun}s.json'], head: '[\n', tail: '\n]\n', sep: ',\n', maxItems: 8 },
  { id: 'lfs-pointer', family: 'generated', lang: 'none', paths: ['assets/{noun}.bin', 'models/{noun}.onnx'], maxItems: 1 },
  { id: 'changelog', family: 'docs', lang: 'none', paths: ['CHANGELOG.md', 'docs/releases.md'], head: '# Changelog\n\n', sep: '\n\n', maxItems: 8 },
  { id: 'stripe-fixtures', family: 'fixtures', lang: 'none', paths: ['test/fixtures/stripe/{noun}.json', 'spec/fixtures/stripe_{noun}.json'], head: '{\n', tail: '\n}\n', sep: ',\n', maxItems: 6 },
  { id: 'test-html-fixture', family: 'fixtures', lang: 'none', paths: ['test/fixtures/{noun}-form.html', 'spec/fixtures/pages/{noun}.html'], head: '<form method="post" action="/{noun}s">\n', tail: '\n</form>\n', maxItems: 4 },
].map((spec) => kind({ ...spec, lang: spec.lang as Lang, rawOnly: true }));

export const ALL_KINDS: FileKind[] = [...FILE_KINDS, ...RAW_KINDS];
export const KIND_BY_ID = new Map(ALL_KINDS.map((k) => [k.id, k]));

// ─── Conditions ───────────────────────────────────────────────────────────────────────────────────

export interface ValueFacts {
  /** Everything that is written for the value (a URI around its password, for instance). */
  whole: string;
  /** The tracked part alone. */
  secret: string;
  words: string[];
  isPassword: boolean;
  /** Positives: the rule's credential type (package-registry files take registry and SCM tokens only). */
  credentialType?: string;
  /** Negatives: their family (credential files take placeholders only: `${NPM_TOKEN}`, not a jwt.io sample). */
  family?: string;
}

export function conditionHolds(cond: Cond, facts: ValueFacts): boolean {
  const { whole, secret } = facts;
  switch (cond) {
    case 'plain':
      return /^[^\s"'`#\\]+$/.test(whole) && !/^[-?:,[\]{}#&*!|>'"%@`]/.test(whole);
    case 'nospace':
      return /^[^\s"'`\\]+$/.test(whole);
    case 'urlsafe':
      return /^[A-Za-z0-9._~-]+$/.test(secret);
    case 'password':
      return facts.isPassword;
    case 'nested':
      return facts.words.length >= 2;
    case 'xmlsafe':
      return !/[<>&"]/.test(whole);
    case 'credfile':
      return facts.credentialType !== undefined || facts.family === 'placeholder';
    case 'registry':
      return facts.credentialType !== undefined ? /package-publish|scm|ci-token|cloud-api|generic/.test(facts.credentialType) : facts.family === 'placeholder';
    case 'command':
      // One line that starts with a program name and has arguments: curl ..., docker login ..., twine ...
      return !whole.includes('\n') && /^[a-z][a-z0-9._-]*(?:\s+\S+)+$/.test(whole) && !/^[a-z][a-z0-9._-]*\s*[=:]/.test(whole);
  }
}

/** Where a verbatim example would live in a repository, from what it looks like. */
export function snippetPath(text: string, svc: string): string {
  if (/^\/\/\S+:_|^_auth|^always-auth|npmAuth/m.test(text)) return `${svc}/.npmrc`;
  if (/^\[(?:pypi|testpypi|distutils)\]/m.test(text)) return `${svc}/.pypirc`;
  if (/^machine\s/m.test(text)) return `${svc}/.netrc`;
  if (/^\s*</.test(text)) return `config/${svc}.xml`;
  if (/^\s*(?:provider|resource|variable|locals|module|data)\s+["{]/m.test(text)) return `infra/${svc}.tf`;
  if (/^(?:Authorization|[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)+):\s/m.test(text)) return `requests/${svc}.http`;
  if (/^\s*[{[]/.test(text)) return `config/${svc}.json`;
  if (/^\[[^\]]+\]\s*$/m.test(text)) return `config/${svc}.ini`;
  if (/^(?:export\s+)?[A-Z][A-Z0-9_]*=/m.test(text)) return `deploy/${svc}.env`;
  if (/^[a-z][a-z0-9._-]*\s+\S/.test(text) && !/^[a-z][a-z0-9._-]*\s*[=:]/.test(text) && !text.includes('\n')) return `scripts/${svc}.sh`;
  if (/^\s*[\w.-]+:\s/m.test(text)) return `config/${svc}.yml`;
  if (/^\s*[\w.-]+\s*=/m.test(text)) return `config/${svc}.properties`;
  return `docs/${svc}-notes.txt`;
}

/** A key file's name from its armour: id_ed25519, .asc, .ppk, .key. */
export function keyFilePath(text: string, noun: string): string {
  if (/OPENSSH PRIVATE KEY/.test(text)) return `.ssh/id_${noun}`;
  if (/PGP PRIVATE KEY/.test(text)) return `secrets/${noun}-signing.asc`;
  if (/^PuTTY-User-Key-File/.test(text)) return `keys/${noun}.ppk`;
  if (/ENCRYPTED/.test(text)) return `keys/${noun}.pem`;
  return `certs/${noun}.key`;
}

export function templateFits(template: Template, facts: ValueFacts): boolean {
  return template.when.every((cond) => conditionHolds(cond, facts));
}
