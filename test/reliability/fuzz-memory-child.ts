/**
 * Run by fuzz-memory.test.ts in a fresh Node process (`node --import tsx`), so that its peak RSS belongs
 * to one scan and nothing else: scans one generated input through scan() (stdin kind, the full built-in
 * rule set) and prints, as JSON, the input's size, RSS just before the scan and the peak RSS after it.
 *
 *   argv: <shape> <bytes>    shape: long-line | short-lines | random
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareScan, scan } from '../../src/scan.js';

const [shape = 'long-line', sizeArgument = '1048576'] = process.argv.slice(2);
const size = Number(sizeArgument);

function input(): Buffer {
  if (shape === 'random') {
    const bytes = Buffer.allocUnsafe(size);
    let state = 0x2545f491;
    for (let i = 0; i < size; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bytes[i] = state & 0xff;
    }
    return bytes;
  }
  const unit =
    shape === 'short-lines'
      ? 'token = "abc"\nx\npassword: 12\ny = 1\n'
      : 'const token = fetch(url, { headers: { authorization: "Bearer " + key } }); var n=Object.prototype.hasOwnProperty;'.padEnd(8192, ' e.exports=r;');
  return Buffer.from(unit.repeat(Math.ceil(size / unit.length)).slice(0, size));
}

const cwd = mkdtempSync(join(tmpdir(), 'secretscan-memory-'));
try {
  const setup = await prepareScan({ cwd });
  const bytes = input();
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  const result = await scan({ kind: 'stdin', cwd, input: { bytes, path: 'big.txt' } }, setup);
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ size: bytes.length, before, peak, errors: result.errors.length })}\n`);
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
