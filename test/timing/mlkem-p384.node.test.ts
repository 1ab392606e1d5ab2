// Timing leakage of ML-KEM-768 decapsulation and P-384 ECDH, dudect style
// (test/timing/dudect.ts), on the raw WASM exports (no JavaScript wrapper in
// the timed region). ML-KEM: class 0 decapsulates the valid ciphertext (the
// re-encryption matches, K' is returned), class 1 a random ciphertext (the
// implicit-rejection path, J(z ‖ c)), the case the masked compare and
// select of FIPS 203 Algorithm 18 must hide; and a fixed vs random secret
// ŝ. P-384: fixed vs random secret scalar. As in constant-time.node.test.ts
// the figures are reported, not asserted (a shared VM cannot promise
// |t| < 4.5); `npm run test:timing` runs the full counts.
import { describe, expect, test } from 'vitest';
import { getCore } from '../../bindings/loader.js';
import { mlkem768, p384 } from '../../src/crypto.js';
import { forceGc, machineLoad, scale } from '../stress/support.js';
import { describeLeakage, type Leakage, measure, type Target } from './dudect.js';

const core = getCore();
const io = core.io;
const raw = core.x as unknown as { mlkem768DecapsIo(): number; p384EcdhIo(pubLen: number): number };
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

const KEYS = mlkem768.keygen();
const VALID = mlkem768.encapsulate(KEYS.publicKey).ciphertext;

function decaps(dk: Uint8Array, c: Uint8Array): void {
  core.mem.set(dk, io);
  core.mem.set(c, io + 2400);
  raw.mlkem768DecapsIo();
}

const validVsInvalid: Target<Uint8Array> = {
  name: 'ML-KEM-768 decapsulation (raw export), valid ciphertext vs random ciphertext (implicit rejection)',
  prepare: (cls) => (cls === 0 ? VALID : random(1088)),
  run: (c) => decaps(KEYS.secretKey, c),
};

// Secret keys sharing ek (so ρ, whose rejection sampling of Â legitimately
// varies the time with this public seed, and H(ek)) and z, differing only in
// the secret ŝ (dk_PKE): class 0 a fixed ŝ, class 1 a random one per call.
function withSecret(dkPke: Uint8Array): Uint8Array {
  const dk = KEYS.secretKey.slice();
  dk.set(dkPke);
  return dk;
}
const FIXED_DK = withSecret(random(1152));
const fixedVsRandomKey: Target<Uint8Array> = {
  name: 'ML-KEM-768 decapsulation (raw export), fixed secret ŝ vs random ŝ (same ek, z and ciphertext)',
  prepare: (cls) => (cls === 0 ? FIXED_DK : withSecret(random(1152))),
  run: (dk) => decaps(dk, VALID),
};

const PEER = p384.getPublicKey(p384.randomSecretKey());
const FIXED = p384.randomSecretKey();
const p384Target: Target<Uint8Array> = {
  name: 'P-384 ECDH (raw export p384EcdhIo), fixed vs random secret',
  prepare: (cls) => (cls === 0 ? FIXED : p384.randomSecretKey()),
  run(sk) {
    core.mem.set(sk, io);
    core.mem.set(PEER, io + 48);
    raw.p384EcdhIo(97);
  },
};

function check(r: Leakage): void {
  console.log(`${describeLeakage(r)}; ${machineLoad()}`);
  expect(r.counts[0]).toBeGreaterThan(0);
  expect(r.counts[1]).toBeGreaterThan(0);
  expect(Number.isFinite(r.tMax)).toBe(true);
}

describe('dudect: ML-KEM-768 decapsulation and P-384 ECDH', () => {
  test('the targets compute what they claim (valid vs rejected secret differ)', () => {
    decaps(KEYS.secretKey, VALID);
    const k = core.mem.slice(io, io + 32);
    decaps(KEYS.secretKey, random(1088));
    expect(core.mem.slice(io, io + 32)).not.toEqual(k);
    core.mem.fill(0, io, io + 64);
  });
  test.each([
    { target: validVsInvalid, n: scale(300, 30_000) },
    { target: fixedVsRandomKey, n: scale(300, 30_000) },
    { target: p384Target, n: scale(60, 6_000) },
  ])('$target.name', ({ target, n }) => {
    check(measure(target, n, 1, forceGc));
  });
});
