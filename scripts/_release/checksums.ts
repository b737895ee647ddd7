/**
 * SHA-256 checksums of release files (internal).
 *
 * @module
 */
import { basename } from "node:path";
import { sha256File } from "../../lib/encoding/sha256_file.ts";

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
