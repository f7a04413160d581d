// Runs inside a srcdoc frame of holes-net.js: writes the cookie named by its tag.
document.cookie = `${document.currentScript.dataset.name}=1; path=/`;
