import { test } from 'vitest';
import { p256, ecdsaP256, ecdsaP384 } from '../src/crypto.js';
import { generateKeyPairSync, sign } from 'node:crypto';
test('speed', () => {
  const sk = p256.randomSecretKey(); const pk = p256.getPublicKey(p256.randomSecretKey());
  const msg = new Uint8Array(64); const mypk = p256.getPublicKey(sk);
  const sig = ecdsaP256.sign(msg, sk);
  const k = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const j = k.publicKey.export({ format: 'jwk' });
  const pub384 = Uint8Array.from([4, ...Buffer.from(j.x!, 'base64url'), ...Buffer.from(j.y!, 'base64url')]);
  const sig384 = sign('sha384', msg, { key: k.privateKey, dsaEncoding: 'der' });
  const best: Record<string, number> = {};
  const t = (name: string, f: () => unknown, n: number) => { for (let i = 0; i < 10; i++) f(); const s = performance.now(); for (let i = 0; i < n; i++) f(); const v = (performance.now() - s) * 1000 / n; best[name] = Math.min(best[name] ?? 1e9, v); };
  for (let r = 0; r < 7; r++) {
  t('ecdh', () => p256.getSharedSecret(sk, pk), 100);
  t('pubkey', () => p256.getPublicKey(sk), 300);
  t('sign', () => ecdsaP256.sign(msg, sk), 300);
  t('verify', () => ecdsaP256.verify(sig, msg, mypk), 100);
  t('verify384', () => ecdsaP384.verify(sig384, msg, pub384), 50);
  }
  console.log(Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(0)}us`).join('  '));
});
