// The key schedule against RFC 8448: §3 (simple 1-RTT), §4 (resumption binder),
// §5 (HelloRetryRequest transcript rule), from the real messages of transcripts.vec.
import { describe, expect, test } from 'vitest';
import { sha256 } from '../src/crypto.js';
import { TlsError } from '../src/errors.js';
import {
  deriveSecret,
  earlySecret,
  hkdfExpandLabel,
  type TlsHash,
  Transcript,
} from '../src/keyschedule.js';
import { SHA256, SHA384, wasmProvider } from '../src/provider-wasm.js';
import { bindersLength, CipherSuite, decodeHandshake, findExtension, parseHandshakeFrame } from '../src/wire/index.js';
import { fromHex, toHex, utf8 } from './helpers/hex.js';
import { concat, parseVec, splitRecords, vecBytes } from './helpers/vec.js';
import raw from './vectors/rfc8448/transcripts.vec?raw';

const vec = parseVec(raw);

/** The handshake message carried by a single-record Record_* entry. */
function fromRecord(section: string, key: string): Uint8Array {
  const recs = splitRecords(vecBytes(vec, section, key));
  expect(recs.length).toBe(1);
  return (recs[0] as { fragment: Uint8Array }).fragment;
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TlsError) return `${e.alert}: ${e.message}`;
    throw e;
  }
  return 'accepted';
}

const hex = (b: Uint8Array) => toHex(b);

