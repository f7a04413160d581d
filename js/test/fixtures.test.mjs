// One fixture set: the configurations the demo, the browser tests and the
// benchmark serve are the engine's test fixtures plus a merge patch each
// (tests/fixtures/derive.mjs). A derived file edited by hand, or a fixture
// changed without re-deriving, fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DERIVED, derive, mergePatch } from '../../tests/fixtures/derive.mjs';

const root = new URL('../../', import.meta.url);

for (const rel of Object.keys(DERIVED)) {
  test(`${rel} is ${DERIVED[rel][0]} with ${DERIVED[rel][1]} applied`, () => {
    const actual = JSON.parse(readFileSync(new URL(rel, root), 'utf8'));
    assert.deepEqual(actual, derive(rel), `${rel} has drifted: run node tests/fixtures/derive.mjs --write`);
  });
}

test('merge patch: objects merge, arrays and values replace, null deletes', () => {
  const base = { a: { b: 1, c: [1, 2] }, d: 'x', e: true };
  assert.deepEqual(mergePatch(base, { a: { c: [3] }, d: null, f: { g: 1 } }), { a: { b: 1, c: [3] }, e: true, f: { g: 1 } });
  assert.deepEqual(base, { a: { b: 1, c: [1, 2] }, d: 'x', e: true }, 'the base is not changed');
});
