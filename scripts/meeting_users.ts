/**
 * 导出通讯录（`deno task meeting:users`），用于编写会议录制归档的个人目录映射文件。
 *
 * Lists every user the app can see (`listDirectory`: departments, then their
 * members, with tenant user ids) and writes them with `exportUsers` as xlsx
 * or CSV (user_id, 姓名, 邮箱, 部门, and an empty 文件夹 column to fill in).
 * `--help` lists the flags.
 *
 * @module
 */
import { keyCreatedNotice, loadSecretBox } from "../lib/crypto/key_source.ts";
import { reportError } from "../lib/cli/report_error.ts";
import { parseCli } from "../lib/cli/parse_cli.ts";
import { useUtf8Console } from "../lib/cli/utf8_console.ts";
import { listDirectory } from "../lib/contact/list_directory.ts";
import { defaultConfigFile } from "../lib/fs/user_dirs.ts";
import { ConsoleSink } from "../lib/log/console_sink.ts";
import { createLogger } from "../lib/log/logger.ts";
import { loadMeetingConfig, meetingKeyFile } from "../pipelines/meeting/config.ts";
import { createMeetingClients, type MeetingClients } from "../pipelines/meeting/service/meeting_clients.ts";
import { exportUsers } from "../pipelines/meeting/users_export.ts";

const HELP = `导出通讯录（用于会议录制归档的个人目录映射文件）

用法：
  deno task meeting:users [选项]

选项：
  -c, --config <文件>      配置文件（默认 config/meeting.yaml）
      --format <xlsx|csv>  输出格式（默认按输出文件扩展名，否则 xlsx）
  -o, --output <文件>      输出文件（默认 output/meeting-users.xlsx 或 .csv）
  -h, --help               显示本帮助

导出列：user_id、姓名、邮箱、部门、文件夹。在「文件夹」列填写个人目录（可含 / 表示子目录），
再把配置 nas.mapping_file 指向该文件即可。需要应用开通通讯录读取权限
（contact:contact.base:readonly 与 contact:user.employee_id:readonly）。
退出码：0 完成；1 配置或权限错误；2 用法错误。`;

/** Export the directory; returns the process exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseCli(
    args,
    {
      config: { type: "string", short: "c" },
      format: { type: "string" },
      output: { type: "string", short: "o" },
    },
    HELP,
    false,
  );
  if (!parsed.ok) return parsed.exitCode;
  const { values } = parsed;
  const format = values.format;
  if (format !== undefined && format !== "xlsx" && format !== "csv") {
    console.error(`用法错误：--format 只能是 xlsx 或 csv，收到：${format}`);
    return 2;
  }
  const output = values.output ?? `output/meeting-users.${format ?? "xlsx"}`;
  let clients: MeetingClients | undefined;
  try {
    const { config, warnings } = await loadMeetingConfig({
      file: values.config ?? defaultConfigFile("meeting"),
    });
    for (const w of warnings) console.error(`警告：${w}`);
    const logger = createLogger({ level: "warn", sinks: [new ConsoleSink({ level: "warn" })] });
    const box = await loadSecretBox({
      keyFile: meetingKeyFile(config),
      onCreated: (path) => console.error(keyCreatedNotice(path)),
    });
    clients = await createMeetingClients(config, { logger, box });
    await clients.endpoints.fetchTenantToken(clients.app); // the credentials, checked with Feishu itself
    console.error("正在读取通讯录……");
    let last = 0;
    const rows = await listDirectory(clients.contacts, {
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < 2000 && p.departmentsDone < p.departments) return;
        last = now;
        console.error(`  部门 ${p.departmentsDone}/${p.departments}，已读取 ${p.users} 人`);
      },
    });
    const r = await exportUsers(rows, output, { format: format as "xlsx" | "csv" | undefined });
    console.log(`已导出 ${r.rows} 位用户到 ${r.path}（${r.format}）。`);
    console.log("在「文件夹」列填写个人目录后，把配置 nas.mapping_file 指向该文件即可生效。");
    return 0;
  } catch (e) {
    reportError(e);
    return 1;
  } finally {
    await clients?.close();
  }
}

if (import.meta.main) {
  await useUtf8Console(); // Chinese in Windows console windows
  Deno.exit(await main(Deno.args));
}
