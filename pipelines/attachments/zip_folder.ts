/**
 * `<job folder>.zip` beside the folder, written as a stream with
 * `@zip.js/zip.js` (file by file from disk to disk: memory stays flat for any
 * size; ZIP64 once the archive may pass 4 GB). Files that do not compress
 * (known formats such as `.zip`/`.png`/`.docx`, or a first 64 KiB that
 * deflate cannot shrink by 10%) are stored, the rest deflated: deflating
 * already-compressed data costs minutes per GB for nothing. Leftover `.part`
 * files are not archived. Written to `<zip>.part` and renamed, so a half ZIP
 * never looks done.
 *
 * @module
 */
import { configure, ZipWriter } from "@zip.js/zip.js";
import { join, relative, sep } from "node:path";
import { containedPath } from "../../lib/fs/mod.ts";

configure({ useWebWorkers: false });

/** Options of {@linkcode zipFolder}. */
export interface ZipFolderOptions {
  /** Deflate level 0..9 (default 6). */
  level?: number;
  /** Cancel. */
  signal?: AbortSignal;
  /** Force ZIP64 (default: when the files reach 3.75 GB or 65 535 entries). */
  zip64?: boolean;
  /**
   * Only these files, relative to the folder and `/`-separated (default:
   * every file below it). Each must stay inside the folder.
   */
  files?: readonly string[];
  /** Told every chunk of the ZIP as it is written, in order (e.g. to hash it without reading it back). */
  onWrite?: (chunk: Uint8Array) => void;
}

/**
 * Zip every file below `dir` (or `o.files`) into `zipPath` (sub-folders
 * kept); returns the number of entries. Entries are in path order and dated
 * by the files' modification times, so zipping the same files again gives
 * the same bytes.
 */
export async function zipFolder(dir: string, zipPath: string, o: ZipFolderOptions = {}): Promise<number> {
  const files: { path: string; size: number; mtime?: Date }[] = [];
  if (o.files) {
    for (const rel of new Set(o.files)) {
      const path = await containedPath(dir, rel.split("/"));
      const st = await Deno.stat(path);
      files.push({ path, size: st.size, mtime: st.mtime ?? undefined });
    }
  } else await walk(dir, files);
  files.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const total = files.reduce((s, f) => s + f.size, 0);
  const part = `${zipPath}.part`;
  const out = await Deno.open(part, { write: true, create: true, truncate: true });
  const tap = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, ctl) {
      o.onWrite?.(chunk);
      ctl.enqueue(chunk);
    },
  });
  // Settles once the last byte is in the file (or the ZIP failed and the file is closed).
  const written = tap.readable.pipeTo(out.writable);
  written.catch(() => {});
  const writer = new ZipWriter(tap.writable, {
    zip64: o.zip64 ?? (total >= 0xF000_0000 || files.length >= 0xFFFF),
    level: o.level ?? 6,
    signal: o.signal,
  });
  try {
    for (const f of files) {
      const name = relative(dir, f.path).split(sep).join("/");
      const level = await compressible(f.path, f.size) ? o.level ?? 6 : 0;
      const src = await Deno.open(f.path, { read: true });
      await writer.add(name, src.readable, { signal: o.signal, level, lastModDate: f.mtime });
    }
    await writer.close();
    await written;
  } catch (e) {
    await written.catch(() => {});
    await Deno.remove(part).catch(() => {});
    throw e;
  }
  await Deno.rename(part, zipPath);
  return files.length;
}

async function walk(dir: string, out: { path: string; size: number; mtime?: Date }[]): Promise<void> {
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) await walk(p, out);
    else if (e.isFile && !/\.part(\.json)?$/.test(e.name)) {
      const st = await Deno.stat(p);
      out.push({ path: p, size: st.size, mtime: st.mtime ?? undefined });
    }
  }
}

/** Formats that are compressed already (stored as they are). */
const STORED = new Set([
  "zip",
  "7z",
  "rar",
  "gz",
  "tgz",
  "bz2",
  "xz",
  "zst",
  "jpg",
  "jpeg",
  "png",
  "gif",
  "webp",
  "heic",
  "avif",
  "mp4",
  "mov",
  "mkv",
  "avi",
  "webm",
  "mp3",
  "m4a",
  "aac",
  "ogg",
  "flac",
  "docx",
  "xlsx",
  "pptx",
  "odt",
  "ods",
  "odp",
  "epub",
  "apk",
  "jar",
]);

/** Whether deflating `path` is worth it: not a known compressed format, and its head shrinks by ≥ 10%. */
export async function compressible(path: string, size: number): Promise<boolean> {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext && STORED.has(ext)) return false;
  if (size < 512) return true;
  const f = await Deno.open(path, { read: true });
  let head: Uint8Array;
  try {
    const buf = new Uint8Array(Math.min(size, 64 * 1024));
    let n = 0;
    while (n < buf.length) {
      const r = await f.read(buf.subarray(n));
      if (r === null) break;
      n += r;
    }
    head = buf.subarray(0, n);
  } finally {
    f.close();
  }
  const packed = await new Response(
    new Blob([head as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("deflate-raw")),
  ).arrayBuffer();
  return packed.byteLength < head.length * 0.9;
}
