// The fixed-base table BASE[i][j] = (j + 1)·256^i·B (assembly/ge25519.ts,
// computed in the module on first use) against BigInt affine arithmetic
// (RFC 8032 §5.1), as scripts/gen-ed25519-table.mjs once generated it.
import { describe, expect, test } from 'vitest';
import { getCore } from '../bindings/loader.js';
import { ed25519 } from '../src/crypto.js';

const p = 2n ** 255n - 19n;
const mod = (a: bigint): bigint => ((a % p) + p) % p;
function pow(b: bigint, e: bigint): bigint {
  let r = 1n;
  b = mod(b);
  for (; e > 0n; e >>= 1n, b = (b * b) % p) if (e & 1n) r = (r * b) % p;
  return r;
}
const inv = (a: bigint): bigint => pow(a, p - 2n);
const d = mod(-121665n * inv(121666n));
type Pt = [bigint, bigint];
function add([x1, y1]: Pt, [x2, y2]: Pt): Pt {
  const t = mod(d * x1 * x2 * y1 * y2);
  return [mod((x1 * y2 + x2 * y1) * inv(1n + t)), mod((y1 * y2 + x1 * x2) * inv(1n - t))];
}
function mul(P: Pt, n: bigint): Pt {
  let R: Pt = [0n, 1n];
  for (let Q = P; n > 0n; n >>= 1n, Q = add(Q, Q)) if (n & 1n) R = add(R, Q);
  return R;
}
const B: Pt = [
  0x216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51an,
  mod(4n * inv(5n)),
];
// Ten unsigned limbs of 26, 25, 26, ... bits (fe25519.ts), canonical value.
function limbs(v: bigint): number[] {
  const out: number[] = [];
  for (const w of [26, 25, 26, 25, 26, 25, 26, 25, 26, 25]) {
    out.push(Number(v & ((1n << BigInt(w)) - 1n)));
    v >>= BigInt(w);
  }
  return out;
}
const niels = ([x, y]: Pt): number[] => [...limbs(mod(y + x)), ...limbs(mod(y - x)), ...limbs(mod(2n * d * x * y))];

describe('ed25519 fixed-base table', () => {
  test('entries computed in WASM equal (j + 1)·256^i·B in BigInt, limb for limb', () => {
    const core = getCore();
    const ptr = (core.x as unknown as { edBaseTablePtr(): number }).edBaseTablePtr();
    const table = new Int32Array(core.mem.buffer, ptr, 32 * 8 * 30);
    // Corners, the middle and a spread of rows; every row's first entry.
    const picks: Array<[number, number]> = [[0, 0], [0, 7], [31, 0], [31, 7], [15, 3], [7, 5], [22, 6]];
    for (let i = 0; i < 32; i++) picks.push([i, i % 8]);
    for (const [i, j] of picks) {
      const want = niels(mul(B, BigInt(j + 1) * 256n ** BigInt(i)));
      const got = Array.from(table.subarray((i * 8 + j) * 30, (i * 8 + j + 1) * 30));
      expect(got, `BASE[${i}][${j}]`).toEqual(want);
    }
  });
  test('a public key matches the RFC 8032 §7.1 test 1 vector after the table is built', () => {
    const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
    expect(Buffer.from(ed25519.getPublicKey(seed)).toString('hex'))
      .toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  });
});
