// Proof of consent: each decision's receipt is POSTed to the configured
// endpoint; what cannot be delivered waits in localStorage and is sent again
// on a later page load. The endpoint drops duplicates by (id, sequence).
import { ownFetch } from './own-fetch.js';
import { setOwnItem } from './guard-jar.js';
const QUEUE_KEY = 'kelisim:receipts';
const MAX_QUEUED = 50;

function readQueue(win) {
  try {
    const q = JSON.parse(win.localStorage.getItem(QUEUE_KEY) || '[]');
    return Array.isArray(q) ? q : [];
  } catch {
    return [];
  }
}

function writeQueue(win, q) {
  try {
    if (q.length) setOwnItem(win.localStorage, QUEUE_KEY, JSON.stringify(q.slice(-MAX_QUEUED)));
    else win.localStorage.removeItem(QUEUE_KEY);
  } catch {
    // No storage: the receipt may be lost, but the decision itself is kept in the cookie.
  }
}

async function post(win, endpoint, receipt) {
  const response = await ownFetch(endpoint, {
    method: 'POST',
    keepalive: true,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(receipt),
  });
  if (!response.ok && response.status >= 500) throw new Error(`HTTP ${response.status}`);
  // A 4xx means the endpoint will never take it: sending again would not help.
}

export function createReceipts(win, endpoint) {
  let flushing = null;
  async function flush() {
    if (!endpoint) return;
    let q = readQueue(win);
    while (q.length) {
      try {
        await post(win, endpoint, q[0]);
      } catch {
        return; // try again on a later page load
      }
      q = readQueue(win).filter((r) => !(r.id === q[0].id && r.sequence === q[0].sequence));
      writeQueue(win, q);
    }
  }
  function flushOnce() {
    if (!flushing) flushing = flush().finally(() => (flushing = null));
    return flushing;
  }
  return {
    /** Queues first, so a receipt survives a page closed mid-request. */
    send(receipt) {
      if (!endpoint) return Promise.resolve();
      writeQueue(win, [...readQueue(win), receipt]);
      return flushing ? flushing.then(flushOnce) : flushOnce();
    },
    retry: flushOnce,
  };
}
