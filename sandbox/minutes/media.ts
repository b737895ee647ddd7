/**
 * The recordings' mp4 bytes, generated on the fly (never buffered whole):
 * a 40-byte header (`ftyp` box + an `mdat` box with a 64-bit size covering
 * the rest), then a 64 KiB seeded pattern repeated from an offset that
 * depends on the minute token. Any byte can be computed from its position,
 * so `Range` answers and resumed downloads are consistent, and tests can
 * check content with {@linkcode mediaBytes}.
 *
 * @module
 */
import { Prng } from "../_prng.ts";
import { SandboxDropError } from "../_respond.ts";

const PATTERN_SIZE = 64 * 1024;
/** Size of the chunks a media stream produces. */
export const MEDIA_CHUNK_SIZE = 256 * 1024;

/** Pause before breaking a cut download, so the bytes before the cut are flushed. */
const CUT_FLUSH_MS = 30;

let wide: Uint8Array | undefined;

/** The pattern repeated to `PATTERN_SIZE + MEDIA_CHUNK_SIZE` bytes, so any chunk is one `subarray`. */
function widePattern(): Uint8Array {
  if (wide) return wide;
  const prng = new Prng(0x6d703421);
  const pattern = new Uint8Array(PATTERN_SIZE);
  for (let i = 0; i < PATTERN_SIZE; i += 4) {
    const v = Math.floor(prng.next() * 4294967296);
    pattern[i] = v & 0xff;
    pattern[i + 1] = (v >>> 8) & 0xff;
    pattern[i + 2] = (v >>> 16) & 0xff;
    pattern[i + 3] = v >>> 24;
  }
  wide = new Uint8Array(PATTERN_SIZE + MEDIA_CHUNK_SIZE);
  for (let i = 0; i < wide.length; i += PATTERN_SIZE) {
    wide.set(pattern.subarray(0, Math.min(PATTERN_SIZE, wide.length - i)), i);
  }
  return wide;
}

/** Pattern offset of a token (FNV-1a of its text). */
function offsetOf(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193) >>> 0;
  return h % PATTERN_SIZE;
}

/** The 40-byte mp4 header of a file of `size` bytes. */
function header(size: number): Uint8Array {
  const h = new Uint8Array(40);
  const view = new DataView(h.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) h[at + i] = text.charCodeAt(i);
  };
  view.setUint32(0, 24);
  ascii(4, "ftypisom");
  view.setUint32(12, 0x200);
  ascii(16, "isommp41");
  view.setUint32(24, 1); // size 1 → 64-bit largesize follows the type
  ascii(28, "mdat");
  view.setBigUint64(32, BigInt(size - 24));
  return h;
}

/** Bytes `[start, end)` of the recording `token` of `size` bytes (for tests; small ranges only). */
export function mediaBytes(token: string, size: number, start: number, end: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, Math.min(end, size) - start));
  fill(out, token, size, start);
  return out;
}

function fill(out: Uint8Array, token: string, size: number, start: number): void {
  const pattern = widePattern();
  const base = offsetOf(token);
  let pos = 0;
  while (pos < out.length) {
    const at = start + pos;
    const from = (at + base) % PATTERN_SIZE;
    const n = Math.min(out.length - pos, MEDIA_CHUNK_SIZE);
    out.set(pattern.subarray(from, from + n), pos);
    pos += n;
  }
  if (start < 40) {
    const h = header(size).subarray(start, Math.min(40, start + out.length));
    out.set(h, 0);
  }
}

/** Options of {@linkcode mediaStream}. */
export interface MediaStreamOptions {
  /** Minute token (selects the pattern offset). */
  token: string;
  /** Total file size. */
  size: number;
  /** First byte to send. */
  start: number;
  /** One past the last byte to send. */
  end: number;
  /** Break the connection after this many bytes of this answer (a fault knob). */
  cutAfterBytes?: number;
}

/**
 * A stream of bytes `[start, end)`: chunks are views into one shared,
 * immutable pattern buffer (no per-chunk allocation), except the few
 * chunks that overlap the header.
 */
export function mediaStream(o: MediaStreamOptions): ReadableStream<Uint8Array> {
  const pattern = widePattern();
  const base = offsetOf(o.token);
  const limit = o.cutAfterBytes === undefined ? o.end : Math.min(o.end, o.start + o.cutAfterBytes);
  let pos = o.start;
  const cutting = limit < o.end;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pos >= limit) {
        if (!cutting) return controller.close();
        // Let the bytes already handed over reach the socket before the connection breaks.
        await new Promise((r) => setTimeout(r, CUT_FLUSH_MS));
        controller.error(new SandboxDropError());
        return;
      }
      const n = Math.min(limit - pos, MEDIA_CHUNK_SIZE);
      let chunk: Uint8Array;
      if (pos < 40) {
        chunk = new Uint8Array(n);
        fill(chunk, o.token, o.size, pos);
      } else {
        const from = (pos + base) % PATTERN_SIZE;
        chunk = pattern.subarray(from, from + n);
      }
      pos += n;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: cutting ? 0 : 2 });
}

export { type ParsedRange, parseRange } from "../_range.ts";
