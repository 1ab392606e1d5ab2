// A FIFO of bytes for the record deframer and the handshake reassembler.
// Holds only what the caller appended; never grows ahead of the data.

/** Growable FIFO of bytes: append at the back, take from the front. */
export class ByteQueue {
  #buf = new Uint8Array(0);
  #start = 0;
  #end = 0;

  /** Bytes queued. */
  get length(): number {
    return this.#end - this.#start;
  }

  /** Appends `data` (copied). */
  append(data: Uint8Array): void {
    if (data.length === 0) return;
    if (this.#end + data.length > this.#buf.length) this.#makeRoom(data.length);
    this.#buf.set(data, this.#end);
    this.#end += data.length;
  }

  /** The byte at `offset` from the front; the caller keeps offset < length. */
  at(offset: number): number {
    return this.#buf[this.#start + offset] as number;
  }

  /** Removes `n` bytes (n <= length) from the front into a new array. */
  take(n: number): Uint8Array {
    const out = this.#buf.slice(this.#start, this.#start + n);
    this.#buf.fill(0, this.#start, this.#start + n);
    this.#start += n;
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return out;
  }

  /** Zeroes and drops everything. */
  clear(): void {
    this.#buf.fill(0);
    this.#buf = new Uint8Array(0);
    this.#start = this.#end = 0;
  }

  #makeRoom(extra: number): void {
    const live = this.#end - this.#start;
    const need = live + extra;
    if (need <= this.#buf.length) {
      // Enough space once the consumed prefix is reclaimed.
      this.#buf.copyWithin(0, this.#start, this.#end);
      this.#buf.fill(0, live, this.#end);
    } else {
      const next = new Uint8Array(Math.max(need, 2 * this.#buf.length, 256));
      next.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf.fill(0);
      this.#buf = next;
    }
    this.#start = 0;
    this.#end = live;
  }
}
