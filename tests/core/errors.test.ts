import assert from "node:assert/strict";
import {
  AuthError,
  BadRequestError,
  codeInfo,
  ConfigError,
  ERROR_CODES,
  errorFromResponse,
  LarkError,
  type LarkErrorKind,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  SessionError,
} from "../../lib/errors/mod.ts";
import { DOCUMENTED_CODES } from "./_documented_codes.ts";

const CLASS_OF: Record<LarkErrorKind, new (...a: never[]) => LarkError> = {
  auth: AuthError,
  permission: PermissionError,
  rate_limit: RateLimitError,
  not_found: NotFoundError,
  bad_request: BadRequestError,
  config: ConfigError,
  server: ServerError,
  network: NetworkError,
  session: SessionError,
  unknown: LarkError,
};

/** Kinds a retry can help with; everything else needs a person to fix something. */
const RETRYABLE_KINDS = new Set<LarkErrorKind>(["rate_limit", "server", "network"]);

const facts = { httpStatus: 400, logId: "202601011200000A1B2C3D4E5F", requestId: "fk-test-1", endpoint: "x" };

Deno.test("errorFromResponse: documented codes map to the family and retryability the Feishu docs give", () => {
  const codes = Object.keys(DOCUMENTED_CODES).map(Number);
  assert.ok(codes.length >= 40, `fixture unexpectedly small: ${codes.length}`);
  for (const code of codes) {
    const doc = DOCUMENTED_CODES[code];
    const e = errorFromResponse({ code, msg: doc.meaning, ...facts });
    const what = `${code} (${doc.meaning}, ${doc.source})`;
    assert.equal(e.kind, doc.kind, `${what}: kind`);
    assert.ok(e instanceof CLASS_OF[doc.kind], `${what}: class ${e.name}`);
    assert.equal(e.retryable, doc.retryable, `${what}: retryable`);
    assert.ok(e.hint && e.hint.length > 0, `${what}: a Chinese hint`);
    if (doc.kind === "auth") {
      assert.ok(e instanceof AuthError);
      assert.equal(e.tokenKind, doc.tokenKind, `${what}: tokenKind`);
      assert.equal(e.tokenInvalid, doc.tokenInvalid ?? false, `${what}: tokenInvalid`);
    }
  }
});

Deno.test("errorFromResponse: every code in ERROR_CODES maps to its kind, class, hint and retryability", () => {
  const codes = Object.keys(ERROR_CODES).map(Number);
  assert.ok(codes.length >= 50, `table unexpectedly small: ${codes.length}`);
  for (const code of codes) {
    const info = ERROR_CODES[code];
    const e = errorFromResponse({ code, msg: "some feishu msg", ...facts });
    assert.ok(e instanceof CLASS_OF[info.kind], `${code}: expected ${info.kind}, got ${e.name}`);
    assert.equal(e.kind, info.kind, `${code}`);
    assert.equal(e.code, code);
    assert.equal(e.hint, info.hint, `${code}: hint from the table`);
    assert.equal(e.retryable, info.retryable ?? RETRYABLE_KINDS.has(info.kind), `${code}: retryable`);
    assert.equal(e.httpStatus, 400);
    assert.equal(e.logId, facts.logId);
    assert.equal(e.requestId, facts.requestId);
    assert.equal(e.endpoint, "x");
    assert.equal(e.message, "some feishu msg");
    if (e instanceof AuthError) {
      assert.equal(e.tokenKind, info.tokenKind, `${code}: tokenKind`);
      assert.equal(e.tokenInvalid, info.tokenInvalid ?? false, `${code}: tokenInvalid`);
    }
    assert.deepEqual(codeInfo(code), info);
  }
});

Deno.test("errorFromResponse: auth family with tokenKind and tokenInvalid", () => {
  const cases: [number, string, boolean][] = [
    [99991663, "tenant", true],
    [99991664, "app", true],
    [99991665, "tenant", true],
    [99991668, "user", true],
    [99991677, "user", true],
    [20005, "user", true],
    [20006, "user", true],
    [20013, "tenant", true],
    [20014, "app", true],
    [99991669, "refresh", false],
    [20026, "refresh", false],
    [20037, "refresh", false],
    [20064, "refresh", false],
    [20073, "refresh", false],
  ];
  for (const [code, tokenKind, tokenInvalid] of cases) {
    const e = errorFromResponse({ code, msg: "Invalid access token for authorization", httpStatus: 400 });
    assert.ok(e instanceof AuthError, `${code} -> ${e.name}`);
    assert.equal(e.kind, "auth");
    assert.equal(e.tokenKind, tokenKind, `${code}`);
    assert.equal(e.tokenInvalid, tokenInvalid, `${code}`);
    assert.equal(e.retryable, false, "auth errors are only retried through onTokenInvalid");
  }
});

