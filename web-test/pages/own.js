window.__ownRan = true;
