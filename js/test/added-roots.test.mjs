// addedRoots: which added elements a batch's subtrees are searched from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addedRoots } from '../src/added-roots.js';

/** A tree of plain objects shaped as the DOM's nodes, as far as addedRoots reads them. */
function tree() {
  const nodes = {};
  const make = (name, parent, nodeType = 1) => (nodes[name] = { name, parentNode: parent ? nodes[parent] : null, nodeType });
  make('document', null, 9);
  make('html', 'document');
  make('body', 'html');
  make('main', 'body');
  make('section', 'main');
  make('p1', 'section');
  make('text1', 'p1', 3);
  make('b', 'p1');
  make('p2', 'section');
  make('aside', 'body');
  make('script', 'aside');
  make('iframe', 'body');
  return nodes;
}
const record = (...added) => ({ addedNodes: added });
const names = (list) => list.map((n) => n.name);

test('addedRoots: the highest added elements are roots, the rest inner, in the order they were added; text nodes are left out', () => {
  const n = tree();
  // The parser's order: a child's record may come before or after its parent's.
  const { roots, inner } = addedRoots([
    record(n.b),
    record(n.section),
    record(n.p1, n.text1),
    record(n.p2),
    record(n.script),
    record(n.iframe),
  ]);
  assert.deepEqual(names(roots), ['section', 'script', 'iframe']);
  assert.deepEqual(names(inner), ['b', 'p1', 'p2']);
});

test('addedRoots: an element under an ancestor that was not added, next to one that was, is a root of its own', () => {
  const n = tree();
  // main is not added: p1 and p2 are inside section only when section is added.
  const first = addedRoots([record(n.p1), record(n.p2), record(n.b)]);
  assert.deepEqual(names(first.roots), ['p1', 'p2']);
  assert.deepEqual(names(first.inner), ['b']);
  // The same walk once more with an added ancestor far up: everything is inside it.
  const second = addedRoots([record(n.p1), record(n.aside), record(n.p2), record(n.body), record(n.script)]);
  assert.deepEqual(names(second.roots), ['body']);
  assert.deepEqual(names(second.inner), ['p1', 'aside', 'p2', 'script']);
});

test('addedRoots: an element added twice (two records) is counted once; detached ones are roots', () => {
  const n = tree();
  const loose = { name: 'loose', parentNode: null, nodeType: 1 };
  const child = { name: 'child', parentNode: loose, nodeType: 1 };
  const { roots, inner } = addedRoots([record(n.p1), record(child), record(n.p1), record(loose)]);
  assert.deepEqual(names(roots), ['p1', 'loose']);
  assert.deepEqual(names(inner), ['child']);
});
