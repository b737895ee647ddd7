/** Test doubles for the token manager tests (not a test file itself). */
import { createLogger, type Logger, MemorySink } from "../../lib/log/mod.ts";
import {
  type AppCredentials,
  FetchedAppToken,
  RefreshedUserToken,
  TokenEndpoints,
  tokenKey,
  TokenListFilter,
  TokenRecord,
  TokenStore,
} from "../../lib/token/mod.ts";

/** A promise with its resolve function exposed. */
export interface Gate {
  promise: Promise<void>;
  open: () => void;
}

/** A closed gate; `open()` lets waiters through. */
export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((r) => open = r);
  return { promise, open };
}

type Handler<T> = (n: number, app: AppCredentials) => Promise<T> | T;

/** A {@linkcode TokenEndpoints} that counts calls and answers from handlers. */
export class FakeEndpoints implements TokenEndpoints {
  calls = { tenant: 0, app: 0, refresh: 0 };
  /** Refresh tokens presented, in order. */
  refreshTokensSeen: string[] = [];
  /** Secrets presented, in order. */
  secretsSeen: string[] = [];
  /** When set, every call waits for it before answering. */
  gate?: Promise<void>;
  tenant: Handler<FetchedAppToken> = (n) => ({ token: `t-fake-tenant-${n}`, expireSeconds: 7200 });
  app: Handler<FetchedAppToken> = (n) => ({ token: `a-fake-app-${n}`, expireSeconds: 7200 });
  refresh: (n: number, refreshToken: string) => Promise<RefreshedUserToken> | RefreshedUserToken = (n) => ({
    accessToken: `u-fake-access-${n}`,
    expiresIn: 7200,
    refreshToken: `ur-fake-refresh-${n}`,
    refreshExpiresIn: 604800,
    scope: "offline_access im:message",
  });

  async fetchTenantToken(app: AppCredentials): Promise<FetchedAppToken> {
    const n = ++this.calls.tenant;
    this.secretsSeen.push(app.appSecret);
    if (this.gate) await this.gate;
    return await this.tenant(n, app);
  }

  async fetchAppToken(app: AppCredentials): Promise<FetchedAppToken> {
    const n = ++this.calls.app;
    this.secretsSeen.push(app.appSecret);
    if (this.gate) await this.gate;
    return await this.app(n, app);
  }

  async refreshUserToken(_app: AppCredentials, refreshToken: string): Promise<RefreshedUserToken> {
    const n = ++this.calls.refresh;
    this.refreshTokensSeen.push(refreshToken);
    if (this.gate) await this.gate;
    return await this.refresh(n, refreshToken);
  }
}

/** A store wrapper that records every write, and can be told to fail puts. */
export class SpyStore implements TokenStore {
  events: string[] = [];
  failPut?: (r: TokenRecord) => boolean;
  constructor(readonly inner: TokenStore) {}
  get(key: string) {
    return this.inner.get(key);
  }
  put(r: TokenRecord) {
    if (this.failPut?.(r)) return Promise.reject(new Error("disk full"));
    this.events.push(`put:${r.status ?? "active"}:${r.refreshToken ?? "-"}`);
    return this.inner.put(r);
  }
  delete(key: string) {
    this.events.push(`delete:${key}`);
    return this.inner.delete(key);
  }
  list(filter?: TokenListFilter) {
    return this.inner.list(filter);
  }
  withLock<T>(key: string, timeoutMs: number, fn: () => Promise<T>) {
    return this.inner.withLock(key, timeoutMs, fn);
  }
  close() {
    this.inner.close();
  }
}

/** A resolver knowing one app, `cli_test`, whose secret can be changed. */
export function testApps(secret = { value: "secret-1" }) {
  return (appId: string) => appId === "cli_test" ? { appId, appSecret: secret.value } : undefined;
}

/** A debug-level logger writing to a fresh {@linkcode MemorySink}. */
export function memoryLogger(): { logger: Logger; sink: MemorySink } {
  const sink = new MemorySink();
  return { logger: createLogger({ sinks: [sink], level: "debug" }), sink };
}

/** A fresh temporary SQLite path; removed by the returned cleanup. */
export async function tempDbPath(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "token_test_" });
  return { path: `${dir}/tokens.db`, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

/** Start of the sample records' lifetimes. */
export const T0 = 1_700_000_000_000;

/** A sample tenant record of `appId` holding `token`. */
export function tenantRecord(appId: string, token: string): TokenRecord {
  return {
    key: tokenKey({ kind: "tenant", appId }),
    kind: "tenant",
    appId,
    accessToken: token,
    issuedAt: T0,
    expiresAt: T0 + 7200_000,
    updatedAt: T0,
  };
}

/** A sample user record with a refresh token. */
export function userRecord(appId: string, userId: string): TokenRecord {
  return {
    key: tokenKey({ kind: "user", appId, userId }),
    kind: "user",
    appId,
    userId,
    accessToken: "u-access",
    issuedAt: T0,
    expiresAt: T0 + 7200_000,
    refreshToken: "ur-refresh",
    refreshExpiresAt: T0 + 7 * 86400_000,
    scope: "offline_access",
    status: "active",
    updatedAt: T0,
  };
}

/** Read a child's stdout line by line. */
export function lines(stream: ReadableStream<Uint8Array>) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  return async function next(): Promise<string> {
    for (;;) {
      const nl = buf.indexOf("\n");
      if (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`worker stdout ended; partial: ${buf}`);
      buf += value;
    }
  };
}
