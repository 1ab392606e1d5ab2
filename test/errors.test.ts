// The structured TlsError (src/errors.ts): `reason` says what ended the
// connection without parsing the message, `nodeCode` gives node:tls's code
// where it has one, `code` stays the alert number.
import { describe, expect, test } from 'vitest';
import { TlsError } from '../src/errors.js';
import { IDENTITIES, pair } from './helpers/tls-pair.js';

describe('TlsError reason and nodeCode', () => {
  test('a transport closed without close_notify: truncated, ECONNRESET', () => {
    const p = pair(IDENTITIES.p256);
    p.pump();
    p.client.transportClosed();
    const e = p.c.errors[0] as TlsError;
    expect([e.reason, e.nodeCode, e.alert, e.side]).toEqual(['truncated', 'ECONNRESET', 'close_notify', 'remote']);
  });

  test('a hostname mismatch: alert-sent, ERR_TLS_CERT_ALTNAME_INVALID; the peer sees alert-received', () => {
    const p = pair(IDENTITIES.p256, { serverName: 'other.example' });
    p.pump();
    const e = p.c.errors[0] as TlsError;
    expect([e.reason, e.nodeCode, e.alert, e.code]).toEqual(['alert-sent', 'ERR_TLS_CERT_ALTNAME_INVALID', 'bad_certificate', 42]);
    const r = p.s.errors[0] as TlsError;
    expect([r.reason, r.nodeCode, r.alert, r.side]).toEqual(['alert-received', undefined, 'bad_certificate', 'remote']);
  });

  test('an expired certificate: CERT_HAS_EXPIRED', () => {
    const p = pair(IDENTITIES.p256, { now: new Date('2100-01-01T00:00:00Z') });
    p.pump();
    const e = p.c.errors[0] as TlsError;
    expect([e.reason, e.nodeCode, e.alert]).toEqual(['alert-sent', 'CERT_HAS_EXPIRED', 'certificate_expired']);
  });

  test("an unknown CA: UNABLE_TO_GET_ISSUER_CERT_LOCALLY", () => {
    const p = pair(IDENTITIES.p256, { ca: IDENTITIES.rsa2048.ca });
    p.pump();
    const e = p.c.errors[0] as TlsError;
    expect([e.nodeCode, e.alert]).toEqual(['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unknown_ca']);
  });

  test("the peer's close_notify before the handshake completed: closed", () => {
    const p = pair(IDENTITIES.p256);
    p.server.receive(p.client.takeOutput()[0] as Uint8Array);
    p.client.receive(Uint8Array.of(21, 3, 3, 0, 2, 1, 0));
    expect((p.c.errors[0] as TlsError).reason).toBe('closed');
  });
});
