import type { z } from "zod";

/** Turn schema issues into Chinese lines that name the key and the file. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], file: string | undefined): string[] {
  const where = file ? `（文件 ${file}）` : "";
  return issues.map((i) => {
    const key = i.path.join(".") || "(根)";
    return `配置项 ${key}${where}：${describe(i)}`;
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
      return `取值过小，应 ${i.inclusive ? "≥" : ">"} ${String(i.minimum)}`;
    case "too_big":
      return `取值过大，应 ${i.inclusive ? "≤" : "<"} ${String(i.maximum)}`;
    case "invalid_value":
      return `取值无效，可选值：${i.values.map((v) => JSON.stringify(v)).join("、")}`;
    case "invalid_format":
      return `格式错误（${i.format}）`;
    default:
      return i.message;
  }
}

function typeName(t: string): string {
  const names: Record<string, string> = {
    string: "字符串",
    number: "数字",
    int: "整数",
    boolean: "布尔值 true/false",
    object: "对象（键: 值）",
    array: "列表",
  };
  return names[t] ?? t;
}
