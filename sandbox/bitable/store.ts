/**
 * The Base family's state (kept in `state.families` under `"bitable"`):
 * tables with their field names and records, attachments, and the knobs
 * tests use (seed a table, inject write conflicts, hold writes so concurrent
 * ones collide).
 *
 * @example
 * ```ts
 * import { createSandbox } from "../mod.ts";
 * import { bitableFamily } from "./store.ts";
 *
 * const sandbox = createSandbox();
 * const base = bitableFamily(sandbox.state);
 * base.createTable("appDemo", "tblDemo", ["名称", "数量"]);
 * base.injectConflicts(2); // the next two writes answer 1254291
 * ```
 *
 * @module
 */
import type { SandboxState } from "../state.ts";

/** Key of the family in `state.families`. */
export const BITABLE_FAMILY_KEY = "bitable";
/** Records per table (1254103 beyond; free-plan figure of the docs). */
export const MAX_RECORDS_PER_TABLE = 20_000;

/** One stored record. */
export interface StoredRecord {
  /** `rec…`. */
  id: string;
  /** Field values by name. */
  fields: Record<string, unknown>;
}

/** One table. */
export interface SandboxTable {
  /** Field names. */
  fields: Set<string>;
  /** Records in creation order. */
  records: Map<string, StoredRecord>;
  /** A write is being applied (a concurrent one answers 1254291). */
  writing: boolean;
}

/** One attachment. */
export interface SandboxAttachment {
  /** Bytes. */
  bytes: Uint8Array<ArrayBuffer>;
  /** File name. */
  name: string;
  /** MIME type. */
  type: string;
  /** Table the attachment is in. */
  tableId: string;
  /** Base has advanced permissions: `extra` with the right `bitablePerm.tableId` is required. */
  advanced: boolean;
}

/** State and knobs of the Base family. */
export class BitableFamily {
  /** Tables by `app_token/table_id`. */
  readonly tables = new Map<string, SandboxTable>();
  /** Attachments by file token. */
  readonly attachments = new Map<string, SandboxAttachment>();
  /** Answers of `client_token`s already used (idempotent creates). */
  readonly clientTokens = new Map<string, Record<string, unknown>>();
  /** Milliseconds each write holds its table (0: writes apply at once). */
  writeHoldMs = 0;
  /** 1254291 answers given so far (injected or from real collisions). */
  conflictsAnswered = 0;
  #injected = 0;
  #seq = 0;

  /** Create (or replace) an empty table. */
  createTable(appToken: string, tableId: string, fieldNames: readonly string[]): SandboxTable {
    const table: SandboxTable = { fields: new Set(fieldNames), records: new Map(), writing: false };
    this.tables.set(`${appToken}/${tableId}`, table);
    return table;
  }

  /** The table, if any. */
  table(appToken: string, tableId: string): SandboxTable | undefined {
    return this.tables.get(`${appToken}/${tableId}`);
  }

  /** Whether a Base with this token exists. */
  hasApp(appToken: string): boolean {
    for (const key of this.tables.keys()) if (key.startsWith(`${appToken}/`)) return true;
    return false;
  }

  /** A new record id. */
  newRecordId(): string {
    this.#seq++;
    return `rec${this.#seq.toString(36).padStart(8, "0")}`;
  }

  /** The next `n` writes answer 1254291 (another writer on the table). */
  injectConflicts(n: number): void {
    this.#injected += n;
  }

  /** Take one injected conflict, if any. */
  takeConflict(): boolean {
    if (this.#injected <= 0) return false;
    this.#injected--;
    return true;
  }

  /** Store an attachment. */
  addAttachment(fileToken: string, attachment: SandboxAttachment): void {
    this.attachments.set(fileToken, attachment);
  }

  /** Back to empty. */
  reset(): void {
    this.tables.clear();
    this.attachments.clear();
    this.clientTokens.clear();
    this.writeHoldMs = 0;
    this.conflictsAnswered = 0;
    this.#injected = 0;
    this.#seq = 0;
  }
}

/** The Base family of `state`, created on first use. */
export function bitableFamily(state: SandboxState): BitableFamily {
  let family = state.families.get(BITABLE_FAMILY_KEY) as BitableFamily | undefined;
  if (!family) {
    const created = new BitableFamily();
    family = created;
    state.families.set(BITABLE_FAMILY_KEY, created);
    state.onReset(() => created.reset());
  }
  return family;
}
