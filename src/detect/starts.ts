/**
 * Literal starts of a pattern: a short list of strings such that every match begins with one of them
 * (ASCII, case folded). For an anchored rule (RuleSpec.startsNearKeyword) the keyword pass then finds
 * every place a match can begin, and the pattern is tried once at each of those places near a keyword,
 * instead of at every character before it: the generic rules' long alternations cost ~1.8 µs a keyword
 * tried from every position, and most keywords of a scan are theirs.
 *
 * Only what can be proved from the pattern's text is returned; anything this parser does not follow (a
 * class, a dot, an optional first element, an unknown construct) gives undefined and the rule keeps the
 * engine-side search. The parser reads the RE2 subset built-in rules are written in; it never decides
 * what matches, only where a match may start, and the anchored test checks both ways find the same.
 */

/** Shorter starts would make the keyword pass report too many places. */
const MIN_START_LENGTH = 3;
/** A cap on the strings one element may expand to (`(?:a|b)(?:c|d)` is four), and on the result. */
const MAX_STARTS = 64;
/** How many repetitions of one literal character a start spells out. */
const MAX_REPEAT = 8;

type Atom =
  | { kind: 'char'; char: string }
  | { kind: 'assert' }
  | { kind: 'class' }
  | { kind: 'group'; alternatives: Item[][] };

interface Item {
  atom: Atom;
  min: number;
  max: number;
}

class Unsupported extends Error {}

/**
 * Starts the build worked out for the built-in patterns (dist/starts.json), by pattern: parsing the
 * generic rules' patterns cost a few milliseconds of every start-up, the pre-commit hook's included.
 */
const known = new Map<string, string[] | null>();

export function useKnownStarts(byPattern: Record<string, string[] | null>): void {
  for (const [pattern, starts] of Object.entries(byPattern)) known.set(pattern, starts);
}

