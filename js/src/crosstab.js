// A decision made in one tab reaches the site's other open tabs: through a
// BroadcastChannel, or the `storage` event where there is none.
const CHANNEL = 'kelisim';
const KEY = 'kelisim:decision';

export function linkTabs(win, onRemoteDecision) {
  let channel = null;
  try {
    channel = typeof win.BroadcastChannel === 'function' ? new win.BroadcastChannel(CHANNEL) : null;
  } catch {
    channel = null;
  }
  if (channel) channel.onmessage = () => onRemoteDecision();
  else {
    win.addEventListener('storage', (e) => {
      if (e.key === KEY && e.newValue) onRemoteDecision();
    });
  }
  return {
    announce() {
      if (channel) channel.postMessage({ type: 'decision', at: Date.now() });
      else {
        try {
          win.localStorage.setItem(KEY, String(Date.now()));
        } catch {
          // No storage and no channel: other tabs pick the decision up on their next load.
        }
      }
    },
  };
}
