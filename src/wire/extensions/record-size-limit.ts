// record_size_limit (RFC 8449 §4): ClientHello and EncryptedExtensions in TLS 1.3.

import { illegalParameter } from '../../errors.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** `uint16 RecordSizeLimit`: the largest TLSInnerPlaintext the sender will accept (RFC 8449 §4). */
export interface RecordSizeLimit {
  type: 'record_size_limit';
  limit: number;
}

/** Reads record_size_limit; a value below 64 is illegal_parameter (RFC 8449 §4). */
export function readRecordSizeLimit(r: Reader): RecordSizeLimit {
  const limit = r.u16('record_size_limit');
  if (limit < 64) throw illegalParameter(`${r.context}: record_size_limit ${limit} is below 64`);
  return { type: 'record_size_limit', limit };
}

/** Writes record_size_limit. */
export function writeRecordSizeLimit(w: Writer, e: RecordSizeLimit): void {
  w.u16(e.limit, 'record_size_limit');
}
