import process from "node:process";
import cliProgress from "cli-progress";

/** A progress display: a bar in a terminal, a line every few seconds otherwise. */
export interface Progress {
  /** Set the number done (and optionally the total). */
  update(done: number, total?: number): void;
  /** Stop and leave the last state on screen. */
  stop(): void;
}

/** Options of {@linkcode createProgress}. */
export interface ProgressOptions {
  /** Total units. */
  total: number;
  /** Label, e.g. "合同". */
  label: string;
  /** Force the plain mode (default: plain unless stderr is a terminal). */
  plain?: boolean;
  /** Seconds between plain lines (default 5). */
  intervalSec?: number;
  /** Where plain lines go (default stderr). */
  write?: (line: string) => void;
  /** Time source in ms (default `Date.now`). */
  now?: () => number;
}

/** Show done/total, rate per second and ETA. */
export function createProgress(o: ProgressOptions): Progress {
  const now = o.now ?? Date.now;
  const start = now();
  let total = o.total;
  const plain = o.plain ?? !Deno.stderr.isTerminal();
  if (!plain) {
    const bar = new cliProgress.SingleBar({
      format: `${o.label} [{bar}] {value}/{total} | {rate}/s | 剩余约 {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    }, cliProgress.Presets.shades_classic);
    bar.start(total, 0, { rate: "0.0" });
    return {
      update(done, t) {
        if (t !== undefined && t !== total) {
          total = t;
          bar.setTotal(t);
        }
        const secs = Math.max(0.001, (now() - start) / 1000);
        bar.update(done, { rate: (done / secs).toFixed(1) });
      },
      stop: () => bar.stop(),
    };
  }
  const write = o.write ?? ((l: string) => console.error(l));
  let last = 0;
  let lastDone = -1;
  const line = (done: number) => {
    const secs = Math.max(0.001, (now() - start) / 1000);
    const rate = done / secs;
    const eta = rate > 0 ? Math.round((total - done) / rate) : undefined;
    write(
      `${o.label}进度 ${done}/${total}，${rate.toFixed(1)}/秒${
        eta !== undefined ? `，剩余约 ${formatSeconds(eta)}` : ""
      }`,
    );
    lastDone = done;
  };
  return {
    update(done, t) {
      if (t !== undefined) total = t;
      const n = now();
      if (n - last >= (o.intervalSec ?? 5) * 1000 || done === total) {
        last = n;
        if (done !== lastDone) line(done);
      }
    },
    stop() {},
  };
}

/** `75` → `1分15秒`. */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s}秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}分${s % 60}秒`;
  return `${Math.floor(m / 60)}小时${m % 60}分`;
}
