/**
 * A ranged answer streamed from a file on disk (200 / 206 / 416), so big
 * media never sit whole in memory.
 *
 * @module
 */
import { parseRange } from "../_range.ts";

/** Answer the file at `path` (`size` bytes) honouring `rangeHeader`. */
export async function fileRangeResponse(
  path: string,
  size: number,
  rangeHeader: string | undefined,
  headers: Record<string, string>,
): Promise<Response> {
  const range = parseRange(rangeHeader, size);
  const base = { ...headers, "accept-ranges": "bytes" };
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...base, "content-range": `bytes */${size}` } });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size;
  const file = await Deno.open(path, { read: true });
  await file.seek(start, Deno.SeekMode.Start);
  let left = end - start;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (left <= 0) {
        file.close();
        controller.close();
        return;
      }
      const buf = new Uint8Array(Math.min(64 * 1024, left));
      const n = await file.read(buf);
      if (n === null) {
        file.close();
        controller.close();
        return;
      }
      left -= n;
      controller.enqueue(buf.subarray(0, n));
    },
    cancel() {
      file.close();
    },
  });
  const h: Record<string, string> = { ...base, "content-length": String(end - start) };
  if (range) h["content-range"] = `bytes ${start}-${end - 1}/${size}`;
  return new Response(body, { status: range ? 206 : 200, headers: h });
}
