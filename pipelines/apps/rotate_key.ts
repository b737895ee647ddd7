import { loadSecretBox } from "../../lib/crypto/key_source.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { openTokenStore } from "../../lib/token/open_token_store.ts";
import { PostgresTokenStore } from "../../lib/token/token_store_postgres.ts";
import type { AppsContext } from "./apps_context.ts";
import type { Out } from "./apps_commands.ts";

/**
 * `rotate-key`: a new key (env `FEISHU_KIT_NEW_KEY`, else `<key file>.new`, generated 0600
 * when missing so a crash never loses it), the registry re-encrypted in one transaction, then
 * each token store named by `tokenStores` (`sqlite://…` / `postgres://…`) in one transaction
 * each; finally the key file is replaced by the new key (or, for a key from env
 * `FEISHU_KIT_KEY`, the user is told to switch the variable).
 */
export async function rotateKey(
  ctx: AppsContext,
  options: { tokenStores: string[]; actor: string; out: Out },
): Promise<void> {
  const newFile = `${ctx.keyFile}.new`;
  if (ctx.keySource === "env" && !Deno.env.get("FEISHU_KIT_NEW_KEY")?.trim()) {
    throw new ConfigError("FEISHU_KIT_NEW_KEY unset", {
      hint:
        "当前密钥来自环境变量 FEISHU_KIT_KEY：请把新密钥放在环境变量 FEISHU_KIT_NEW_KEY（`openssl rand -base64 32`）后重试，" +
        "完成后把 FEISHU_KIT_KEY 换成新值。",
    });
  }
  const next = await loadSecretBox({ envVar: "FEISHU_KIT_NEW_KEY", keyFile: newFile, create: true });
  if (next.fingerprint === ctx.box.fingerprint) {
    throw new ConfigError("new key equals the current key", { hint: "新密钥与当前密钥相同，无需更换。" });
  }
  const { apps } = await ctx.registry.rotateKey(next, options.actor);
  options.out(
    `应用登记库已用新密钥重新加密：${apps} 个应用（密钥指纹 ${ctx.box.fingerprint} → ${next.fingerprint}）。`,
  );
  for (const setting of options.tokenStores) {
    const store = openTokenStore(setting, { box: ctx.box });
    try {
      const r = await store.rekey!(next);
      options.out(
        `令牌库 ${setting.replace(/\/\/[^@/]*@/, "//***@")}：${r.records} 条已重新加密` +
          (r.dropped ? `，${r.dropped} 条无法解密的租户/应用令牌已删除（将自动重新获取）` : "") + "。",
      );
    } finally {
      if (store instanceof PostgresTokenStore) await store.end();
      else store.close();
    }
  }
  if (ctx.keySource === "file" && !Deno.env.get("FEISHU_KIT_NEW_KEY")?.trim()) {
    await Deno.rename(newFile, ctx.keyFile);
    options.out(
      `新密钥已写入 ${ctx.keyFile}（权限 0600），旧密钥已作废。请更新备份，并重启仍在使用旧密钥的服务。`,
    );
  } else if (ctx.keySource === "file") {
    options.out(`新密钥来自环境变量 FEISHU_KIT_NEW_KEY：请把它写入 ${ctx.keyFile} 或设为 FEISHU_KIT_KEY。`);
  } else {
    options.out("请把环境变量 FEISHU_KIT_KEY 换成 FEISHU_KIT_NEW_KEY 的值，然后重启各服务。");
  }
}
