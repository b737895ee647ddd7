/**
 * A minimal streaming ZIP writer (internal): entries are deflated with the
 * platform's `CompressionStream("deflate-raw")` and written straight to a
 * file, with sizes and CRC in data descriptors, so memory stays flat however
 * large an entry is. No ZIP64: an archive must stay under 4 GiB.
 *
 * @module
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Continue a CRC-32 over `bytes` (start with 0). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

interface Central {
  name: Uint8Array;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** An entry being written; call {@linkcode ZipEntry.close} before the next one. */
export interface ZipEntry {
  /** Append uncompressed bytes. */
  write(bytes: Uint8Array<ArrayBuffer>): Promise<void>;
  /** Finish the entry. */
  close(): Promise<void>;
}

/** Writes a ZIP archive entry by entry to an open file. */
export class ZipWriter {
  #file: Deno.FsFile;
  #offset = 0;
  #entries: Central[] = [];
  #open = false;

  /** Write to `file` (positioned at its start). */
  constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  async #out(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) off += await this.#file.write(bytes.subarray(off));
    this.#offset += bytes.length;
  }

  /** Start a deflated entry called `name`. */
  async entry(name: string): Promise<ZipEntry> {
    if (this.#open) throw new Error("previous zip entry not closed");
    this.#open = true;
    const nameBytes = new TextEncoder().encode(name);
    const offset = this.#offset;
    const header = new DataView(new ArrayBuffer(30));
    header.setUint32(0, 0x04034b50, true);
    header.setUint16(4, 20, true); // version needed
    header.setUint16(6, 0x0808, true); // data descriptor + UTF-8 names
    header.setUint16(8, 8, true); // deflate
    header.setUint16(10, 0, true); // time
    header.setUint16(12, 0x21, true); // date 1980-01-01
    header.setUint16(26, nameBytes.length, true);
    await this.#out(new Uint8Array(header.buffer));
    await this.#out(nameBytes);

    const cs = new CompressionStream("deflate-raw");
    const writer = cs.writable.getWriter();
    let compressed = 0;
    const pump = (async () => {
      for await (const chunk of cs.readable) {
        compressed += chunk.length;
        await this.#out(chunk);
      }
    })();
    let crc = 0;
    let size = 0;
    return {
      write: async (bytes) => {
        crc = crc32(bytes, crc);
        size += bytes.length;
        await writer.write(bytes);
      },
      close: async () => {
        await writer.close();
        await pump;
        if (this.#offset > 0xffffffff || size > 0xffffffff) throw new Error("zip too large (no ZIP64)");
        const dd = new DataView(new ArrayBuffer(16));
        dd.setUint32(0, 0x08074b50, true);
        dd.setUint32(4, crc, true);
        dd.setUint32(8, compressed, true);
        dd.setUint32(12, size, true);
        await this.#out(new Uint8Array(dd.buffer));
        this.#entries.push({ name: nameBytes, crc, compressed, size, offset });
        this.#open = false;
      },
    };
  }

  /** Write a whole small entry. */
  async add(name: string, content: string | Uint8Array<ArrayBuffer>): Promise<void> {
    const e = await this.entry(name);
    await e.write(typeof content === "string" ? new TextEncoder().encode(content) : content);
    await e.close();
  }

  /** Write the central directory. The file is left open. */
  async finish(): Promise<void> {
    const start = this.#offset;
    for (const e of this.#entries) {
      const h = new DataView(new ArrayBuffer(46));
      h.setUint32(0, 0x02014b50, true);
      h.setUint16(4, 20, true); // made by
      h.setUint16(6, 20, true); // needed
      h.setUint16(8, 0x0808, true);
      h.setUint16(10, 8, true);
      h.setUint16(12, 0, true);
      h.setUint16(14, 0x21, true);
      h.setUint32(16, e.crc, true);
      h.setUint32(20, e.compressed, true);
      h.setUint32(24, e.size, true);
      h.setUint16(28, e.name.length, true);
      h.setUint32(42, e.offset, true);
      await this.#out(new Uint8Array(h.buffer));
      await this.#out(e.name);
    }
    const end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true);
    end.setUint16(8, this.#entries.length, true);
    end.setUint16(10, this.#entries.length, true);
    end.setUint32(12, this.#offset - start, true);
    end.setUint32(16, start, true);
    await this.#out(new Uint8Array(end.buffer));
  }
}
