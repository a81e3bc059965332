/**
 * `npm run fixtures`: writes fixtures/leaky/, a small project with fake secrets planted in it, from the
 * templates in fixtures/templates/leaky/ (see test/helpers/leaky-tree.ts for the template syntax). The
 * tree is generated, never committed, so the repository holds no secret-shaped value; it is rebuilt from
 * scratch on every run, with the same values each time.
 *
 *   npx secretscan scan fixtures/leaky     # reports every planted secret once per place, exits 1
 */
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLeakyTree } from '../test/helpers/leaky-tree.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'fixtures', 'leaky');

const planted = await buildLeakyTree(outDir);
const reported = planted.filter((secret) => secret.expectReported);
const places = new Set(reported.map((secret) => secret.path));
console.error(
  `wrote ${relative(root, outDir)}/: ${reported.length} planted secrets to report in ${places.size} files, ` +
    `${planted.length - reported.length} that must not be (gitignored or allowed inline)`,
);
