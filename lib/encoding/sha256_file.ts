import { createHash } from "node:crypto";

/**
 * SHA-256 of the file at `path`, lower-case hex, read as a stream (memory
 * stays flat for any size: downloaded attachments can be gigabytes).
 *
 * @example
 * ```ts
 * import { sha256File } from "./sha256_file.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "abc");
 * await sha256File(path); // "ba7816bf…15ad"
 * ```
 */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  const file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) {
    signal?.throwIfAborted();
    hash.update(chunk);
  }
  return hash.digest("hex");
}
