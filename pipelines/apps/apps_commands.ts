import type { AppInfo, AppStatus, AuditEntry } from "../../lib/registry/app_record.ts";
import type { AppRegistry } from "../../lib/registry/app_registry.ts";
import { LarkTokenEndpoints } from "../../lib/token/lark_token_endpoints.ts";
import { NotFoundError } from "../../lib/errors/not_found_error.ts";

/** Where command output goes (stdout by default). */
export type Out = (line: string) => void;

const STATUS_TEXT: Record<AppStatus, string> = { active: "启用", disabled: "停用" };

function time(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19) + "Z";
}

/** One app as a line of `list`. */
function line(a: AppInfo): string {
  const problem = a.problem ? `  ⚠ ${a.problem}` : "";
  return `${a.appId}  ${STATUS_TEXT[a.status]}  ${a.name}  更新于 ${time(a.updatedAt)}${problem}`;
}

function changeText(e: AuditEntry): string {
  const parts = Object.entries(e.changes).map(([k, v]) => {
    if (v && typeof v === "object" && "from" in v) {
      const c = v as { from: unknown; to: unknown };
      return `${k}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`;
    }
    return `${k}: ${JSON.stringify(v)}`;
  });
  return `${time(e.at)}  ${e.actor}  ${e.action}  ${e.appId}  ${parts.join("，")}`;
}

/** `list`: every app (or JSON). */
export async function listApps(registry: AppRegistry, json: boolean, out: Out): Promise<void> {
  const apps = await registry.list();
  if (json) return out(JSON.stringify(apps, null, 2));
  if (apps.length === 0) return out("还没有登记任何应用。用 `deno task apps add <app_id>` 添加。");
  for (const a of apps) out(line(a));
  out(`共 ${apps.length} 个应用。`);
}

/** `show`: one app with its recent changes. */
export async function showApp(registry: AppRegistry, appId: string, json: boolean, out: Out): Promise<void> {
  const app = await registry.get(appId);
  if (!app) {
    throw new NotFoundError(`app ${appId} not registered`, {
      hint: `应用 ${appId} 未登记：用 \`deno task apps list\` 查看已登记的应用。`,
    });
  }
  const changes = await registry.audit({ appId, limit: 20 });
  if (json) return out(JSON.stringify({ ...app, changes }, null, 2));
  out(`App ID：${app.appId}`);
  out(`名称：${app.name}`);
  out(`说明：${app.description || "（无）"}`);
  out(`状态：${STATUS_TEXT[app.status]}`);
  out(`登记人：${app.createdBy}，登记于 ${time(app.createdAt)}，更新于 ${time(app.updatedAt)}`);
  out(`App Secret：已加密保存${app.problem ? `（⚠ ${app.problem}）` : ""}`);
  out("最近变更：");
  for (const e of changes) out(`  ${changeText(e)}`);
}

/** `check`: fetch a tenant_access_token with the stored credentials. */
export async function checkApp(
  registry: AppRegistry,
  appId: string,
  baseUrl: string,
  out: Out,
): Promise<void> {
  const app = await registry.credentials(appId);
  if (!app) {
    throw new NotFoundError(`app ${appId} not registered`, {
      hint: `应用 ${appId} 未登记：先用 \`deno task apps add ${appId}\` 添加。`,
    });
  }
  const endpoints = new LarkTokenEndpoints({ baseUrl, retries: 1 });
  const t = await endpoints.fetchTenantToken({ appId: app.appId, appSecret: app.appSecret });
  out(`凭证有效：已从 ${baseUrl} 获取 tenant_access_token（剩余有效期 ${t.expireSeconds} 秒）。`);
  if (app.status === "disabled") out(`注意：该应用当前为停用状态，服务不会为它发放令牌；需要时运行 enable。`);
}
