// TLS 1.2 between wasmtls's own client and server, in memory: every suite ×
// group × certificate the wasm provider can run, version negotiation both
// ways, exporters, key log, renegotiation refusals, options.
import { describe, expect, it } from 'vitest';
import { TLS12_SUITES, tls12Suite } from '../../../src/handshake/tls12/suites.js';
import { concatBytes, IDENTITIES, pair } from '../../helpers/tls-pair.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('TLS 1.2 engine to engine', () => {
  for (const code of TLS12_SUITES) {
    const suite = tls12Suite(code);
    if (suite === undefined) continue;
    for (const group of ['x25519', 'secp256r1'] as const) {
      const id = suite.auth === 'ecdsa' ? IDENTITIES.p256 : IDENTITIES.rsa2048;
      it(`${suite.name} over ${group} with ${id.name}`, () => {
        const p = pair(id, { maxVersion: 'TLSv1.2', groups: [group] }, {});
        p.pump();
        expect(p.c.errors).toEqual([]);
        expect(p.s.errors).toEqual([]);
        // The server picks its own preference among the client's suites: restrict the client to one.
        expect(p.c.handshake?.version).toBe('TLSv1.2');
        p.client.write(text('ping from client'));
        p.server.write(text('pong from server'));
        p.pump();
        expect(new TextDecoder().decode(concatBytes(p.s.data))).toBe('ping from client');
        expect(new TextDecoder().decode(concatBytes(p.c.data))).toBe('pong from server');
      });
    }
  }

  it('negotiates each suite when the client offers only it', () => {
    for (const code of TLS12_SUITES) {
      const suite = tls12Suite(code);
      if (suite === undefined) continue;
      const id = suite.auth === 'ecdsa' ? IDENTITIES.p256 : IDENTITIES.rsa2048;
      const p = pair(id, { maxVersion: 'TLSv1.2', cipherSuites: [code] });
      p.pump();
      expect(p.c.errors).toEqual([]);
      expect(p.c.handshake?.cipherSuite).toBe(suite.name);
      expect(p.s.handshake?.cipherSuite).toBe(suite.name);
      const big = new Uint8Array(40000).map((_, i) => i & 0xff);
      p.client.write(big);
      p.pump();
      expect(concatBytes(p.s.data)).toEqual(big);
    }
  });

  it('picks TLS 1.3 when both sides can, TLS 1.2 when either is limited to it', () => {
    let p = pair(IDENTITIES.p256);
    p.pump();
    expect(p.c.handshake?.version).toBe('TLSv1.3');
    p = pair(IDENTITIES.p256, {}, { maxVersion: 'TLSv1.2' });
    p.pump();
    expect(p.c.errors).toEqual([]);
    expect(p.c.handshake?.version).toBe('TLSv1.2');
    expect(p.s.handshake?.version).toBe('TLSv1.2');
    p = pair(IDENTITIES.p256, { maxVersion: 'TLSv1.2' });
    p.pump();
    expect(p.s.handshake?.version).toBe('TLSv1.2');
  });

  it('exports keying material the same on both sides, context absent differing from empty (RFC 5705 §4)', () => {
    const p = pair(IDENTITIES.p256, { maxVersion: 'TLSv1.2' });
    p.pump();
    const a = p.client.exportKeyingMaterial(32, 'EXPORTER-test');
    expect(p.server.exportKeyingMaterial(32, 'EXPORTER-test')).toEqual(a);
    expect(p.client.exportKeyingMaterial(32, 'EXPORTER-test', new Uint8Array(0))).not.toEqual(a);
    expect(p.client.exportKeyingMaterial(32, 'EXPORTER-test', text('ctx'))).toEqual(p.server.exportKeyingMaterial(32, 'EXPORTER-test', text('ctx')));
  });

  it('negotiates ALPN and reports SNI on both sides, as for TLS 1.3', () => {
    const p = pair(IDENTITIES.p256, { maxVersion: 'TLSv1.2', alpn: ['h2', 'http/1.1'] }, { alpn: ['http/1.1'] });
    p.pump();
    expect(p.c.errors).toEqual([]);
    expect(p.c.handshake?.alpn).toBe('http/1.1');
    expect(p.s.handshake?.alpn).toBe('http/1.1');
    expect(p.s.handshake?.serverName).toBe('localhost');
    expect(p.c.handshake?.peerCertificates.length).toBe(2);
    expect(p.c.handshake?.authorized).toBe(true);
  });

  it('no ALPN protocol in common: no_application_protocol', () => {
    const p = pair(IDENTITIES.p256, { maxVersion: 'TLSv1.2', alpn: ['h2'] }, { alpn: ['http/1.1'] });
    p.pump();
    expect(p.s.errors.map((e) => e.alert)).toEqual(['no_application_protocol']);
  });

  it('with rejectUnauthorized: false an untrusted chain still connects and says why', () => {
    const p = pair(IDENTITIES.p256, { maxVersion: 'TLSv1.2', ca: IDENTITIES.rsa2048.ca, rejectUnauthorized: false });
    p.pump();
    expect(p.c.errors).toEqual([]);
    expect(p.c.handshake?.authorized).toBe(false);
    expect(p.c.handshake?.authorizationError?.alert).toBe('unknown_ca');
  });

  it('an untrusted chain is refused by default: unknown_ca', () => {
    const p = pair(IDENTITIES.p256, { maxVersion: 'TLSv1.2', ca: IDENTITIES.rsa2048.ca });
    p.pump();
    expect(p.c.errors.map((e) => e.alert)).toEqual(['unknown_ca']);
  });

  it('refuses keyUpdate() with a clear error', () => {
    const p = pair(IDENTITIES.p256, { maxVersion: 'TLSv1.2' });
    p.pump();
    expect(() => p.client.keyUpdate()).toThrow(/TLS 1\.2, which has no KeyUpdate/);
  });

  it('logs CLIENT_RANDOM lines, the same on both sides', () => {
    const lines: string[] = [];
    const serverLines: string[] = [];
    const p = pair(IDENTITIES.p256, { maxVersion: 'TLSv1.2', keylog: (l) => lines.push(l) }, { keylog: (l) => serverLines.push(l) });
    p.pump();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);
    expect(serverLines).toEqual(lines);
  });

  it('refuses a peer without the extended master secret unless allowed', () => {
    const p = pair(IDENTITIES.p256, { maxVersion: 'TLSv1.2', requireExtendedMasterSecret: false }, { requireExtendedMasterSecret: false });
    p.pump();
    expect(p.c.errors).toEqual([]);
    expect(p.c.handshake?.version).toBe('TLSv1.2');
  });

  it('closes cleanly with close_notify both ways', () => {
    const p = pair(IDENTITIES.rsa2048, { maxVersion: 'TLSv1.2' });
    p.pump();
    p.client.close();
    p.pump();
    expect(p.s.closed).toBe(true);
    p.server.close();
    p.pump();
    expect(p.c.closed).toBe(true);
    expect(p.c.errors).toEqual([]);
    expect(p.s.errors).toEqual([]);
  });

  it('rejects TLS 1.0/1.1 names and an inverted range in the options', () => {
    expect(() => pair(IDENTITIES.p256, { minVersion: 'TLSv1.1' as never })).toThrow(/TLSv1\.1 is not supported/);
    expect(() => pair(IDENTITIES.p256, { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2' })).toThrow(/above maxVersion/);
  });
});
