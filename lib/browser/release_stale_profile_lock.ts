import { releaseStaleLock } from "./_profile_lock.ts";

/**
 * Remove the profile lock `launchBrowser` keeps for the headless Chromium
 * shell when the process that held it is gone (killed with -9); `true` when
 * one was removed. Call it in the main thread before a Worker that may not
 * read `/proc` launches the browser on `profileDir`: such a Worker takes
 * every lock it finds as held by a live process.
 *
 * @example
 * ```ts ignore
 * import { releaseStaleProfileLock } from "./release_stale_profile_lock.ts";
 * await releaseStaleProfileLock(".state/chromium");
 * ```
 */
export function releaseStaleProfileLock(profileDir: string): Promise<boolean> {
  return releaseStaleLock(profileDir);
}
