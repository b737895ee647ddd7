/** What {@linkcode useUtf8Console} did. */
export type Utf8ConsoleResult = "set" | "not-needed" | "not-permitted" | "failed";

/** Options of {@linkcode useUtf8Console}; tests inject every fact. */
export interface Utf8ConsoleOptions {
  /** Operating system (default `Deno.build.os`). */
  os?: typeof Deno.build.os;
  /** Whether stdout or stderr is a console window (default: `isTerminal()` of either). */
  isConsole?: () => boolean;
  /** Whether this process may run `chcp.com` (default: a permission query that never prompts). */
  mayRun?: () => boolean;
  /** Run `chcp.com 65001`; resolves to whether it succeeded (default: `Deno.Command`, output discarded). */
  run?: () => Promise<boolean>;
}

/** The command that switches the console window to UTF-8 (code page 65001). */
export const CHCP = "chcp.com";

/**
 * Make a Windows console window show Chinese: Deno writes UTF-8 bytes to the
 * console (it does not use the UTF-16 console API), and a console window
 * decodes them with its code page, which is GBK (936) on Chinese Windows and
 * 437/1252 elsewhere, so Chinese text turns into mojibake. Switching the window
 * to code page 65001 (UTF-8) fixes that for this and every later program in
 * the window. It runs `chcp.com 65001` only on Windows, only when a console
 * window is attached, and only when `--allow-run=chcp.com` was granted (the
 * release launchers run `chcp 65001` themselves; `deno compile` builds grant
 * it); otherwise it does nothing. Redirected output (`> file`, pipes) is UTF-8
 * whatever this does.
 */
export async function useUtf8Console(options: Utf8ConsoleOptions = {}): Promise<Utf8ConsoleResult> {
  if ((options.os ?? Deno.build.os) !== "windows") return "not-needed";
  const isConsole = options.isConsole ?? (() => Deno.stdout.isTerminal() || Deno.stderr.isTerminal());
  if (!isConsole()) return "not-needed";
  const mayRun = options.mayRun ?? (() => {
    try {
      return Deno.permissions.querySync({ name: "run", command: CHCP }).state === "granted";
    } catch {
      return false;
    }
  });
  if (!mayRun()) return "not-permitted";
  const run = options.run ?? (async () => {
    const out = await new Deno.Command(CHCP, {
      args: ["65001"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    })
      .output();
    return out.success;
  });
  try {
    return (await run()) ? "set" : "failed";
  } catch {
    return "failed";
  }
}
