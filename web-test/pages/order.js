(window.__order = window.__order || []).push('external-1');
