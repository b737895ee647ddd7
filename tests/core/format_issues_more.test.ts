/**
 * Config problems in Chinese for the zod issue kinds the main config tests do
 * not reach: no file name, the root key, exclusive bounds, list sizes,
 * multiples, map keys, formats, unions of formats and values, and
 * refinements with and without a Chinese message. Values are never echoed.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { formatIssues } from "../../lib/config/format_issues.ts";

function lines(schema: z.ZodType, value: unknown, file?: string): string[] {
  const r = schema.safeParse(value);
  assert.ok(!r.success, "expected a problem");
  return formatIssues(r.error.issues, file);
}

Deno.test("formatIssues: bounds, sizes, multiples, map keys and formats in Chinese", () => {
  assert.deepEqual(lines(z.number().gt(0), 0), ["配置项 (根)：取值过小，应 > 0"]);
  assert.deepEqual(lines(z.object({ n: z.number().lt(10) }), { n: 10 }, "a.yaml"), [
    "配置项 n（文件 a.yaml）：取值过大，应 < 10",
  ]);
  assert.deepEqual(lines(z.array(z.string()).min(2), ["a"]), ["配置项 (根)：取值过小，应 ≥ 2 项"]);
  assert.deepEqual(lines(z.string().max(3), "abcd"), ["配置项 (根)：取值过大，应 ≤ 3 个字符"]);
  assert.deepEqual(lines(z.number().multipleOf(5), 7), ["配置项 (根)：取值应为 5 的整数倍"]);
  assert.deepEqual(lines(z.record(z.string().min(2), z.number()), { x: 1 }), ["配置项 x：含有无效的键名"]);
  assert.match(lines(z.string().email(), "secret-not-an-email")[0], /格式错误，应为邮箱地址/);
  assert.match(lines(z.string().uuid(), "x")[0], /UUID/);
  assert.match(lines(z.string().startsWith("cli_"), "x")[0], /指定前缀开头/);
  assert.match(lines(z.string().ipv4(), "x")[0], /ipv4 格式/);
  for (const l of lines(z.object({ token: z.string().email() }), { token: "s3cr3t-value" })) {
    assert.doesNotMatch(l, /s3cr3t/, "the value is never shown");
  }
});

Deno.test("formatIssues: unions list what each side wants; refinements keep only Chinese messages", () => {
  assert.deepEqual(lines(z.union([z.string(), z.literal(false)]), 5), [
    "配置项 (根)：类型或取值错误，应为 字符串 或 false",
  ]);
  assert.deepEqual(lines(z.union([z.string().email(), z.string().url()]), "zz"), [
    "配置项 (根)：类型或取值错误，应为 邮箱地址 或 网址（如 https://open.feishu.cn）",
  ]);
  assert.match(lines(z.union([z.string().min(3), z.number().min(3)]), "a")[0], /取值过小/);
  assert.deepEqual(lines(z.string().refine((s) => s.length > 3, "至少 4 个字"), "ab"), [
    "配置项 (根)：至少 4 个字",
  ]);
  assert.deepEqual(lines(z.string().refine((s) => s.length > 3, "too short"), "ab"), [
    "配置项 (根)：取值无效",
  ]);
  assert.deepEqual(lines(z.bigint(), "x")[0], "配置项 (根)：类型错误，应为 整数");
  assert.deepEqual(lines(z.symbol(), "x"), ["配置项 (根)：类型错误，应为 其他类型"]);
});
