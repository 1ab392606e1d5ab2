// Compares two builds of the WASM core on the fixed-base operations: the first
// X25519 public key in fresh instances (one-time table construction) and the
// steady-state X25519 public key, Ed25519 public key and sign, interleaved.
//   node bench/wasm-compare.mjs old.wasm new.wasm
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
const load = (f) => new WebAssembly.Instance(new WebAssembly.Module(readFileSync(f)), { env: { abort() {} } }).exports;
const [oldPath, newPath] = process.argv.slice(2);
if (!oldPath || !newPath) throw new TypeError('usage: node bench/wasm-compare.mjs old.wasm new.wasm');
const mods = { old: oldPath, new: newPath };
// One-time init: first call in a fresh instance minus the steady-state call.
for (const [name, f] of Object.entries(mods)) {
  const firsts = [], seconds = [];
  for (let r = 0; r < 20; r++) {
    const x = load(f); const io = new Uint8Array(x.memory.buffer, x.ioPtr(), 64);
    io.set(randomBytes(32)); let t = performance.now(); x.x25519BaseIo(); firsts.push(performance.now() - t);
    io.set(randomBytes(32)); t = performance.now(); x.x25519BaseIo(); seconds.push(performance.now() - t);
  }
  firsts.sort((a, b) => a - b); seconds.sort((a, b) => a - b);
  console.log(`${name}: first x25519BaseIo median ${firsts[10].toFixed(3)} ms (min ${firsts[0].toFixed(3)}), second ${seconds[10].toFixed(3)} ms`);
}
const xs = Object.fromEntries(Object.entries(mods).map(([k, f]) => [k, load(f)]));
const ops = {
  x25519Base: (x) => x.x25519BaseIo(),
  edPublicKey: (x) => x.edPublicKeyIo(),
  edSign64: (x) => x.edSignIo(64),
};
for (const [op, fn] of Object.entries(ops)) {
  const best = { old: Infinity, new: Infinity };
  for (let round = 0; round < 15; round++) for (const k of ['old', 'new']) {
    const x = xs[k]; const io = new Uint8Array(x.memory.buffer, x.ioPtr(), 128);
    io.set(randomBytes(96)); fn(x);
    const n = 200, t = performance.now();
    for (let i = 0; i < n; i++) fn(x);
    best[k] = Math.min(best[k], (performance.now() - t) / n * 1000);
  }
  console.log(`${op}: old ${best.old.toFixed(1)} µs, new ${best.new.toFixed(1)} µs (best of 15 runs of 200, interleaved)`);
}
