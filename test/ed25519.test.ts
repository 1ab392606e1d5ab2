// Ed25519 (RFC 8032): every Wycheproof case and the RFC 8032 §7.1 vectors.
import { describe, expect, test } from 'vitest';
import { ed25519, sha512 } from '../src/crypto.js';
import { fromHex, seededBytes, toHex, utf8 } from './helpers/hex.js';
import { runWycheproof, type WycheproofFile } from './helpers/wycheproof.js';
import vectors from './vectors/wycheproof/ed25519_test.json' with { type: 'json' };

describe('ed25519_test.json', () => {
  // Every case is valid or invalid (no acceptable ones). Verification is
  // cofactorless and compares the encoding of [S]B - [k]A with R byte for
  // byte, and rejects S >= L (SignatureMalleability) and wrong lengths.
  runWycheproof<{ publicKey: { pk: string }; tests: never[] }>(
    'ed25519_test.json',
    vectors as unknown as WycheproofFile,
    (c, g) => (ed25519.verify(fromHex(c.sig as string), fromHex(c.msg as string), fromHex(g.publicKey.pk)) ? 'pass' : 'reject'),
  );
});

// RFC 8032 §7.1, the five Ed25519 vectors: name, seed, public key, message, signature.
const rfc8032: [string, string, string, string, string][] = [
  [
    'TEST 1',
    '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    '',
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  ],
  [
    'TEST 2',
    '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    '72',
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  ],
  [
    'TEST 3',
    'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    'af82',
    '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  ],
  [
    'TEST 1024',
    'f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5',
    '278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e',
    '08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1e355' +
    'f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d658675fc' +
    '6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b' +
    '199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e06203b33890cc9b8' +
    '32f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d' +
    '206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed185ce81bd84359d44254d9562' +
    '9e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40' +
    'cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f27088d78b7e883c8759d2c4f5c65adb7553' +
    '878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b0707e0' +
    '917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128bab27af87a71314f318c782b23ebfe808b82b0ce26' +
    '401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429ec96031dbcad3' +
    'dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb751fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301' +
    '651339e22904cc8c42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f' +
    '92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34dff7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401ade' +
    'bf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab4' +
    '7b57f7f7276cd419c17a3ca8e1b939ae49e488acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3' +
    '2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb37' +
    '97aa2a2f256656168e6c496afc5fb93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba7' +
    '7c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315c' +
    'f4fde7cb68606937380db2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef' +
    '68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0',
    '0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03',
  ],
  [
    'TEST SHA(abc)',
    '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
    'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704',
  ],
];

describe('RFC 8032 §7.1', () => {
  test.each(rfc8032)('%s: public key, signature, verification', (_name, seed, pub, msg, sig) => {
    const sk = fromHex(seed);
    const m = fromHex(msg);
    expect(toHex(ed25519.getPublicKey(sk))).toBe(pub);
    expect(toHex(ed25519.sign(m, sk))).toBe(sig);
    expect(ed25519.verify(fromHex(sig), m, fromHex(pub))).toBe(true);
    // A flipped bit in the signature, or one more message byte, breaks it.
    const bad = fromHex(sig);
    bad[7]! ^= 0x10;
    expect(ed25519.verify(bad, m, fromHex(pub))).toBe(false);
    expect(ed25519.verify(fromHex(sig), Uint8Array.of(...m, 0), fromHex(pub))).toBe(false);
  });
  test('the TEST SHA(abc) message is SHA-512("abc")', () => {
    expect(toHex(sha512(utf8('abc')))).toBe(rfc8032[4]![3]);
  });
});

describe('ed25519 API', () => {
  test('messages around and beyond the IO size sign and verify (two streamed passes)', () => {
    const sk = ed25519.randomSecretKey();
    const pk = ed25519.getPublicKey(sk);
    for (const n of [65536 - 32, 65536 - 31, 65536 - 96, 65536 - 95, 65536, 200_000]) {
      const msg = seededBytes(n, n);
      const sig = ed25519.sign(msg, sk);
      expect(ed25519.verify(sig, msg, pk), `length ${n}`).toBe(true);
      msg[n - 1]! ^= 1;
      expect(ed25519.verify(sig, msg, pk), `length ${n} altered`).toBe(false);
    }
  });
  test('signing is deterministic (RFC 8032 §5.1.6)', () => {
    const sk = fromHex(rfc8032[0]![1]);
    const msg = seededBytes(7, 70_000);
    const sig = ed25519.sign(msg, sk);
    expect(toHex(ed25519.sign(msg, sk))).toBe(toHex(sig));
    expect(ed25519.verify(sig, msg, ed25519.getPublicKey(sk))).toBe(true);
  });
  test('verify returns false for bad content and throws TypeError for non-bytes', () => {
    const sk = ed25519.randomSecretKey();
    const pk = ed25519.getPublicKey(sk);
    const msg = utf8('hello');
    const sig = ed25519.sign(msg, sk);
    expect(ed25519.verify(sig, msg, pk)).toBe(true);
    expect(ed25519.verify(sig.subarray(0, 63), msg, pk)).toBe(false);
    expect(ed25519.verify(Uint8Array.of(...sig, 0), msg, pk)).toBe(false);
    expect(ed25519.verify(sig, msg, pk.subarray(0, 31))).toBe(false);
    expect(ed25519.verify(sig, msg, new Uint8Array(32).fill(0xff))).toBe(false);
    expect(() => ed25519.verify('s' as unknown as Uint8Array, msg, pk)).toThrow(TypeError);
    expect(() => ed25519.verify(sig, null as unknown as Uint8Array, pk)).toThrow(/message must be a Uint8Array/);
    expect(() => ed25519.verify(sig, msg, [] as unknown as Uint8Array)).toThrow(/publicKey must be a Uint8Array/);
  });
  test('sign and getPublicKey check their arguments', () => {
    expect(() => ed25519.sign(new Uint8Array(1), new Uint8Array(64))).toThrow(RangeError);
    expect(() => ed25519.sign(new Uint8Array(1), new Uint8Array(64))).toThrow(/secretKey must be 32 bytes/);
    expect(() => ed25519.sign('m' as unknown as Uint8Array, new Uint8Array(32))).toThrow(/message must be a Uint8Array/);
    expect(() => ed25519.getPublicKey(new Uint8Array(31))).toThrow(RangeError);
    expect(() => ed25519.getPublicKey({} as unknown as Uint8Array)).toThrow(TypeError);
  });
});
