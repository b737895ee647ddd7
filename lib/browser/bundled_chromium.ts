/**
 * {@linkcode unpackBundledChromium}: the headless Chromium (Linux x64) that
 * the npm package `@sparticuz/chromium` carries as a Brotli file
 * (`bin/chromium.br`, ~67 MB; ~210 MB unpacked, ~2 s). `npm run demo` and
 * `npm test` install it on Linux x64 into `tools/chromium/node_modules/` (see
 * tools/deno_task.mjs; its own folder keeps it out of Deno's dependencies). We unpack it
 * ourselves, once, into a private cache directory (0700) instead of running
 * the package's own code, which would unpack into the shared `/tmp` and trust
 * whatever `/tmp/chromium` already holds.
 *
 * @module
 */
import { createReadStream, createWriteStream } from "node:fs";
import { createBrotliDecompress } from "node:zlib";
import { pipeline } from "node:stream/promises";

/** Options of {@linkcode unpackBundledChromium}. */
export interface UnpackBundledChromiumOptions {
  /**
   * Folders that may hold `@sparticuz/chromium` (default: the project's
   * `tools/chromium/node_modules`, then `node_modules`, then the same two below
   * the working directory).
   */
  packageDirs?: readonly string[];
  /** Where unpacked builds are kept (default `.state/browser`, below the working directory). */
  cacheDir?: string;
}

const PACKAGE = "@sparticuz/chromium";

/**
 * Path of the unpacked Chromium, unpacking it on first use; `undefined` when
 * the package is not installed. Safe to call from several processes at once
 * (each unpacks into its own temporary folder; the first rename wins).
 */
export async function unpackBundledChromium(
  options: UnpackBundledChromiumOptions = {},
): Promise<string | undefined> {
  const pkg = await findPackage(options.packageDirs ?? defaultPackageDirs());
  if (pkg === undefined) return undefined;
  const cacheDir = options.cacheDir ?? ".state/browser";
  const target = `${cacheDir}/chromium-${pkg.version}`;
  const executable = `${target}/chromium`;
  if (await isNonEmptyFile(executable)) return await Deno.realPath(executable);

  await Deno.mkdir(cacheDir, { recursive: true, mode: 0o700 });
  const tmp = await Deno.makeTempDir({ dir: cacheDir, prefix: ".unpack-" });
  try {
    await brotliToFile(`${pkg.dir}/bin/chromium.br`, `${tmp}/chromium`);
    try {
      await Deno.rename(tmp, target);
    } catch (e) {
      // Another process finished first; its copy is as good as ours.
      if (!(await isNonEmptyFile(executable))) throw e;
    }
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  return await Deno.realPath(executable);
}

function defaultPackageDirs(): string[] {
  const dirs: string[] = [];
  for (const rel of ["../../tools/chromium/node_modules/", "../../node_modules/"]) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol === "file:") dirs.push(decodeURIComponent(url.pathname));
  }
  dirs.push("tools/chromium/node_modules", "node_modules");
  return dirs;
}

async function findPackage(dirs: readonly string[]): Promise<{ dir: string; version: string } | undefined> {
  for (const base of dirs) {
    const dir = `${base.replace(/\/$/, "")}/${PACKAGE}`;
    try {
      const meta = JSON.parse(await Deno.readTextFile(`${dir}/package.json`)) as { version?: unknown };
      if (typeof meta.version !== "string" || !/^[\w.+-]+$/.test(meta.version)) continue;
      if (!(await isNonEmptyFile(`${dir}/bin/chromium.br`))) continue;
      return { dir, version: meta.version };
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) throw e;
    }
  }
  return undefined;
}

async function brotliToFile(from: string, to: string): Promise<void> {
  // pipeline() closes both files when it ends or fails.
  await pipeline(
    createReadStream(from, { highWaterMark: 1 << 22 }),
    createBrotliDecompress({ chunkSize: 1 << 21 }),
    createWriteStream(to, { flags: "wx", mode: 0o700 }),
  );
  await Deno.chmod(to, 0o700);
}

async function isNonEmptyFile(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return info.isFile && info.size > 0;
  } catch {
    return false;
  }
}
