import type { LogFields, LogLevel, LogSink } from "./logger.ts";

const LABEL: Record<LogLevel, string> = { debug: "调试", info: "信息", warn: "警告", error: "错误" };

/** Options of {@linkcode ConsoleSink}. */
export interface ConsoleSinkOptions {
  /** Lowest level shown (default `"warn"`: the console stays quiet). */
  level?: LogLevel;
  /** Where to write (default stderr). */
  write?: (line: string) => void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Chinese names of the events the core logs, for the console line. */
const EVENT_LABEL: Record<string, string> = {
  retry: "重试",
  http: "请求",
  resume: "续跑",
  token_refresh: "刷新令牌",
};

/** A short human line per record on stderr: `[警告] event message (code, log_id)`. */
export class ConsoleSink implements LogSink {
  #min: number;
  #write: (line: string) => void;
  /** Create the sink. */
  constructor(options: ConsoleSinkOptions = {}) {
    this.#min = ORDER[options.level ?? "warn"];
    this.#write = options.write ?? ((l) => console.error(l));
  }
  /** Print one record. */
  write(r: LogFields & { ts: string; level: LogLevel; event: string }): void {
    if (ORDER[r.level] < this.#min) return;
    const extra: string[] = [];
    for (const k of ["message", "hint"]) if (typeof r[k] === "string") extra.push(r[k] as string);
    const facts: string[] = [];
    for (const k of ["endpoint", "code", "status", "http_status", "attempt", "log_id"]) {
      if (r[k] !== undefined && r[k] !== null) facts.push(`${k}=${r[k]}`);
    }
    this.#write(
      `[${LABEL[r.level]}] ${EVENT_LABEL[r.event] ?? r.event}${extra.length ? " " + extra.join(" ") : ""}${
        facts.length ? ` (${facts.join(", ")})` : ""
      }`,
    );
  }
}
