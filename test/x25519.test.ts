// X25519 (RFC 7748): every Wycheproof case, the RFC 7748 §5.2 and §6.1 vectors.
import { describe, expect, test } from 'vitest';
import { InvalidKeyError, x25519 } from '../src/crypto.js';
import { fromHex, seededBytes, toHex } from './helpers/hex.js';
import { expectBytes, runWycheproof, type WycheproofCase, type WycheproofFile } from './helpers/wycheproof.js';
import vectors from './vectors/wycheproof/x25519_test.json' with { type: 'json' };

describe('x25519_test.json', () => {
  runWycheproof(
    'x25519_test.json',
    vectors as unknown as WycheproofFile,
    (c) => {
      let shared: Uint8Array;
      try {
        shared = x25519.getSharedSecret(fromHex(c.private as string), fromHex(c.public as string));
      } catch (e) {
        // Only the all-zero result may be refused, and only with InvalidKeyError.
        if (!(e instanceof InvalidKeyError) || /[^0]/.test(c.shared as string)) {
          const err = new Error(`unexpected ${String(e)}`);
          err.name = 'WrongOutput';
          throw err;
        }
        return 'reject';
      }
      expectBytes(shared, c.shared as string, `tcId ${c.tcId} shared`);
      return 'pass';
    },
    // Acceptable cases: an all-zero shared secret (ZeroSharedSecret, which
    // covers every LowOrderPublic case here) MUST be rejected, as RFC 7748
    // §6.1 allows and TLS 1.3 requires (RFC 8446 §7.4.2). Every other
    // acceptable case (Twist, NonCanonicalPublic, EdgeCase*) is computed
    // per RFC 7748 §5 (u taken mod p, top bit masked) and must match `shared`.
    (c: WycheproofCase) => (c.flags.includes('ZeroSharedSecret') ? 'reject' : 'pass'),
  );
});

describe('RFC 7748', () => {
  test('§5.2 test vectors (the second has the top bit of u set)', () => {
    expect(
      toHex(
        x25519.getSharedSecret(
          fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
          fromHex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'),
        ),
      ),
    ).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
    expect(
      toHex(
        x25519.getSharedSecret(
          fromHex('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d'),
          fromHex('e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493'),
        ),
      ),
    ).toBe('95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957');
  });

  // §5.2 iterated: k = u = 9; each round k, u = X25519(k, u), k.
  const iterated: [number, string][] = [
    [1, '422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079'],
    [1000, '684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51'],
  ];
  // The million-round value takes about a minute and a half; opt in with
  // X25519_MILLION=1 (Node only: the browser has no process.env).
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  if (env?.X25519_MILLION === '1') {
    iterated.push([1_000_000, '7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424']);
  }
  test(`§5.2 iterated, ${iterated.map(([n]) => n).join(', ')} rounds`, () => {
    let k: Uint8Array = new Uint8Array(32);
    let u: Uint8Array = new Uint8Array(32);
    k[0] = 9;
    u[0] = 9;
    let round = 0;
    for (const [n, want] of iterated) {
      for (; round < n; round++) {
        const next = x25519.getSharedSecret(k, u);
        u = k;
        k = next;
      }
      expect(toHex(k), `after ${n} rounds`).toBe(want);
    }
  }, 600_000);

  test('§6.1 Diffie-Hellman: Alice and Bob', () => {
    const aliceSk = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobSk = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const alicePk = x25519.getPublicKey(aliceSk);
    const bobPk = x25519.getPublicKey(bobSk);
    expect(toHex(alicePk)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bobPk)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(x25519.getSharedSecret(aliceSk, bobPk))).toBe(shared);
    expect(toHex(x25519.getSharedSecret(bobSk, alicePk))).toBe(shared);
  });
});

describe('x25519 API', () => {
  test('randomSecretKey gives distinct 32-byte keys that agree', () => {
    const a = x25519.randomSecretKey();
    const b = x25519.randomSecretKey();
    expect(a.length).toBe(32);
    expect(toHex(a)).not.toBe(toHex(b));
    const ab = x25519.getSharedSecret(a, x25519.getPublicKey(b));
    expect(toHex(ab)).toBe(toHex(x25519.getSharedSecret(b, x25519.getPublicKey(a))));
  });
  test('getPublicKey (Edwards fixed-base tables) equals the ladder from u = 9', () => {
    const nine = new Uint8Array(32);
    nine[0] = 9;
    for (let i = 0; i < 30; i++) {
      const sk = seededBytes(i + 1, 32);
      expect(toHex(x25519.getPublicKey(sk))).toBe(toHex(x25519.getSharedSecret(sk, nine)));
    }
  });
  test('a small-order public key throws InvalidKeyError', () => {
    const sk = x25519.randomSecretKey();
    for (const pk of [new Uint8Array(32), Uint8Array.of(1, ...new Uint8Array(31))]) {
      expect(() => x25519.getSharedSecret(sk, pk)).toThrow(InvalidKeyError);
    }
  });
  test('bad arguments are typed errors naming the parameter', () => {
    const k = new Uint8Array(32);
    expect(() => x25519.getPublicKey(new Uint8Array(31))).toThrow(RangeError);
    expect(() => x25519.getPublicKey(new Uint8Array(31))).toThrow(/secretKey/);
    expect(() => x25519.getPublicKey([] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => x25519.getSharedSecret(k, new Uint8Array(33))).toThrow(/publicKey must be 32 bytes/);
    expect(() => x25519.getSharedSecret('k' as unknown as Uint8Array, k)).toThrow(TypeError);
    expect(() => x25519.getSharedSecret(k, null as unknown as Uint8Array)).toThrow(/publicKey must be a Uint8Array/);
  });
});
