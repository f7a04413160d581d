// One section of bench/RESULTS.md that a script other than run.mjs owns:
// written between `<!-- name:start -->` and `<!-- name:end -->`, replacing the
// earlier one, or appended.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

/** `section` begins with `<!-- name:start -->` and ends with `<!-- name:end -->`. */
export function writeSection(results, name, section) {
  if (!existsSync(results)) return;
  const text = readFileSync(results, 'utf8');
  const re = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  writeFileSync(results, re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`);
}
