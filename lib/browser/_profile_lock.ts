/**
 * A profile lock for browsers that keep none themselves: the headless
 * Chromium shell (the npm-shipped build) lets two processes share one
 * profile, which corrupts a login kept in it. A file in the profile holds the
 * owner's pid; a lock whose owner is gone (killed with -9) is taken over.
 * Linux only (the shell build exists only there): liveness is `/proc/<pid>`.
 */
const LOCK_FILE = ".feishu-kit-browser.pid";

/** Take the lock; `false` when a live process holds it. `release()` frees it. */
export async function lockProfile(profileDir: string): Promise<{ release: () => Promise<void> } | false> {
  const path = `${profileDir}/${LOCK_FILE}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.writeTextFile(path, String(Deno.pid), { createNew: true, mode: 0o600 });
      return { release: () => Deno.remove(path).catch(() => {}) };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    const owner = Number((await Deno.readTextFile(path).catch(() => "")).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== Deno.pid && await alive(owner)) return false;
    if (owner === Deno.pid) return false; // this process already drives a browser on it
    await Deno.remove(path).catch(() => {}); // stale: its owner is gone
  }
  return false;
}

/**
 * Remove the lock when its owner is gone (killed with -9); `true` when one was
 * removed. A Worker that may not read `/proc` takes every lock as live, so its
 * main thread clears stale ones first.
 */
export async function releaseStaleLock(profileDir: string): Promise<boolean> {
  const path = `${profileDir}/${LOCK_FILE}`;
  const owner = Number((await Deno.readTextFile(path).catch(() => "")).trim());
  if (!Number.isInteger(owner) || owner <= 0 || await alive(owner)) return false;
  await Deno.remove(path).catch(() => {});
  return true;
}

/** Whether `pid` runs; `true` when `/proc` may not be read (never take a live owner's lock). */
async function alive(pid: number): Promise<boolean> {
  try {
    await Deno.stat(`/proc/${pid}`);
    return true;
  } catch (e) {
    return e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied;
  }
}
