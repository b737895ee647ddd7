/**
 * Issue 7 §1 end to end, plus the small webhook fuzz pass: the poison event (an
 * `event_id` with a NUL, sent with the right Verification Token) and a few hundred random
 * and hostile requests (ids, types, encodings) never wedge the queue and never get a 500;
 * a real meeting ended afterwards still becomes a job, and `/healthz` stays ok. On the code
 * before the fix the NUL event was stored, claimNext threw on it every second forever, the
 * later meeting never became a job, and `/healthz` still said ok.
 */
import assert from "node:assert/strict";
import { jobOf, until, withHarness } from "./_harness.ts";
import { meetingEndedEnvelope } from "../events/_fixtures.ts";

function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

const NASTY: unknown[] = [
  "a\u0000b",
  "\u0000",
  "s\uD800",
  "\uDFFFx",
  '\u0001~"x"',
  "x".repeat(300),
  "",
  " ",
  "\n",
  "../../etc/passwd",
  "<script>",
  "普通-事件-🎉",
  42,
  -1,
  1e308,
  null,
  true,
  [],
  ["a"],
  {},
  { id: "x" },
];

async function post(url: string, body: BodyInit, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  await res.body?.cancel();
  return res.status;
}

Deno.test("e2e: the issue's NUL event_id is refused before the ack; a meeting ended afterwards becomes a job", async () => {
  await withHarness({}, async (h) => {
    const url = `${h.serviceUrl}/webhook/event`;
    const token = h.config.app.verification_token;
    assert.ok(token, "the harness runs with a verification token");
    assert.equal(await post(url, JSON.stringify(meetingEndedEnvelope("a\u0000b", token))), 400);
    assert.equal(await post(url, JSON.stringify(meetingEndedEnvelope("s\uD800", token))), 400);

    // Text fields deeper in the event (meeting id, topic) are not refused: they are stored
    // exactly and processed without blocking anything.
    const odd = meetingEndedEnvelope("odd-fields-1", token);
    const meeting = (odd.event as Record<string, Record<string, unknown>>).meeting;
    meeting.id = "m\u0000x";
    meeting.topic = "周会\u0000\uD800";
    assert.equal(await post(url, JSON.stringify(odd)), 200);
    const oddJob = await until(() => jobOf(h, "m\u0000x"), "job of the odd meeting");
    assert.equal(oddJob.topic, "周会\u0000\uD800", "the topic is kept exactly");

    const zhang = h.family.directory.users[0];
    const real = await h.family.endMeeting({ topic: "毒事件之后", owner_user_id: zhang.userId });
    await h.family.whenDelivered();
    const job = await until(
      () => jobOf(h, String(real.meeting.id)),
      "job of the meeting after the poison event",
    );
    assert.equal(job.topic, "毒事件之后");
    const health = await (await fetch(`${h.serviceUrl}/healthz`)).json();
    assert.equal(health.ok, true, JSON.stringify(health));
    assert.equal(health.processorHealth.ok, true);
    assert.equal(health.events.pending, 0);
  });
});

Deno.test("e2e fuzz: random and hostile ids, types and encodings → never a 500, never a wedged queue", async () => {
  await withHarness({}, async (h) => {
    const url = `${h.serviceUrl}/webhook/event`;
    const token = h.config.app.verification_token;
    const rand = prng(20260105);
    const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
    const statuses = new Map<number, number>();
    const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
    const enc = new TextEncoder();
    for (let i = 0; i < 300; i++) {
      const env = meetingEndedEnvelope(`fz-${i}`, token);
      const header = env.header as Record<string, unknown>;
      const meeting = (env.event as Record<string, Record<string, unknown>>).meeting;
      switch (i % 6) {
        case 0:
          header.event_id = pick(NASTY);
          break;
        case 1:
          header.event_type = pick(NASTY);
          break;
        case 2:
          meeting.id = pick(NASTY);
          meeting.topic = pick(NASTY);
          break;
        case 3:
          (env as Record<string, unknown>).event = pick(NASTY);
          break;
        case 4:
          header.token = pick([token, token + "\u0000", pick(NASTY)]);
          break;
        case 5:
          meeting.owner = pick(NASTY);
          meeting.start_time = pick(NASTY);
          break;
      }
      // Every seventh request is a v1 envelope with a hostile uuid or type instead.
      const v1 = i % 7 === 6
        ? {
          uuid: pick(NASTY),
          token,
          ts: "1768788000.5",
          type: "event_callback",
          event: { type: pick(NASTY) },
        }
        : undefined;
      const text = JSON.stringify(v1 ?? env);
      let body: BodyInit;
      switch (Math.floor(rand() * 5)) {
        case 0: // UTF-8 with a BOM
          body = "\uFEFF" + text;
          break;
        case 1: { // UTF-16LE bytes
          const b = new Uint8Array(text.length * 2);
          for (let k = 0; k < text.length; k++) {
            b[2 * k] = text.charCodeAt(k) & 0xff;
            b[2 * k + 1] = text.charCodeAt(k) >> 8;
          }
          body = b;
          break;
        }
        case 2: { // invalid UTF-8 spliced into the JSON
          const b = enc.encode(text);
          const out = new Uint8Array(b.length + 2);
          const at = Math.floor(rand() * b.length);
          out.set(b.subarray(0, at));
          out.set([0xc3, 0x28], at);
          out.set(b.subarray(at), at + 2);
          body = out;
          break;
        }
        case 3: // random bytes
          body = crypto.getRandomValues(new Uint8Array(1 + Math.floor(rand() * 200)));
          break;
        default:
          body = text;
      }
      count(await post(url, body));
    }
    assert.equal(statuses.get(500) ?? 0, 0, `statuses: ${JSON.stringify([...statuses])}`);
    for (const s of statuses.keys()) assert.ok([200, 400, 401].includes(s), `unexpected status ${s}`);
    assert.ok((statuses.get(200) ?? 0) > 10, "some hostile-but-valid events were accepted");

    const zhang = h.family.directory.users[0];
    const real = await h.family.endMeeting({ topic: "模糊测试之后", owner_user_id: zhang.userId });
    await h.family.whenDelivered();
    await until(() => jobOf(h, String(real.meeting.id)), "job of the meeting after the fuzz pass");
    const health = await (await fetch(`${h.serviceUrl}/healthz`)).json();
    assert.equal(health.ok, true, JSON.stringify(health.processorHealth));
    assert.equal(health.processor.claimed >= 1, true);
    // Every event reached a final state or waits for a retry on its own; none is stuck in processing.
    assert.equal(health.events.processing, 0);
  });
});
