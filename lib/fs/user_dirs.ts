import { posix, win32 } from "node:path";

/** The operating systems Deno reports (`Deno.build.os`). */
export type OsName = typeof Deno.build.os;

/** Where defaults live: below the working directory, or in the user's own folders. */
export type DirLayout = "project" | "user";

/** Options shared by the helpers in this file; tests inject every fact. */
export interface UserDirsOptions {
  /** Operating system (default `Deno.build.os`). */
  os?: OsName;
  /**
   * Environment reader (default: `Deno.env.get` for variables this process may read,
   * `undefined` for the others, so a narrowed `--allow-env` never prompts or throws).
   */
  env?: (name: string) => string | undefined;
  /** Folder name under the platform's base folders (default `feishu-kit`). */
  app?: string;
  /** The running module's URL (default `Deno.mainModule`); tells a `deno compile` binary apart. */
  mainModule?: string;
}

/** The per-user folders of the toolkit on one platform. */
export interface UserDirs {
  /** Configuration files: `%APPDATA%\feishu-kit`, `~/Library/Application Support/feishu-kit`, `$XDG_CONFIG_HOME/feishu-kit`. */
  config: string;
  /** Databases and caches: `%LOCALAPPDATA%\feishu-kit\state`, `~/Library/Application Support/feishu-kit/state`, `$XDG_STATE_HOME/feishu-kit`. */
  state: string;
  /** Browser profiles (logins): `%LOCALAPPDATA%\feishu-kit\profiles`, `…/feishu-kit/profiles`, `$XDG_STATE_HOME/feishu-kit/profiles`. */
  profiles: string;
}

/** Environment variable that selects the layout: `user` or `project` (the release launchers set `user`). */
export const DIR_LAYOUT_ENV = "FEISHU_KIT_DIRS";

/** Project-relative folder for state in the `project` layout. */
export const PROJECT_STATE_DIR = ".state";

/** Every environment variable these helpers may read (for `--allow-env` lists). */
export const USER_DIRS_ENV: readonly string[] = [
  DIR_LAYOUT_ENV,
  "APPDATA",
  "LOCALAPPDATA",
  "USERPROFILE",
  "HOME",
  "XDG_CONFIG_HOME",
  "XDG_STATE_HOME",
];

