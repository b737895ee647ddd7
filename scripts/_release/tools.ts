/**
 * The workflows a release ships, and the permissions their `deno.json`
 * tasks grant (internal).
 *
 * @module
 */

/** One launcher: a `deno.json` task that runs one entry point. */
export interface ReleaseLauncher {
  /** Launcher file name without extension (`feishu-chatid`). */
  name: string;
  /** The `deno.json` task whose permissions it uses. */
  task: string;
  /** Entry point, relative to the project root. */
  script: string;
  /** Chinese one-line description for the package's read-me. */
  title: string;
}

/** One workflow: one `deno compile` binary, one or more launchers. */
export interface ReleaseTool {
  /** Binary name (`feishu-chatid`). */
  binary: string;
  /** Launchers in the portable folder; the first one is the binary's entry point. */
  launchers: ReleaseLauncher[];
}

/**
 * Every workflow a release may contain, in one list. A workflow is built when
 * its entry point exists (so `scripts/attachments.ts` is picked up once it
 * lands); a launcher is written when its entry point exists.
 */
export const RELEASE_TOOLS: readonly ReleaseTool[] = [
  {
    binary: "feishu-chatid",
    launchers: [{
      name: "feishu-chatid",
      task: "chatid",
      script: "scripts/chatid.ts",
      title: "合同编号 → openChatId 批量查询",
    }],
  },
  {
    binary: "feishu-export",
    launchers: [
      { name: "feishu-export", task: "export", script: "scripts/export.ts", title: "合同协同记录批量导出" },
      {
        name: "feishu-export-verify",
        task: "export:verify",
        script: "scripts/export_verify.ts",
        title: "单独校验一次导出结果",
      },
    ],
  },
  {
    binary: "feishu-meeting",
    launchers: [
      { name: "feishu-meeting", task: "meeting", script: "scripts/meeting.ts", title: "会议录制归档服务" },
      {
        name: "feishu-meeting-users",
        task: "meeting:users",
        script: "scripts/meeting_users.ts",
        title: "导出通讯录（编写目录映射用）",
      },
    ],
  },
  {
    binary: "feishu-attachments",
    launchers: [{
      name: "feishu-attachments",
      task: "attachments",
      script: "scripts/attachments.ts",
      title: "多维表格附件下载服务",
    }],
  },
];

/** Extra launchers in the portable folder that are not release binaries. */
export const EXTRA_LAUNCHERS: readonly ReleaseLauncher[] = [
  {
    name: "feishu-sandbox",
    task: "sandbox",
    script: "scripts/sandbox.ts",
    title: "飞书沙箱（本机试用，不连飞书）",
  },
];

/** The tools whose entry point exists below `root`, each with its existing launchers only. */
export function presentTools(root: string, exists: (path: string) => boolean): ReleaseTool[] {
  return RELEASE_TOOLS.filter((t) => exists(`${root}/${t.launchers[0].script}`))
    .map((t) => ({ ...t, launchers: t.launchers.filter((l) => exists(`${root}/${l.script}`)) }));
}

/**
 * The `deno run` flags of a task, e.g. `["--allow-net=…", "--allow-read"]` for
 * `deno run --allow-net=… --allow-read scripts/chatid.ts`. Throws when the
 * task is missing or does not run `script` with `deno run`.
 */
export function taskRunFlags(tasks: Record<string, unknown>, task: string, script: string): string[] {
  const raw = tasks[task];
  const command = typeof raw === "string" ? raw : (raw as { command?: string } | undefined)?.command;
  if (typeof command !== "string") throw new Error(`deno.json 中没有任务 ${task}`);
  const words = command.trim().split(/\s+/);
  const run = words.indexOf("run");
  const at = words.indexOf(script);
  if (words[0] !== "deno" || run !== 1 || at < 0) {
    throw new Error(`任务 ${task} 不是「deno run … ${script}」的形式：${command}`);
  }
  return words.slice(2, at);
}

/** Parse `deno.json` (JSON with comments and trailing commas). */
export function parseJsonc(text: string): Record<string, unknown> {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i < 0) break;
      i++;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
}
