// Argument checks shared by the wrappers. Every message names the parameter.

/** Throws a TypeError unless `value` is a Uint8Array. */
export function bytes(name: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a Uint8Array, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is a Uint8Array of exactly `length` bytes. */
export function bytesOfLength(name: string, value: unknown, length: number): Uint8Array {
  const b = bytes(name, value);
  if (b.length !== length) {
    throw new RangeError(`${name} must be ${length} bytes, got ${b.length}`);
  }
  return b;
}

/** Throws unless `value` is an integer in [min, max]. */
export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
