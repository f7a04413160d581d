// The benchmark's shop page, generated locally: a header, a hero image, some
// text, a product grid with images, a video embed and a footer. Every image
// has its size in the markup, so any layout shift comes from the contestant.
import zlib from 'node:zlib';

/** A deterministic pseudo-random generator (mulberry32), so every run serves the same bytes. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/**
 * A photo-like RGB PNG: soft gradients and a product-ish blob with mild grain,
 * which compresses about as well as a real product shot does.
 */
function photo(width, height, seed) {
  const rand = rng(seed);
  const [r0, g0, b0] = [rand() * 200 + 40, rand() * 200 + 40, rand() * 200 + 40];
  const [cx, cy, rad] = [width * (0.35 + rand() * 0.3), height * (0.4 + rand() * 0.2), Math.min(width, height) * (0.25 + rand() * 0.1)];
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - cx, y - cy) / rad;
      const inBlob = d < 1;
      const shade = inBlob ? 1.15 - d * 0.5 : 0.75 + (y / height) * 0.25;
      const grain = rand() < 0.08 ? (rand() - 0.5) * 10 : 0;
      const base = inBlob ? [255 - r0, 255 - g0, 255 - b0] : [r0, g0, b0];
      for (let c = 0; c < 3; c++) row[1 + x * 3 + c] = Math.max(0, Math.min(255, Math.round(base[c] * shade + grain)));
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const PRODUCTS = [
  ['Courier box S', '1 990 ₸'],
  ['Courier box M', '2 490 ₸'],
  ['Courier box L', '3 290 ₸'],
  ['Padded envelope', '690 ₸'],
  ['Document folder', '450 ₸'],
  ['Fragile tape', '1 200 ₸'],
  ['Gift wrap set', '2 750 ₸'],
  ['Label printer roll', '3 900 ₸'],
  ['Bubble wrap 10 m', '1 650 ₸'],
  ['Archive box', '2 100 ₸'],
  ['Tube 60 cm', '990 ₸'],
  ['Moving kit', '9 900 ₸'],
];

const CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2430;background:#f6f7f9}
a{color:#0b57d0}
.top{background:#12306b;color:#fff}
.top .wrap{display:flex;align-items:center;gap:2rem;height:64px}
.logo{display:flex;align-items:center;gap:.6rem;font-weight:700;font-size:1.2rem;color:#fff;text-decoration:none}
.top nav{display:flex;gap:1.2rem}
.top nav a{color:#dfe7fb;text-decoration:none}
.top .cart{margin-left:auto;background:#ffb400;color:#12306b;border:0;border-radius:6px;padding:.5rem 1rem;font-weight:600}
.wrap{max-width:1180px;margin:0 auto;padding:0 20px}
.hero{display:grid;grid-template-columns:1.1fr 1fr;gap:2rem;align-items:center;padding:2.5rem 0}
.hero img{width:100%;height:auto;border-radius:12px;display:block}
.hero h1{font-size:2.4rem;line-height:1.15;margin:0 0 1rem}
.hero p{font-size:1.1rem;color:#4a5263}
.btn{display:inline-block;background:#0b57d0;color:#fff;border-radius:6px;padding:.7rem 1.3rem;text-decoration:none;font-weight:600}
.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:1.25rem;padding:0 0 2.5rem}
.card{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.08);overflow:hidden}
.card img{width:100%;height:auto;display:block;aspect-ratio:4/3}
.card h3{font-size:1rem;margin:.8rem 1rem .2rem}
.card .price{margin:0 1rem .4rem;color:#12306b;font-weight:700}
.card button{margin:0 1rem 1rem;border:1px solid #c9cfdb;background:#fff;border-radius:6px;padding:.45rem .9rem;cursor:pointer}
.story{display:grid;grid-template-columns:1fr 560px;gap:2rem;padding:1rem 0 3rem}
.story iframe{border:0;border-radius:10px;background:#e3e6ec;display:block}
footer{background:#1f2430;color:#c3c9d5;padding:2rem 0;font-size:.9rem}
footer .wrap{display:flex;gap:3rem}
@media (max-width:900px){.hero,.story{grid-template-columns:1fr}.grid{grid-template-columns:repeat(2,1fr)}}
`;

/** Path -> body of the page's shared files. */
export const SITE_ASSETS = (() => {
  const out = { '/assets/site.css': Buffer.from(CSS), '/assets/hero.png': photo(640, 400, 7) };
  PRODUCTS.forEach((_, i) => (out[`/assets/p${i + 1}.png`] = photo(320, 240, 100 + i)));
  return out;
})();

/** The page for one contestant: the same shop, with that contestant's markup. */
export function pageHtml(c, port) {
  const cards = PRODUCTS.map(
    ([name, price], i) => `<article class="card">
  <img src="/assets/p${i + 1}.png" width="320" height="240" alt="${name}">
  <h3>${name}</h3><p class="price">${price}</p><button type="button">Add to cart</button>
</article>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parcel shop — boxes, envelopes and packing</title>
<link rel="stylesheet" href="/assets/site.css">
${c.head(port)}
</head>
<body>
<header class="top"><div class="wrap">
  <a class="logo" href="/"><svg width="32" height="32" viewBox="0 0 32 32" aria-hidden="true"><rect x="3" y="8" width="26" height="18" rx="3" fill="#ffb400"/><path d="M3 13h26" stroke="#12306b" stroke-width="2"/></svg>Parcel shop</a>
  <nav><a href="#boxes">Boxes</a><a href="#envelopes">Envelopes</a><a href="#packing">Packing</a><a href="#track">Track a parcel</a></nav>
  <button class="cart" type="button">Cart (0)</button>
</div></header>
<main>
<section class="wrap hero">
  <div>
    <h1>Everything to pack and send, delivered tomorrow</h1>
    <p>Boxes in every size, padded envelopes, tape and labels. Order before six in the evening and a courier brings it the next working day, anywhere in the city.</p>
    <p>Businesses that ship every week get volume prices and a monthly invoice.</p>
    <a class="btn" href="#boxes">See the range</a>
  </div>
  <img src="/assets/hero.png" width="640" height="400" alt="Stacked courier boxes">
</section>
<section class="wrap grid" id="boxes">
${cards}
</section>
<section class="wrap story">
  <div>
    <h2>How to pack a fragile parcel</h2>
    <p>Wrap each item on its own, fill every gap so nothing moves when the box is shaken, and mark the box as fragile on two sides. Heavy items go at the bottom; glass never touches the box wall.</p>
    <p>Our two-minute video shows the whole routine with a set of plates. The same steps work for electronics: keep the original foam if you still have it.</p>
  </div>
  ${c.embed(port)}
</section>
</main>
<footer><div class="wrap">
  <div><strong>Parcel shop</strong><br>Open every day, 9:00–21:00</div>
  <div><a href="/privacy">Privacy policy</a><br><a href="#terms">Terms of sale</a></div>
  <div>Questions? Write to support@shop.test</div>
</div></footer>
${c.bodyEnd ? c.bodyEnd(port) : ''}
</body>
</html>
`;
}
