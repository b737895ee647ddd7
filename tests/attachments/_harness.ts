/** Test harness: a sandbox with the Base family and an attachment service on loopback ports (internal). */
import { waitFor as sharedWaitFor } from "../../lib/testing/wait_for.ts";
import { createSandbox, type Sandbox, type SandboxServer } from "../../sandbox/mod.ts";
import { type BaseFamily, baseFamily, type BaseOptions } from "../../sandbox/base/mod.ts";
import { mediaBytes } from "../../sandbox/minutes/media.ts";
import { AttachmentService, type AttachmentServiceOptions } from "../../pipelines/attachments/service.ts";
import { JobStore } from "../../pipelines/attachments/job_store.ts";
import { createLogger, MemorySink } from "../../lib/log/mod.ts";
import type { JobSettings } from "../../pipelines/attachments/settings.ts";

/** A running pair. */
export interface Harness {
  sandbox: Sandbox;
  server: SandboxServer;
  base: BaseFamily;
  service: AttachmentService;
  store: JobStore;
  settings: JobSettings;
  dir: string;
  ws: string;
  logs: MemorySink;
  close(): Promise<void>;
}

/** Start a sandbox and a service writing below a temp dir. */
export async function startHarness(
  base: BaseOptions = {},
  service: Partial<AttachmentServiceOptions> = {},
  settings: Partial<JobSettings> = {},
): Promise<Harness> {
  const sandbox = createSandbox({ seed: 7 });
  const fam = baseFamily(sandbox);
  fam.configure(base);
  const server = await sandbox.listen({ port: 0 });
  const dir = await Deno.makeTempDir({ prefix: "attachments_" });
  const store = new JobStore(`${dir}/state.sqlite`);
  const js: JobSettings = {
    output: `${dir}/downloads`,
    downloadConcurrency: 5,
    connectTimeoutMs: 10_000,
    readTimeoutMs: 10_000,
    baseApiUrl: server.url,
    personalBaseToken: fam.personalBaseToken,
    maxFilesPerJob: 100_000,
    ...settings,
  };
  const logs = new MemorySink();
  const svc = new AttachmentService({
    port: 0,
    settings: js,
    store,
    pairingToken: "pair-test-token",
    logger: createLogger({ sinks: [logs], level: "debug" }),
    ...service,
  });
  await svc.start();
  return {
    sandbox,
    server,
    base: fam,
    service: svc,
    store,
    settings: js,
    dir,
    ws: svc.url,
    logs,
    async close() {
      await svc.stop();
      svc.monitor.close();
      // A test may have closed (and deleted) the store to replay a job from its files alone.
      if (store.db.isOpen) store.close();
      await server.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** SHA-256 hex of the sandbox attachment `token` of `size` bytes. */
export async function expectedSha(token: string, size: number): Promise<string> {
  return hex(
    await crypto.subtle.digest("SHA-256", mediaBytes(token, size, 0, size) as Uint8Array<ArrayBuffer>),
  );
}

/** SHA-256 hex of a file. */
export async function fileSha(path: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", await Deno.readFile(path)));
}

function hex(b: ArrayBuffer): string {
  return Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Every file below `dir`, relative, `/`-separated. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) out.push(...await listFiles(`${dir}/${e.name}`, `${prefix}${e.name}/`));
    else out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

/** Wait until `cond` holds (polling), or fail after `ms`. */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  ms = 30_000,
  what = "condition",
): Promise<void> {
  await sharedWaitFor(cond, { timeoutMs: ms, intervalMs: 20, what });
}
