/** Worker for restricted_worker.test.ts: tries each operation it is told and reports what was allowed. */
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<{ read: string; write: string; net: string }>) => void) | null;
  postMessage(message: Record<string, string>): void;
};

async function outcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return "allowed";
  } catch (e) {
    return e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied
      ? "denied"
      : "error";
  }
}

scope.onmessage = async (e) => {
  const { read, write, net } = e.data;
  scope.postMessage({
    read: await outcome(() => Deno.readTextFile(read)),
    write: await outcome(() => Deno.writeTextFile(write, "x")),
    net: await outcome(() => fetch(net).then((r) => r.body?.cancel())),
    env: await outcome(() => Promise.resolve(Deno.env.get("HOME"))),
    run: await outcome(() => new Deno.Command("true").output()),
  });
};
