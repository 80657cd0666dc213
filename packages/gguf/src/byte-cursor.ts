/**
 * Sequential little-endian reads over a ByteInput, fetched in growing chunks (64 KiB doubling
 * to 16 MiB), so a header of a few megabytes (a 150k-token vocabulary) takes a handful of
 * reads and a small header one. Each primitive first makes sure its bytes are buffered.
 */
import { ModelFormatError } from '@cinder/model-format';
import type { ByteInput } from './byte-input.ts';

const FIRST_CHUNK = 64 * 1024;
const MAX_CHUNK = 16 * 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export class ByteCursor {
  private buffer: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.buffer.buffer);
  /** File offset of buffer[0]. */
  private bufferStart = 0;
  private chunk = FIRST_CHUNK;
  /** File offset of the next byte to read. */
  position = 0;

  constructor(
    private readonly input: ByteInput,
    private readonly signal?: AbortSignal,
  ) {}

  /** Makes `n` bytes from the position available (call before the sync reads below). */
  async need(n: number): Promise<void> {
    if (this.position + n <= this.bufferStart + this.buffer.length) return;
    const start = this.position;
    const end = start + Math.max(n, this.chunk);
    this.chunk = Math.min(this.chunk * 2, MAX_CHUNK);
    let bytes = await this.input.read(start, end, this.signal);
    if (bytes.length < n) {
      throw new ModelFormatError(
        `${this.input.name} ends at byte ${start + bytes.length} inside the GGUF header`,
      );
    }
    if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
    this.buffer = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.bufferStart = start;
  }

  private take(n: number): number {
    const at = this.position - this.bufferStart;
    if (at < 0 || at + n > this.buffer.length) throw new Error('ByteCursor: read past the buffered bytes');
    this.position += n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  i8(): number {
    return this.view.getInt8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }
  i16(): number {
    return this.view.getInt16(this.take(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.take(4), true);
  }
  f32(): number {
    return this.view.getFloat32(this.take(4), true);
  }
  f64(): number {
    return this.view.getFloat64(this.take(8), true);
  }
  /** A u64 as a number when it is a safe integer, else a bigint. */
  u64(): number | bigint {
    const value = this.view.getBigUint64(this.take(8), true);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }
  i64(): number | bigint {
    const value = this.view.getBigInt64(this.take(8), true);
    const safe = value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER);
    return safe ? Number(value) : value;
  }
  /** A u64 that must be a count or offset (a safe integer). */
  size(what: string): number {
    const value = this.u64();
    if (typeof value !== 'number')
      throw new ModelFormatError(`${this.input.name}: ${what} ${value} is too large`);
    return value;
  }

  /** Whether `n` bytes from the position are buffered. */
  has(n: number): boolean {
    return this.position + n <= this.bufferStart + this.buffer.length;
  }

  /** A GGUF string when all its bytes are buffered, else null (nothing consumed). */
  bufferedString(): string | null {
    if (!this.has(8)) return null;
    const at = this.position - this.bufferStart;
    const length = Number(this.view.getBigUint64(at, true));
    if (!this.has(8 + length)) return null;
    this.position += 8 + length;
    return utf8.decode(this.buffer.subarray(at + 8, at + 8 + length));
  }

  /** A GGUF string (u64 length + UTF-8), reading more bytes when needed. */
  async string(what: string): Promise<string> {
    await this.need(8);
    const length = this.size(`length of ${what}`);
    await this.need(length);
    const at = this.take(length);
    return utf8.decode(this.buffer.subarray(at, at + length));
  }
}
