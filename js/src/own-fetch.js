// kelisim's own requests (its engine, configuration, texts and receipts) go
// past the network guard, which would hold them until the very engine they
// load has answered, or block a receipt when a service names the site's host.
let nativeFetch = null;

/** Called by the network guard with the page's fetch as it was before the guard. */
export function keepNativeFetch(fetch) {
  nativeFetch = fetch;
}

export function ownFetch(url, init) {
  return (nativeFetch || globalThis.fetch).call(globalThis, url, init);
}
