// The scanner's engine: kelisim-scan.wasm (the engine plus `_scan`) loaded in Node, and its two entry
// points the scan uses. `_validate` checks a configuration exactly as a page
// would; `_scan` classifies, drafts and audits. All matching happens there:
// this file only moves text in and out.
import { readFileSync } from 'node:fs';
import abi from 'kelisim-scan-core';
import { entryPoints, instantiate } from '../src/entry-points.js';

export class ScanEngineError extends Error {
  constructor(code, message, errors = []) {
    super(message);
    this.code = code;
    this.errors = errors;
  }
}

/** Instantiates kelisim-scan.wasm from `wasmPath` (a file path or URL). */
export async function loadScanEngine(wasmPath) {
  let bytes;
  try {
    bytes = readFileSync(wasmPath);
  } catch (err) {
    throw new ScanEngineError('wasm-load', `cannot read kelisim-scan.wasm (${wasmPath}): ${err.message}`);
  }
  let core;
  try {
    core = entryPoints(await instantiate(bytes, abi), abi);
  } catch (err) {
    throw new ScanEngineError('wasm-load', `cannot start kelisim-scan.wasm: ${err.message}`);
  }
  if (!core) throw new ScanEngineError('wasm-load', 'this kelisim-scan.wasm has no entry points: rebuild kelisim');
  return {
    /** The engine's validation of a configuration's text: { ok, errors, warnings }. */
    validate(configText) {
      return JSON.parse(core._validate(configText));
    },
    /** One scan: the catalogue's text and the request object; throws on { ok: false }. */
    scan(catalogueText, request) {
      const answer = JSON.parse(core._scan(catalogueText, JSON.stringify(request)));
      if (!answer.ok) throw new ScanEngineError(answer.error.code, answer.error.message, answer.error.errors);
      return answer;
    },
  };
}
