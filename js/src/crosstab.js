// A decision made in one tab reaches the site's other open tabs: through a
// BroadcastChannel, or the `storage` event where there is none. The message
// carries the new consent cookie ("name=value"): a browser may hand cookie
// changes to its other tab processes later than the message (Firefox does),
// and the engine then reads the newest of the two.
import { setOwnItem } from './guard-jar.js';
const CHANNEL = 'kelisim';
const KEY = 'kelisim:decision';

export function linkTabs(win, onRemoteDecision) {
  let channel = null;
  try {
    channel = typeof win.BroadcastChannel === 'function' ? new win.BroadcastChannel(CHANNEL) : null;
  } catch {
    channel = null;
  }
  const cookieOf = (data) => (data && typeof data.cookie === 'string' ? data.cookie : '');
  if (channel) channel.onmessage = (e) => onRemoteDecision(cookieOf(e.data));
  else {
    win.addEventListener('storage', (e) => {
      if (e.key !== KEY || !e.newValue) return;
      let data = null;
      try {
        data = JSON.parse(e.newValue);
      } catch {
        data = null;
      }
      onRemoteDecision(cookieOf(data));
    });
  }
  return {
    announce(cookie) {
      const message = { type: 'decision', at: Date.now(), cookie };
      if (channel) channel.postMessage(message);
      else {
        try {
          setOwnItem(win.localStorage, KEY, JSON.stringify(message));
        } catch {
          // No storage and no channel: other tabs pick the decision up on their next load.
        }
      }
    },
  };
}
