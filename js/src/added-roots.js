// A batch of MutationObserver records as the subtrees to search. The parser
// reports every element it inserts, and by the time the batch is read an
// early one holds the later ones: each subtree is searched once, from its
// highest node added in this batch (searching from every added node costs
// the page's depth times over).

/** `roots`: the highest added elements; `inner`: the other added elements, each inside one of the roots. */
export function addedRoots(records) {
  const added = new Set();
  for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) added.add(n);
  const roots = [];
  const inner = [];
  for (const n of added) {
    let top = true;
    for (let p = n.parentNode; p && top; p = p.parentNode) top = !added.has(p);
    (top ? roots : inner).push(n);
  }
  return { roots, inner };
}
