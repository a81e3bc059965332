/**
 * Tests call runCiChecks and parseYaml synchronously, on any YAML: load the `yaml` package they need for
 * what the plain parser declines, as the CLI's synchronous callers do (src/ci/tree.ts). The on-demand
 * loading itself is tested in a process of its own (test/ci/yaml-plain.test.ts).
 */
import { loadYamlPackage } from '../../src/ci/tree.js';

await loadYamlPackage();
