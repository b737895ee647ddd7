import type { z } from "zod";
import type { SchemaIssue } from "../validate/schema.ts";

/**
 * Turn schema issues into Chinese lines that name the key and the file. Every
 * zod issue code has a Chinese sentence (zod's English text such as
 * "Invalid input" never reaches the user); values are never echoed, since a
 * key may hold a secret. The issues are those of a zod schema.
 */
export function formatIssues(issues: readonly SchemaIssue[], file: string | undefined): string[] {
  const where = file ? `（文件 ${file}）` : "";
  return issues.map((i) => {
    const key = i.path.map(String).join(".") || "(根)";
    return `配置项 ${key}${where}：${describe(i as z.core.$ZodIssue)}`;
  });
}

function describe(i: z.core.$ZodIssue): string {
  switch (i.code) {
    case "invalid_type":
      // `input` is only present when parsed with `reportInput: true`; zod's own message
      // ("…, received string") still tells a wrong type from a missing key otherwise.
      return i.input === undefined && !/received (?!undefined\b)\w+/.test(i.message)
        ? `缺少必填项（应为 ${typeName(i.expected)}）`
        : `类型错误，应为 ${typeName(i.expected)}`;
    case "too_small":
      if (i.origin === "string" && Number(i.minimum) === 1) return "不能为空";
      return `取值过小，应 ${i.inclusive ? "≥" : ">"} ${String(i.minimum)}${sizeUnit(i.origin)}`;
    case "too_big":
      return `取值过大，应 ${i.inclusive ? "≤" : "<"} ${String(i.maximum)}${sizeUnit(i.origin)}`;
    case "invalid_value":
      return `取值无效，可选值：${i.values.map((v) => JSON.stringify(v)).join("、")}`;
    case "invalid_format":
      return `格式错误，应为${formatName(i.format)}`;
    case "not_multiple_of":
      return `取值应为 ${String(i.divisor)} 的整数倍`;
    case "unrecognized_keys":
      return `不认识的键：${i.keys.join("、")}`;
    case "invalid_union":
      return describeUnion(i.errors);
    case "invalid_key":
      return "含有无效的键名";
    case "invalid_element":
      return "含有无效的元素";
    case "custom":
      // Our own refinements carry a Chinese message; anything else gets a generic one.
      return /[\u4e00-\u9fff]/.test(i.message) ? i.message : "取值无效";
    default:
      return "取值无效";
  }
}

/** A value matched no alternative: list what each alternative expects. */
function describeUnion(branches: readonly (readonly z.core.$ZodIssue[])[]): string {
  const wanted: string[] = [];
  for (const issues of branches) {
    const top = issues.find((x) => x.path.length === 0) ?? issues[0];
    if (!top) continue;
    let text: string;
    if (top.code === "invalid_type") text = typeName(top.expected);
    else if (top.code === "invalid_value") text = top.values.map((v) => JSON.stringify(v)).join("、");
    else if (top.code === "invalid_format") text = formatName(top.format);
    else text = describe(top);
    if (!wanted.includes(text)) wanted.push(text);
  }
  return wanted.length ? `类型或取值错误，应为 ${wanted.join(" 或 ")}` : "类型或取值错误";
}

function typeName(t: string): string {
  const names: Record<string, string> = {
    string: "字符串",
    number: "数字",
    int: "整数",
    bigint: "整数",
    boolean: "布尔值 true/false",
    object: "对象（键: 值）",
    record: "对象（键: 值）",
    map: "对象（键: 值）",
    array: "列表",
    tuple: "列表",
    set: "列表",
    date: "日期",
    null: "空值 null",
    literal: "固定取值",
    enum: "可选值之一",
  };
  return names[t] ?? "其他类型";
}

function formatName(f: string): string {
  const names: Record<string, string> = {
    url: "网址（如 https://open.feishu.cn）",
    email: "邮箱地址",
    regex: "符合要求的格式",
    starts_with: "指定前缀开头的字符串",
    ends_with: "指定后缀结尾的字符串",
    includes: "包含指定内容的字符串",
    uuid: "UUID",
    datetime: "日期时间（ISO 8601）",
    date: "日期（YYYY-MM-DD）",
  };
  return names[f] ?? `${f} 格式`;
}

function sizeUnit(origin: string | undefined): string {
  if (origin === "string") return " 个字符";
  if (origin === "array" || origin === "set") return " 项";
  return "";
}