describe('RFC 8448 §3: simple 1-RTT handshake (TLS_AES_128_GCM_SHA256)', () => {
  const S = 'Simple_1RTT_Handshake';
  const ch = fromRecord(S, 'Record_ClientHello_1');
  const sh = vecBytes(vec, S, 'Message_ServerHello');
  const ee = vecBytes(vec, S, 'Message_EncryptedExtensions');
  const cert = vecBytes(vec, S, 'Message_Server_Certificate');
  const cv = vecBytes(vec, S, 'Message_Server_CertificateVerify');
  const sf = vecBytes(vec, S, 'Message_Server_Finished');
  // {client} x25519 shared secret (RFC 8448 §3 "extract secret handshake", IKM).
  const ecdhe = fromHex('8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d');

  test('the whole schedule, secret by secret', () => {
    expect(wasmProvider.hash(CipherSuite.TLS_AES_128_GCM_SHA256)).toBe(SHA256);
    const early = earlySecret(SHA256);
    expect(hex(early.exportSecret())).toBe('33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a');
    // "derived" for the handshake secret.
    expect(hex(deriveSecret(SHA256, early.exportSecret(), 'derived', sha256(new Uint8Array(0))))).toBe(
      '6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba',
    );

    const hs = early.intoHandshake(ecdhe);
    expect(early.wiped).toBe(true);
    expect(hex(hs.exportSecret())).toBe('1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac');

    const t = new Transcript(SHA256);
    t.add(ch);
    t.add(sh);
    const helloHash = t.digest();
    expect(hex(helloHash)).toBe('860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8');

    const cHs = hs.clientHandshakeTrafficSecret(helloHash);
    const sHs = hs.serverHandshakeTrafficSecret(helloHash);
    expect(cHs.label).toBe('c hs traffic');
    expect(hex(cHs.exportSecret())).toBe('b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21');
    expect(hex(sHs.exportSecret())).toBe('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38');

    const sKeys = sHs.keys(16);
    expect([hex(sKeys.key), hex(sKeys.iv)]).toEqual(['3fce516009c21727d0f2e4e86ee403bc', '5d313eb2671276ee13000b30']);
    const cKeys = cHs.keys(16);
    expect([hex(cKeys.key), hex(cKeys.iv)]).toEqual(['dbfaa693d1762c5b666af5d950258d01', '5bd3c71b836e0b76bb73265f']);
    // §7.3 finished_key for the server, as the trace prints it.
    expect(hex(hkdfExpandLabel(SHA256, sHs.exportSecret(), 'finished', new Uint8Array(0), 32))).toBe(
      '008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8',
    );

    const ms = hs.intoMaster();
    expect(hs.wiped).toBe(true);
    expect(hex(ms.exportSecret())).toBe('18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919');

    t.add(ee);
    t.add(cert);
    // CertificateVerify signs Transcript-Hash(... Certificate): the trace's Server_MessageToSign ends with it.
    expect(hex(t.digest())).toBe(hex(vecBytes(vec, S, 'Server_MessageToSign').subarray(-32)));
    t.add(cv);
    const serverVerify = sHs.verifyData(t.digest());
    expect(hex(serverVerify)).toBe('9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718');
    expect(hex(serverVerify)).toBe(hex(sf.subarray(4)));
    sHs.verifyFinished(t.digest(), sf.subarray(4));

    t.add(sf);
    const throughSf = t.digest();
    expect(hex(throughSf)).toBe('9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13');
    const cAp = ms.clientApplicationTrafficSecret(throughSf);
    const sAp = ms.serverApplicationTrafficSecret(throughSf);
    const exporter = ms.exporterMasterSecret(throughSf);
    expect(hex(cAp.exportSecret())).toBe('9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5');
    expect(hex(sAp.exportSecret())).toBe('a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643');
    expect(hex(exporter.exportSecret())).toBe('fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50');
    const sApKeys = sAp.keys(16);
    expect([hex(sApKeys.key), hex(sApKeys.iv)]).toEqual(['9f02283b6c9c07efc26bb9f2ac92e356', 'cf782b88dd83549aadf1e984']);
    const cApKeys = cAp.keys(16);
    expect([hex(cApKeys.key), hex(cApKeys.iv)]).toEqual(['17422dda596ed5d9acd890e3c63f5051', '5b78923dee08579033e523d9']);

    // The client's Finished covers the transcript through the server's Finished.
    const clientVerify = cHs.verifyData(throughSf);
    expect(hex(clientVerify)).toBe('a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61');
    const cf = concat(fromHex('14000020'), clientVerify);
    expect(decodeHandshake(parseHandshakeFrame(cf), { hashLength: 32 }).type).toBe('finished');
    t.add(cf);
    expect(hex(t.digest())).toBe('209145a96ee8e2a122ff810047cc952684658d6049e86429426db87c54ad143d');
    const res = ms.resumptionMasterSecret(t.digest());
    expect(hex(res.exportSecret())).toBe('7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c');
    // NewSessionTicket nonce 00 00 (§3) gives the PSK of §4, also in Botan's session data.
    const psk = res.psk(fromHex('0000'));
    expect(hex(psk)).toBe('4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3');
    expect(hex(vecBytes(vec, S, 'Client_SessionData'))).toContain(`0420${hex(psk)}`);
  });

  test('a wrong Finished is decrypt_error', () => {
    const hs = earlySecret(SHA256).intoHandshake(ecdhe);
    const t = new Transcript(SHA256);
    for (const m of [ch, sh]) t.add(m);
    const sHs = hs.serverHandshakeTrafficSecret(t.digest());
    for (const m of [ee, cert, cv]) t.add(m);
    const bad = sf.slice(4);
    bad[31] = (bad[31] as number) ^ 1;
    expect(failure(() => sHs.verifyFinished(t.digest(), bad))).toBe(
      'decrypt_error: Finished: verify_data does not match the transcript (s hs traffic, RFC 8446 §4.4.4)',
    );
    expect(failure(() => sHs.verifyFinished(t.digest(), bad.subarray(0, 31)))).toMatch(/^decrypt_error/);
  });

  test('KeyUpdate: application_traffic_secret_N+1 = HKDF-Expand-Label(N, "traffic upd", "", Hash.length)', () => {
    const ms = earlySecret(SHA256).intoHandshake(ecdhe).intoMaster();
    const ap0 = ms.serverApplicationTrafficSecret(fromHex('9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13'));
    const s0 = ap0.exportSecret();
    const ap1 = ap0.next();
    expect(ap0.wiped).toBe(true);
    expect(ap1.generation).toBe(1);
    expect(ap1.label).toBe('s ap traffic');
    expect(hex(ap1.exportSecret())).toBe(hex(hkdfExpandLabel(SHA256, s0, 'traffic upd', new Uint8Array(0), 32)));
    expect(ap1.next().generation).toBe(2);
  });

  test('TLS-Exporter (§7.5) composes Derive-Secret and HKDF-Expand-Label', () => {
    const ms = earlySecret(SHA256).intoHandshake(ecdhe).intoMaster();
    const exp = ms.exporterMasterSecret(fromHex('9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13'));
    const secret = exp.exportSecret();
    const inner = deriveSecret(SHA256, secret, 'EXPERIMENTAL label', sha256(new Uint8Array(0)));
    const want = hkdfExpandLabel(SHA256, inner, 'exporter', sha256(utf8('ctx')), 40);
    expect(hex(exp.export('EXPERIMENTAL label', utf8('ctx'), 40))).toBe(hex(want));
  });
});

