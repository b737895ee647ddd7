/**
 * The receive stage of one job (internal): each file the plugin announces
 * gets its target (a free name, or the one an interrupted earlier run of the
 * same job gave it) and is recorded in the store and in `files.ndjson`; a
 * file that earlier run already saved is taken as it is (`reused`) instead of
 * being downloaded again.
 *
 * @module
 */
import { sha256File } from "../../lib/encoding/sha256_file.ts";
import * as acks from "./acks.ts";
import type { Ack } from "./acks.ts";
import { failureReason } from "./fetch_attachment.ts";
import type { JobLog } from "./job_log.ts";
import type { FileRow, JobStore } from "./job_store.ts";
import type { LinkItem } from "./protocol.ts";
import { freeTarget, identity, osPath, targetPath } from "./_job_files.ts";
import type { JobFile, JobFileTable } from "./_job_file_table.ts";

/** What {@linkcode JobReceiver} needs from its job. */
export interface JobReceiverOptions {
  key: string;
  /** The download folder. */
  dir: string;
  store: JobStore;
  log: JobLog;
  table: JobFileTable;
  /** Send an ack to the plugin. */
  emit: (ack: Ack) => void;
}

/** Targets and records of a job's files. */
export class JobReceiver {
  #o: JobReceiverOptions;
  #usedRels = new Set<string>();
  #inherited = new Map<string, { rel: string; done: boolean }>();

  /** A receiver for one job. */
  constructor(o: JobReceiverOptions) {
    this.#o = o;
  }

  /** The files of an interrupted earlier run of the same job (URL mode): their targets are kept. */
  inherit(rows: readonly FileRow[]): void {
    for (const f of rows) this.#inherited.set(identity(f.item), { rel: f.rel, done: f.status === "done" });
  }

  /** A file already recorded (a resumed job): its target is taken. */
  known(file: JobFile): void {
    this.#o.table.files.set(file.seq, file);
    this.#usedRels.add(file.rel.toLowerCase());
  }

  /**
   * Take one item: fix its target, record it, and return the file to
   * download; undefined when its target is refused (an error ack) or an
   * earlier run's file is taken as it is (a success ack).
   */
  async receive(item: LinkItem): Promise<JobFile | undefined> {
    const { dir, emit } = this.#o;
    const inherited = this.#inherited.get(identity(item));
    let rel: string;
    let dest: string;
    try {
      if (inherited) {
        this.#inherited.delete(identity(item));
        rel = inherited.rel;
      } else {
        rel = await freeTarget(dir, item, this.#usedRels);
      }
      dest = await targetPath(dir, rel);
    } catch (e) {
      if (item.order !== undefined) emit(acks.itemErrorAck(item.order, failureReason(e)));
      return undefined;
    }
    this.#usedRels.add(rel.toLowerCase());
    const seq = this.#o.store.addFile(this.#o.key, item, rel);
    this.#o.log.file(seq, item, rel);
    const file: JobFile = { seq, item, rel, status: "pending", bytes: 0 };
    this.#o.table.files.set(seq, file);
    // A file of the earlier run that is on disk: done, or renamed just before that run stopped (size matches).
    const onDisk = inherited ? await Deno.stat(dest).catch(() => undefined) : undefined;
    if (onDisk?.isFile && (inherited!.done || onDisk.size === item.size)) {
      file.bytes = onDisk.size;
      this.#o.table.setStatus(file, "done", { outcome: "reused", sha256: await sha256File(dest) });
      if (item.order !== undefined) {
        emit(acks.fileSuccessAck(item.order, dest, osPath(rel), item.name, file.bytes));
      }
      return undefined;
    }
    return file;
  }
}
