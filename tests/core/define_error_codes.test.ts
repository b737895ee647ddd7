/** A domain module teaches the core its codes with defineErrorCodes (the extension point of the error table). */
import assert from "node:assert/strict";
import {
  codeInfo,
  defineErrorCodes,
  errorFromResponse,
  NotFoundError,
  ParamError,
  PermissionError,
} from "../../lib/errors/mod.ts";

Deno.test("defineErrorCodes: added codes classify like core ones; core codes cannot be replaced", () => {
  assert.equal(codeInfo(1999001), undefined);
  defineErrorCodes({ 1999001: { kind: "not_found", hint: "测试资源不存在。" } });
  const e = errorFromResponse({ code: 1999001, httpStatus: 400, msg: "gone" });
  assert.ok(e instanceof NotFoundError);
  assert.equal(e.hint, "测试资源不存在。");
  // The same definition again is fine; another kind for a known code is a programming error.
  defineErrorCodes({ 1999001: { kind: "not_found", hint: "测试资源不存在。" } });
  assert.throws(() => defineErrorCodes({ 1999001: { kind: "server", hint: "x" } }), /already defined/);
  assert.throws(() => defineErrorCodes({ 99991672: { kind: "server", hint: "x" } }), /already defined/);
  // Same kind for a core code: the core's hint stays.
  defineErrorCodes({ 99991672: { kind: "permission", hint: "别的提示" } });
  const core = errorFromResponse({ code: 99991672 });
  assert.ok(core instanceof PermissionError);
  assert.notEqual(core.hint, "别的提示");
});

Deno.test("ParamError names the field in the message and the Chinese hint, never retried", () => {
  const e = new ParamError("children[3].block_type", "应为正整数");
  assert.equal(e.field, "children[3].block_type");
  assert.equal(e.kind, "bad_request");
  assert.equal(e.retryable, false);
  assert.match(e.message, /children\[3\]\.block_type/);
  assert.match(e.userMessage(), /^参数 children\[3\]\.block_type 不正确：应为正整数/);
});