/** The case-folded literal starts of `pattern` (without its leading `(?i)`), or undefined. */
export function literalStarts(pattern: string): string[] | undefined {
  const found = known.get(pattern);
  if (found !== undefined) return found ?? undefined;
  const body = pattern.replace(/^\(\?[is]+\)/, '');
  let alternatives: Item[][];
  try {
    alternatives = new Parser(body).parse();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const starts = startsOfAlternation(alternatives);
  if (!starts || starts.some((start) => start.length < MIN_START_LENGTH)) return undefined;
  // A start that extends a shorter one adds nothing: the keyword pass finds the shorter at the same place.
  const sorted = [...new Set(starts)].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const kept: string[] = [];
  for (const start of sorted) if (!kept.some((shorter) => start.startsWith(shorter))) kept.push(start);
  return kept.sort();
}

function startsOfAlternation(alternatives: Item[][]): string[] | undefined {
  const all: string[] = [];
  for (const sequence of alternatives) {
    all.push(...startsOfSequence(sequence));
    if (all.length > MAX_STARTS) return undefined;
  }
  return all;
}

/** Prefixes every match of the sequence begins with; '' when nothing is certain (the caller gives up). */
function startsOfSequence(sequence: Item[]): string[] {
  let prefixes = [''];
  for (const { atom, min, max } of sequence) {
    if (atom.kind === 'assert') continue;
    if (min === 0) break;
    const whole = literalExpansions(atom);
    if (whole) {
      // `-{3}` is three; for `a{2,5}` the first two are certain, what follows them is not.
      const certain = atom.kind === 'char' ? Math.min(min, MAX_REPEAT) : 1;
      const extended = cross(prefixes, whole.map((string) => string.repeat(certain)));
      if (!extended) break;
      prefixes = extended;
      if (min === max && certain === min) continue;
      break;
    }
    if (atom.kind !== 'group') break;
    const inner = startsOfAlternation(atom.alternatives);
    if (inner) prefixes = cross(prefixes, inner) ?? prefixes;
    break;
  }
  return prefixes;
}

/** Every string the atom can match, when that is a short list of literals; otherwise undefined. */
function literalExpansions(atom: Atom): string[] | undefined {
  if (atom.kind === 'char') return [atom.char];
  if (atom.kind !== 'group') return undefined;
  const all: string[] = [];
  for (const sequence of atom.alternatives) {
    let strings = [''];
    for (const { atom: inner, min, max } of sequence) {
      if (inner.kind === 'assert' || min !== 1 || max !== 1) return undefined;
      const expansions = literalExpansions(inner);
      const extended = expansions && cross(strings, expansions);
      if (!extended) return undefined;
      strings = extended;
    }
    all.push(...strings);
    if (all.length > MAX_STARTS) return undefined;
  }
  return all;
}

function cross(prefixes: string[], suffixes: string[]): string[] | undefined {
  if (prefixes.length * suffixes.length > MAX_STARTS) return undefined;
  return prefixes.flatMap((prefix) => suffixes.map((suffix) => prefix + suffix));
}

class Parser {
  private at = 0;

  constructor(private readonly source: string) {}

  parse(): Item[][] {
    const alternatives = this.alternation();
    if (this.at < this.source.length) throw new Unsupported();
    return alternatives;
  }

  private alternation(): Item[][] {
    const alternatives = [this.sequence()];
    while (this.source[this.at] === '|') {
      this.at++;
      alternatives.push(this.sequence());
    }
    return alternatives;
  }

  private sequence(): Item[] {
    const items: Item[] = [];
    while (this.at < this.source.length && this.source[this.at] !== '|' && this.source[this.at] !== ')') {
      const atom = this.atom();
      items.push({ atom, ...this.quantifier() });
    }
    return items;
  }

  private atom(): Atom {
    const char = this.source[this.at++]!;
    switch (char) {
      case '(': {
        if (this.source[this.at] === '?') {
          if (this.source[this.at + 1] !== ':') throw new Unsupported(); // named groups, inline flags
          this.at += 2;
        }
        const alternatives = this.alternation();
        if (this.source[this.at++] !== ')') throw new Unsupported();
        return { kind: 'group', alternatives };
      }
      case '[':
        this.skipClass();
        return { kind: 'class' };
      case '\\':
        return this.escape();
      case '^':
      case '$':
        return { kind: 'assert' };
      case '.':
        return { kind: 'class' };
      case '*':
      case '+':
      case '?':
      case '{':
      case ')':
        throw new Unsupported();
      default:
        return literal(char);
    }
  }

  private escape(): Atom {
    const char = this.source[this.at++];
    if (char === undefined) throw new Unsupported();
    if ('bBAz'.includes(char)) return { kind: 'assert' };
    if ('dDwWsS'.includes(char)) return { kind: 'class' };
    const controls: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v' };
    if (controls[char]) return literal(controls[char]);
    if (/[A-Za-z0-9]/.test(char)) throw new Unsupported(); // \x, \p, back-references: not followed
    return literal(char);
  }

  private skipClass(): void {
    if (this.source[this.at] === '^') this.at++;
    if (this.source[this.at] === ']') this.at++;
    while (this.at < this.source.length && this.source[this.at] !== ']') {
      this.at += this.source[this.at] === '\\' ? 2 : 1;
    }
    if (this.source[this.at++] !== ']') throw new Unsupported();
  }

  private quantifier(): { min: number; max: number } {
    const char = this.source[this.at];
    let bounds: { min: number; max: number } | undefined;
    if (char === '?') bounds = { min: 0, max: 1 };
    else if (char === '*') bounds = { min: 0, max: Infinity };
    else if (char === '+') bounds = { min: 1, max: Infinity };
    if (bounds) this.at++;
    else if (char === '{') {
      const match = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.at, this.at + 16));
      if (!match) throw new Unsupported();
      this.at += match[0].length;
      const min = Number(match[1]);
      bounds = { min, max: match[2] === undefined ? min : match[3] ? Number(match[3]) : Infinity };
    }
    if (!bounds) return { min: 1, max: 1 };
    if (this.source[this.at] === '?') this.at++; // lazy: same set of matches' starts
    return bounds;
  }
}

/** A literal character, case folded; a non-ASCII one ends what can be said (keywords are ASCII). */
function literal(char: string): Atom {
  if (char.charCodeAt(0) >= 128) return { kind: 'class' };
  return { kind: 'char', char: char.toLowerCase() };
}
