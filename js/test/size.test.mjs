// Size budgets: every visitor pays for these bytes, so a change that makes a
// shipped file bigger than its budget (bench/budgets.json) fails the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
const { brotli } = JSON.parse(readFileSync(new URL('../../bench/budgets.json', import.meta.url), 'utf8'));

for (const [file, budget] of Object.entries(brotli)) {
  test(`size budget: ${file} ≤ ${budget} bytes brotli`, () => {
    const bytes = readFileSync(new URL(file, dist));
    const size = zlib.brotliCompressSync(bytes, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length;
    assert.ok(size <= budget, `${file} is ${size} bytes brotli, over its budget of ${budget} (bench/budgets.json)`);
  });
}
