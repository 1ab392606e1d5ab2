// The step-by-step trace (src/trace, engine options trace/onTrace): which
// events a handshake yields and in what order, their steps, fields, checks
// and explanations, the 'trace' event with its backlog, failures, HRR, and
// the terminal renderer.
import { describe, expect, test } from 'vitest';
import { TlsClient, type TraceEvent } from '../../src/engine.js';
import { renderTrace } from '../../src/trace/render-text.js';
import type { TraceField } from '../../src/trace/event.js';
import { decodeHandshake, parseHandshakeFrame } from '../../src/wire/index.js';
import { toHex, utf8 } from '../helpers/hex.js';
import { IDENTITIES, pair } from '../helpers/tls-pair.js';

function line(e: TraceEvent): string {
  return `${e.step} ${e.direction} ${e.name}`;
}

function find(fields: readonly TraceField[], path: readonly string[]): TraceField | undefined {
  const [head, ...rest] = path;
  const f = fields.find((x) => x.name === head);
  if (f === undefined || rest.length === 0) return f;
  return find(f.children ?? [], rest);
}

/** A handshake, one GET-like exchange and close_notify both ways, traced on both sides. */
function traced(client: object = {}, server: object = {}) {
  const c: TraceEvent[] = [];
  const s: TraceEvent[] = [];
  const p = pair(IDENTITIES.p256, { onTrace: (e) => c.push(e), alpn: ['http/1.1'], ...client }, { onTrace: (e) => s.push(e), alpn: ['http/1.1'], ...server });
  p.pump();
  p.client.write(utf8('GET / HTTP/1.1\r\n\r\n'));
  p.client.write(utf8('second record, not traced'));
  p.pump();
  p.server.write(utf8('HTTP/1.1 200 OK\r\n\r\n'));
  p.server.close();
  p.pump();
  p.client.close();
  p.pump();
  return { p, c, s };
}

