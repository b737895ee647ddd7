/**
 * A tiny protobuf codec for the one message of Feishu's long connection,
 * `pbbp2.Frame` (the official Node SDK's ws-client (`@larksuiteoapi/node-sdk`)):
 *
 * | # | field | type |
 * |---|---|---|
 * | 1 | SeqID | uint64 |
 * | 2 | LogID | uint64 |
 * | 3 | service | int32 |
 * | 4 | method | int32 (0 control, 1 data) |
 * | 5 | headers | repeated `{1 key string, 2 value string}` |
 * | 6 | payloadEncoding | string |
 * | 7 | payloadType | string |
 * | 8 | payload | bytes |
 * | 9 | LogIDNew | string |
 *
 * Fields 1–4 are always written (the official SDK's decoder requires them).
 * Unknown fields are skipped when decoding.
 *
 * @module
 */

/** `method` of a control frame (ping/pong). */
export const FRAME_CONTROL = 0;
/** `method` of a data frame (events, acks). */
export const FRAME_DATA = 1;

/** One header of a frame. */
export interface FrameHeader {
  /** Key, e.g. `type`. */
  key: string;
  /** Value, e.g. `event`. */
  value: string;
}

/** A decoded `pbbp2.Frame`. */
export interface Frame {
  /** Sequence id. */
  SeqID: bigint;
  /** Log id. */
  LogID: bigint;
  /** Service id (from the connect URL's `service_id`). */
  service: number;
  /** {@linkcode FRAME_CONTROL} or {@linkcode FRAME_DATA}. */
  method: number;
  /** Headers in order. */
  headers: FrameHeader[];
  /** Payload encoding, if any. */
  payloadEncoding?: string;
  /** Payload type, if any. */
  payloadType?: string;
  /** Payload bytes, if any. */
  payload?: Uint8Array;
  /** New-style log id, if any. */
  LogIDNew?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The value of header `key`, if present. */
export function frameHeader(frame: Frame, key: string): string | undefined {
  return frame.headers.find((h) => h.key === key)?.value;
}

/** Encode a frame to protobuf bytes. */
export function encodeFrame(frame: Frame): Uint8Array {
  const out: number[] = [];
  const varint = (value: bigint) => {
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
  };
  const tag = (field: number, wire: number) => varint(BigInt((field << 3) | wire));
  const bytes = (field: number, data: Uint8Array) => {
    tag(field, 2);
    varint(BigInt(data.length));
    for (const b of data) out.push(b);
  };
  tag(1, 0);
  varint(frame.SeqID);
  tag(2, 0);
  varint(frame.LogID);
  tag(3, 0);
  varint(BigInt(frame.service)); // int32: negatives sign-extend to 64 bits, as protobuf requires
  tag(4, 0);
  varint(BigInt(frame.method));
  for (const h of frame.headers) {
    const inner: number[] = [];
    for (const [field, text] of [[1, h.key], [2, h.value]] as const) {
      const data = encoder.encode(text);
      inner.push((field << 3) | 2, ...varintBytes(data.length), ...data);
    }
    bytes(5, Uint8Array.from(inner));
  }
  if (frame.payloadEncoding !== undefined) bytes(6, encoder.encode(frame.payloadEncoding));
  if (frame.payloadType !== undefined) bytes(7, encoder.encode(frame.payloadType));
  if (frame.payload !== undefined) bytes(8, frame.payload);
  if (frame.LogIDNew !== undefined) bytes(9, encoder.encode(frame.LogIDNew));
  return Uint8Array.from(out);
}

function varintBytes(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** Decode protobuf bytes into a frame; throws `SyntaxError` on malformed input. */
export function decodeFrame(data: Uint8Array): Frame {
  const r = new Reader(data);
  const frame: Frame = { SeqID: 0n, LogID: 0n, service: 0, method: 0, headers: [] };
  while (!r.done) {
    const key = Number(r.varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) {
      const v = r.varint();
      if (field === 1) frame.SeqID = v;
      else if (field === 2) frame.LogID = v;
      else if (field === 3) frame.service = Number(BigInt.asIntN(32, v));
      else if (field === 4) frame.method = Number(BigInt.asIntN(32, v));
    } else if (wire === 2) {
      const chunk = r.bytes();
      if (field === 5) frame.headers.push(decodeHeader(chunk));
      else if (field === 6) frame.payloadEncoding = decoder.decode(chunk);
      else if (field === 7) frame.payloadType = decoder.decode(chunk);
      else if (field === 8) frame.payload = chunk.slice();
      else if (field === 9) frame.LogIDNew = decoder.decode(chunk);
    } else if (wire === 1) {
      r.skip(8);
    } else if (wire === 5) {
      r.skip(4);
    } else {
      throw new SyntaxError(`pbbp2: unsupported wire type ${wire}`);
    }
  }
  return frame;
}

function decodeHeader(data: Uint8Array): FrameHeader {
  const r = new Reader(data);
  const header: FrameHeader = { key: "", value: "" };
  while (!r.done) {
    const key = Number(r.varint());
    if ((key & 7) !== 2) {
      if ((key & 7) === 0) r.varint();
      else throw new SyntaxError("pbbp2: malformed header");
      continue;
    }
    const text = decoder.decode(r.bytes());
    if (key >>> 3 === 1) header.key = text;
    else if (key >>> 3 === 2) header.value = text;
  }
  return header;
}

class Reader {
  #data: Uint8Array;
  #pos = 0;

  constructor(data: Uint8Array) {
    this.#data = data;
  }

  get done(): boolean {
    return this.#pos >= this.#data.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.#pos >= this.#data.length) throw new SyntaxError("pbbp2: truncated varint");
      const b = this.#data[this.#pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    throw new SyntaxError("pbbp2: varint too long");
  }

  bytes(): Uint8Array {
    const len = Number(this.varint());
    this.skip(len);
    return this.#data.subarray(this.#pos - len, this.#pos);
  }

  skip(n: number): void {
    if (this.#pos + n > this.#data.length) throw new SyntaxError("pbbp2: truncated field");
    this.#pos += n;
  }
}
