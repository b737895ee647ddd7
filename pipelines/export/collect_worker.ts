/**
 * Run the collect stage in a Worker with only what its collector needs
 * (`deno task export` uses it): the browser collector may start only the
 * browser the main thread found, read that browser's folder, and read and
 * write only the browser profile, the run directory and the QR code's
 * folder; the Open API collector may reach only the Open Platform host and
 * the run directory. Each download is parsed in the read-only parse worker.
 *
 * @module
 */
import { dirname } from "node:path";
import { findBrowser } from "../../lib/browser/find_browser.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";
import type { WorkerGrants } from "../../lib/worker/restricted_worker.ts";
import { runStageWorker } from "../../lib/worker/run_stage_worker.ts";
import type { CollectorSpec, CollectWorkerEvent, CollectWorkerStart } from "./_collect_worker.ts";
import { awaitingFile, type CollectStageResult, type CollectStageRunner } from "./collect.ts";
import type { QrPrompt } from "./collect_browser.ts";
import type { ExportConfig } from "./config.ts";
import { parsePort } from "./parse_files.ts";

export type { CollectorSpec } from "./_collect_worker.ts";

/** What {@linkcode collectStageInWorker} needs. */
export interface CollectWorkerSetup {
  /** Validated configuration (collector kind, messenger or Open API settings). */
  config: ExportConfig;
  /** Run directory. */
  runDir: string;
  /** Prints the collector's Chinese lines (login, QR code path); default `console.error`. */
  print?: (line: string) => void;
  /** Each QR code shown. */
  onQrCode?: (prompt: QrPrompt) => void;
  /** User access token of the Open API collector (default `FEISHU_USER_ACCESS_TOKEN`). */
  userToken?: string;
}

/**
 * What the collect Worker may do. Browser: run only the found executable,
 * read its folder, read/write the profile, the run directory and the QR
 * code's folder, and the whole environment (puppeteer-core's `debug`
 * dependency runs `Object.keys(process.env)` when it is imported, so a list
 * of names is refused). No network: the DevTools protocol goes over a pipe
 * and the messenger is loaded by the browser, not by Deno. Open API: only its
 * host, and the run directory; no environment, no program.
 */
export function collectWorkerGrants(spec: CollectorSpec, runDir: string): WorkerGrants {
  if (spec.kind === "openapi") return { net: [new URL(spec.baseUrl).host], read: [runDir], write: [runDir] };
  const o = spec.options;
  const exe = o.browser!.path;
  const qrDir = dirname(o.qrSavePath ?? "output/export/login_qr.png");
  return {
    run: [exe],
    read: unique([dirname(exe), o.profileDir, runDir, qrDir]),
    write: unique([o.profileDir, runDir, qrDir]),
    env: true,
  };
}

/**
 * A {@linkcode CollectStageRunner} that runs the stage in a Worker with only
 * {@linkcode collectWorkerGrants}. When no window awaits a file it returns
 * at once (no browser is looked for); otherwise the browser is found (or the
 * Open API token checked) here, the parse worker started, and the Worker
 * builds its collector, opens its own ledger connection and appends
 * `collect.ndjson`. Window changes come back through `onWindow`, log lines
 * through `logger`, the collector's console lines and QR prompts through
 * `print` / `onQrCode`; `signal` stops the Worker's stage. The stage options
 * `clock`, `collectLog` and `parser` are not used (the Worker has its own).
 */
export function collectStageInWorker(setup: CollectWorkerSetup): CollectStageRunner {
  return async (o) => {
    const waiting = o.ledger.list().some((w) =>
      awaitingFile(w) && (o.onlyWindow === undefined || w.id === o.onlyWindow)
    );
    if (!waiting) return { delivered: 0, downloaded: 0, timedOut: 0, badFiles: 0, split: 0, aborted: false };
    const spec = await collectorSpec(setup);
    await Deno.mkdir(o.downloadDir, { recursive: true });
    const parser = parsePort([o.downloadDir]);
    const print = setup.print ?? ((line: string) => console.error(line));
    try {
      return await runStageWorker<CollectWorkerStart, CollectWorkerEvent, CollectStageResult>(
        new URL("./_collect_worker.ts", import.meta.url),
        collectWorkerGrants(spec, setup.runDir),
        {
          runDir: setup.runDir,
          stage: {
            filesDir: o.filesDir,
            downloadDir: o.downloadDir,
            fileTemplate: o.fileTemplate,
            plan: o.plan,
            pollIntervalMs: o.pollIntervalMs,
            deliveryTimeoutMs: o.deliveryTimeoutMs,
            downloadAttempts: o.downloadAttempts,
            skewMs: o.skewMs,
            onlyWindow: o.onlyWindow,
          },
          collector: spec,
          parsePort: parser.port,
        },
        {
          signal: o.signal,
          logger: o.logger,
          level: setup.config.log.level,
          transfer: [parser.port],
          onEvent: (e) => {
            if (e.type === "window") o.onWindow?.(e.window);
            else if (e.type === "print") print(e.line);
            else setup.onQrCode?.(e.prompt);
          },
        },
      );
    } finally {
      parser.close();
    }
  };
}

/** The collector the config asks for, as data; the browser is found here (the Worker may run only it). */
export async function collectorSpec(setup: CollectWorkerSetup): Promise<CollectorSpec> {
  const c = setup.config;
  if (c.collector.kind === "openapi") {
    const token = setup.userToken ?? Deno.env.get("FEISHU_USER_ACCESS_TOKEN");
    if (!token || !c.openapi.chat_id) {
      throw new ConfigError("openapi collector needs a user token and chat id", {
        hint:
          "openapi 方式需要环境变量 FEISHU_USER_ACCESS_TOKEN（用户令牌）与配置 openapi.chat_id（与「飞书合同」" +
          "机器人的会话 ID）。注意：飞书文档未确认用户令牌能读取与其他应用机器人的单聊，推荐使用 browser 方式。",
      });
    }
    return { kind: "openapi", baseUrl: c.openapi.base_url, chatId: c.openapi.chat_id, userToken: token };
  }
  const m = c.messenger;
  const browser = await findBrowser({ configuredPath: m.chromium_path || undefined });
  return {
    kind: "browser",
    options: {
      messengerUrl: m.url,
      profileDir: m.profile_dir,
      chatName: m.bot_chat_name,
      headless: m.headless,
      browser,
      qrSavePath: m.qr_save_path,
      loginTimeoutMs: m.login_timeout_sec * 1000,
      selectors: m.selectors,
    },
  };
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
