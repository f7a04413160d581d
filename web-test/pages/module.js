(window.__log = window.__log || []).push(`module:${typeof import.meta}`);
