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

const enc = new TextEncoder();
const dec = new TextDecoder();

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

/** Decode protobuf bytes into a frame; throws `RangeError` on malformed input. */
export function decodeFrame(bytes: Uint8Array): Pbbp2Frame {
  const frame: Pbbp2Frame = { SeqID: 0n, LogID: 0n, service: 0, method: 0, headers: [] };
  const r = { pos: 0 };
  while (r.pos < bytes.length) {
    const tag = Number(readVarint(bytes, r));
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) {
      const v = readVarint(bytes, r);
      if (field === 1) frame.SeqID = v;
      else if (field === 2) frame.LogID = v;
      else if (field === 3) frame.service = Number(BigInt.asIntN(32, v));
      else if (field === 4) frame.method = Number(BigInt.asIntN(32, v));
    } else if (wire === 2) {
      const len = Number(readVarint(bytes, r));
      if (r.pos + len > bytes.length) throw new RangeError("frame field runs past the end");
      const v = bytes.subarray(r.pos, r.pos + len);
      r.pos += len;
      if (field === 5) frame.headers.push(decodeHeader(v));
      else if (field === 6) frame.payloadEncoding = dec.decode(v);
      else if (field === 7) frame.payloadType = dec.decode(v);
      else if (field === 8) frame.payload = v.slice();
      else if (field === 9) frame.LogIDNew = dec.decode(v);
    } else if (wire === 5) {
      r.pos += 4;
    } else if (wire === 1) {
      r.pos += 8;
    } else {
      throw new RangeError(`unsupported wire type ${wire}`);
    }
  }
  return frame;
}

/** The value of header `key`, if present. */
export function frameHeader(frame: Pbbp2Frame, key: string): string | undefined {
  return frame.headers.find((h) => h.key === key)?.value;
}

function decodeHeader(bytes: Uint8Array): FrameHeader {
  const h: FrameHeader = { key: "", value: "" };
  const r = { pos: 0 };
  while (r.pos < bytes.length) {
    const tag = Number(readVarint(bytes, r));
    if ((tag & 7) !== 2) throw new RangeError("bad header field");
    const len = Number(readVarint(bytes, r));
    const v = dec.decode(bytes.subarray(r.pos, r.pos + len));
    r.pos += len;
    if (tag >>> 3 === 1) h.key = v;
    else if (tag >>> 3 === 2) h.value = v;
  }
  return h;
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

function readVarint(bytes: Uint8Array, r: { pos: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (r.pos >= bytes.length) throw new RangeError("truncated varint");
    const b = bytes[r.pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
    if (shift > 63n) throw new RangeError("varint too long");
  }
}
