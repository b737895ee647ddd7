/**
 * The platforms a release is built for (internal).
 *
 * @module
 */

/** One release platform. */
export interface ReleaseTarget {
  /** `deno compile --target` triple. */
  triple: string;
  /** Short name used in file names (`windows-x64`). */
  label: string;
  /** Operating system, as `Deno.build.os` names it. */
  os: "windows" | "linux" | "darwin";
  /** npm package that carries this platform's `deno` executable. */
  npmPackage: string;
  /** The executable's name inside that package and inside the portable folder. */
  denoExe: string;
}

/** Windows x64, Linux x64 (glibc) and macOS on Apple silicon. */
export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  {
    triple: "x86_64-pc-windows-msvc",
    label: "windows-x64",
    os: "windows",
    npmPackage: "@deno/win32-x64",
    denoExe: "deno.exe",
  },
  {
    triple: "x86_64-unknown-linux-gnu",
    label: "linux-x64",
    os: "linux",
    npmPackage: "@deno/linux-x64-glibc",
    denoExe: "deno",
  },
  {
    triple: "aarch64-apple-darwin",
    label: "macos-arm64",
    os: "darwin",
    npmPackage: "@deno/darwin-arm64",
    denoExe: "deno",
  },
];

/** Pick targets by label or triple (`linux-x64,windows-x64`); unknown names throw. */
export function selectTargets(names: string | undefined): ReleaseTarget[] {
  if (!names) return [...RELEASE_TARGETS];
  return names.split(",").map((n) => n.trim()).filter(Boolean).map((n) => {
    const t = RELEASE_TARGETS.find((t) => t.label === n || t.triple === n);
    if (!t) {
      throw new Error(`未知平台 ${n}；可选：${RELEASE_TARGETS.map((t) => t.label).join("、")}`);
    }
    return t;
  });
}