describe('staging and wiping', () => {
  test('a stage cannot be used after moving on, and wipe() zeroes every intermediate', () => {
    // A provider that remembers every secret-bearing output of HKDF and HMAC.
    const produced: Uint8Array[] = [];
    const keep = (b: Uint8Array) => (produced.push(b), b);
    const recording: TlsHash = {
      ...SHA256,
      extract: (s, i) => keep(SHA256.extract(s, i)),
      expand: (p, i, l) => keep(SHA256.expand(p, i, l)),
      hmac: (k, d) => keep(SHA256.hmac(k, d)),
    };
    const handedOut = new Set<Uint8Array>();
    const out = <T extends Uint8Array>(b: T) => (handedOut.add(b), b);
    const h = fromHex('860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8');

    const early = earlySecret(recording, fromHex('4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3'));
    out(early.binder('resumption', h));
    const cet = early.clientEarlyTrafficSecret(h);
    const eem = early.earlyExporterMasterSecret(h);
    const hs = early.intoHandshake(new Uint8Array(32).fill(7));
    expect(failure(() => early.binder('resumption', h))).toBe('internal_error: key schedule: early secret was used after being wiped');
    const c = hs.clientHandshakeTrafficSecret(h);
    const s = hs.serverHandshakeTrafficSecret(h);
    const ms = hs.intoMaster();
    expect(failure(() => hs.clientHandshakeTrafficSecret(h))).toMatch(/handshake secret was used after being wiped/);
    const k = s.keys(16);
    out(k.key);
    out(k.iv);
    out(s.verifyData(h));
    const cap = ms.clientApplicationTrafficSecret(h);
    const cap1 = cap.next();
    const exp = ms.exporterMasterSecret(h);
    out(exp.export('label', new Uint8Array(0), 16));
    const res = ms.resumptionMasterSecret(h);
    out(res.psk(fromHex('00')));

    const live = [cet, eem, c, s, ms, cap1, exp, res];
    for (const x of live) x.wipe();
    for (const x of [...live, early, hs, cap]) expect(x.wiped).toBe(true);
    expect(failure(() => cap1.keys(16))).toMatch(/c ap traffic was used after being wiped/);
    // Everything HKDF/HMAC produced is zero now, except what the API handed to the caller.
    const leftovers = produced.filter((b) => !handedOut.has(b) && b.some((x) => x !== 0));
    expect(leftovers.length).toBe(0);
    expect(produced.length).toBeGreaterThan(20);
  });

  test('a PSK must not be empty; Derive-Secret checks the hash length', () => {
    expect(failure(() => earlySecret(SHA256, new Uint8Array(0)))).toBe('internal_error: key schedule: an empty PSK');
    expect(failure(() => deriveSecret(SHA256, new Uint8Array(32), 'c hs traffic', new Uint8Array(48)))).toMatch(/transcript hash of 48 bytes, expected 32/);
    expect(failure(() => wasmProvider.hash(0x1304))).toMatch(/TLS_AES_128_CCM_SHA256/);
  });

  test('SHA-384 suites use 48-byte secrets', () => {
    expect(wasmProvider.hash(CipherSuite.TLS_AES_256_GCM_SHA384)).toBe(SHA384);
    const hs = earlySecret(SHA384).intoHandshake(new Uint8Array(48).fill(1));
    const t = new Transcript(SHA384);
    t.add(fromHex('01000000'));
    const c = hs.clientHandshakeTrafficSecret(t.digest());
    expect(c.exportSecret().length).toBe(48);
    expect(c.keys(32).key.length).toBe(32);
    expect(c.verifyData(t.digest()).length).toBe(48);
    expect(hs.intoMaster().exportSecret().length).toBe(48);
  });
});

