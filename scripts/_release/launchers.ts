/**
 * Render the portable folder's `.cmd` and `.sh` launchers (internal).
 *
 * @module
 */
import { USER_DIR } from "./permissions.ts";

/** What a launcher runs. */
export interface LauncherSpec {
  /** Launcher name (`feishu-chatid`). */
  name: string;
  /** Entry point relative to the project (`scripts/chatid.ts`); it sits in `app/` in the folder. */
  script: string;
  /** `deno run` flags, already adapted; may contain `USER_DIR`. */
  flags: string[];
  /** The Deno executable's file name in `deno/`. */
  denoExe: string;
}

/**
 * Flags every launcher adds: no Deno diagnostics (such as the one-time note about npm build
 * scripts), offline, lockfile checked and never written.
 */
const FIXED = ["--quiet", "--cached-only", "--frozen"];

/**
 * A Windows `.cmd` launcher. ASCII only (cmd.exe reads batch files in the
 * console's code page). It switches the console window to UTF-8 so Chinese
 * shows (and switches back afterwards), runs from its own folder (so
 * `config\` and `output\` are next to it, and a file dragged onto it arrives
 * as an absolute path), uses the folder's Deno and dependency cache, keeps
 * state and browser profiles in `%LOCALAPPDATA%\feishu-kit`, and waits for a
 * key when it was started by a double click (so the window does not vanish).
 */
export function renderCmd(spec: LauncherSpec): string {
  const q = (s: string) => `"${s.replaceAll("%", "%%").replaceAll(USER_DIR, "%LOCALAPPDATA%\\feishu-kit")}"`;
  const args = [
    ...FIXED,
    `"--config=%~dp0app\\deno.json"`,
    ...spec.flags.map(q),
    `"%~dp0app\\${spec.script.replaceAll("/", "\\")}"`,
  ];
  const lines = [
    "@echo off",
    `rem ${spec.name}: portable launcher (feishu-kit). Edit config\\*.yaml, not this file.`,
    "setlocal",
    `for /f "tokens=2 delims=:" %%a in ('chcp') do set "FEISHU_KIT_OLD_CP=%%a"`,
    "chcp 65001 >nul",
    'pushd "%~dp0"', // unlike cd, also works when the folder is on a network share (\\server\share)
    'set "DENO_DIR=%~dp0deno_dir"',
    'set "DENO_NO_UPDATE_CHECK=1"',
    'set "FEISHU_KIT_DIRS=user"',
    `"%~dp0deno\\${spec.denoExe}" run ${args.join(" ")} %*`,
    'set "FEISHU_KIT_EXIT=%ERRORLEVEL%"',
    "popd",
    "if defined FEISHU_KIT_OLD_CP chcp %FEISHU_KIT_OLD_CP% >nul 2>&1",
    'echo %CMDCMDLINE% | findstr /i /c:"%~nx0" >nul && pause',
    "exit /b %FEISHU_KIT_EXIT%",
  ];
  return lines.join("\r\n") + "\r\n";
}

/**
 * A POSIX `sh` launcher (Linux, macOS). It runs in the caller's working
 * directory (relative paths keep their usual meaning), with the folder's Deno
 * and dependency cache, state and browser profiles in the per-user folder.
 */
export function renderSh(spec: LauncherSpec, os: "linux" | "darwin"): string {
  const esc = (s: string) => s.replace(/[\\"`$]/g, (c) => `\\${c}`);
  const userDir = os === "darwin" ? "$HOME/Library/Application Support/feishu-kit" : "$state_base/feishu-kit";
  const q = (s: string) => `"${esc(s).replaceAll(USER_DIR, userDir)}"`;
  const args = [
    ...FIXED,
    `"--config=$here/app/deno.json"`,
    ...spec.flags.map(q),
    `"$here/app/${esc(spec.script)}"`,
  ];
  const lines = [
    "#!/bin/sh",
    `# ${spec.name}: portable launcher (feishu-kit). Edit config/*.yaml, not this file.`,
    'here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 1',
    ...(os === "linux"
      ? [
        'case "${XDG_STATE_HOME:-}" in /*) state_base=$XDG_STATE_HOME ;; *) state_base="$HOME/.local/state" ;; esac',
      ]
      : []),
    'DENO_DIR="$here/deno_dir" DENO_NO_UPDATE_CHECK=1 FEISHU_KIT_DIRS=user',
    "export DENO_DIR DENO_NO_UPDATE_CHECK FEISHU_KIT_DIRS",
    `exec "$here/deno/${spec.denoExe}" run ${args.join(" ")} "$@"`,
  ];
  return lines.join("\n") + "\n";
}
