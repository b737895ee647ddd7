import { pooledMap } from "../../lib/async/pool.ts";
import { FatalRunError, resolveContract, type ResolveDeps } from "./resolve.ts";
import type { ChatIdRow } from "./row.ts";

/** How the resolve stage runs one batch of contracts. */
export interface ResolveStageOptions {
  /** Contracts in flight at once. */
  concurrency: number;
  /** Stop starting contracts; a contract interrupted mid-call runs again next time. */
  signal: AbortSignal;
  /** Each finished contract (the caller journals it); `fatal` for the row of a fatal failure. */
  onRow: (row: ChatIdRow, fatal: boolean) => void;
}

/** What the resolve stage ended with. */
export interface ResolveStageResult {
  /** A credential failure that concerns every contract (its row was handed to `onRow`). */
  fatal?: FatalRunError;
  /** Throttling answers seen by the stage's clients. */
  throttled: number;
}

/**
 * The resolve stage: contract numbers in, one {@linkcode ChatIdRow} per
 * finished contract out. In-process ({@linkcode inProcessResolver}) or in a
 * Worker with only network access to the Feishu hosts (`workerResolver`).
 */
export interface Resolver {
  /** Resolve `numbers`; stops at the first fatal failure. */
  resolve(numbers: readonly string[], o: ResolveStageOptions): Promise<ResolveStageResult>;
}

/** The resolve stage in this thread, over `deps`. */
export function inProcessResolver(deps: ResolveDeps, throttled: () => number = () => 0): Resolver {
  return {
    async resolve(numbers, o) {
      let fatal: FatalRunError | undefined;
      const stop = new AbortController();
      const signal = AbortSignal.any([o.signal, stop.signal]);
      await pooledMap(numbers, async (n) => {
        let row: ChatIdRow;
        try {
          row = await resolveContract(n, deps, signal);
        } catch (e) {
          if (e instanceof FatalRunError) {
            fatal ??= e;
            o.onRow(e.row, true);
            stop.abort(e);
            return;
          }
          if (signal.aborted) return; // interrupted mid-call: it runs again next time
          throw e;
        }
        o.onRow(row, false);
      }, { concurrency: o.concurrency, signal });
      return { fatal, throttled: throttled() };
    },
  };
}
