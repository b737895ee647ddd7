/**
 * 应用登记（`deno task apps`）：登记、查看、修改、停用/启用、删除自建应用，更换加密密钥，
 * 以及用保存的凭证向飞书获取一次令牌来验证（check）。App Secret 只从提示符或标准输入读取。
 *
 * @module
 */
import { parseCli } from "../lib/cli/parse_cli.ts";
import { readSecret } from "../lib/cli/read_secret.ts";
import { reportError } from "../lib/cli/report_error.ts";
import { keyCreatedNotice } from "../lib/crypto/key_source.ts";
import { ConsoleSink } from "../lib/log/console_sink.ts";
import { createLogger } from "../lib/log/logger.ts";
import { checkApp, listApps, type Out, showApp } from "../pipelines/apps/apps_commands.ts";
import { type AppsContext, appsLocation, openAppsContext } from "../pipelines/apps/apps_context.ts";
import { rotateKey } from "../pipelines/apps/rotate_key.ts";
import { PostgresAppRegistry } from "../lib/registry/postgres_app_registry.ts";

const HELP = `应用登记：管理服务使用的飞书自建应用（App ID / App Secret 加密保存）

用法：
  deno task apps <命令> [参数] [选项]

命令：
  add <app_id>        登记应用；App Secret 在提示符处输入（不回显），或从标准输入读取第一行
  list                列出所有应用（状态、名称、更新时间；无法解密的记录会标出）
  show <app_id>       查看一个应用及其最近的变更记录
  update <app_id>     修改名称/说明（--name/--description），或用 --secret 重新输入 App Secret
  disable <app_id>    停用：运行中的服务在几秒内不再为它发放令牌（不发任何请求）
  enable <app_id>     重新启用
  remove <app_id>     删除（变更记录保留）
  rotate-key          更换加密密钥：应用登记库（一个事务）及 --tokens 指定的令牌库全部重新加密
  check <app_id>      用保存的凭证向飞书获取一次 tenant_access_token，验证 App ID / Secret 是否正确

选项：
      --db <位置>           应用登记库：SQLite 文件（默认环境变量 FEISHU_KIT_APPS_DB，否则 .state/apps.sqlite）
                            或 postgres://用户@主机:5432/库名（多台机器共用）
      --key-file <文件>     密钥文件（未设置环境变量 FEISHU_KIT_KEY 时使用；默认登记库旁的 secret.key）
      --by <操作人>         记入变更记录的操作人（默认环境变量 USER）
      --name <名称>         add/update：名称
      --description <说明> add/update：说明
      --disabled            add：登记为停用状态
      --secret              update：重新输入 App Secret
      --tokens <存储>       rotate-key：同时重新加密的令牌库，可多次给出
                            （sqlite://.state/tokens.sqlite 或 postgres://用户@主机:5432/库名）
      --base-url <地址>     check：开放平台地址（默认 https://open.feishu.cn；
                            Lark 用 https://open.larksuite.com；沙箱如 http://127.0.0.1:18080）
      --json                list/show：输出 JSON
  -h, --help                显示本帮助

密钥：环境变量 FEISHU_KIT_KEY（base64 的 32 字节），否则密钥文件（首次 add 时自动生成，权限 0600）。
更换密钥：rotate-key 使用环境变量 FEISHU_KIT_NEW_KEY，未设置时自动生成并替换密钥文件。
退出码：0 成功；1 配置、凭证或数据错误；2 用法错误。`;

const COMMANDS = new Set([
  "add",
  "list",
  "show",
  "update",
  "disable",
  "enable",
  "remove",
  "rotate-key",
  "check",
]);
const NEEDS_APP = new Set(["add", "show", "update", "disable", "enable", "remove", "check"]);

/** Run one `apps` command; returns the process exit code. */
export async function main(args: string[], out: Out = (l) => console.log(l)): Promise<number> {
  const parsed = parseCli(args, {
    db: { type: "string" },
    "key-file": { type: "string" },
    by: { type: "string" },
    name: { type: "string" },
    description: { type: "string" },
    disabled: { type: "boolean" },
    secret: { type: "boolean" },
    tokens: { type: "string", multiple: true },
    "base-url": { type: "string" },
    json: { type: "boolean" },
  }, HELP);
  if (!parsed.ok) return parsed.exitCode;
  const { values: v, positionals } = parsed;
  const [command, appId, ...extra] = positionals;
  if (!command || !COMMANDS.has(command)) {
    console.error(`用法错误：${command ? `不认识的命令 ${command}` : "缺少命令"}\n\n${HELP}`);
    return 2;
  }
  if (NEEDS_APP.has(command) !== Boolean(appId) || extra.length) {
    console.error(
      `用法错误：${
        NEEDS_APP.has(command) ? `${command} 需要一个 app_id` : `${command} 不接受参数`
      }\n\n${HELP}`,
    );
    return 2;
  }
  if (command === "update" && !v.secret && v.name === undefined && v.description === undefined) {
    console.error(`用法错误：update 需要 --name、--description 或 --secret 之一\n\n${HELP}`);
    return 2;
  }
  const actor = v.by ?? Deno.env.get("USER") ?? "";
  const logger = createLogger({ level: "warn", sinks: [new ConsoleSink({ level: "warn" })] });
  let ctx: AppsContext | undefined;
  try {
    ctx = await openAppsContext(appsLocation({ db: v.db, keyFile: v["key-file"] }), {
      create: command === "add",
      logger,
      onKeyCreated: (path) => console.error(keyCreatedNotice(path)),
    });
    const reg = ctx.registry;
    switch (command) {
      case "add": {
        const appSecret = await readSecret(`请输入 ${appId} 的 App Secret（输入不显示）：`);
        const a = await reg.add({
          appId,
          appSecret,
          name: v.name,
          description: v.description,
          status: v.disabled ? "disabled" : "active",
        }, actor);
        out(
          `已登记 ${a.appId}（${a.name}，${
            a.status === "active" ? "启用" : "停用"
          }）。可运行 check ${a.appId} 验证凭证。`,
        );
        break;
      }
      case "list":
        await listApps(reg, Boolean(v.json), out);
        break;
      case "show":
        await showApp(reg, appId, Boolean(v.json), out);
        break;
      case "update": {
        const appSecret = v.secret
          ? await readSecret(`请输入 ${appId} 的新 App Secret（输入不显示）：`)
          : undefined;
        await reg.update(appId, { name: v.name, description: v.description, appSecret }, actor);
        out(`已更新 ${appId}。运行中的服务几秒内生效。`);
        break;
      }
      case "disable":
      case "enable":
        await reg.setStatus(appId, command === "disable" ? "disabled" : "active", actor);
        out(`已${command === "disable" ? "停用" : "启用"} ${appId}。运行中的服务几秒内生效。`);
        break;
      case "remove":
        await reg.remove(appId, actor);
        out(`已删除 ${appId}（变更记录保留）。`);
        break;
      case "rotate-key":
        await rotateKey(ctx, { tokenStores: v.tokens ?? [], actor, out });
        break;
      case "check":
        await checkApp(reg, appId, v["base-url"] ?? "https://open.feishu.cn", out);
        break;
    }
    return 0;
  } catch (e) {
    reportError(e);
    return 1;
  } finally {
    await closeRegistry(ctx?.registry);
  }
}

async function closeRegistry(registry: AppsContext["registry"] | undefined): Promise<void> {
  if (registry instanceof PostgresAppRegistry) await registry.end();
  else registry?.close();
}

if (import.meta.main) Deno.exit(await main(Deno.args));
