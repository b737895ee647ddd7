/**
 * {@linkcode createSandbox}: the Feishu sandbox as an object tests can poke
 * at (state, journal, faults) and serve over real HTTP on loopback.
 *
 * @module
 */
import { createApp } from "./app.ts";
import type { SandboxApp } from "./_env.ts";
import type { SandboxExamples } from "./contract/data.ts";
import type { FaultController } from "./faults.ts";
import type { Journal } from "./journal.ts";
import { resolveOptions, type SandboxOptions } from "./options.ts";
import type { RateLimiter } from "./rate_limits.ts";
import { SandboxDropError } from "./_respond.ts";
import { createState, type SandboxState } from "./state.ts";

/** Hosts {@linkcode Sandbox.listen} may bind: loopback only. */
export type SandboxHostname = "127.0.0.1" | "localhost";

/** Options of {@linkcode Sandbox.listen}. */
export interface ListenOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Loopback host to bind (default `"127.0.0.1"`). */
  hostname?: SandboxHostname;
}

/** A running sandbox server. */
export interface SandboxServer {
  /** Base URL, e.g. `http://127.0.0.1:18080` (no trailing slash). */
  url: string;
  /** Bound port. */
  port: number;
  /** Release hanging requests and stop the server. Safe to call twice. */
  close(): Promise<void>;
}

/** The sandbox: a Hono app answering like Feishu, plus its knobs. */
export interface Sandbox {
  /** The Hono app (use `app.fetch` / `app.request` in-process). */
  readonly app: SandboxApp;
  /** Shared state (contracts, tokens, sessions, …). */
  readonly state: SandboxState;
  /** Request journal. */
  readonly journal: Journal;
  /** Fault knobs. */
  readonly faults: FaultController;
  /** Rate limits (change them at run time with `set`). */
  readonly rateLimits: RateLimiter;
  /** Up to `n` (default 3) contract numbers per category plus numbers that do not exist. */
  examples(n?: number): SandboxExamples;
  /** Back to a fresh start; see {@linkcode SandboxState.reset}. */
  reset(): void;
  /** Serve over HTTP on loopback (`Deno.serve`, start-up line silenced). */
  listen(options?: ListenOptions): Promise<SandboxServer>;
}

/** Create a sandbox. See {@linkcode SandboxOptions} for the defaults. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const state = createState(resolveOptions(options));
  const app = createApp(state);
  return {
    app,
    state,
    journal: state.journal,
    faults: state.faults,
    rateLimits: state.rateLimits,
    examples: (n) => state.contractIndex.examples(n),
    reset: () => state.reset(),
    listen: (listenOptions) => listen(app, state, listenOptions),
  };
}

// deno-lint-ignore require-await
async function listen(
  app: SandboxApp,
  state: SandboxState,
  options: ListenOptions = {},
): Promise<SandboxServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  if (hostname !== "127.0.0.1" && hostname !== "localhost") {
    throw new RangeError(`沙箱只允许监听本机地址（127.0.0.1 或 localhost），收到：${hostname}`);
  }
  const server = Deno.serve({
    port: options.port ?? 0,
    hostname,
    onListen: () => {},
    onError: (error) => {
      // Dropped answers error their body stream on purpose; anything else is a bug worth logging.
      if (!(error instanceof SandboxDropError)) {
        state.logger.error(`沙箱服务出错：${error instanceof Error ? error.message : String(error)}`);
      }
      return new Response(null, { status: 500 });
    },
  }, app.fetch);
  const port = server.addr.port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostname}:${port}`,
    port,
    close: () => {
      closing ??= (async () => {
        state.hangs.release();
        await server.shutdown();
      })();
      return closing;
    },
  };
}
