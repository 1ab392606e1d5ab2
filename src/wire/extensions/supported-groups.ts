// supported_groups (RFC 8446 §4.2.7): ClientHello and EncryptedExtensions.

import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** `NamedGroup named_group_list<2..2^16-1>`, in order of preference. */
export interface SupportedGroups {
  type: 'supported_groups';
  groups: number[];
}

/** Reads supported_groups. */
export function readSupportedGroups(r: Reader): SupportedGroups {
  return { type: 'supported_groups', groups: r.u16List(2, 'named_group_list', 2, 0xffff) };
}

/** Writes supported_groups. */
export function writeSupportedGroups(w: Writer, e: SupportedGroups): void {
  w.u16List(2, 'named_group_list', e.groups, 2, 0xffff);
}
