/**
 * Who may open the WebSocket (upstream checks nobody, so any web page could
 * make the program write files). Every upgrade is judged on its `Host`,
 * `Origin` and `?token=`:
 *
 * - `Host` must name the loopback interface while bound to it (no DNS rebinding);
 * - bound beyond loopback, every client needs the pairing token;
 * - the plugin's origins and `--allow-origin` ones are let in;
 * - no `Origin` (a native client) needs the pairing token;
 * - an unknown origin is held for the user to allow (once, or always) or
 *   refuse; "always" and "refuse" are remembered in the store.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import { type Clock, systemClock } from "../../lib/time/mod.ts";
import type { JobStore } from "./job_store.ts";

/**
 * Origins of the Base sidebar extension iframe: published Base extensions are
 * served from `ext.baseopendev.com` (Feishu) and `ext.baseopendevx.com`
 * (Lark). UNCONFIRMED for the download-files plugin itself: observed in public
 * extension code and deployment notes, not in an official document.
 */
export const PLUGIN_ORIGINS: readonly string[] = [
  "https://ext.baseopendev.com",
  "https://ext.baseopendevx.com",
];

/** The user's answer about an origin. */
export type OriginAnswer = "allow_once" | "allow" | "refuse";

/** An origin waiting for the user. */
export interface PendingOrigin {
  /** The origin (normalised). */
  origin: string;
  /** When it started waiting, epoch ms. */
  since: number;
  /** Upgrade requests it made while waiting. */
  attempts: number;
}

/** The verdict on one upgrade request. */
export type GateVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** Options of {@linkcode OriginGate}. */
export interface OriginGateOptions {
  /** The job store (origins the user allowed for good are kept there). */
  store: JobStore;
  /** Extra origins allowed ahead of time (`--allow-origin`). */
  allowOrigins?: readonly string[];
  /** The pairing token clients without an Origin (or all, beyond loopback) must show. */
  pairingToken: string;
  /** Bound beyond loopback: every client needs the token. */
  requireTokenForAll?: boolean;
  /** How long an unknown origin's upgrade waits for the user, ms (default 60 000). */
  waitMs?: number;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Told when an origin starts waiting (the UI shows it). */
  onPending?: (p: PendingOrigin) => void;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** The upgrade gate. */
export class OriginGate {
  #o: OriginGateOptions & { clock: Clock; waitMs: number };
  #allowed: Set<string>;
  #once = new Set<string>();
  #pending = new Map<string, PendingOrigin & { waiters: ((a: OriginAnswer) => void)[] }>();

  /** Create the gate. */
  constructor(o: OriginGateOptions) {
    this.#o = { ...o, clock: o.clock ?? systemClock, waitMs: o.waitMs ?? 60_000 };
    this.#allowed = new Set([...PLUGIN_ORIGINS, ...(o.allowOrigins ?? []).map(normalizeOrigin)]);
  }

  /** The pairing token. */
  get pairingToken(): string {
    return this.#o.pairingToken;
  }

  /** Origins waiting for the user. */
  pending(): PendingOrigin[] {
    return [...this.#pending.values()].map(({ origin, since, attempts }) => ({ origin, since, attempts }));
  }

  /** Remembered answers. */
  remembered(): Record<string, "allow" | "refuse"> {
    return this.#o.store.getSetting<Record<string, "allow" | "refuse">>("origins") ?? {};
  }

  /** The user's answer about `origin` (wakes the held upgrades). */
  decide(origin: string, answer: OriginAnswer): void {
    origin = normalizeOrigin(origin);
    if (answer === "allow_once") this.#once.add(origin);
    else this.#o.store.setSetting("origins", { ...this.remembered(), [origin]: answer });
    const p = this.#pending.get(origin);
    this.#pending.delete(origin);
    for (const w of p?.waiters ?? []) w(answer);
  }

  /** Judge an upgrade; unknown origins wait for {@linkcode decide} (or time out). */
  async check(
    req: { host?: string | null; origin?: string | null; token?: string | null },
  ): Promise<GateVerdict> {
    const tokenOk = !!req.token && same(req.token, this.#o.pairingToken);
    if (!this.#o.requireTokenForAll && !isLoopbackHost(req.host)) {
      return { ok: false, status: 403, reason: "Host 不是本机地址（可能是 DNS 重绑定攻击），已拒绝。" };
    }
    if (this.#o.requireTokenForAll && !tokenOk) {
      return {
        ok: false,
        status: 401,
        reason: "服务监听在非本机地址，所有连接都必须带配对令牌（?token=）。",
      };
    }
    const origin = req.origin ? normalizeOrigin(req.origin) : undefined;
    if (!origin || origin === "null") {
      return tokenOk ? { ok: true } : {
        ok: false,
        status: 401,
        reason: "没有 Origin 的客户端必须带配对令牌（?token=…，见界面或启动输出）。",
      };
    }
    const remembered = this.remembered()[origin];
    if (remembered === "refuse") return { ok: false, status: 403, reason: `来源 ${origin} 已被拒绝。` };
    if (tokenOk || this.#allowed.has(origin) || this.#once.has(origin) || remembered === "allow") {
      return { ok: true };
    }
    const answer = await this.#hold(origin);
    return answer === "refuse" || answer === undefined
      ? { ok: false, status: 403, reason: `来源 ${origin} 未被允许（请在界面中允许后重试）。` }
      : { ok: true };
  }

  #hold(origin: string): Promise<OriginAnswer | undefined> {
    let p = this.#pending.get(origin);
    if (!p) {
      p = { origin, since: this.#o.clock.now(), attempts: 0, waiters: [] };
      this.#pending.set(origin, p);
    }
    p.attempts++;
    this.#o.onPending?.({ origin, since: p.since, attempts: p.attempts });
    const entry = p;
    return new Promise((resolve) => {
      const stop = new AbortController();
      const waiter = (a: OriginAnswer) => {
        stop.abort();
        resolve(a);
      };
      entry.waiters.push(waiter);
      this.#o.clock.sleep(this.#o.waitMs, stop.signal).then(() => {
        entry.waiters = entry.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, () => {});
    });
  }
}

/** `scheme://host[:port]` in lower case. */
export function normalizeOrigin(origin: string): string {
  try {
    const u = new URL(origin);
    return u.origin === "null" ? "null" : u.origin.toLowerCase();
  } catch {
    return origin.trim().toLowerCase();
  }
}

/** Whether a `Host` header names the loopback interface. */
export function isLoopbackHost(host: string | null | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0];
  return LOOPBACK_HOSTS.has(name.toLowerCase());
}

/** Whether `host` (a bind address) is loopback. */
export function isLoopbackBind(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || /^127\./.test(host);
}

function same(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
