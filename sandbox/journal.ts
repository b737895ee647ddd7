/**
 * The sandbox's request journal: one entry per request that reached an
 * endpoint (control endpoints under `/__sandbox/` are not recorded), so tests
 * can assert things like "exactly one token fetch".
 *
 * @module
 */
import type { FaultKind } from "./faults.ts";

/** One journaled request. */
export interface JournalEntry {
  /** Sequence number, from 1. */
  seq: number;
  /** Arrival time, ms since the epoch (sandbox clock). */
  ts: number;
  /** Endpoint name, or `"unknown"` for paths the sandbox does not serve. */
  endpoint: string;
  /** HTTP method. */
  method: string;
  /** Path without the query. */
  path: string;
  /** Query string without the `?` (`""` when none). */
  query: string;
  /** HTTP status answered; 0 while pending, or when the request hung or was dropped. */
  status: number;
  /** Feishu/CLM `code` of the JSON body, when there was one. */
  code?: number;
  /** App the request was made for (from the token or the token request), if known. */
  appId?: string;
  /** `true` when answered 429 (real limit or injected). */
  throttled: boolean;
  /** Injected fault that shaped the answer, if any. */
  fault?: FaultKind;
}

/** Append-only (bounded) list of {@linkcode JournalEntry}. */
export class Journal {
  readonly #limit: number;
  #entries: JournalEntry[] = [];
  #seq = 0;

  /** Keep at most `limit` entries (oldest dropped first). */
  constructor(limit = 10_000) {
    this.#limit = Math.max(1, limit);
  }

  /** Start an entry; the caller fills in status/code when the answer is known. */
  open(init: Pick<JournalEntry, "ts" | "endpoint" | "method" | "path" | "query">): JournalEntry {
    const entry: JournalEntry = { seq: ++this.#seq, status: 0, throttled: false, ...init };
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
    return entry;
  }

  /** All entries kept, oldest first. */
  get entries(): readonly JournalEntry[] {
    return this.#entries;
  }

  /** Entries for `endpoint` (all when omitted). */
  filter(endpoint?: string): JournalEntry[] {
    return endpoint === undefined ? [...this.#entries] : this.#entries.filter((e) => e.endpoint === endpoint);
  }

  /** Number of requests to `endpoint` (all endpoints when omitted). */
  count(endpoint?: string): number {
    return this.filter(endpoint).length;
  }

  /** Number of throttled (429) answers for `endpoint` (all when omitted). */
  countThrottled(endpoint?: string): number {
    return this.filter(endpoint).filter((e) => e.throttled).length;
  }

  /** Request counts per endpoint name. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.#entries) out[e.endpoint] = (out[e.endpoint] ?? 0) + 1;
    return out;
  }

  /** Most recent entry for `endpoint` (any endpoint when omitted). */
  last(endpoint?: string): JournalEntry | undefined {
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const e = this.#entries[i];
      if (endpoint === undefined || e.endpoint === endpoint) return e;
    }
    return undefined;
  }

  /** Forget every entry. */
  clear(): void {
    this.#entries = [];
  }
}