describe('RFC 8448 §4: resumption PSK binder', () => {
  test('the binder in the resumed ClientHello', () => {
    const S = 'Resumed_0RTT_Handshake';
    const ch = fromRecord(S, 'Record_ClientHello_1');
    const m = decodeHandshake(parseHandshakeFrame(ch));
    if (m.type !== 'client_hello') throw new Error(m.type);
    const offer = findExtension(m.extensions, 'pre_shared_key');
    if (offer === undefined) throw new Error('no pre_shared_key');
    const early = earlySecret(SHA256, fromHex('4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3'));
    expect(hex(early.exportSecret())).toBe('9b2188e9b2fc6d64d71dc329900e20bb41915000f678aa839cbb797cb7d8332c');
    // Truncate(ClientHello): everything up to the binders list (§4.2.11.2).
    const partial = ch.subarray(0, ch.length - bindersLength(offer.binders));
    const t = new Transcript(SHA256);
    const binder = early.binder('resumption', t.digestWith(partial));
    expect(hex(binder)).toBe('3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d');
    expect(hex(binder)).toBe(hex(offer.binders[0] as Uint8Array));
    early.verifyBinder('resumption', t.digestWith(partial), binder);
    expect(failure(() => early.verifyBinder('external', t.digestWith(partial), binder))).toBe(
      'decrypt_error: ClientHello: PSK binder does not match (RFC 8446 §4.2.11.2)',
    );
  });
});

