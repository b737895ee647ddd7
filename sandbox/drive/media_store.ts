/**
 * Media files of the drive family, kept on disk (a temporary folder made on
 * first use and removed when the sandbox resets or closes), never whole in
 * memory: parts are written as they arrive and joined by streaming.
 *
 * @module
 */
import { newToken } from "../docx/store.ts";

/** One uploaded file. */
export interface StoredMedia {
  token: string;
  name: string;
  size: number;
  path: string;
  parentType: string;
  parentNode: string;
  deleted: boolean;
}

/** A multipart upload in progress. */
export interface PendingUpload {
  id: string;
  name: string;
  size: number;
  parentType: string;
  parentNode: string;
  blockSize: number;
  blockNum: number;
  /** seq → part path. */
  parts: Map<number, string>;
}

/** Media on disk. */
export class MediaStore {
  #dir?: string;
  readonly #files = new Map<string, StoredMedia>();
  readonly #uploads = new Map<string, PendingUpload>();

  /** The folder (created on first use). */
  dir(): string {
    this.#dir ??= Deno.makeTempDirSync({ prefix: "feishu-sandbox-media-" });
    return this.#dir;
  }

  /** Store whole bytes. */
  async putBytes(
    meta: Omit<StoredMedia, "token" | "path" | "deleted">,
    bytes: Uint8Array,
  ): Promise<StoredMedia> {
    const token = newToken("boxcn");
    const path = `${this.dir()}/${token}`;
    await Deno.writeFile(path, bytes);
    const m: StoredMedia = { ...meta, token, path, deleted: false };
    this.#files.set(token, m);
    return m;
  }

  /** Open a multipart upload. */
  prepare(meta: Omit<PendingUpload, "id" | "parts">): PendingUpload {
    const up: PendingUpload = { ...meta, id: newToken("up", 16), parts: new Map() };
    this.#uploads.set(up.id, up);
    return up;
  }

  /** A pending upload. */
  upload(id: string): PendingUpload | undefined {
    return this.#uploads.get(id);
  }

  /** Write one part to disk. */
  async putPart(up: PendingUpload, seq: number, bytes: Uint8Array): Promise<void> {
    const path = `${this.dir()}/${up.id}.${seq}`;
    await Deno.writeFile(path, bytes);
    up.parts.set(seq, path);
  }

  /** Join the parts (streamed, part by part) into the final file. */
  async finish(up: PendingUpload): Promise<StoredMedia> {
    const token = newToken("boxcn");
    const path = `${this.dir()}/${token}`;
    const out = await Deno.open(path, { write: true, create: true, truncate: true });
    try {
      for (let seq = 0; seq < up.blockNum; seq++) {
        const part = await Deno.open(up.parts.get(seq)!, { read: true });
        await part.readable.pipeTo(out.writable, { preventClose: true });
        await Deno.remove(up.parts.get(seq)!);
      }
    } finally {
      out.close();
    }
    this.#uploads.delete(up.id);
    const m: StoredMedia = {
      token,
      name: up.name,
      size: up.size,
      path,
      parentType: up.parentType,
      parentNode: up.parentNode,
      deleted: false,
    };
    this.#files.set(token, m);
    return m;
  }

  /** A stored file. */
  get(token: string): StoredMedia | undefined {
    return this.#files.get(token);
  }

  /** Mark a file deleted (tests). */
  delete(token: string): void {
    const m = this.#files.get(token);
    if (m) m.deleted = true;
  }

  /** Remove every file and the folder. */
  clear(): void {
    this.#files.clear();
    this.#uploads.clear();
    if (this.#dir) {
      try {
        Deno.removeSync(this.#dir, { recursive: true });
      } catch { /* already gone */ }
      this.#dir = undefined;
    }
  }
}
