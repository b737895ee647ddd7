/**
 * What a plausible contract number looks like, checked before any request so
 * a binary file, a pasted header or two pasted columns never reach the API.
 *
 * Feishu contract numbers come from the tenant's numbering rule: fixed text
 * (letters, CJK), a date and a serial number joined by separators, e.g.
 * `HT-2024-000123` or `CG20240101001`. The default rule is deliberately loose
 * (any letters, digits and the usual separators, at least one digit, at most
 * 64 characters) and configurable (`input.*` in the chatid config).
 *
 * @module
 */

/** Characters the default rule accepts: letters (any script), digits, marks and common separators. */
const DEFAULT_CHARS = String.raw`\p{L}\p{N}\p{M}._\-/\\()（）\[\]【】#:：+&·`;

const ONE_DEFAULT_CHAR = new RegExp(`^[${DEFAULT_CHARS}]$`, "u");

/** The default `input.number_pattern` (a Unicode regular expression). */
export const DEFAULT_NUMBER_PATTERN = `^[${DEFAULT_CHARS}]+$`;

/** How contract numbers are checked. */
export interface ContractNumberShape {
  /** Whole-value pattern (Unicode flag). Default {@linkcode DEFAULT_NUMBER_PATTERN}. */
  pattern?: string;
  /** Longest accepted number, in characters (default 64). */
  maxLength?: number;
  /** Require at least one digit (default true: numbering rules always end in a serial). */
  requireDigit?: boolean;
}

/** A value that does not look like a contract number. */
export interface ImplausibleNumber {
  /** 1-based line (TXT) or row (sheet) it came from. */
  line: number;
  /** The value as read. */
  value: string;
  /** Chinese reason. */
  reason: string;
}

/** Compile a pattern; a Chinese reason instead when it is not a valid regular expression. */
export function compileNumberPattern(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern, "u");
  } catch (e) {
    return `不是合法的正则表达式：${(e as Error).message}`;
  }
}

/** Why `value` is not a plausible contract number, or undefined when it is. */
export function implausibleReason(value: string, shape: ContractNumberShape = {}): string | undefined {
  const maxLength = shape.maxLength ?? 64;
  const pattern = shape.pattern ?? DEFAULT_NUMBER_PATTERN;
  if (/[\t \u00a0\u3000\u2000-\u200b]/u.test(value)) return "含空白字符（可能粘贴了多列或整句文字）";
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\ufffd\ufffe\uffff]/u.test(value)) return "含不可见控制字符或乱码";
  if (/\s/u.test(value)) return "含空白字符（可能粘贴了多列或整句文字）";
  const length = [...value].length;
  if (length > maxLength) return `过长（${length} 个字符，上限 ${maxLength}）`;
  if ((shape.requireDigit ?? true) && !/\p{N}/u.test(value)) return "不含数字（像是表头或说明文字）";
  const re = compileNumberPattern(pattern);
  if (typeof re === "string") return `input.number_pattern ${re}`;
  if (re.test(value)) return undefined;
  if (pattern === DEFAULT_NUMBER_PATTERN) {
    const bad = [...value].find((c) => !ONE_DEFAULT_CHAR.test(c));
    if (bad) return `含不允许的字符「${bad}」`;
  }
  return "不符合合同编号格式（input.number_pattern）";
}

/** Split `numbers` into plausible ones and the rest (with their lines and reasons). */
export function checkContractNumbers(
  numbers: readonly string[],
  lines: readonly number[],
  shape: ContractNumberShape = {},
): { valid: string[]; validLines: number[]; implausible: ImplausibleNumber[] } {
  const valid: string[] = [];
  const validLines: number[] = [];
  const implausible: ImplausibleNumber[] = [];
  numbers.forEach((value, i) => {
    const line = lines[i] ?? i + 1;
    const reason = implausibleReason(value, shape);
    if (reason) implausible.push({ line, value, reason });
    else {
      valid.push(value);
      validLines.push(line);
    }
  });
  return { valid, validLines, implausible };
}

/** A value shortened and escaped for the console (control characters visible, long values cut). */
export function displayValue(value: string, max = 40): string {
  const chars = [...value];
  const cut = chars.length > max ? `${chars.slice(0, max).join("")}…` : value;
  const shown = JSON.stringify(cut);
  return chars.length > max ? `${shown}（共 ${chars.length} 个字符）` : shown;
}

/** Chinese lines listing skipped values (the first `limit`, then a count of the rest). */
export function formatImplausible(items: readonly ImplausibleNumber[], limit = 20): string[] {
  if (!items.length) return [];
  const lines = [`跳过 ${items.length} 个不像合同编号的值（不会发送请求）：`];
  for (const it of items.slice(0, limit)) {
    lines.push(`  第 ${it.line} 行 ${displayValue(it.value)}：${it.reason}`);
  }
  if (items.length > limit) lines.push(`  ……另有 ${items.length - limit} 个未列出`);
  return lines;
}
