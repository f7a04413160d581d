// The site's own script: a self-hosted Matomo-like visitor id, and a cart kept in localStorage.
document.cookie = '_pk_id.1.a1b2=0123456789abcdef.1767225600.; path=/; max-age=33696000';
localStorage.setItem('cart', '[]');
