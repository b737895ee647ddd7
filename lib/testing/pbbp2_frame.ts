/**
 * The one protobuf codec of Feishu's long-connection message, `pbbp2.Frame`
 * (the official SDK's `pbbp2.proto`), used by the client side and by the
 * sandbox's long-connection endpoint:
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
 * Fields 1–4 are always written (the SDK's decoder requires them); unknown
 * fields are skipped when decoding; malformed input throws `SyntaxError`.
 *
 * @module
 */

/** `method` of a control frame (ping/pong). */
export const FRAME_CONTROL = 0;
/** `method` of a data frame (events, cards, acks). */
export const FRAME_DATA = 1;

/** One header of a long-connection frame. */
export interface FrameHeader {
  /** Header name, e.g. `type`, `message_id`, `sum`, `seq`, `trace_id`, `biz_rt`. */
  key: string;
  /** Header value. */
  value: string;
}

/**
 * Feishu's long-connection frame (`pbbp2.Frame`, protobuf 2): 1 `SeqID`
 * uint64, 2 `LogID` uint64, 3 `service` int32, 4 `method` int32 (0 control,
 * 1 data), 5 `headers`, 6 `payloadEncoding`, 7 `payloadType`, 8 `payload`,
 * 9 `LogIDNew`. Fields 1–4 are required.
 */
export interface Pbbp2Frame {
  /** Sequence id. */
  SeqID: bigint;
  /** Log id. */
  LogID: bigint;
  /** Service id (from the connect URL's `service_id`). */
  service: number;
  /** 0 control (ping/pong), 1 data (event/card). */
  method: number;
  /** Headers. */
  headers: FrameHeader[];
  /** Payload encoding. */
  payloadEncoding?: string;
  /** Payload type. */
  payloadType?: string;
  /** Payload bytes (UTF-8 JSON for events, pongs and acks). */
  payload?: Uint8Array;
  /** Log id (string form). */
  LogIDNew?: string;
}

/** Another name of {@linkcode Pbbp2Frame}. */
export type Frame = Pbbp2Frame;

const enc = new TextEncoder();
const decoder = new TextDecoder();

/** The value of header `key`, if present. */
export function frameHeader(frame: Pbbp2Frame, key: string): string | undefined {
  return frame.headers.find((h) => h.key === key)?.value;
}

/**
 * Encode a frame to protobuf bytes (what the official SDK's `pbbp2.Frame.encode`
 * produces). Used by the sandbox's long-connection endpoint and the tests.
 *
 * @example
 * ```ts
 * const bytes = encodeFrame({ SeqID: 0n, LogID: 0n, service: 1, method: 1, headers: [{ key: "type", value: "event" }] });
 * ```
 */
export function encodeFrame(frame: Pbbp2Frame): Uint8Array {
  const out: number[] = [];
  varintField(out, 1, BigInt.asUintN(64, BigInt(frame.SeqID)));
  varintField(out, 2, BigInt.asUintN(64, BigInt(frame.LogID)));
  varintField(out, 3, BigInt.asUintN(64, BigInt(frame.service)));
  varintField(out, 4, BigInt.asUintN(64, BigInt(frame.method)));
  for (const h of frame.headers) {
    const inner: number[] = [];
    bytesField(inner, 1, enc.encode(h.key));
    bytesField(inner, 2, enc.encode(h.value));
    bytesField(out, 5, Uint8Array.from(inner));
  }
  if (frame.payloadEncoding !== undefined) bytesField(out, 6, enc.encode(frame.payloadEncoding));
  if (frame.payloadType !== undefined) bytesField(out, 7, enc.encode(frame.payloadType));
  if (frame.payload !== undefined) bytesField(out, 8, frame.payload);
  if (frame.LogIDNew !== undefined) bytesField(out, 9, enc.encode(frame.LogIDNew));
  return Uint8Array.from(out);
}

/** Decode protobuf bytes into a frame; throws `SyntaxError` on malformed input. */
export function decodeFrame(data: Uint8Array): Pbbp2Frame {
  const r = new Reader(data);
  const frame: Pbbp2Frame = { SeqID: 0n, LogID: 0n, service: 0, method: 0, headers: [] };
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

function varintField(out: number[], field: number, v: bigint): void {
  writeVarint(out, BigInt(field << 3));
  writeVarint(out, v);
}

function bytesField(out: number[], field: number, v: Uint8Array): void {
  writeVarint(out, BigInt((field << 3) | 2));
  writeVarint(out, BigInt(v.length));
  for (const b of v) out.push(b);
}

function writeVarint(out: number[], v: bigint): void {
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}
