/**
 * Write a file so that readers never see it half written: write `<path>.part`
 * (synced to disk), then rename over `path`. A crash leaves either the old
 * file or the new one, plus at worst a stray `.part`.
 */
export async function atomicWriteFile(path: string, data: Uint8Array | string): Promise<void> {
  const part = `${path}.part`;
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const file = await Deno.open(part, { write: true, create: true, truncate: true });
  try {
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
    await file.sync();
  } finally {
    file.close();
  }
  await Deno.rename(part, path);
}

/** Create the parent folder of `path` if needed. */
export async function ensureParentDir(path: string): Promise<void> {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (i > 0) await Deno.mkdir(path.slice(0, i), { recursive: true });
}