/** `Deno.env.get` for granted variables only; never prompts. */
function grantedEnv(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") return undefined;
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

function facts(o: UserDirsOptions) {
  return {
    os: o.os ?? Deno.build.os,
    env: (name: string) => {
      const v = (o.env ?? grantedEnv)(name);
      return v === undefined || v.trim() === "" ? undefined : v;
    },
    app: o.app ?? "feishu-kit",
  };
}

/**
 * The platform's per-user folders for the toolkit, or `undefined` when the
 * environment names no home folder (a service account without a profile):
 * callers then keep the project-relative defaults.
 *
 * - Windows: config in `%APPDATA%` (roams with the user), state and browser
 *   profiles in `%LOCALAPPDATA%` (large, machine-bound); both fall back to
 *   `%USERPROFILE%\AppData\…`.
 * - macOS: `~/Library/Application Support/feishu-kit`.
 * - Linux and others: XDG (`$XDG_CONFIG_HOME` or `~/.config`, `$XDG_STATE_HOME`
 *   or `~/.local/state`); relative XDG values are ignored, as the spec says.
 *
 * @example
 * ```ts
 * const env = { LOCALAPPDATA: "C:\\Users\\张 三\\AppData\\Local", APPDATA: "C:\\Users\\张 三\\AppData\\Roaming" };
 * userDirs({ os: "windows", env: (n) => env[n as keyof typeof env] })?.state;
 * // "C:\\Users\\张 三\\AppData\\Local\\feishu-kit\\state"
 * ```
 */
export function userDirs(options: UserDirsOptions = {}): UserDirs | undefined {
  const { os, env, app } = facts(options);
  if (os === "windows") {
    const profile = env("USERPROFILE");
    const roaming = absoluteWin(env("APPDATA")) ?? (profile && win32.join(profile, "AppData", "Roaming"));
    const local = absoluteWin(env("LOCALAPPDATA")) ?? (profile && win32.join(profile, "AppData", "Local"));
    if (!roaming || !local || !win32.isAbsolute(roaming) || !win32.isAbsolute(local)) return undefined;
    return {
      config: win32.join(roaming, app),
      state: win32.join(local, app, "state"),
      profiles: win32.join(local, app, "profiles"),
    };
  }
  const home = env("HOME");
  const absHome = home && posix.isAbsolute(home) ? home : undefined;
  if (os === "darwin") {
    if (!absHome) return undefined;
    const base = posix.join(absHome, "Library", "Application Support", app);
    return { config: base, state: posix.join(base, "state"), profiles: posix.join(base, "profiles") };
  }
  const xdgConfig = absolutePosix(env("XDG_CONFIG_HOME")) ?? (absHome && posix.join(absHome, ".config"));
  const xdgState = absolutePosix(env("XDG_STATE_HOME")) ??
    (absHome && posix.join(absHome, ".local", "state"));
  if (!xdgConfig || !xdgState) return undefined;
  const state = posix.join(xdgState, app);
  return { config: posix.join(xdgConfig, app), state, profiles: posix.join(state, "profiles") };
}

function absoluteWin(p: string | undefined): string | undefined {
  return p && win32.isAbsolute(p) ? p : undefined;
}

function absolutePosix(p: string | undefined): string | undefined {
  return p && posix.isAbsolute(p) ? p : undefined;
}

/**
 * Which layout the defaults follow. `FEISHU_KIT_DIRS=user|project` decides
 * when set; a `deno compile` binary (its main module sits in a
 * `deno-compile-…` folder) uses `user`; a source checkout (`deno task …`)
 * keeps `project`, where the tasks' `--allow-write=.` applies.
 */
export function dirLayout(options: UserDirsOptions = {}): DirLayout {
  const { env } = facts(options);
  const chosen = env(DIR_LAYOUT_ENV)?.trim().toLowerCase();
  if (chosen === "user" || chosen === "project") return chosen;
  const main = options.mainModule ?? Deno.mainModule;
  return /[\\/]deno-compile-[^\\/]+[\\/]/.test(decodeURIComponent(main)) ? "user" : "project";
}

/**
 * Default path of a state file (token cache, job database): `.state/<file>` in
 * the project layout, the per-user state folder in the user layout.
 *
 * @example
 * ```ts
 * statePath("tokens.sqlite", { env: () => undefined, mainModule: "file:///repo/scripts/chatid.ts" });
 * // ".state/tokens.sqlite"
 * ```
 */
export function statePath(file: string, options: UserDirsOptions = {}): string {
  const dirs = dirLayout(options) === "user" ? userDirs(options) : undefined;
  if (!dirs) return posix.join(PROJECT_STATE_DIR, file);
  return joinFor(facts(options).os, dirs.state, file);
}

/**
 * Default browser profile folder (keeps a QR login between runs):
 * `.state/<name>` in the project layout, the per-user profiles folder in the
 * user layout.
 */
export function profilePath(name: string, options: UserDirsOptions = {}): string {
  const dirs = dirLayout(options) === "user" ? userDirs(options) : undefined;
  if (!dirs) return posix.join(PROJECT_STATE_DIR, name);
  return joinFor(facts(options).os, dirs.profiles, name);
}

/**
 * The configuration file to read when `--config` is not given: the first of
 * `config/<tool>.yaml` below the working directory and `<tool>.yaml` in the
 * per-user config folder that exists; `config/<tool>.yaml` when neither does
 * (so the message names the usual place).
 */
export function defaultConfigFile(
  tool: string,
  options: UserDirsOptions & { exists?: (path: string) => boolean } = {},
): string {
  const exists = options.exists ?? isFile;
  const local = posix.join("config", `${tool}.yaml`);
  if (exists(local)) return local;
  const dirs = userDirs(options);
  const user = dirs && joinFor(facts(options).os, dirs.config, `${tool}.yaml`);
  return user && exists(user) ? user : local;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** `path.join` of the given platform (backslashes on Windows). */
export function joinFor(os: OsName, ...parts: string[]): string {
  return os === "windows" ? win32.join(...parts) : posix.join(...parts);
}

/**
 * Whether `child` is `parent` itself or inside it, by the platform's rules
 * (on Windows: either slash, drive letters and case-insensitive names;
 * `C:\a` does not contain `C:\ab`). Both paths are resolved first.
 */
export function isInside(parent: string, child: string, os: OsName = Deno.build.os): boolean {
  const p = os === "windows" ? win32 : posix;
  const rel = p.relative(p.resolve(parent), p.resolve(child));
  return rel === "" || (rel !== ".." && !rel.startsWith(".." + p.sep) && !p.isAbsolute(rel));
}
