/**
 * The export collect stage as a Worker (internal; see `collect_worker.ts`).
 * Started with only what its collector needs (the browser executable, its
 * profile and the run directory; or the Open Platform host and the run
 * directory), it builds the collector itself, opens its own connection to
 * the ledger and its own appender of `collect.ndjson`, parses each download
 * through the read-only parse worker on the port it is given, and reports
 * window changes, console lines and QR prompts to the main thread.
 *
 * @module
 */
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { LarkHttp } from "../../lib/http/lark_http.ts";
import type { Logger } from "../../lib/log/logger.ts";
import { serveStageWorker } from "../../lib/worker/serve_stage_worker.ts";
import { collectStage, type CollectStageOptions, type CollectStageResult } from "./collect.ts";
import type { BrowserCollectorOptions, QrPrompt } from "./collect_browser.ts";
import { OpenApiCollector } from "./collect_openapi.ts";
import type { CollectorFactory } from "./collector.ts";
import { ExportLedger } from "./ledger.ts";
import { FileParser } from "./parse_files.ts";
import { openStageLog } from "./stage_log.ts";
import type { ExportWindow } from "./window.ts";

/** How the Worker builds its collector (plain data). */
export type CollectorSpec =
  | {
    kind: "browser";
    /** The browser collector's options (the browser found by the main thread in `browser`). */
    options: Omit<BrowserCollectorOptions, "print" | "onQrCode" | "clock" | "signal">;
  }
  | {
    kind: "openapi";
    /** Open Platform base URL. */
    baseUrl: string;
    /** The chat with the bot. */
    chatId: string;
    /** User access token (the Worker reads no environment). */
    userToken: string;
  };

/** The collect stage settings that cross as data. */
export type CollectWorkerStage = Omit<
  CollectStageOptions,
  "ledger" | "collector" | "clock" | "signal" | "collectLog" | "onWindow" | "logger" | "parser"
>;

/** What the stage is started with. */
export interface CollectWorkerStart {
  /** Run directory (ledger and `collect.ndjson`). */
  runDir: string;
  /** Stage settings. */
  stage: CollectWorkerStage;
  /** Which collector to build. */
  collector: CollectorSpec;
  /** A port of the read-only parse worker (`parsePort`), transferred. */
  parsePort: MessagePort;
}

/** What the Worker reports while it runs. */
export type CollectWorkerEvent =
  | { type: "window"; window: ExportWindow }
  | { type: "print"; line: string }
  | { type: "qr"; prompt: QrPrompt };

serveStageWorker<CollectWorkerStart, CollectWorkerEvent, CollectStageResult>(
  async (start, { signal, emit, logger }) => {
    const ledger = ExportLedger.open(`${start.runDir}/ledger.sqlite`);
    const collectLog = openStageLog(start.runDir, "collect");
    try {
      return await collectStage({
        ...start.stage,
        ledger,
        collector: collectorOf(start.collector, emit, logger),
        parser: new FileParser(start.parsePort),
        signal,
        collectLog,
        onWindow: (window) => emit({ type: "window", window }),
        logger,
      });
    } finally {
      collectLog.close();
      ledger.close();
    }
  },
);

function collectorOf(
  spec: CollectorSpec,
  emit: (e: CollectWorkerEvent) => void,
  logger: Logger,
): CollectorFactory {
  if (spec.kind === "openapi") {
    return () =>
      Promise.resolve(
        new OpenApiCollector({
          http: new LarkHttp({ baseUrl: spec.baseUrl, logger }),
          auth: staticAuth("user", { Authorization: `Bearer ${spec.userToken}` }),
          chatId: spec.chatId,
        }),
      );
  }
  return async (signal) => {
    // Loaded only to drive the browser: puppeteer-core's `debug` lists the whole environment on import.
    const { BrowserCollector } = await import("./collect_browser.ts");
    return new BrowserCollector({
      ...spec.options,
      print: (line) => emit({ type: "print", line }),
      onQrCode: (prompt) => emit({ type: "qr", prompt }),
      signal,
    });
  };
}
