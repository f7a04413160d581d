(window.__log = window.__log || []).push('attrs');
