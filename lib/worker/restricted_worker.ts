/** What a {@linkcode restrictedWorker} may do; everything not granted is denied. */
export interface WorkerGrants {
  /** Paths it may read (default none). */
  read?: readonly string[];
  /** Paths it may write (default none). */
  write?: readonly string[];
  /** Hosts (`host` or `host:port`) it may connect to, or `true` for any host (default none). */
  net?: readonly string[] | true;
  /**
   * Environment variables it may read (default none); `true`: the whole
   * environment (only for a dependency that lists it on import, say why).
   */
  env?: readonly string[] | true;
  /** Executables it may start, by path (default none). */
  run?: readonly string[];
}

/**
 * Start a module Web Worker with only the permissions in `grants`: no read,
 * write, net, env or run beyond them, and never ffi, sys or dynamic import.
 * Stages that parse untrusted files or talk to the network run in one, so a
 * crafted file or answer reaches no more than the stage needs.
 *
 * @example A parser that may read one folder and nothing else
 * ```ts
 * import { restrictedWorker } from "./restricted_worker.ts";
 * const w = restrictedWorker(new URL("data:text/javascript,"), { read: ["output/run/downloads"] });
 * w.terminate();
 * ```
 */
export function restrictedWorker(url: URL, grants: WorkerGrants = {}): Worker {
  const list = (v: readonly string[] | undefined) => (v && v.length ? [...v] : false);
  return new Worker(url, {
    type: "module",
    deno: {
      permissions: {
        read: list(grants.read),
        write: list(grants.write),
        net: grants.net === true ? true : list(grants.net),
        env: grants.env === true ? true : list(grants.env),
        run: list(grants.run),
        ffi: false,
        sys: false,
        import: false,
      },
    },
  } as WorkerOptions);
}
