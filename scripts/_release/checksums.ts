/**
 * SHA-256 checksums of release files (internal).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";

/** SHA-256 of a file, lower-case hex, read in chunks. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  const file = await Deno.open(path); // the readable closes it at the end
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}

/**
 * Write `SHA256SUMS.txt` in the format `sha256sum -c` and PowerShell users can
 * compare (`<hex>  <file name>`), one line per file, and return its path.
 */
export async function writeChecksums(dir: string, files: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const f of files) lines.push(`${await sha256File(f)}  ${basename(f)}`);
  const out = `${dir}/SHA256SUMS.txt`;
  await Deno.writeTextFile(out, lines.join("\n") + "\n");
  return out;
}
