/**
 * A restart in the middle of a download: the sandbox breaks the media stream
 * after 100 000 bytes, the service is stopped while the partial download
 * waits to be resumed, and a new service on the same state databases and
 * NAS resumes it with `Range`: one file, the right size and bytes.
 */
import assert from "node:assert/strict";
import { mediaBytes } from "../../sandbox/scenarios/meeting/mod.ts";
import { JobStore } from "../../pipelines/meeting/job_store.ts";
import { authorize, filesUnder, jobInState, MEDIA_SIZE, until, withHarness } from "./_harness.ts";

const CUT = 100_000;

async function size(path: string): Promise<number | undefined> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return undefined;
  }
}

Deno.test("e2e: restart mid-download → the new service resumes the .part: one file, correct size", async () => {
  // A long pause before the in-process resume leaves time to stop the service mid-download.
  await withHarness({ service: { download: { retryDelayMs: 5000 } } }, async (h) => {
    const zhang = h.family.directory.users[0];
    await authorize(h, zhang.userId);
    h.family.cutMediaAfter(CUT, 1);
    const ended = await h.family.endMeeting({ topic: "周会", owner_user_id: zhang.userId });
    const meetingId = String(ended.meeting.id);
    const job = await jobInState(h, meetingId, "downloading");
    const part = `${h.nasRoot}/.staging/job-${job.id}.mp4.part`;
    await until(async () => (await size(part)) === CUT, `${part} holds the bytes before the cut`);

    await h.stopService();
    const between = new JobStore(h.config.state.db);
    const kept = between.get(job.id);
    between.close();
    assert.equal(kept?.state, "downloading", "the job keeps its state");
    assert.equal(kept?.leaseOwner, undefined, "its lease was released, so a restart resumes it at once");
    assert.equal(await size(part), CUT, "the .part is kept for the resume");
    assert.equal(h.sandbox.journal.count("media_download"), 1);

    await h.startService();
    const done = await jobInState(h, meetingId, "done");
    assert.equal(done.bytes, MEDIA_SIZE);
    const downloads = h.sandbox.journal.filter("media_download");
    assert.equal(downloads.length, 2, "one interrupted request, one resumed request");
    assert.equal(downloads[1].status, 206, "resumed with Range, not started over");
    const file = `${h.nasRoot}/${zhang.userId}/${done.fileName}`;
    assert.equal((await Deno.stat(file)).size, MEDIA_SIZE);
    assert.deepEqual(await Deno.readFile(file), mediaBytes(ended.minute_token, MEDIA_SIZE, 0, MEDIA_SIZE));
    const all = await filesUnder(h.nasRoot);
    assert.equal(all.filter((f) => f.startsWith(`${zhang.userId}/`)).length, 1, "one personal file");
    assert.deepEqual(all.filter((f) => f.startsWith(".staging/")), [], "no .part or staged copy left");
  });
});
