/**
 * Worker for download_grants.test.ts: started with the download stage's
 * grants, it tries each operation it is told and reports `ok` or the name of
 * the error it met inside (a denial by the permission system is `NotCapable`).
 */
export interface GrantsProbe {
  writeInside: string;
  writeOutside: string;
  readState: string;
  fetchAllowed: string;
  fetchOther: string;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<GrantsProbe>) => void) | null;
  postMessage(message: Record<string, string>): void;
};

async function attempt(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return "ok";
  } catch (e) {
    return (e as Error).name;
  }
}

scope.onmessage = async (e) => {
  const p = e.data;
  scope.postMessage({
    writeInside: await attempt(() => Deno.writeTextFile(p.writeInside, "x")),
    writeOutside: await attempt(() => Deno.writeTextFile(p.writeOutside, "x")),
    readState: await attempt(() => Deno.readFile(p.readState)),
    fetchAllowed: await attempt(() => fetch(p.fetchAllowed).then((r) => r.body?.cancel())),
    fetchOther: await attempt(() => fetch(p.fetchOther).then((r) => r.body?.cancel())),
    env: await attempt(() => Promise.resolve(Deno.env.get("HOME"))),
    run: await attempt(() => new Deno.Command("true").output()),
  });
};
