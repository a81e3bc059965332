/**
 * Scoring (DESIGN §6): how bad is each finding, offline, and why. The whole model is this file: the
 * tables first, then one function that applies them in a fixed order and writes down every step.
 *
 *   score = base weight of the credential type
 *         + privilege + lifetime                 (what the rule knows about this kind of credential)
 *         + JWT claims                            (what the token itself says: role, expiry)
 *         + exposure                              (where it was found: CI config up, tests and docs down,
 *                                                  many places up; history-only counts in full, since
 *                                                  deleting a line revokes nothing)
 *         + confidence                            (a passed checksum up, a generic match down)
 *         + pairing                               (a key id with its secret in the same file)
 *   clamped to 0..100; severity: critical ≥ 90, high ≥ 70, medium ≥ 40, low ≥ 10, info below.
 */
import { isCiConfigPath } from '../ci/files.js';
import { FILTER_VALIDATORS } from '../detect/validators/index.js';
import { decodeJwt } from '../detect/validators/structure.js';
import { isSecret } from '../report/redact.js';
import type { Confidence, Finding, Occurrence, Privilege, RuleSpec, ScoredFinding, Severity } from '../types.js';

/** What an attacker gets with each kind of credential, before anything else is known. */
export const BASE_WEIGHT: Record<string, number> = {
  'cloud-iam-key': 70,
  'secrets-manager-token': 70,
  'payment-live-key': 70,
  'cloud-api-token': 65,
  'scm-token': 65,
  'package-publish-token': 65,
  'database-credential': 65,
  'private-key': 65,
  'ci-token': 60,
  'cloud-session-token': 60,
  'ai-provider-key': 55,
  'signing-secret': 55,
  'oauth-client-secret': 55,
  'messaging-bot-token': 50,
  'saas-api-key': 50,
  'incoming-webhook': 50,
  'session-token': 45,
  'observability-key': 40,
  'api-key': 40,
  'password-hash': 35,
  'payment-test-key': 30,
  'generic-secret': 30,
  'generic-password': 30,
};
const UNKNOWN_TYPE_WEIGHT = 40;

export const PRIVILEGE_ADJUSTMENT: Record<Privilege, number> = { admin: 15, high: 5, medium: 0, unknown: 0, low: -10 };
export const LIFETIME_ADJUSTMENT = { 'long-lived': 10, 'short-lived': -15, unknown: 0 } as const;

export const EXPOSURE = {
  /** Any occurrence in a pipeline definition. */
  ciConfig: 10,
  /** Copied around: distinct files (or commits) holding the same secret. */
  sprawl: [
    [10, 10],
    [3, 5],
  ] as const,
  /** Every occurrence in tests, fixtures, examples or documentation: likely not a production secret. */
  testFixture: -15,
  documentation: -5,
} as const;

export const CONFIDENCE_ADJUSTMENT = { validated: 5, genericMatch: -10 } as const;
export const PAIR_BONUS = 10;

/** Credentials that are only usable, and far more dangerous, together (same file). */
export const PAIRS: readonly [string, string][] = [
  ['aws-access-key-id', 'aws-secret-access-key'],
  ['aws-temporary-access-key-id', 'aws-secret-access-key'],
  ['aws-temporary-access-key-id', 'aws-session-token'],
  ['alibaba-access-key-id', 'alibaba-access-key-secret'],
  ['twilio-api-key', 'twilio-api-key-secret'],
];

const JWT = {
  /** Supabase's service_role (and similar) bypasses row-level security: the whole database. */
  privilegedRole: 15,
  expiredCap: 25,
  nearExpiry: -15,
} as const;

const TEST_PATH = /(^|\/)(tests?|__tests__|spec|specs|fixtures?|testdata|test-data|__mocks__|mocks?|stubs?|e2e)(\/|$)|\.(test|spec)\.[a-z0-9]+$|(^|\/)test_[^/]+$|_test\.[a-z0-9]+$/i;
const DOCS_PATH = /(^|\/)(docs?|documentation|examples?|samples?)(\/|$)|\.(md|mdx|rst|adoc|txt)$|(^|\/)(readme|changelog)[^/]*$/i;

export function severityOf(score: number): Severity {
  if (score >= 90) return 'critical';
  if (score >= 70) return 'high';
  if (score >= 40) return 'medium';
  if (score >= 10) return 'low';
  return 'info';
}

/** The severity a rule's findings start from, before anything is known of where they were found. */
export function ruleSeverity(rule: RuleSpec): Severity {
  return severityOf(clamp(baseOf(rule) + PRIVILEGE_ADJUSTMENT[rule.privilege] + LIFETIME_ADJUSTMENT[rule.lifetime]));
}

/** The highest score of a CI posture problem that HEAD no longer has (severity low). */
const FIXED_POSTURE_CAP = 30;

/** Scores every finding; pairing looks across findings, so they are scored together. */
export function scoreFindings(findings: readonly Finding[]): ScoredFinding[] {
  const pairs = findPairs(findings);
  return findings.map((finding) => scoreOne(finding, pairs.get(finding.id) ?? []));
}

