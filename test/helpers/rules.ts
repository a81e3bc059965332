import { ruleFromObject } from '../../src/rules/load.js';
import type { RuleSpec } from '../../src/types.js';

/** A rule for tests, with the loader's defaults; `builtin` picks the engine (V8 or re2js). */
export function testRule(fields: Record<string, unknown> & { id: string; pattern: string }, builtin = true): RuleSpec {
  return ruleFromObject(fields, 'test', builtin);
}
