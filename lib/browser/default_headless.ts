/**
 * {@linkcode defaultHeadless}: whether to run the browser without a window
 * when the configuration does not say. On a desktop (Windows, macOS, or Linux
 * with `DISPLAY` / `WAYLAND_DISPLAY` set) a window is shown, so a person can
 * scan the login QR code in it; elsewhere (servers, CI, containers) the
 * browser runs headless and the QR code is saved as a PNG whose path is printed.
 *
 * @module
 */
import { readEnv } from "./_env.ts";

/** Facts {@linkcode defaultHeadless} reads (injectable for tests). */
export interface DesktopFacts {
  /** Operating system (default `Deno.build.os`). */
  os?: typeof Deno.build.os;
  /** Environment reader (default `Deno.env.get`, `undefined` where not permitted). */
  getEnv?: (name: string) => string | undefined;
}

/** Environment variables that mean "a Linux desktop session". */
export const DISPLAY_ENV: readonly string[] = ["DISPLAY", "WAYLAND_DISPLAY"];

/** `false` on a desktop (show a window), `true` where there is no display. */
export function defaultHeadless(facts: DesktopFacts = {}): boolean {
  const os = facts.os ?? Deno.build.os;
  if (os === "windows" || os === "darwin") return false;
  const getEnv = facts.getEnv ?? readEnv;
  return !DISPLAY_ENV.some((name) => Boolean(getEnv(name)?.trim()));
}
