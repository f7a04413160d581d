// A batch of MutationObserver records as the subtrees to search. The parser
// reports every element it inserts, and by the time the batch is read an
// early one holds the later ones: each subtree is searched once, from its
// highest node added in this batch (searching from every added node costs
// the page's depth times over).

/** `roots`: the highest added elements; `inner`: the other added elements, each inside one of the roots. */
export function addedRoots(records) {
  const added = new Set();
  // Indexed, not iterated: a batch of the parser's holds thousands of records.
  for (let i = 0; i < records.length; i++) {
    const nodes = records[i].addedNodes;
    for (let k = 0; k < nodes.length; k++) if (nodes[k].nodeType === 1) added.add(nodes[k]);
  }
  const roots = [];
  const inner = [];
  // Whether a node that was not added has an added ancestor, once known: the
  // siblings the parser added share their ancestors, walked up once.
  const below = new Map();
  for (const n of added) {
    const path = [];
    let within = false;
    for (let p = n.parentNode; p; p = p.parentNode) {
      if (added.has(p)) {
        within = true;
        break;
      }
      const known = below.get(p);
      if (known !== undefined) {
        within = known;
        break;
      }
      path.push(p);
    }
    for (const p of path) below.set(p, within);
    (within ? inner : roots).push(n);
  }
  return { roots, inner };
}
