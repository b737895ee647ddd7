/**
 * Reading an input file's bytes and telling text from anything else
 * (internal): a directory, a file too large to be a list, binary content,
 * text that is not UTF-8 (UTF-16 with or without a BOM is read), or a
 * spreadsheet that is not one. Every refusal is a `BadRequestError` (exit 2)
 * with a Chinese hint.
 *
 * @module
 */
import { BadRequestError } from "../../lib/errors/bad_request_error.ts";
import type { Table } from "../../lib/excel/read_table.ts";
import { readTableIsolated } from "../../lib/excel/read_table_isolated.ts";

/** Largest input accepted (a list of a million numbers is ~20 MB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Read `path`, refusing what is not a regular file or is too large. */
export async function readInputBytes(path: string, what = "输入文件"): Promise<Uint8Array> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw usage(`not found: ${path}`, `找不到${what} ${path}。`);
    if (e instanceof Deno.errors.PermissionDenied) {
      throw usage(`no access: ${path}`, `没有权限读取${what} ${path}。`);
    }
    throw e;
  }
  if (!info.isFile) {
    throw usage(
      `not a file: ${path}`,
      `${what} ${path} 不是文件（是${info.isDirectory ? "目录" : "特殊文件"}）：请指定一个文件。`,
    );
  }
  if (info.size > MAX_INPUT_BYTES) {
    throw usage(
      `too large: ${path}`,
      `${what} ${path} 过大（${(info.size / 1024 / 1024).toFixed(0)} MB，上限 ${
        MAX_INPUT_BYTES / 1024 / 1024
      } MB）：请确认选对了文件，或拆分后分批运行。`,
    );
  }
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.PermissionDenied) {
      throw usage(`no access: ${path}`, `没有权限读取${what} ${path}。`);
    }
    throw usage(`cannot read ${path}`, `无法读取${what} ${path}：${(e as Error).message}`);
  }
}

/**
 * Decode a text file: UTF-8 (with or without BOM), or UTF-16 LE/BE (with a
 * BOM, or recognised by its zero bytes). NUL bytes or invalid UTF-8 are
 * refused with the line where the problem starts.
 */
export function decodeInputText(bytes: Uint8Array, path: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(bytes.subarray(3), path);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes.subarray(2), "utf-16le", path);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes.subarray(2), "utf-16be", path);
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const guess = utf16Guess(bytes);
    if (guess) return utf16(bytes, guess, path);
    if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
      throw usage(
        `zip content in ${path}`,
        `${path} 不是文本文件，而是 xlsx/zip 压缩文件：Excel 文件请使用 .xlsx 扩展名（需含 contract_number 列）。`,
      );
    }
    throw usage(
      `NUL byte in ${path}`,
      `${path} 不是文本文件（第 ${
        lineAt(bytes, nul)
      } 行含 NUL 字节，像是二进制文件）：请提供每行一个合同编号的 UTF-8 文本，` +
        "或带 contract_number 列的 .xlsx / .csv。",
    );
  }
  return utf8(bytes, path);
}

function utf8(bytes: Uint8Array, path: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw usage(
      `invalid UTF-8 in ${path}`,
      `${path} 不是有效的 UTF-8 文本（第 ${
        lineAt(bytes, at)
      } 行起有无法识别的字节，可能是 GBK/GB2312 编码或二进制文件）：` +
        "请用 UTF-8 编码另存（如记事本「另存为」选择 UTF-8）后重试。",
    );
  }
}

function utf16(bytes: Uint8Array, encoding: "utf-16le" | "utf-16be", path: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw usage(
      `invalid UTF-16 in ${path}`,
      `${path} 像是 UTF-16 文本，但内容不完整或已损坏：请用 UTF-8 编码另存后重试。`,
    );
  }
}

/** UTF-16 without a BOM: mostly-ASCII text has a zero in every other byte. */
function utf16Guess(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenZero = 0, oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  // CJK text has zero bytes too (U+4E00), but far fewer than the ASCII half of a number list.
  if (oddZero >= pairs * 0.5 && evenZero <= pairs * 0.1) return "utf-16le";
  if (evenZero >= pairs * 0.5 && oddZero <= pairs * 0.1) return "utf-16be";
  return undefined;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80
      ? 0
      : c >= 0xc2 && c <= 0xdf
      ? 1
      : c >= 0xe0 && c <= 0xef
      ? 2
      : c >= 0xf0 && c <= 0xf4
      ? 3
      : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return Math.max(0, b.length - 1);
}

/** 1-based line of byte offset `at`. */
function lineAt(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = 0; i < at && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Read the first sheet of an `.xlsx` (or old `.xls`) file in a worker without any
 * permission, refusing bytes that are not a workbook.
 */
export async function readWorkbookTable(bytes: Uint8Array, path: string): Promise<Table> {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const cfb = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  const invalid = () =>
    new BadRequestError(`not a workbook: ${path}`, {
      hint: `${path} 不是有效的 xlsx 文件（内容不是 Excel 工作簿，可能已损坏或只是改了扩展名）：` +
        "请在 Excel 中重新「另存为 .xlsx」，或改用每行一个合同编号的 .txt 文件。",
    });
  // .xlsx is a zip; an old .xls is a compound file. Anything else only has the extension.
  if (!zip && !(cfb && path.toLowerCase().endsWith(".xls"))) throw invalid();
  try {
    // A workbook from outside: parsed in a worker without any permission.
    return await readTableIsolated(bytes);
  } catch {
    throw invalid();
  }
}

function usage(message: string, hint: string): BadRequestError {
  return new BadRequestError(message, { hint });
}
