import { loadSecretBox, writePrivateFile } from "../../lib/crypto/key_source.ts";
import type { SecretBox } from "../../lib/crypto/secret_box.ts";
import type { TokenStore } from "../../lib/token/token_store.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { closeTokenStore, openTokenStore } from "../../lib/token/open_token_store.ts";
import type { AppsContext } from "./apps_context.ts";
import type { Out } from "./apps_commands.ts";

/**
 * `rotate-key`, in an order that never loses a key:
 *
 * 1. every token store named in `tokenStores` (`sqlite://…` / `postgres://…`) is opened and
 *    read with the current key first, so an unreachable or foreign store stops the rotation
 *    before anything changed;
 * 2. the new key: env `FEISHU_KIT_NEW_KEY`, else `<key file>.new` (generated 0600 when
 *    missing, reused when a previous attempt left it);
 * 3. the registry is re-encrypted in one transaction;
 * 4. for a key file: the old key is kept as `<key file>.old` and the new one takes its place;
 * 5. each token store is re-encrypted in one transaction; when all succeeded `.old` is
 *    removed, else the error says where the old key is.
 */
export async function rotateKey(
  ctx: AppsContext,
  options: { tokenStores: string[]; actor: string; out: Out },
): Promise<void> {
  const newFile = `${ctx.keyFile}.new`;
  const oldFile = `${ctx.keyFile}.old`;
  const newFromEnv = Deno.env.get("FEISHU_KIT_NEW_KEY")?.trim();
  if (ctx.keySource === "env" && !newFromEnv) {
    throw new ConfigError("FEISHU_KIT_NEW_KEY unset", {
      hint:
        "当前密钥来自环境变量 FEISHU_KIT_KEY：请把新密钥放在环境变量 FEISHU_KIT_NEW_KEY（`openssl rand -base64 32`）后重试，" +
        "完成后把 FEISHU_KIT_KEY 换成新值。",
    });
  }
  for (const setting of options.tokenStores) await withStore(setting, ctx.box, (s) => s.list());
  const next = await loadSecretBox({ envVar: "FEISHU_KIT_NEW_KEY", keyFile: newFile, create: true });
  if (next.fingerprint === ctx.box.fingerprint) {
    throw new ConfigError("new key equals the current key", { hint: "新密钥与当前密钥相同，无需更换。" });
  }
  const { apps } = await ctx.registry.rotateKey(next, options.actor);
  options.out(
    `应用登记库已用新密钥重新加密：${apps} 个应用（密钥指纹 ${ctx.box.fingerprint} → ${next.fingerprint}）。`,
  );
  if (ctx.keySource === "file") {
    await Deno.copyFile(ctx.keyFile, oldFile);
    await Deno.chmod(oldFile, 0o600).catch(() => {});
    if (newFromEnv) {
      await writePrivateFile(ctx.keyFile, newFromEnv + "\n");
      await Deno.remove(newFile).catch(() => {});
    } else {
      await Deno.rename(newFile, ctx.keyFile);
    }
    options.out(`新密钥已写入 ${ctx.keyFile}（权限 0600）。请更新备份，并重启仍在使用旧密钥的服务。`);
  } else {
    options.out("请把环境变量 FEISHU_KIT_KEY 换成 FEISHU_KIT_NEW_KEY 的值，然后重启各服务。");
  }
  for (const setting of options.tokenStores) {
    const shown = setting.replace(/\/\/[^@/]*@/, "//***@");
    let r: { records: number; dropped: number };
    try {
      r = await withStore(setting, ctx.box, (s) => s.rekey!(next));
    } catch (e) {
      throw new ConfigError(`token store ${shown} not re-encrypted`, {
        hint: `应用登记库已换成新密钥，但令牌库 ${shown} 未能重新加密（${(e as Error).message}）。` +
          (ctx.keySource === "file" ? `旧密钥保存在 ${oldFile}：` : "旧密钥仍是原来的 FEISHU_KIT_KEY 值：") +
          "处理问题后可用它单独打开该令牌库；租户/应用令牌也可直接删除，之后会自动重新获取。",
        cause: e,
      });
    }
    options.out(
      `令牌库 ${shown}：${r.records} 条已重新加密` +
        (r.dropped ? `，${r.dropped} 条无法解密的租户/应用令牌已删除（将自动重新获取）` : "") + "。",
    );
  }
  if (ctx.keySource === "file") await Deno.remove(oldFile).catch(() => {});
}

/** Open the token store `setting` with `box`, run `fn`, close it. */
async function withStore<T>(setting: string, box: SecretBox, fn: (s: TokenStore) => Promise<T>): Promise<T> {
  const store = openTokenStore(setting, { box });
  try {
    return await fn(store);
  } finally {
    await closeTokenStore(store);
  }
}