describe('trace', () => {
  test('the client sees every step in protocol order', () => {
    const { p, c } = traced();
    expect(p.c.errors).toEqual([]);
    expect(c.map(line)).toEqual([
      '1 sent ClientHello',
      '3 received ServerHello',
      '3 local Handshake keys',
      '3 received ChangeCipherSpec',
      '3 received EncryptedExtensions',
      '2 received Certificate',
      '2 received CertificateVerify',
      '3 received Finished',
      '3 local Application keys',
      '3 sent ChangeCipherSpec',
      '3 sent Finished',
      '4 sent Application data',
      '4 received Application data',
      '4 received close_notify',
      '4 sent close_notify',
    ]);
    for (const e of c) {
      expect(e.side).toBe('client');
      expect(e.explanation.length).toBeGreaterThan(40);
      expect(e.rfc).toMatch(/^RFC 8446 §/);
      expect(e.stepTitle.length).toBeGreaterThan(5);
      expect(e.from).toBe(e.direction === 'received' ? 'server' : 'client');
      if (e.kind === 'keys') expect(e.bytes.length).toBe(0);
      else expect(e.bytes.length).toBeGreaterThan(0);
    }
  });

  test('the server traces its own view: ClientHello first, its flight after it', () => {
    const { s } = traced();
    expect(s.map(line)).toEqual([
      '1 received ClientHello',
      '3 sent ServerHello',
      '3 sent ChangeCipherSpec',
      '3 local Handshake keys',
      '3 sent EncryptedExtensions',
      '2 sent Certificate',
      '2 sent CertificateVerify',
      '3 sent Finished',
      '3 local Application keys',
      '3 received ChangeCipherSpec',
      '3 received Finished',
      '4 received Application data',
      '4 sent Application data',
      '4 sent close_notify',
      '4 received close_notify',
    ]);
  });

  test('handshake events carry the message bytes, which decode to `decoded`; received ones say what was checked', () => {
    const { c } = traced();
    const hs = c.filter((e) => e.kind === 'handshake');
    expect(hs.map((e) => e.encrypted)).toEqual([false, false, true, true, true, true, true]);
    for (const e of hs) {
      const frame = parseHandshakeFrame(e.bytes);
      const again = decodeHandshake(frame, { hashLength: 32 });
      expect(again).toEqual(e.decoded);
      if (e.direction === 'received') expect(e.check?.ok).toBe(true);
      else expect(e.check).toBeUndefined();
    }
    const cv = hs.find((e) => e.name === 'CertificateVerify');
    expect(cv?.check?.text).toContain('ecdsa_secp256r1_sha256');
    expect(hs.find((e) => e.name === 'Finished' && e.direction === 'received')?.check?.text).toContain('HMAC');
    expect(hs.find((e) => e.name === 'Certificate')?.check?.text).toContain('names localhost');
  });

  test('fields: versions, suites, groups, key shares in hex, extensions by name, certificates, signature scheme', () => {
    const { c } = traced();
    const ch = c[0] as TraceEvent;
    expect(ch.decoded?.type).toBe('client_hello');
    if (ch.decoded?.type !== 'client_hello') return;
    expect(find(ch.fields, ['legacy_version'])?.value).toBe('0x0303 (TLS 1.2)');
    expect(find(ch.fields, ['cipher_suites'])?.value).toBe(
      'TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, ' +
        'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, ' +
        'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    );
    expect(find(ch.fields, ['extensions', 'supported_versions'])?.value).toBe('0x0304 (TLS 1.3), 0x0303 (TLS 1.2)');
    expect(find(ch.fields, ['extensions', 'supported_groups'])?.value).toBe('X25519MLKEM768, x25519, secp256r1');
    expect(find(ch.fields, ['extensions', 'server_name'])?.value).toBe('localhost');
    expect(find(ch.fields, ['extensions', 'alpn'])?.value).toBe('"http/1.1"');
    const ks = ch.decoded.extensions.find((x) => x.type === 'key_share');
    const shares = ks !== undefined && 'shares' in ks ? ks.shares : [];
    // Two shares by default: the post-quantum hybrid and plain x25519.
    expect(find(ch.fields, ['extensions', 'key_share'])?.value).toBe('X25519MLKEM768, x25519');
    expect(shares.map((s) => s.keyExchange.length)).toEqual([1216, 32]);
    expect(find(ch.fields, ['extensions', 'key_share', 'X25519MLKEM768'])?.value).toBe(
      `${toHex(shares[0]?.keyExchange ?? new Uint8Array(0))} (1216 bytes, public: ML-KEM-768 encapsulation key (1184) then X25519 key (32))`,
    );
    expect(find(ch.fields, ['extensions', 'key_share', 'x25519'])?.value).toBe(`${toHex(shares[1]?.keyExchange ?? new Uint8Array(0))} (32 bytes, public)`);
    expect(ch.explanation).toContain('post-quantum hybrid');
    expect(find(ch.fields, ['random'])?.value).toBe(toHex(ch.decoded.random));

    const sh = c.find((e) => e.name === 'ServerHello') as TraceEvent;
    expect(find(sh.fields, ['cipher_suite'])?.value).toBe('TLS_AES_128_GCM_SHA256');
    expect(find(sh.fields, ['extensions', 'key_share'])?.value).toBe('X25519MLKEM768');
    expect(find(sh.fields, ['extensions', 'key_share', 'X25519MLKEM768'])?.value).toMatch(/^[0-9a-f]{2240} \(1120 bytes, public: ML-KEM-768 ciphertext \(1088\) then X25519 key \(32\)\)$/);
    expect(sh.explanation).toContain('ML-KEM ciphertext');

    const cert = c.find((e) => e.name === 'Certificate') as TraceEvent;
    expect(find(cert.fields, ['certificate_list'])?.value).toBe('2 certificates');
    const leaf = find(cert.fields, ['certificate_list', 'leaf']);
    expect(find(leaf?.children ?? [], ['subjectAltName'])?.value).toContain('DNS:localhost');
    expect(find(leaf?.children ?? [], ['public key'])?.value).toBe('ECDSA P-256');
    expect(find(leaf?.children ?? [], ['validity'])?.value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ to \d{4}-/);
    expect(find(cert.fields, ['certificate_list', 'chain[1]', 'CA'])?.value).toBe('yes');

    const cv = c.find((e) => e.name === 'CertificateVerify') as TraceEvent;
    expect(find(cv.fields, ['algorithm'])?.value).toBe('ecdsa_secp256r1_sha256');

    const data = c.filter((e) => e.kind === 'application_data');
    expect(find(data[0]?.fields ?? [], ['plaintext'])?.value).toBe('18 bytes: GET / HTTP/1.1\\r\\n\\r\\n');
    // 5-byte header + 18 bytes + inner type + 16-byte tag.
    expect(data[0]?.bytes.length).toBe(5 + 18 + 1 + 16);
    expect(toHex(data[0]?.bytes.subarray(0, 3) ?? new Uint8Array(0))).toBe('170303');
  });

  test('explanations say where TLS 1.3 differs from the seed story', () => {
    const { c } = traced();
    const byName = (n: string) => c.find((e) => e.name === n) as TraceEvent;
    expect(byName('ServerHello').explanation).toMatch(/No session key is ever sent/);
    expect(byName('ServerHello').explanation).toMatch(/static RSA.*removed from TLS 1\.3 \(§1\.2\)/);
    expect(byName('ServerHello').explanation).toMatch(/X25519/);
    expect(byName('Handshake keys').explanation).toMatch(/never crossed the wire/);
    expect(byName('CertificateVerify').explanation).toMatch(/certificate key only signs/);
    expect(byName('Certificate').explanation).toMatch(/encrypted/);
  });

  test("trace: true emits 'trace' events; those before the first listener (the ClientHello) are delivered when it subscribes", () => {
    const p = pair(IDENTITIES.p256, { trace: true }, {});
    const seen: string[] = [];
    p.client.on('trace', (e) => seen.push(e.name));
    expect(seen).toEqual(['ClientHello']);
    p.pump();
    expect(seen.slice(0, 4)).toEqual(['ClientHello', 'ServerHello', 'Handshake keys', 'ChangeCipherSpec']);
    expect(seen).toContain('Finished');
    // A connection without trace never emits 'trace'.
    const q = pair(IDENTITIES.p256, {}, {});
    const none: TraceEvent[] = [];
    q.client.on('trace', (e) => none.push(e));
    q.server.on('trace', (e) => none.push(e));
    q.pump();
    expect(q.c.handshake).toBeDefined();
    expect(none).toEqual([]);
  });

  test('the old callback form (trace: function) and onTrace both receive every event', () => {
    const a: string[] = [];
    const b: string[] = [];
    const p = pair(IDENTITIES.p256, { trace: (e) => a.push(line(e)), onTrace: (e) => b.push(line(e)) }, {});
    p.pump();
    expect(a.length).toBe(11);
    expect(b).toEqual(a);
  });

  test('bad trace options are TypeErrors', () => {
    const base = { serverName: 'localhost', ca: IDENTITIES.p256.ca };
    expect(() => new TlsClient({ ...base, trace: 'yes' } as never)).toThrow(TypeError);
    expect(() => new TlsClient({ ...base, onTrace: 1 } as never)).toThrow(TypeError);
  });

  test('a failed check is traced with its reason, then the alert that was sent', () => {
    const c: TraceEvent[] = [];
    const p = pair(IDENTITIES.p256, { onTrace: (e) => c.push(e), ca: IDENTITIES.rsa2048.ca }, {});
    p.pump();
    expect(p.c.errors.map((e) => e.alert)).toEqual(['unknown_ca']);
    const cert = c.find((e) => e.name === 'Certificate');
    expect(cert?.check?.ok).toBe(false);
    expect(cert?.check?.text).toMatch(/^unknown_ca: /);
    const last = c[c.length - 1] as TraceEvent;
    expect([last.kind, last.direction, last.encrypted, last.step]).toEqual(['alert', 'sent', true, 2]);
    expect(find(last.fields, ['description'])?.value).toBe('unknown_ca (48)');
    // Nothing after the failure: the CertificateVerify was never processed.
    expect(c.some((e) => e.name === 'CertificateVerify')).toBe(false);
  });

  test('HelloRetryRequest: step 1 again, with the second ClientHello after the dummy change_cipher_spec', () => {
    const c: TraceEvent[] = [];
    const p = pair(IDENTITIES.p256, { onTrace: (e) => c.push(e) }, { groups: ['secp256r1'] });
    p.pump();
    expect(p.c.handshake?.group).toBe('secp256r1');
    expect(c.slice(0, 7).map(line)).toEqual([
      '1 sent ClientHello',
      '1 received HelloRetryRequest',
      '1 sent ChangeCipherSpec',
      '1 sent ClientHello',
      '1 received ChangeCipherSpec',
      '3 received ServerHello',
      '3 local Handshake keys',
    ]);
    expect(c[3]?.explanation).toMatch(/again/);
    expect(c[6]?.explanation).toMatch(/secp256r1 ECDHE/);
  });

  test('the terminal renderer prints a header whenever the step changes, fields, checks and bytes', () => {
    const { c } = traced();
    const text = renderTrace(c, { hexBytes: 16 });
    const headers = [...text.matchAll(/━━ Step (\d) · ([^━]+) ━/g)].map((m) => `${m[1]} ${m[2]?.trim()}`);
    expect(headers).toEqual([
      '1 Client Hello',
      '3 Both sides agree on a session key',
      '2 The server proves who it is',
      '3 Both sides agree on a session key',
      '4 Everything after is encrypted',
    ]);
    expect(text).toContain('client ──▶ server  ClientHello  (plaintext,');
    expect(text).toContain('client ◀── server  Certificate  (encrypted,');
    expect(text).toContain('✓ checked: the ecdsa_secp256r1_sha256 signature');
    expect(text).toMatch(/bytes {3}01 00 [0-9a-f]{2} [0-9a-f]{2} 03 03/);
    expect(text).not.toContain('\x1b[');
    expect(renderTrace(c.slice(0, 1), { color: true })).toContain('\x1b[1m');
  });
});