Deno.test("errorFromResponse: permission family is never retryable", () => {
  for (
    const code of [99991672, 99991676, 99991679, 230027, 99991662, 99991673, 99991401, 99991403, 2091005]
  ) {
    const e = errorFromResponse({ code, msg: "forbidden", httpStatus: 400 });
    assert.ok(e instanceof PermissionError, `${code} -> ${e.name}`);
    assert.equal(e.retryable, false);
  }
  assert.match(errorFromResponse({ code: 99991672 }).hint, /权限管理/);
});

Deno.test("errorFromResponse: never-retry codes from §10.3 are not retryable", () => {
  for (
    const code of [99991661, 99991671, 99991672, 99991676, 99991679, 230027, 99991401, 99991403, 99991543]
  ) {
    assert.equal(errorFromResponse({ code, httpStatus: 400 }).retryable, false, `${code}`);
  }
});

Deno.test("errorFromResponse: rate-limit family, retryAfterMs from resetSeconds", () => {
  for (const code of [99991400, 1000004, 1000005, 11232, 11233, 11247, 230020, 1254290, 1254291, 1061045]) {
    const e = errorFromResponse({
      code,
      msg: "request trigger frequency limit",
      httpStatus: 429,
      resetSeconds: 2,
    });
    assert.ok(e instanceof RateLimitError, `${code} -> ${e.name}`);
    assert.equal(e.retryable, true);
    assert.equal(e.retryAfterMs, 2000);
  }
  const half = errorFromResponse({ code: 99991400, resetSeconds: 0.5 }) as RateLimitError;
  assert.equal(half.retryAfterMs, 500);
  const zero = errorFromResponse({ code: 99991400, resetSeconds: 0 }) as RateLimitError;
  assert.equal(zero.retryAfterMs, 0);
  const negative = errorFromResponse({ code: 99991400, resetSeconds: -3 }) as RateLimitError;
  assert.equal(negative.retryAfterMs, 0, "never a negative wait");
  const none = errorFromResponse({ code: 99991400, httpStatus: 400 }) as RateLimitError;
  assert.ok(none instanceof RateLimitError, "99991400 on HTTP 400 (older APIs) is still throttling");
  assert.equal(none.retryAfterMs, undefined);
  // 1254291 (bitable write conflict) has its own hint.
  assert.match(errorFromResponse({ code: 1254291 }).hint, /写冲突/);
});

Deno.test("errorFromResponse: not found 110107 (contract number)", () => {
  const e = errorFromResponse({ code: 110107, msg: "contract not found", httpStatus: 404, logId: "L1" });
  assert.ok(e instanceof NotFoundError);
  assert.equal(e.kind, "not_found");
  assert.equal(e.retryable, false);
  assert.match(e.hint, /合同编号/);
  // Same code on HTTP 200 still means not found.
  assert.ok(errorFromResponse({ code: 110107, httpStatus: 200 }) instanceof NotFoundError);
});

Deno.test("errorFromResponse: config 99991543 / 10014", () => {
  for (const code of [99991543, 10014, 10003]) {
    const e = errorFromResponse({ code, msg: "app secret invalid", httpStatus: 400 });
    assert.ok(e instanceof ConfigError, `${code} -> ${e.name}`);
    assert.equal(e.retryable, false);
    assert.match(e.hint, /App Secret|app_secret|FEISHU_APP_SECRET/);
  }
});

Deno.test("errorFromResponse: server 5xx and internal codes are retryable", () => {
  for (const code of [2200, 5000, 1500, 20050, 20072]) {
    const e = errorFromResponse({ code, httpStatus: 200 });
    assert.ok(e instanceof ServerError, `${code} -> ${e.name}`);
    assert.equal(e.retryable, true);
  }
  for (const status of [500, 502, 503, 504]) {
    const e = errorFromResponse({ httpStatus: status });
    assert.ok(e instanceof ServerError, `${status}`);
    assert.equal(e.retryable, true);
    assert.equal(e.message, `HTTP ${status}`, "message falls back to the status");
    assert.equal(e.code, undefined);
  }
});

Deno.test("errorFromResponse: unknown code falls back to the HTTP status", () => {
  const cases: [number | undefined, new (...a: never[]) => LarkError, boolean][] = [
    [429, RateLimitError, true],
    [401, AuthError, false],
    [403, PermissionError, false],
    [404, NotFoundError, false],
    [400, BadRequestError, false],
    [422, BadRequestError, false],
    [500, ServerError, true],
    [503, ServerError, true],
    [200, LarkError, false],
    [undefined, LarkError, false],
  ];
  for (const [status, cls, retryable] of cases) {
    const e = errorFromResponse({ code: 1234567, msg: "mystery", httpStatus: status, resetSeconds: 3 });
    assert.equal(e.constructor, cls, `HTTP ${status} -> ${e.name}`);
    assert.equal(e.retryable, retryable, `HTTP ${status}`);
    assert.equal(e.code, 1234567, "the raw code is kept");
    assert.ok(e.hint.length > 0);
  }
  const unknown = errorFromResponse({ code: 1234567, httpStatus: 200 });
  assert.equal(unknown.kind, "unknown");
  assert.match(unknown.hint, /log_id/);
  const throttled = errorFromResponse({ code: 1234567, httpStatus: 429, resetSeconds: 3 }) as RateLimitError;
  assert.equal(throttled.retryAfterMs, 3000);
  const auth = errorFromResponse({ code: 1234567, httpStatus: 401 }) as AuthError;
  assert.equal(auth.tokenInvalid, false, "an unknown 401 is not known to be cured by a refresh");
  assert.equal(auth.tokenKind, undefined);
  // A caller-provided hint is used when the table has none, but the table wins for known codes.
  assert.equal(errorFromResponse({ code: 1234567, httpStatus: 400, hint: "自定义提示" }).hint, "自定义提示");
  assert.equal(errorFromResponse({ code: 99991672, hint: "自定义提示" }).hint, ERROR_CODES[99991672].hint);
  // No msg, no status.
  assert.equal(errorFromResponse({}).message, "request failed");
});

