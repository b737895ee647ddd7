import { z } from "zod";
import { profilePath } from "../../lib/fs/user_dirs.ts";
import type { Schema, SchemaYields } from "../../lib/validate/schema.ts";
import { isIsoDate } from "./dates.ts";
import { templateProblem } from "./naming.ts";

const isoDate = z.string().refine(isIsoDate, { message: "日期格式应为 YYYY-MM-DD" });
const template = z.string().min(1).superRefine((t, ctx) => {
  const problem = templateProblem(t);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const schema = z.object({
  range: z.object({
    start: isoDate.default("2022-01-01"),
    /** Empty: today in the configured time zone (a resumed run keeps its recorded end). */
    end: z.union([isoDate, z.literal("")]).default(""),
  }).prefault({}),
  plan: z.object({
    initial_days: z.number().int().min(1).max(366).default(7),
    row_cap: z.number().int().min(1).default(1000),
    cap_threshold: z.number().int().min(1).default(1000),
    min_days: z.number().int().min(1).default(1),
    max_days: z.number().int().min(1).max(3660).default(366),
    fill: z.number().min(0.5).max(1).default(0.9),
  }).prefault({}).refine((p) => p.cap_threshold <= p.row_cap, {
    message: "cap_threshold 不能大于 row_cap",
    path: ["cap_threshold"],
  }).refine((p) => p.min_days <= p.initial_days && p.initial_days <= p.max_days, {
    message: "应满足 min_days ≤ initial_days ≤ max_days",
    path: ["initial_days"],
  }),
  filters: z.object({
    keyword: z.string().nullish(),
    searchTabEnumCode: z.number().int().nullish(),
  }).prefault({}),
  tz_offset_minutes: z.number().int().min(-840).max(720).default(-480),
  auth: z.object({
    curl: z.string().default(""),
    cookie: z.string().default(""),
    headers: z.record(z.string(), z.string()).default({}),
    base_url: z.union([z.url(), z.literal("")]).default(""),
    /** Extra hosts a copied cURL may target (private deployments), besides the Feishu contract hosts. */
    allowed_hosts: z.array(z.string().min(1)).default([]),
  }).prefault({}),
  /** Optional exact counts from the captured list request (empty `curl`: plan without counts). */
  count: z.object({
    curl: z.string().default(""),
    total_path: z.string().min(1).default("data.total"),
    range_field: z.string().min(1).default("searchCooperationByCreateTime"),
    page_size_field: z.string().default("pageSize"),
    count_qpm: z.number().positive().default(60),
  }).prefault({}),
  rate_limit: z.object({
    global_qpm: z.number().positive().default(60),
    export_qpm: z.number().positive().default(10),
    export_concurrency: z.number().int().min(1).max(8).default(1),
  }).prefault({}),
  retry: z.object({
    max_retries: z.number().int().min(0).max(10).default(3),
    base_ms: z.number().int().positive().default(1000),
    cap_ms: z.number().int().positive().default(30_000),
  }).prefault({}),
  http: z.object({
    connect_timeout_ms: z.number().int().positive().default(10_000),
    total_timeout_ms: z.number().int().positive().default(60_000),
  }).prefault({}),
  output: z.object({
    dir: z.string().min(1).default("output/export"),
    file_template: template.default("合同协同_{start:YYYYMMDD}-{end:YYYYMMDD}.xlsx"),
    merged_template: template.default("合同协同_汇总_{start:YYYYMMDD}-{end:YYYYMMDD}.xlsx"),
    sqlite_table: z.boolean().default(false),
  }).prefault({}),
  collector: z.object({
    kind: z.enum(["browser", "openapi"]).default("browser"),
    poll_interval_sec: z.number().positive().default(5),
    delivery_timeout_sec: z.number().positive().default(900),
    download_attempts: z.number().int().min(1).max(10).default(3),
  }).prefault({}),
  messenger: z.object({
    url: z.url().default("https://www.feishu.cn/messenger/"),
    bot_chat_name: z.string().min(1).default("飞书合同"),
    profile_dir: z.string().default(() => profilePath("chromium-profile")),
    // Unset: a window on a desktop, headless elsewhere (lib/browser defaultHeadless).
    headless: z.boolean().optional(),
    qr_save_path: z.string().default("output/export/login_qr.png"),
    // Empty: found by lib/browser findBrowser (FEISHU_BROWSER, installed browsers, npm Chromium).
    chromium_path: z.string().default(""),
    login_timeout_sec: z.number().positive().default(300),
    selectors: z.record(z.string(), z.string()).default({}),
  }).prefault({}),
  openapi: z.object({
    base_url: z.url().default("https://open.feishu.cn"),
    app_id: z.string().default(""),
    app_secret: z.string().default(""),
    chat_id: z.string().default(""),
  }).prefault({}),
  merge: z.object({
    key_column: z.string().default("记录ID"),
    date_columns: z.array(z.string()).default(["操作时间", "创建时间"]),
    source_column: z.string().min(1).default("来源窗口"),
    workers: z.number().int().min(1).max(16).default(2),
  }).prefault({}),
  verify: z.object({
    required_columns: z.array(z.string()).default(["记录ID"]),
    window_date_column: z.string().default(""),
  }).prefault({}),
  log: z.object({
    level: z.enum(["debug", "info", "warn", "error"]).default("info"),
  }).prefault({}),
});

/**
 * Validated export configuration, defaults applied
 * (`config/export.example.yaml` documents every key).
 */
export interface ExportConfig {
  /** Days to export, `YYYY-MM-DD` (`end` empty: today in the configured time zone). */
  range: { start: string; end: string };
  /** Window planning: first window, row cap of one export, split threshold, window bounds, fill ratio. */
  plan: {
    initial_days: number;
    row_cap: number;
    cap_threshold: number;
    min_days: number;
    max_days: number;
    fill: number;
  };
  /** Search filters sent with every export. */
  filters: { keyword?: string | null; searchTabEnumCode?: number | null };
  /** Time zone of the dates, minutes from UTC as `Date.getTimezoneOffset` gives them (-480: UTC+8). */
  tz_offset_minutes: number;
  /** The captured export request (cURL file) or its cookie and headers; extra hosts it may target. */
  auth: {
    curl: string;
    cookie: string;
    headers: Record<string, string>;
    base_url: string;
    allowed_hosts: string[];
  };
  /** Exact counts from the captured list request (empty `curl`: plan without counts). */
  count: {
    curl: string;
    total_path: string;
    range_field: string;
    page_size_field: string;
    count_qpm: number;
  };
  /** Requests per minute and exports in flight. */
  rate_limit: { global_qpm: number; export_qpm: number; export_concurrency: number };
  /** Retries of a failed request (exponential backoff between `base_ms` and `cap_ms`). */
  retry: { max_retries: number; base_ms: number; cap_ms: number };
  /** Request timeouts. */
  http: { connect_timeout_ms: number; total_timeout_ms: number };
  /** Output folder, file name templates, and whether to add an SQLite table. */
  output: { dir: string; file_template: string; merged_template: string; sqlite_table: boolean };
  /** How exported files are collected: the messenger in a browser, or the OpenAPI. */
  collector: {
    kind: "browser" | "openapi";
    poll_interval_sec: number;
    delivery_timeout_sec: number;
    download_attempts: number;
  };
  /** The messenger page the browser collector drives (`headless` unset: a window on a desktop). */
  messenger: {
    url: string;
    bot_chat_name: string;
    profile_dir: string;
    headless?: boolean;
    qr_save_path: string;
    chromium_path: string;
    login_timeout_sec: number;
    selectors: Record<string, string>;
  };
  /** The app and chat the OpenAPI collector reads. */
  openapi: { base_url: string; app_id: string; app_secret: string; chat_id: string };
  /** Merging the window files into one workbook. */
  merge: { key_column: string; date_columns: string[]; source_column: string; workers: number };
  /** Checks of a finished run. */
  verify: { required_columns: string[]; window_date_column: string };
  /** Log level. */
  log: { level: "debug" | "info" | "warn" | "error" };
}

// The interface above is exactly what the schema yields (a type error once they drift apart).
const _exact: SchemaYields<typeof schema, ExportConfig> = true;

/**
 * Schema of the bulk export's configuration (`deno task export`; a zod
 * schema, `config/export.example.yaml` documents every key).
 */
export const ExportConfigSchema: Schema<ExportConfig> = schema;

/** Environment variables that fill secret keys. */
export const EXPORT_ENV: Record<string, string> = {
  "auth.cookie": "FEISHU_CLM_COOKIE",
  "openapi.app_id": "FEISHU_APP_ID",
  "openapi.app_secret": "FEISHU_APP_SECRET",
};