describe('RFC 8448 §5: HelloRetryRequest (secp256r1)', () => {
  const S = 'HelloRetryRequest_Handshake';
  const ch1 = fromRecord(S, 'Record_ClientHello_1');
  const hrr = fromRecord(S, 'Record_HelloRetryRequest');
  const ch2 = fromRecord(S, 'Record_ClientHello_2');
  const sh = vecBytes(vec, S, 'Message_ServerHello');
  // {server} extract secret "handshake": the P-256 shared secret (IKM) of RFC 8448 §5.
  const ecdhe = fromHex('c142ce13ca11b5c2233652e63ad3d97844f1621fbfb9de69d547dc8fedeabeb4');

  test('ClientHello1 becomes message_hash (§4.4.1); the schedule follows the trace', () => {
    const t = new Transcript();
    t.add(ch1);
    expect(failure(() => t.digest())).toMatch(/hash is not known yet/);
    t.setHash(SHA256); // from the HelloRetryRequest's cipher suite
    t.helloRetry();
    expect(t.messageCount).toBe(1);
    t.add(hrr);
    t.add(ch2);
    t.add(sh);
    const helloHash = t.digest();
    expect(hex(helloHash)).toBe('8aa8e828ec2f8a884fec95a3139de01c15a3daa7ff5bfc3f4bfcc21b438d7bf8');

    // A stateless server rebuilding the transcript from Hash(ClientHello1) in its cookie agrees.
    const s = Transcript.afterHelloRetry(SHA256, sha256(ch1));
    for (const m of [hrr, ch2, sh]) s.add(m);
    expect(hex(s.digest())).toBe(hex(helloHash));
    // Without the rule the hash differs.
    const naive = new Transcript(SHA256);
    for (const m of [ch1, hrr, ch2, sh]) naive.add(m);
    expect(hex(naive.digest())).not.toBe(hex(helloHash));

    const hs = earlySecret(SHA256).intoHandshake(ecdhe);
    expect(hex(hs.exportSecret())).toBe('ce022e5e6e81e50736d773f2d3adfce8220d049bf510f0dbfac927ef4243b148');
    const cHs = hs.clientHandshakeTrafficSecret(helloHash);
    const sHs = hs.serverHandshakeTrafficSecret(helloHash);
    expect(hex(cHs.exportSecret())).toBe('158aa7ab8855073582b41d674b4055cabcc534728f659314861b4e08e2011566');
    expect(hex(sHs.exportSecret())).toBe('3403e781e2af7b6508da28574f6e95a1abf162de83a97927c37672a4a0cef8a1');
    const ms = hs.intoMaster();
    expect(hex(ms.exportSecret())).toBe('1131545d0baf79ddce9b87f06945781a57dd18ef378dcd2060f8f9a569027ed8');

    t.add(vecBytes(vec, S, 'Message_EncryptedExtensions'));
    t.add(vecBytes(vec, S, 'Message_Server_Certificate'));
    expect(hex(t.digest())).toBe(hex(vecBytes(vec, S, 'Server_MessageToSign').subarray(-32)));
    t.add(vecBytes(vec, S, 'Message_Server_CertificateVerify'));
    const sf = vecBytes(vec, S, 'Message_Server_Finished');
    expect(hex(sHs.verifyData(t.digest()))).toBe(hex(sf.subarray(4)));
    t.add(sf);
    const throughSf = t.digest();
    expect(hex(ms.clientApplicationTrafficSecret(throughSf).exportSecret())).toBe('75ecf4b972525aa0dcd057c9944d4cd5d82671d8843141d7dc2a4ff15a21dc51');
    expect(hex(ms.serverApplicationTrafficSecret(throughSf).exportSecret())).toBe('5c74f87df04225db0f8209c9de6429e49435fdefa7cad61864874d12f31cfc8d');
    expect(hex(ms.exporterMasterSecret(throughSf).exportSecret())).toBe('7c06d3ae106a3a374ace4837b3985cac67780a6e2c5c04b58319d584df09d223');
    t.add(concat(fromHex('14000020'), cHs.verifyData(throughSf)));
    expect(hex(ms.resumptionMasterSecret(t.digest()).exportSecret())).toBe('09170c6d472721566f9cf99b08699daff561ec8fb22d5a32c3f94ce009b69975');
  });

  test('the rule applies only to a lone ClientHello1', () => {
    const t = new Transcript(SHA256);
    expect(failure(() => t.helloRetry())).toMatch(/needs exactly ClientHello1 in the transcript, found 0/);
    t.add(ch1);
    t.add(hrr);
    expect(failure(() => t.helloRetry())).toMatch(/found 2/);
    const u = new Transcript(SHA256);
    u.add(hrr);
    expect(failure(() => u.helloRetry())).toMatch(/needs exactly ClientHello1/);
    expect(failure(() => u.setHash(SHA384))).toMatch(/hash already sha256/);
  });

  test('digest() is a snapshot: adding later does not change an earlier value; digestWith() does not add', () => {
    const t = new Transcript(SHA256);
    t.add(ch1);
    const d1 = t.digest();
    expect(hex(t.digestWith(hrr))).toBe(hex(sha256(concat(ch1, hrr))));
    expect(hex(t.digest())).toBe(hex(d1));
    t.add(hrr);
    expect(hex(t.digest())).toBe(hex(sha256(concat(ch1, hrr))));
    expect(hex(d1)).toBe(hex(sha256(ch1)));
    // A caller mutating the returned digest does not corrupt the cache.
    const d2 = t.digest();
    d2.fill(0);
    expect(hex(t.digest())).toBe(hex(sha256(concat(ch1, hrr))));
  });
});
