/**
 * `deno compile` one binary per workflow and platform (internal).
 *
 * @module
 */
import type { ReleaseTarget } from "./targets.ts";

/** The result of one `deno compile`. */
export type CompileResult =
  | { ok: true; file: string }
  | { ok: false; runtimeUnavailable: boolean; message: string };

/** Options of {@linkcode compileBinary}. */
export interface CompileOptions {
  /** The project root. */
  root: string;
  /** Entry point relative to the root. */
  script: string;
  /** Output file without extension (`dist/feishu-chatid-1.0.0-windows-x64`). */
  output: string;
  /** Adapted permission flags. */
  flags: string[];
  /** Modules loaded at run time that the static graph misses (workers, dynamic npm imports). */
  include: string[];
  /** Platform. */
  target: ReleaseTarget;
  /** The `deno` executable (default `Deno.execPath()`). */
  deno?: string;
  /** Cancels the child. */
  signal?: AbortSignal;
}

/**
 * Whether `deno compile`'s error output says it could not download the
 * `denort` runtime it embeds (from dl.deno.land), rather than a problem in
 * the code.
 */
export function isRuntimeDownloadFailure(stderr: string): boolean {
  return /dl\.deno\.land|denort|Setting up base binary/i.test(stderr) &&
    /error sending request|dns error|Connect|timed out|certificate|404|Not Found|network/i.test(stderr);
}

/** The line of a `deno compile` error that names the cause (DNS, connection, TLS), else its first line. */
export function rootCause(message: string): string {
  const lines = message.split("\n").map((l) => l.replace(/^\s*\d+:\s*/, "").trim()).filter(Boolean);
  return lines.find((l) => /dns error|error sending request|timed out|certificate/i.test(l)) ?? lines[0] ??
    "";
}

/** Build one single-file binary; never throws for a failed compile. */
export async function compileBinary(o: CompileOptions): Promise<CompileResult> {
  const file = o.output + (o.target.os === "windows" ? ".exe" : "");
  const args = [
    "compile",
    "--target",
    o.target.triple,
    "--output",
    file,
    ...o.flags,
    ...o.include.flatMap((m) => ["--include", m]),
    o.script,
  ];
  const out = await new Deno.Command(o.deno ?? Deno.execPath(), {
    args,
    cwd: o.root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
    signal: o.signal,
  }).output();
  if (out.success) return { ok: true, file };
  const stderr = new TextDecoder().decode(out.stderr);
  return { ok: false, runtimeUnavailable: isRuntimeDownloadFailure(stderr), message: stderr.trim() };
}
