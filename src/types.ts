/**
 * The types that flow through the pipeline (DESIGN §1), one per stage:
 *
 *   sources ─Chunk─▶ detect ─Candidate─▶ group ─Finding─▶ suppress ─▶ score ─ScoredFinding─▶ report
 *
 * A module may import types of earlier stages, never of later ones. The JSON report (DESIGN §3) is
 * built from ScoredFinding and is a public contract: add fields, never rename them.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export type Privilege = 'admin' | 'high' | 'medium' | 'low' | 'unknown';
export type Lifetime = 'long-lived' | 'short-lived' | 'unknown';
export type Confidence = 'high' | 'medium' | 'low';
export type ScanKind = 'worktree' | 'git' | 'staged' | 'stdin' | 'ci';
export type OccurrenceSource = 'worktree' | 'history' | 'staged' | 'stdin' | 'ci';

/** A rule as written in a rule file (DESIGN §5), after validation. */
export interface RuleSpec {
  id: string;
  name: string;
  provider: string;
  credentialType: string;
  privilege: Privilege;
  lifetime: Lifetime;
  /** Lower-case ASCII literals; the rule runs only where one occurs. Empty: runs on every chunk. */
  keywords: string[];
  /** RE2 syntax. A leading `(?i)` makes the whole pattern case-insensitive. */
  pattern: string;
  /** Capture group holding the secret; 0 means the whole match. */
  secretGroup: number;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Offline validators by registry name; a failed one drops the candidate. */
  validators: string[];
  /** Secrets containing one of these (case-insensitive) are placeholders, not secrets. */
  stopwords: string[];
  /** The match may span lines (PEM blocks): search a wider window after each keyword. */
  multiline: boolean;
  /**
   * Set for path rules (src/detect/path-rules.ts): RE2 matched against the file's path; `pattern` is
   * then empty and the rule reports the file itself.
   */
  path?: string;
  /** 0-3: a candidate yields to an overlapping one of a rule with a lower generality (rules/README.md). */
  generality?: number;
  /**
   * Every match starts at most this many characters before a keyword occurrence: the pattern is tried
   * only at those positions instead of over a window (rules/README.md). Undefined: windows.
   */
  startsNearKeyword?: number;
  remediation: string;
  references: string[];
  examples: string[];
  negativeExamples: string[];
  /** Where the rule was defined, for error messages: a file path, or "config". */
  origin: string;
  /** Built-in rules are vetted and run on V8; user rules run on a linear-time engine. */
  builtin: boolean;
}

/** Where a chunk came from; candidates keep this, never the chunk's text. */
export interface ChunkOrigin {
  /** Path relative to the scan root, `/` separators. */
  path: string;
  source: OccurrenceSource;
  commit?: string;
  author?: string;
  email?: string;
  date?: string;
}

/** Text plus where it came from. Sources produce these; the detector consumes them. */
export interface Chunk extends ChunkOrigin {
  text: string;
  /** 1-based line of `text`'s first character in the file it came from (hunks start mid-file). */
  startLine?: number;
}

/** One rule match in one chunk. Offsets are UTF-16 code units into `chunk.text`. */
export interface Candidate {
  ruleId: string;
  secret: string;
  /** Span of the secret (the capture group) in the chunk. */
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The full text of the line the secret starts on; used by inline suppression. */
  lineText: string;
  /** Offline validators that ran and passed. */
  validated: string[];
  entropy: number;
  origin: ChunkOrigin;
  /** Set when the secret was found by decoding: the span is the encoded text, `secret` the decoded one. */
  decoded?: 'base64' | 'url';
}

export interface Occurrence {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  source: OccurrenceSource;
  commit?: string;
  author?: string;
  email?: string;
  date?: string;
  /** The secret is encoded at this location (base64 or URL-encoding) and was found by decoding it. */
  decoded?: 'base64' | 'url';
}

/** One secret (same rule, same value) with every place it occurs. */
export interface Finding {
  id: string;
  /**
   * Whether the secret is still in the current code: for history scans, whether some file of HEAD's
   * tree holds it (computed from HEAD, not guessed from where it was found); for --staged, the staged
   * snapshot about to be committed holds it by definition; for files and stdin, they hold it. Set after
   * suppression; undefined before.
   */
  presentAtHead?: boolean;
  rule: RuleSpec;
  secret: string;
  secretHash: string;
  validated: string[];
  entropy: number;
  occurrences: Occurrence[];
  /** Line texts of the occurrences, parallel to `occurrences`; never reported. */
  lineTexts: string[];
}

export interface ScoredFinding extends Finding {
  score: number;
  severity: Severity;
  confidence: Confidence;
  scoreReasons: string[];
  /** Ids of findings that make one credential with this one (an AWS key id and its secret key). */
  pairedWith: string[];
}

export interface SuppressedCounts {
  baseline: number;
  inline: number;
  allowlist: number;
}

export interface ScanError {
  path: string;
  message: string;
}

export interface SkippedCounts {
  binary: number;
  tooLarge: number;
  symlink: number;
  unreadable: number;
  /** Git sources only: blobs whose added text is not valid UTF-8 (Latin-1 and other legacy encodings). */
  nonUtf8?: number;
}

export interface ScanStats {
  kind: ScanKind;
  /** The scanned folder; for git and staged scans, the repository's top level. */
  root: string;
  durationMs: number;
  filesScanned: number;
  bytesScanned: number;
  commitsScanned: number;
  blobsScanned: number;
  skipped: SkippedCounts;
  /** git and staged scans: which engine read the repository, and whether it is a shallow clone. */
  git?: { engine: 'git' | 'isomorphic-git'; shallow: boolean };
}

/** What the baseline did in a scan. */
export interface BaselineResult {
  /** Findings the baseline suppressed, without their secrets: --update-baseline keeps their entries. */
  known: { id: string; ruleId: string; paths: string[] }[];
  /** One-line notices: entries past their expiry date, whose findings are reported again. */
  expired: string[];
}

export interface ScanResult {
  stats: ScanStats;
  findings: ScoredFinding[];
  suppressed: SuppressedCounts;
  errors: ScanError[];
  /** One-line notices for stderr about the scan itself (fallback engine, shallow clone, empty repository). */
  notices: string[];
  /** What the baseline did, when one was given. */
  baseline?: BaselineResult;
  /** The rules in force, for reporters that describe them (SARIF). */
  rules: RuleSpec[];
}
