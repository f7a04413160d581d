// `import … from 'kelisim'`: the declarations live in index.d.cts so that
// `require('kelisim')` reads the very same ones.
export * from './index.cjs';
