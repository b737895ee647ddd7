/**
 * Shared setup of the IM end-to-end tests: a sandbox on a fake clock (so
 * windows of hours and days are crossed without waiting), a tenant token,
 * and a MessageApi on it.
 *
 * @module
 */
import type { AuthProvider } from "../../lib/auth/auth_provider.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { MessageApi } from "../../lib/im/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import type { Sandbox } from "../../sandbox/mod.ts";
import { type MeetingFamily, meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { token, withSandbox } from "../sandbox/_helpers.ts";

/** A group chat the sandbox app's bot is in. */
export const GROUP = "oc_" + "a1".repeat(16);

/** What an IM test receives. */
export interface ImEnv {
  /** The sandbox. */
  sandbox: Sandbox;
  /** Its meeting family (directory and sent messages). */
  family: MeetingFamily;
  /** Base URL. */
  url: string;
  /** The sandbox's clock. */
  clock: FakeClock;
  /** Fetch a new tenant token (after fake time passed its 2 h life). */
  renew: () => Promise<void>;
  /** The client under test (no retries, so Feishu's codes surface). */
  im: MessageApi;
  /** The `Oapi-Sdk-Request-Id` header of every request the client sent, in order. */
  sentRequestIds: string[];
  /** Raw JSON call with the tenant token (to reach codes the client refuses to cause). */
  raw: (
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<{ status: number; body: Record<string, unknown> }>;
}

/** Run `fn` against a fresh sandbox on a fake clock. */
export async function withIm(fn: (env: ImEnv) => Promise<void>, extraUsers = 12): Promise<void> {
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 9));
  await withSandbox({ clock, meeting: { botChats: [GROUP], extraUsers } }, async ({ sandbox, url }) => {
    let bearer = await token(url);
    const auth: AuthProvider = {
      label: "tenant:test",
      headers: () => Promise.resolve({ Authorization: `Bearer ${bearer}` }),
    };
    const renew = async () => {
      bearer = await token(url);
    };
    const sentRequestIds: string[] = [];
    const http = new LarkHttp({
      baseUrl: url,
      auth,
      retry: { retries: 0 },
      fetch: (input, init) => {
        sentRequestIds.push(new Headers(init?.headers).get("oapi-sdk-request-id") ?? "");
        return fetch(input, init);
      },
    });
    const raw = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    await fn({
      sandbox,
      family: meetingFamily(sandbox),
      url,
      clock,
      renew,
      im: new MessageApi(http),
      raw,
      sentRequestIds,
    });
  });
}

/** The Feishu code of a rejected call. */
export async function codeOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: number }).code;
  }
  throw new Error("expected the call to fail");
}
