/** Test harness for the UI: a sandbox, an AttachmentsApp and its UI server (internal). */
import { createSandbox, type SandboxServer } from "../../sandbox/mod.ts";
import { type BaseFamily, baseFamily, type BaseOptions } from "../../sandbox/base/mod.ts";
import { AttachmentsApp } from "../../pipelines/attachments/attachments_app.ts";
import { JobStore } from "../../pipelines/attachments/job_store.ts";
import { startUiServer, type UiServer } from "../../pipelines/attachments/ui_server.ts";
import { UserSettingsFile } from "../../pipelines/attachments/user_settings.ts";
import { createLogger } from "../../lib/log/mod.ts";

/** A running UI setup. */
export interface UiHarness {
  app: AttachmentsApp;
  ui: UiServer;
  server: SandboxServer;
  base: BaseFamily;
  dir: string;
  opened: string[];
  close(): Promise<void>;
}

/** Start everything below a temp dir (the WebSocket service on a free port, not yet started). */
export async function startUiHarness(base: BaseOptions = {}): Promise<UiHarness> {
  const sandbox = createSandbox({ seed: 3 });
  const fam = baseFamily(sandbox);
  fam.configure(base);
  const server = await sandbox.listen({ port: 0 });
  const dir = await Deno.makeTempDir({ prefix: "attachments_ui_" });
  const store = new JobStore(`${dir}/state.sqlite`);
  const app = new AttachmentsApp({
    host: "127.0.0.1",
    port: 0,
    settings: {
      output: `${dir}/downloads`,
      downloadConcurrency: 3,
      connectTimeoutMs: 10_000,
      readTimeoutMs: 10_000,
      baseApiUrl: server.url,
      maxFilesPerJob: 1000,
    },
    store,
    pairingToken: "pair-ui-test",
    allowOrigins: [],
    maxFrameBytes: 1 << 20,
    maxConnections: 8,
    logger: createLogger(),
    userSettings: new UserSettingsFile(`${dir}/config`),
  });
  const opened: string[] = [];
  const ui = await startUiServer({ app, port: 0, openFolder: (p) => Promise.resolve(void opened.push(p)) });
  return {
    app,
    ui,
    server,
    base: fam,
    dir,
    opened,
    async close() {
      await ui.close();
      await app.stop();
      app.monitor.close();
      store.close();
      await server.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
