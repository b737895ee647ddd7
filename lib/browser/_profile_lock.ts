/**
 * A profile lock for browsers that keep none themselves: the headless
 * Chromium shell (the npm-shipped build) lets two processes share one
 * profile, which corrupts a login kept in it. The lock is an OS file lock on
 * a file in the profile, held while the browser runs: the OS drops it when
 * its holder exits, even by `kill -9`, so a dead owner never blocks the next
 * run, and no `/proc` lookup is needed (Deno refuses `/proc/<pid>` unless
 * `--allow-all`, and a Worker may not read it at all). The file also holds
 * the owner's pid, for people.
 */
const LOCK_FILE = ".feishu-kit-browser.pid";

/** Take the lock; `false` when another holder (another process, or this one) has it. `release()` frees it. */
export async function lockProfile(profileDir: string): Promise<{ release: () => Promise<void> } | false> {
  const file = await Deno.open(`${profileDir}/${LOCK_FILE}`, {
    read: true,
    write: true,
    create: true,
    mode: 0o600,
  });
  if (!(await file.tryLock(true))) {
    file.close();
    return false;
  }
  await file.truncate(0);
  await file.write(new TextEncoder().encode(String(Deno.pid)));
  let released = false;
  return {
    release: () => {
      if (!released) file.close(); // closing unlocks
      released = true;
      return Promise.resolve();
    },
  };
}
