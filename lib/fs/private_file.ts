/**
 * Owner-only files and folders for state and secrets: folders 0700, files 0600. On Windows
 * the modes are ignored by the OS (the files live under the user's profile), so these only
 * create.
 *
 * @module
 */

const POSIX = Deno.build.os !== "windows";

/** The folder part of `path` ("" when it has none). */
function parentOf(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i > 0 ? path.slice(0, i) : "";
}

/** Create `dir` (and missing parents) with mode 0700; an existing folder is left as it is. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  if (dir) await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Synchronous {@linkcode ensurePrivateDir}. */
export function ensurePrivateDirSync(dir: string): void {
  if (dir) Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Create the folder of `path` (0700) when missing. */
export async function ensurePrivateParent(path: string): Promise<void> {
  await ensurePrivateDir(parentOf(path));
}

/**
 * Set `path` to owner read/write only (0600) when it exists. A file owned by someone else
 * (chmod refused), or one this process may not change (a restricted Worker), is left as
 * it is. Returns false when there is no such file.
 */
export function restrictFileSync(path: string): boolean {
  if (!POSIX) return existsSync(path);
  try {
    Deno.chmodSync(path, 0o600);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    // Not ours to change, or (NotCapable) a sandboxed reader such as a restricted Worker:
    // the file exists; the process that may write it sets its mode.
    if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) return true;
    throw e;
  }
}

/**
 * Create `path` empty with mode 0600 (its folder 0700) unless it exists, and set an
 * existing one to 0600: for files that other code then opens (SQLite, logs, journals).
 */
export function createPrivateFileSync(path: string): void {
  ensurePrivateDirSync(parentOf(path));
  try {
    Deno.openSync(path, { write: true, createNew: true, mode: 0o600 }).close();
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
  }
  restrictFileSync(path);
}

/**
 * Write a file only its owner can read (0600), creating its folder with 0700. With
 * `createNew` an existing file is an error (`Deno.errors.AlreadyExists`).
 */
export async function writePrivateFile(
  path: string,
  data: string | Uint8Array,
  options: { createNew?: boolean } = {},
): Promise<void> {
  await ensurePrivateParent(path);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  await Deno.writeFile(path, bytes, { mode: 0o600, createNew: options.createNew ?? false });
  restrictFileSync(path);
}

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
