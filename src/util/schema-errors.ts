/**
 * ajv's errors as one short sentence that names the key, for one-line error messages
 * ("unknown key \"allowlist.pathz\"", "\"failOn\" must be one of critical, high, ...").
 */
import type { ErrorObject } from 'ajv';

export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'invalid';
  // anyOf reports every branch; the most specific error is the deepest one.
  const sorted = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length);
  const error = sorted.find((e) => e.keyword === 'additionalProperties') ?? sorted[0]!;
  const key = keyName(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknown = (error.params as { additionalProperty: string }).additionalProperty;
      return `unknown key "${key ? `${key}.` : ''}${unknown}"`;
    }
    case 'required':
      return `missing key "${key ? `${key}.` : ''}${(error.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `"${key}" must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'type':
      return `"${key}" must be ${withArticle((error.params as { type: string }).type)}`;
    default:
      return `"${key || '(top level)'}" ${error.message ?? 'is invalid'}`;
  }
}

function keyName(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
