import assert from "node:assert/strict";
import { ChatIdConfigSchema } from "../../pipelines/chatid/config.ts";
import { resolveWorkerGrants } from "../../pipelines/chatid/worker_resolver.ts";

Deno.test("resolve worker: network to the two configured hosts, files of the token store (and its key file) only", () => {
  const config = ChatIdConfigSchema.parse({
    app: { app_id: "cli_x", app_secret: "s", base_url: "http://127.0.0.1:18080" },
    clm: { base_url: "https://contract.feishu.cn", cookie: "session=x" },
    state: { token_db: ".state/tokens.sqlite" },
  });
  assert.deepEqual(resolveWorkerGrants(config), {
    net: ["127.0.0.1:18080", "contract.feishu.cn"],
    read: [".state", ".state/secret.key"],
    write: [".state"],
  });
});