Deno.test("errorFromResponse: 99991668 with 'not support' msg -> PermissionError (use TAT)", () => {
  const e = errorFromResponse({ code: 99991668, msg: "user access token not support", httpStatus: 400 });
  assert.ok(e instanceof PermissionError);
  assert.ok(!(e instanceof AuthError));
  assert.equal(e.retryable, false);
  assert.equal(e.code, 99991668);
  assert.match(e.hint, /tenant_access_token/);
  const upper = errorFromResponse({ code: 99991668, msg: "User Access Token Not Support this API" });
  assert.ok(upper instanceof PermissionError, "case-insensitive");
  const invalid = errorFromResponse({ code: 99991668, msg: "Invalid access token for authorization" });
  assert.ok(invalid instanceof AuthError);
  assert.equal((invalid as AuthError).tokenInvalid, true);
  // Only 99991668 gets that treatment.
  assert.ok(errorFromResponse({ code: 99991663, msg: "not support" }) instanceof AuthError);
});

Deno.test("errorFromResponse keeps the cause", () => {
  const cause = new Error("socket hang up");
  const e = errorFromResponse({ httpStatus: 502, cause });
  assert.equal(e.cause, cause);
});

Deno.test("userMessage includes hint, code, HTTP status, message and log id", () => {
  const e = errorFromResponse({
    code: 99991672,
    msg: "Access denied. One of the following scopes is required",
    httpStatus: 400,
    logId: "20260101abcdef",
  });
  const m = e.userMessage();
  assert.ok(m.startsWith(ERROR_CODES[99991672].hint), m);
  assert.match(m, /错误码 99991672/);
  assert.match(m, /HTTP 400/);
  assert.match(m, /Access denied/);
  assert.match(m, /log_id 20260101abcdef/);
  // Without facts there is no empty bracket.
  const bare = new LarkError("", { hint: "只有提示" });
  assert.equal(bare.userMessage(), "只有提示");
  const noLog = new ConfigError("bad", { hint: "改配置" });
  assert.equal(noLog.userMessage(), "改配置（bad）");
});

Deno.test("toJSON has the log fields and JSON.stringify uses it", () => {
  const e = errorFromResponse({
    code: 99991400,
    msg: "request trigger frequency limit",
    httpStatus: 429,
    logId: "LOG1",
    requestId: "fk-1",
    endpoint: "im_send",
    resetSeconds: 1,
  });
  const j = e.toJSON();
  assert.deepEqual(j, {
    name: "RateLimitError",
    kind: "rate_limit",
    code: 99991400,
    http_status: 429,
    log_id: "LOG1",
    request_id: "fk-1",
    retryable: true,
    endpoint: "im_send",
    message: "request trigger frequency limit",
  });
  assert.deepEqual(JSON.parse(JSON.stringify(e)), JSON.parse(JSON.stringify(j)));
});

Deno.test("error classes: names, kinds and default retryability", () => {
  const cases: [LarkError, string, LarkErrorKind, boolean][] = [
    [new LarkError("m"), "LarkError", "unknown", false],
    [new AuthError("m"), "AuthError", "auth", false],
    [new BadRequestError("m"), "BadRequestError", "bad_request", false],
    [new ConfigError("m"), "ConfigError", "config", false],
    [new NetworkError("m"), "NetworkError", "network", true],
    [new NotFoundError("m"), "NotFoundError", "not_found", false],
    [new PermissionError("m"), "PermissionError", "permission", false],
    [new RateLimitError("m"), "RateLimitError", "rate_limit", true],
    [new ServerError("m"), "ServerError", "server", true],
    [new SessionError("m"), "SessionError", "session", false],
  ];
  for (const [e, name, kind, retryable] of cases) {
    assert.ok(e instanceof LarkError && e instanceof Error);
    assert.equal(e.name, name);
    assert.equal(e.kind, kind);
    assert.equal(e.retryable, retryable, name);
    assert.ok(e.hint.length > 0, "a default hint always exists");
  }
  assert.equal(new NetworkError("m").timeout, false);
  assert.equal(new NetworkError("m", { timeout: true }).timeout, true);
  assert.equal(new AuthError("m").tokenInvalid, false);
  assert.equal(new ServerError("m", { retryable: false }).retryable, false, "init overrides the default");
});
