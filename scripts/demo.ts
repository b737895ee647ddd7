/**
 * `deno task demo`: run the main jobs end to end against the built-in Feishu
 * sandbox, with no configuration: starts the sandbox in-process, writes
 * sample inputs, injects a few faults, runs the tools through their real CLI
 * entry points, and prints the summaries and output paths. The third part
 * runs the meeting recording archiver in-process (webhook, OAuth, NAS) on
 * the same sandbox: a meeting of a user who has not authorized yet → red
 * card → authorization → back-fill → files on the demo "NAS" → green card.
 *
 * @module
 */
import { createSandbox } from "../sandbox/mod.ts";
import { chatidDemo } from "./_demo_chatid.ts";
import { exportDemo } from "./_demo_export.ts";
import { meetingDemo } from "./_demo_meeting.ts";

const OUT = "output/demo";

/** Run the demo; returns the exit code. */
export async function runDemo(outDir = OUT): Promise<number> {
  await Deno.remove(outDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(outDir, { recursive: true });
  const sandbox = createSandbox({
    contractCount: 80,
    // Feishu-like budgets; the tool is configured just under them.
    rateLimits: { global: { perSecond: 50 }, contract_search: { perSecond: 20 } },
    // A smaller cooperation-record set than the real 80k, with one day over the 1,000-row cap.
    export: {
      recordCount: 6000,
      startDate: "2024-01-01",
      endDate: "2024-04-30",
      spikeDays: 1,
      deliveryDelayMs: 300,
    },
  });
  const server = await sandbox.listen();
  try {
    console.log(`飞书沙箱已启动：${server.url}\n`);
    const code = await chatidDemo(sandbox, server.url, outDir);
    if (code !== 0) return code;
    const exportCode = await exportDemo(sandbox, server.url, outDir);
    if (exportCode !== 0) return exportCode;
    return await meetingDemo(sandbox, server.url, outDir);
  } finally {
    await server.close();
  }
}

if (import.meta.main) Deno.exit(await runDemo());
