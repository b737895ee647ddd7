import { ConfigError } from "../errors/config_error.ts";
import type { AppPatch, AppStatus, NewApp } from "./app_record.ts";

const APP_ID = /^cli_[A-Za-z0-9]{4,64}$/;

function bad(field: string, hint: string): ConfigError {
  return new ConfigError(`invalid ${field}`, { hint });
}

/** Check an app id; throws a {@linkcode ConfigError} naming the field. */
export function checkAppId(appId: string): string {
  if (!APP_ID.test(appId)) {
    throw bad(
      "app_id",
      `App ID「${
        appId.slice(0, 80)
      }」无效：应以 cli_ 开头，后跟字母或数字（在开发者后台「凭证与基础信息」页查看）。`,
    );
  }
  return appId;
}

/** Check a secret (not logged, not echoed). */
export function checkSecret(secret: string): string {
  if (secret.length === 0) {
    throw bad("app_secret", "App Secret 为空：请输入开发者后台「凭证与基础信息」页的 App Secret。");
  }
  if (secret.length > 256 || /\s/.test(secret) || [...secret].some((c) => c.charCodeAt(0) < 0x20)) {
    throw bad("app_secret", "App Secret 格式不对（含空白或控制字符，或过长）：请重新复制后输入。");
  }
  return secret;
}

function checkText(field: string, label: string, value: string, max: number): string {
  if (value.length > max || value.includes("\u0000")) {
    throw bad(field, `${label}过长（最多 ${max} 个字符）或含非法字符。`);
  }
  return value;
}

/** Check who made a change. */
export function checkActor(actor: string): string {
  if (!actor.trim()) throw bad("actor", "缺少操作人：请用 --by 指定，或设置环境变量 USER。");
  return checkText("actor", "操作人", actor.trim(), 100);
}

/** Check a status value. */
export function checkStatus(status: string): AppStatus {
  if (status !== "active" && status !== "disabled") {
    throw bad("status", `状态「${status}」无效：只能是 active 或 disabled。`);
  }
  return status;
}

/** A new app with defaults filled in and every field checked. */
export function checkNewApp(app: NewApp): Required<NewApp> {
  return {
    appId: checkAppId(app.appId),
    appSecret: checkSecret(app.appSecret),
    name: checkText("name", "名称", app.name?.trim() || app.appId, 100),
    description: checkText("description", "说明", app.description ?? "", 500),
    status: checkStatus(app.status ?? "active"),
  };
}

/** A patch with every present field checked. */
export function checkPatch(patch: AppPatch): AppPatch {
  const out: AppPatch = {};
  if (patch.appSecret !== undefined) out.appSecret = checkSecret(patch.appSecret);
  if (patch.name !== undefined) out.name = checkText("name", "名称", patch.name.trim(), 100);
  if (patch.description !== undefined) {
    out.description = checkText("description", "说明", patch.description, 500);
  }
  return out;
}

/** The checked inputs of `add`: the app (defaults filled in) and the actor. */
export function checkAdd(app: NewApp, actor: string): { app: Required<NewApp>; by: string } {
  return { app: checkNewApp(app), by: checkActor(actor) };
}

/** The checked inputs of `update`: the patch and the actor (the app id checked first). */
export function checkUpdate(appId: string, patch: AppPatch, actor: string): { patch: AppPatch; by: string } {
  checkAppId(appId);
  return { patch: checkPatch(patch), by: checkActor(actor) };
}

/** The checked inputs of `setStatus`: the status and the actor (the app id checked first). */
export function checkStatusChange(
  appId: string,
  status: AppStatus,
  actor: string,
): { status: AppStatus; by: string } {
  checkAppId(appId);
  return { status: checkStatus(status), by: checkActor(actor) };
}

/** The checked actor of `remove` (the app id checked first). */
export function checkRemoval(appId: string, actor: string): string {
  checkAppId(appId);
  return checkActor(actor);
}
