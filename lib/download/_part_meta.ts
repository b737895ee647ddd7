/**
 * What we knew about the remote file when the `.part` was started, kept in
 * `<dest>.part.json` so a resume after a restart can tell whether the bytes on
 * disk belong to the same file.
 */
export interface PartMeta {
  /** Full size of the remote file. */
  total?: number;
  /** Strong `ETag`, sent back as `If-Range`. */
  etag?: string;
}

/** Read the sidecar; `{}` when missing or unreadable. */
export async function readPartMeta(path: string): Promise<PartMeta> {
  try {
    const v = JSON.parse(await Deno.readTextFile(path));
    return {
      total: Number.isSafeInteger(v?.total) ? v.total : undefined,
      etag: typeof v?.etag === "string" ? v.etag : undefined,
    };
  } catch {
    return {};
  }
}

/** Write the sidecar (write then rename, so it is never half written). */
export async function writePartMeta(path: string, meta: PartMeta): Promise<void> {
  await Deno.writeTextFile(`${path}.tmp`, JSON.stringify(meta));
  await Deno.rename(`${path}.tmp`, path);
}

/** Remove the sidecar if present. */
export async function removePartMeta(path: string): Promise<void> {
  await Deno.remove(path).catch(() => {});
}

/** Size of a file, 0 when it does not exist. */
export async function fileSize(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0;
    throw e;
  }
}
