import type { SecretBox } from "../crypto/secret_box.ts";
import { ConfigError } from "../errors/config_error.ts";
import { NotFoundError } from "../errors/not_found_error.ts";
import type { Logger } from "../log/logger.ts";
import type { AppInfo, AppSecretRecord } from "./app_record.ts";

/** Associated data binding a sealed secret to its app (a secret copied to another row does not open). */
export function secretAad(appId: string): string {
  return `apps:${appId}`;
}

/** A registry row as both backends read it. */
export interface AppRow {
  app_id: unknown;
  secret: unknown;
  name: unknown;
  description: unknown;
  status: unknown;
  created_by: unknown;
  created_at: unknown;
  updated_at: unknown;
}

/** The columns of an {@linkcode AppRow}. */
export const APP_COLUMNS = "app_id, secret, name, description, status, created_by, created_at, updated_at";

/** An {@linkcode AppInfo} from a row; a row that cannot be used gets a `problem` (and an ERROR line). */
export async function appInfoFromRow(row: AppRow, box: SecretBox, log: Logger): Promise<AppInfo> {
  const appId = String(row.app_id);
  const info: AppInfo = {
    appId,
    name: String(row.name),
    description: String(row.description),
    status: row.status === "disabled" ? "disabled" : "active",
    createdBy: String(row.created_by),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
  if (row.status !== "active" && row.status !== "disabled") info.problem = `状态「${row.status}」无效`;
  try {
    await box.open(String(row.secret), secretAad(appId));
  } catch {
    info.problem = "App Secret 无法解密（数据被改动或密钥不对）";
    log.error("registry.undecryptable", { app_id: appId, action: "该应用不会获得令牌" });
  }
  return info;
}

/** The credentials in a row; an unknown status or a secret that does not open is a corrupt row. */
export async function credentialsFromRow(
  row: AppRow,
  box: SecretBox,
  log: Logger,
): Promise<AppSecretRecord> {
  const appId = String(row.app_id);
  const status = String(row.status);
  if (status !== "active" && status !== "disabled") {
    throw corruptRowError(log, appId, `status「${status}」`);
  }
  try {
    return { appId, appSecret: await box.open(String(row.secret), secretAad(appId)), status };
  } catch {
    throw corruptRowError(log, appId, "App Secret 无法解密（数据被改动或密钥不对）");
  }
}

/** The change-log `changes` column back as an object (`{}` when unreadable). */
export function parseChanges(text: unknown): Record<string, unknown> {
  try {
    const v = typeof text === "string" ? JSON.parse(text) : text;
    return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

/** An unusable row: logged at ERROR, reported as a ConfigError. */
export function corruptRowError(log: Logger, appId: string, what: string): ConfigError {
  log.error("registry.corrupt_row", { app_id: appId, reason: what, action: "拒绝使用该行" });
  return new ConfigError(`app ${appId}: unusable registry row`, {
    hint:
      `应用 ${appId} 的登记记录不可用：${what}。请用 \`deno task apps update ${appId} --secret\` 重新输入 App Secret。`,
  });
}

/** The app is not registered. */
export function notRegistered(appId: string): NotFoundError {
  return new NotFoundError(`app ${appId} not registered`, {
    hint: `应用 ${appId} 未登记：用 \`deno task apps list\` 查看已登记的应用。`,
  });
}

/** The app exists already. */
export function alreadyRegistered(appId: string): ConfigError {
  return new ConfigError(`app ${appId} exists`, {
    hint: `应用 ${appId} 已登记：修改请用 \`deno task apps update ${appId}\`。`,
  });
}

/** The registry was sealed with another key. */
export function wrongRegistryKey(where: string, stored: string, current: string): ConfigError {
  return new ConfigError(`app registry ${where} was sealed with another key`, {
    hint: `密钥不对：应用登记库 ${where} 是用另一把密钥加密的（库中密钥指纹 ${stored}，当前 ${current}）。` +
      "请设置原来的密钥（环境变量 FEISHU_KIT_KEY 或原来的密钥文件）；要换密钥请用 `deno task apps rotate-key`。",
  });
}

/** A row does not decrypt: rotation refused. */
export function cannotRotate(appId: string): ConfigError {
  return new ConfigError(`cannot rotate: app ${appId} does not decrypt`, {
    hint:
      `无法更换密钥：应用 ${appId} 的 App Secret 无法解密。请先用 \`deno task apps remove ${appId}\` 删除后重新添加，再更换密钥。`,
  });
}

/** Another writer changed the registry during a rotation. */
export function concurrentChange(): ConfigError {
  return new ConfigError("registry changed during key rotation", {
    hint: "更换密钥期间应用登记被其他进程修改，未做任何改动：请重新运行 rotate-key。",
  });
}

/** Field-by-field changes of an update, never the secret's value. */
export function updateChanges(
  row: { name: unknown; description: unknown },
  patch: { name?: string; description?: string },
  secretChanged: boolean,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (patch.name !== undefined && patch.name !== row.name) changes.name = { from: row.name, to: patch.name };
  if (patch.description !== undefined && patch.description !== row.description) {
    changes.description = { from: row.description, to: patch.description };
  }
  if (secretChanged) changes.app_secret = "changed";
  return changes;
}
