/**
 * The Base attachment downloader (`deno task attachments`, desktop UI with
 * `deno task attachments:ui`): a local WebSocket service that stands in for
 * the upstream client of the Base sidebar plugin "download-files", so the
 * plugin's files land in a local folder, resumably, with a record of every
 * step.
 *
 * **Service ↔ plugin.** The plugin connects from its iframe
 * ({@linkcode PLUGIN_ORIGINS}, or origins the user allows in the UI; other
 * clients show the pairing token) and sends UTF-8 JSON frames `{type, data?}`
 * ({@linkcode MSG}, {@linkcode parseFrame}): a probe (answered with
 * {@linkcode SERVER_VERSION}), one job config ({@linkcode JobConfig}: URL
 * mode with the plugin's temporary links, or token mode with the personal
 * base token), one link per file ({@linkcode LinkItem}), a fresh link
 * whenever the service asks for one, then `complete`. The service answers
 * with acks ({@linkcode Ack}): progress, each file's success or error, the
 * retry round, the ZIP and `job_complete` last.
 *
 * **Stages.** Each job has a directory `<state dir>/jobs/<job key>/` whose
 * NDJSON files chain its stages ({@linkcode JOB_STAGES},
 * {@linkcode JOB_STAGE_FILES}; the main thread writes every line, each
 * checked against its schema, and never a secret):
 *
 * | stage | file: one line per | work done in |
 * |---|---|---|
 * | job | `job.ndjson`: config, `complete`, status change | the plugin's connection |
 * | files | `files.ndjson`: file announced, with its fixed target | the plugin's connection |
 * | downloads | `downloads.ndjson`: attempt's start and outcome (bytes, SHA-256, error kind) | a restricted Worker per job (writes only the download folder, reaches only the download hosts) |
 * | zip | `zip.ndjson`: ZIP written (entries, bytes, SHA-256) or its error | a restricted Worker ({@linkcode zipGrants}: reads the job directory and the download folder, writes only the ZIP) |
 *
 * The SQLite {@linkcode JobStore} is the index a restarted service resumes
 * from (token-mode jobs go on, URL-mode ones wait for the plugin); the files
 * alone tell what happened: {@linkcode replayJob} rebuilds a job from them
 * (`deno task attachments:replay <job dir>`) and {@linkcode runZipStage}
 * reruns the ZIP stage alone (`deno task attachments:zip <job dir>`).
 *
 * **The program.** {@linkcode loadAttachmentsConfig} reads flags, the
 * environment, `.env` and `config/attachments.example.yaml`-style YAML;
 * {@linkcode AttachmentsApp} owns the store, the settings running jobs read
 * and the WebSocket service; {@linkcode startUiServer} serves the desktop UI
 * on loopback; {@linkcode UserSettingsFile} keeps the UI's settings (the
 * token sealed).
 *
 * @example Run the service, then read a job back from its files
 * ```ts
 * import { createLogger } from "../../lib/log/logger.ts";
 * import { AttachmentsApp, DEFAULTS, JobStore, loadAttachmentsConfig, replayJob, runZipStage } from "./mod.ts";
 *
 * const { config } = await loadAttachmentsConfig({ file: "config/attachments.yaml" });
 * const store = new JobStore(":memory:");
 * const app = new AttachmentsApp({
 *   host: config.host,
 *   port: 0, // any free port
 *   settings: {
 *     output: config.output,
 *     downloadConcurrency: config.download_concurrency,
 *     connectTimeoutMs: config.http_connect_timeout * 1000,
 *     readTimeoutMs: config.download_read_timeout * 1000,
 *     personalBaseToken: config.personal_base_token,
 *     baseApiUrl: config.base_api_url,
 *     maxFilesPerJob: config.max_files_per_job,
 *     downloadHosts: [...DEFAULTS.downloadHosts, ...config.download_hosts],
 *   },
 *   store,
 *   pairingToken: crypto.randomUUID(),
 *   allowOrigins: config.allow_origins,
 *   maxFrameBytes: config.max_frame_bytes,
 *   maxConnections: config.max_connections,
 *   logger: createLogger(),
 * });
 * await app.start();
 * console.log(`the plugin connects to ${app.service?.url}`);
 * // … jobs run …
 * await app.stop();
 * store.close();
 *
 * const jobDir = "jobs/1733390000000"; // <state dir>/jobs/<job key>
 * const job = await replayJob(jobDir);
 * console.log(job.status, job.files.filter((f) => f.status === "done").length);
 * const zip = await runZipStage(jobDir); // also appended to zip.ndjson
 * console.log(zip.outcome, zip.path);
 * ```
 *
 * @module
 */
export * from "./attachments_app.ts";
export * from "./config.ts";
export * from "./job_store.ts";
export * from "./origin_policy.ts";
export * from "./protocol.ts";
export * from "./replay.ts";
export * from "./settings.ts";
export * from "./stage_files.ts";
export * from "./ui_server.ts";
export * from "./user_settings.ts";
export * from "./zip_stage.ts";
// Types that the public signatures above refer to.
export type { AttachmentService, AttachmentServiceOptions } from "./service.ts";
export type { Monitor, MonitorSnapshot } from "./monitor.ts";
export type { AttachmentJob, JobFile } from "./attachment_job.ts";
export type { JobLog } from "./job_log.ts";
export type { Ack } from "./acks.ts";
export type { RefreshBroker } from "./refresh_broker.ts";
export type { UiLanguage } from "./ui_text.ts";
export type { ZipWorkerStart } from "./_zip_worker.ts";
export type { LogFields, Logger } from "../../lib/log/logger.ts";
export type { Clock } from "../../lib/time/mod.ts";
export type { BucketSpec, BucketStats, RateLimiter } from "../../lib/rate_limit/mod.ts";
export type { WorkerGrants } from "../../lib/worker/restricted_worker.ts";
export type { ReadNdjsonOptions } from "../../lib/ndjson/read_ndjson.ts";
export type { NdjsonLineError } from "../../lib/ndjson/ndjson_line_error.ts";
export type { NdjsonStageFiles } from "../../lib/ndjson/ndjson_stage_files.ts";
export type { NdjsonWriter, NdjsonWriterOptions } from "../../lib/ndjson/ndjson_writer.ts";
export type { Schema, SchemaIssue, SchemaResult } from "../../lib/validate/schema.ts";