function scoreOne(finding: Finding, pairedWith: string[]): ScoredFinding {
  const { rule } = finding;
  const reasons: string[] = [];
  const add = (points: number, why: string) => {
    if (points !== 0) reasons.push(`${why} ${points > 0 ? '+' : ''}${points}`);
    return points;
  };

  const base = baseOf(rule);
  reasons.push(`base: ${rule.credentialType} ${base}`);
  let score = base;
  score += add(PRIVILEGE_ADJUSTMENT[rule.privilege], `privilege ${rule.privilege}`);
  let lifetime = rule.lifetime;

  let cap = 100;
  if (rule.validators.includes('jwt')) {
    const claims = decodeJwt(finding.secret)?.claims ?? {};
    const role = typeof claims.role === 'string' ? claims.role : undefined;
    if (role && /service_role|admin|root|superuser/i.test(role)) score += add(JWT.privilegedRole, `JWT role ${role}`);
    if (typeof claims.exp === 'number') {
      const secondsLeft = claims.exp - Math.floor(Date.now() / 1000);
      if (secondsLeft <= 0) {
        cap = JWT.expiredCap;
        reasons.push(`JWT expired ${new Date(claims.exp * 1000).toISOString().slice(0, 10)}: at most ${cap}`);
      } else if (secondsLeft < 24 * 3600) {
        lifetime = 'short-lived';
        score += add(JWT.nearExpiry, 'JWT expires within a day');
      }
    }
  }
  score += add(LIFETIME_ADJUSTMENT[lifetime], lifetime);

  const paths = new Set(finding.occurrences.map((o) => o.path));
  const places = new Set(finding.occurrences.map(placeOf)).size;
  if (finding.occurrences.some((o) => isCiConfigPath(o.path))) score += add(EXPOSURE.ciConfig, 'in CI config');
  const sprawl = EXPOSURE.sprawl.find(([atLeast]) => places >= atLeast);
  if (sprawl) score += add(sprawl[1], `${places} locations`);
  if ([...paths].every((path) => TEST_PATH.test(path))) score += add(EXPOSURE.testFixture, 'only in tests or fixtures');
  else if ([...paths].every((path) => DOCS_PATH.test(path) || TEST_PATH.test(path))) score += add(EXPOSURE.documentation, 'only in docs or examples');
  if (finding.presentAtHead === false) {
    // A secret deleted from the code still works until revoked; a CI misconfiguration gone from HEAD
    // is fixed, and what is left to know is that it was once there.
    if (!isSecret(finding)) {
      cap = Math.min(cap, FIXED_POSTURE_CAP);
      reasons.push(`only in history: fixed at HEAD, at most ${FIXED_POSTURE_CAP}`);
    } else {
      reasons.push('only in history: still valid until revoked +0');
    }
  }

  let confidence: Confidence = 'medium';
  if (finding.validated.some((name) => !FILTER_VALIDATORS.has(name))) {
    confidence = 'high';
    score += add(CONFIDENCE_ADJUSTMENT.validated, `validated (${finding.validated.join(', ')})`);
  } else if (rule.credentialType.startsWith('generic')) {
    confidence = 'low';
    score += add(CONFIDENCE_ADJUSTMENT.genericMatch, 'generic match');
  }

  if (pairedWith.length > 0) score += add(PAIR_BONUS, 'paired with its counterpart in the same file');

  const final = Math.min(clamp(score), cap);
  return { ...finding, score: final, severity: severityOf(final), confidence, scoreReasons: reasons, pairedWith };
}

/** For each finding, the findings it pairs with: counterpart rules with an occurrence in the same file. */
function findPairs(findings: readonly Finding[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) byRule.set(finding.rule.id, [...(byRule.get(finding.rule.id) ?? []), finding]);
  for (const [left, right] of PAIRS) {
    for (const a of byRule.get(left) ?? []) {
      for (const b of byRule.get(right) ?? []) {
        const aFiles = new Set(a.occurrences.map(fileOf));
        if (!b.occurrences.some((o) => aFiles.has(fileOf(o)))) continue;
        result.set(a.id, [...(result.get(a.id) ?? []), b.id]);
        result.set(b.id, [...(result.get(b.id) ?? []), a.id]);
      }
    }
  }
  return result;
}

function fileOf(occurrence: Occurrence): string {
  return `${occurrence.commit ?? ''}\0${occurrence.path}`;
}

/** A distinct place for sprawl: a file, or a file in a commit. */
function placeOf(occurrence: Occurrence): string {
  return fileOf(occurrence);
}

function baseOf(rule: RuleSpec): number {
  return BASE_WEIGHT[rule.credentialType] ?? UNKNOWN_TYPE_WEIGHT;
}

function clamp(score: number): number {
  return Math.max(0, Math.min(100, score));
}

/** Single-finding scoring without pairing, for callers that have one finding. */
export function score(finding: Finding): ScoredFinding {
  return scoreOne(finding, []);
}
