/** Small path helpers of the service (not exported from the package). */

/** Create the folder holding `file` (a SQLite path; `:memory:` and bare names need nothing). */
export async function ensureParentDir(file: string): Promise<void> {
  if (file === ":memory:" || file.startsWith("file:")) return;
  const i = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  if (i <= 0) return;
  await Deno.mkdir(file.slice(0, i), { recursive: true, mode: 0o700 }); // state folders are private
}

/** `base` without trailing slashes, then `path`. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}
