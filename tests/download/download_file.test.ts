import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import { DownloadError, downloadFile, type DownloadProgress } from "../../lib/download/mod.ts";
import { BadRequestError } from "../../lib/errors/mod.ts";
import { matchesPattern, RangeServer, type ServerPlan } from "./_range_server.ts";

const SIZE = 3 * 1024 * 1024 + 123;
const fast = { retryDelayMs: 5, fsync: false };

async function withSetup(plan: Partial<ServerPlan>, fn: (s: RangeServer, dir: string) => Promise<void>) {
  const server = new RangeServer({ size: SIZE, ...plan });
  const dir = await Deno.makeTempDir({ prefix: "download-" });
  try {
    await fn(server, dir);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function assertComplete(path: string, size = SIZE) {
  const data = await Deno.readFile(path);
  assert.equal(data.length, size);
  assert.ok(matchesPattern(data), "content matches the served bytes");
  await assert.rejects(Deno.stat(`${path}.part`), Deno.errors.NotFound);
  await assert.rejects(Deno.stat(`${path}.part.json`), Deno.errors.NotFound);
}

Deno.test("downloadFile: plain download, progress, file name, atomic rename", async () => {
  await withSetup({}, async (server, dir) => {
    const progress: DownloadProgress[] = [];
    const r = await downloadFile({
      url: `${server.base}/file`,
      dest: `${dir}/a.mp4`,
      onProgress: (p) => progress.push(p),
    });
    await assertComplete(`${dir}/a.mp4`);
    assert.equal(r.bytes, SIZE);
    assert.equal(r.resumes, 0);
    assert.equal(r.fileName, "周会.mp4");
    assert.equal(r.contentType, "video/mp4");
    assert.deepEqual(progress.at(-1), { bytes: SIZE, total: SIZE });
    assert.equal(server.seen[0].range, undefined);
  });
});

Deno.test("downloadFile: a cut connection resumes with Range and the file is whole", async () => {
  await withSetup({ cutAfter: 1_000_000, cuts: 2, etag: '"v1"' }, async (server, dir) => {
    const r = await downloadFile({ url: `${server.base}/file`, dest: `${dir}/b.mp4`, ...fast });
    await assertComplete(`${dir}/b.mp4`);
    assert.equal(r.resumes, 2);
    assert.equal(r.restarts, 0);
    assert.deepEqual(server.seen.map((s) => s.range), [undefined, "bytes=1000000-", "bytes=2000000-"]);
    assert.equal(server.seen[1].ifRange, '"v1"', "resume is conditional on the same file");
  });
});

Deno.test("downloadFile: resumes a .part left by an earlier (crashed) run", async () => {
  await withSetup({ cutAfter: 700_000, cuts: 1 }, async (server, dir) => {
    const dest = `${dir}/c.mp4`;
    await assert.rejects(
      downloadFile({ url: `${server.base}/file`, dest, ...fast, maxRetries: 0 }),
      (e: unknown) => e instanceof DownloadError && e.failure === "interrupted",
    );
    assert.equal((await Deno.stat(`${dest}.part`)).size, 700_000);
    await assert.rejects(Deno.stat(dest), Deno.errors.NotFound);
    const r = await downloadFile({ url: `${server.base}/file`, dest, ...fast });
    await assertComplete(dest);
    assert.equal(r.resumes, 1);
    assert.equal(server.seen.at(-1)?.range, "bytes=700000-");
  });
});

Deno.test("downloadFile: a server that ignores Range makes it start over, not append", async () => {
  await withSetup({ cutAfter: 500_000, cuts: 1, ignoreRange: true }, async (server, dir) => {
    const r = await downloadFile({ url: `${server.base}/file`, dest: `${dir}/d.mp4`, ...fast });
    await assertComplete(`${dir}/d.mp4`);
    assert.equal(r.restarts, 1);
    assert.equal(server.seen[1].range, "bytes=500000-");
  });
});

Deno.test("downloadFile: a 206 for the wrong range restarts from zero", async () => {
  await withSetup({ cutAfter: 400_000, cuts: 1, wrongRangeStart: true }, async (server, dir) => {
    const r = await downloadFile({ url: `${server.base}/file`, dest: `${dir}/e.mp4`, ...fast });
    await assertComplete(`${dir}/e.mp4`);
    assert.ok(r.restarts >= 1);
  });
});

Deno.test("downloadFile: a remote file of another size is not glued onto the old .part", async () => {
  await withSetup({ cutAfter: 300_000, cuts: 1 }, async (server, dir) => {
    const dest = `${dir}/f.mp4`;
    await assert.rejects(downloadFile({ url: `${server.base}/file`, dest, ...fast, maxRetries: 0 }));
    server.plan.size = SIZE + 5000;
    const r = await downloadFile({ url: `${server.base}/file`, dest, ...fast });
    await assertComplete(dest, SIZE + 5000);
    assert.equal(r.restarts, 1);
  });
});

Deno.test("downloadFile: 403 and a JSON error ask refreshUrl for a new link", async () => {
  await withSetup(
    { expired: new Set(["/file?sig=old"]), jsonError: new Set(["/file?sig=older"]) },
    async (server, dir) => {
      const asked: string[] = [];
      const fresh = ["/file?sig=old", "/file?sig=new"];
      const r = await downloadFile({
        url: `${server.base}/file?sig=older`,
        dest: `${dir}/g.mp4`,
        ...fast,
        refreshUrl: (why) => {
          asked.push(`${why.status}:${why.reason}`);
          return Promise.resolve(server.base + fresh.shift());
        },
      });
      await assertComplete(`${dir}/g.mp4`);
      assert.equal(r.refreshes, 2);
      assert.deepEqual(asked, ["200:error_json", "403:expired_status"]);
    },
  );
});

Deno.test("downloadFile: an expired link without refreshUrl fails with link_expired and keeps no file", async () => {
  await withSetup({ expired: new Set(["/file"]) }, async (server, dir) => {
    await assert.rejects(
      downloadFile({ url: `${server.base}/file`, dest: `${dir}/h.mp4`, ...fast }),
      (e: unknown) => e instanceof DownloadError && e.failure === "link_expired" && e.httpStatus === 403,
    );
    await assert.rejects(Deno.stat(`${dir}/h.mp4`), Deno.errors.NotFound);
  });
});

Deno.test("downloadFile: 503s are retried; giving up keeps the error typed", async () => {
  await withSetup({ unavailable: 2 }, async (server, dir) => {
    await downloadFile({ url: `${server.base}/file`, dest: `${dir}/i.mp4`, ...fast });
    await assertComplete(`${dir}/i.mp4`);
    server.plan.unavailable = 10;
    await assert.rejects(
      downloadFile({ url: `${server.base}/file`, dest: `${dir}/j.mp4`, ...fast, maxRetries: 2 }),
      (e: unknown) => e instanceof DownloadError && e.failure === "interrupted" && /放弃/.test(e.hint),
    );
  });
});

Deno.test("downloadFile: a stalled body is abandoned and resumed", async () => {
  await withSetup({ stallAfter: 200_000, stalls: 1 }, async (server, dir) => {
    const r = await downloadFile({
      url: `${server.base}/file`,
      dest: `${dir}/k.mp4`,
      ...fast,
      stallTimeoutMs: 300,
    });
    await assertComplete(`${dir}/k.mp4`);
    assert.equal(r.resumes, 1);
    assert.equal(server.seen[1].range, "bytes=200000-");
  });
});

Deno.test("downloadFile: redirects are followed; credentials are not sent to another origin", async () => {
  await withSetup({}, async (server, dir) => {
    await downloadFile({
      url: `${server.base}/redirect?x=1`,
      dest: `${dir}/l.mp4`,
      headers: { Authorization: "Bearer secret-token" },
      ...fast,
    });
    await assertComplete(`${dir}/l.mp4`);
    assert.deepEqual(server.seen.map((s) => s.path), ["/redirect?x=1", "/file?x=1"]);
    assert.equal(server.seen[1].authorization, "Bearer secret-token", "same origin keeps the header");
    // Another origin (a second server: another port) does not get it.
    const other = new RangeServer({ size: SIZE });
    try {
      const fake: typeof fetch = (input, init) => {
        if (new URL(String(input)).pathname === "/hop") {
          return Promise.resolve(
            new Response(null, { status: 302, headers: { location: `${other.base}/file` } }),
          );
        }
        return fetch(input, init);
      };
      await downloadFile({
        url: `${server.base}/hop`,
        dest: `${dir}/m.mp4`,
        headers: { Authorization: "Bearer secret-token" },
        fetch: fake,
        ...fast,
      });
      await assertComplete(`${dir}/m.mp4`);
      assert.equal(other.seen.length, 1);
      assert.equal(other.seen[0].authorization, undefined);
    } finally {
      await other.close();
    }
  });
});

Deno.test("downloadFile: https → http redirects are refused", async () => {
  const fake: typeof fetch = () =>
    Promise.resolve(
      new Response(null, { status: 302, headers: { location: "http://example.invalid/file" } }),
    );
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      downloadFile({ url: "https://example.invalid/media", dest: `${dir}/n.mp4`, fetch: fake, ...fast }),
      (e: unknown) => e instanceof DownloadError && e.failure === "insecure_redirect",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("downloadFile: abort keeps the .part; expectedSize is enforced; refresh errors propagate", async () => {
  await withSetup({ stallAfter: 100_000, stalls: 1 }, async (server, dir) => {
    const ac = new AbortController();
    const p = downloadFile({ url: `${server.base}/file`, dest: `${dir}/o.mp4`, signal: ac.signal, ...fast });
    // Abort once the server has stalled after the first 100 000 bytes.
    const part = `${dir}/o.mp4.part`;
    await waitFor(async () => (await Deno.stat(part).catch(() => undefined))?.size === 100_000, {
      what: "the stalled .part",
    });
    ac.abort(new Error("stop"));
    await assert.rejects(p, /stop/);
    assert.equal((await Deno.stat(`${dir}/o.mp4.part`)).size, 100_000);
    await assert.rejects(
      downloadFile({ url: `${server.base}/file`, dest: `${dir}/p.mp4`, expectedSize: 10, ...fast }),
      (e: unknown) => e instanceof DownloadError && e.failure === "size_mismatch",
    );
    server.plan.expired = new Set(["/file"]);
    await assert.rejects(
      downloadFile({
        url: `${server.base}/file`,
        dest: `${dir}/q.mp4`,
        ...fast,
        refreshUrl: () => Promise.reject(new BadRequestError("no media")),
      }),
      BadRequestError,
    );
  });
});

Deno.test("downloadFile: creates the destination folder; a file-system failure is a disk error, not retried", async () => {
  await withSetup({}, async (server, dir) => {
    await downloadFile({ url: `${server.base}/file`, dest: `${dir}/new/sub/r.mp4`, ...fast });
    await assertComplete(`${dir}/new/sub/r.mp4`);
    await Deno.writeTextFile(`${dir}/blocker`, "a file where a folder should be");
    const before = server.seen.length;
    await assert.rejects(
      downloadFile({ url: `${server.base}/file`, dest: `${dir}/blocker/s.mp4`, ...fast }),
      (e: unknown) => e instanceof DownloadError && e.failure === "disk" && /磁盘|写权限/.test(e.hint),
    );
    assert.equal(server.seen.length, before, "no request when the folder cannot be made");
  });
});
