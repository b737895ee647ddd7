import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { LarkHttp } from "../../lib/http/lark_http.ts";
import { LarkTokenEndpoints } from "../../lib/token/lark_token_endpoints.ts";

const DENO_TEXT = 'Requires net access to "evil.example:443", run again with the --allow-net flag';

function deniedFetch(kind: "NotCapable" | "PermissionDenied") {
  const calls: string[] = [];
  const f = ((input: string | URL | Request) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return Promise.reject(new Deno.errors[kind](DENO_TEXT));
  }) as typeof fetch;
  return { f, calls };
}

for (const kind of ["NotCapable", "PermissionDenied"] as const) {
  Deno.test(`lark http: a host outside --allow-net (${kind}) is a Chinese config error, not retried`, async () => {
    const { f, calls } = deniedFetch(kind);
    const http = new LarkHttp({
      baseUrl: "https://evil.example",
      fetch: f,
      retry: { retries: 5, baseMs: 1 },
    });
    const e = await http.request({ path: "/clm/api/x" }).then(() => undefined, (e) => e);
    assert.ok(e instanceof ConfigError, `got ${e}`);
    assert.equal(e.retryable, false);
    assert.equal(calls.length, 1, "no retries");
    assert.equal(http.retryCount, 0);
    assert.match(e.userMessage(), /本工具不允许访问 evil\.example/);
    assert.doesNotMatch(e.userMessage(), /run again|--allow-net/, "no runtime advice in English");
  });
}

Deno.test("token endpoints: a denied host is a Chinese config error, not retried", async () => {
  const { f, calls } = deniedFetch("NotCapable");
  const ep = new LarkTokenEndpoints({ baseUrl: "https://evil.example", fetch: f, retries: 3, backoffMs: 1 });
  const e = await ep.fetchTenantToken({ appId: "cli_x", appSecret: "s" }).then(() => undefined, (e) => e);
  assert.ok(e instanceof ConfigError, `got ${e}`);
  assert.equal(calls.length, 1);
  assert.match(e.hint, /evil\.example/);
  assert.doesNotMatch(e.userMessage(), /--allow-net/);
});
