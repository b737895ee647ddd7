import { readTableIsolated } from "../../lib/excel/read_table_isolated.ts";
import type { Table } from "../../lib/excel/read_table.ts";
import { BadRequestError } from "../../lib/errors/bad_request_error.ts";
import { decodeInputText, readInputBytes, readWorkbookTable } from "./_input_bytes.ts";
import {
  checkContractNumbers,
  type ContractNumberShape,
  type ImplausibleNumber,
} from "./contract_number_shape.ts";

/** Contract numbers read from an input file, with what was dropped. */
export interface ContractInput {
  /** Unique contract numbers in first-seen order. */
  numbers: string[];
  /** Blank lines skipped. */
  blank: number;
  /** `#` comment lines skipped. */
  comments: number;
  /** Duplicates dropped (the first occurrence is kept). */
  duplicates: number;
  /** 1-based source line of each entry of `numbers` (TXT line, or sheet row counting the header). */
  lines?: number[];
  /** Values skipped before any request because they do not look like contract numbers. */
  implausible?: ImplausibleNumber[];
}

/** Whitespace incl. full-width spaces and BOMs. */
const SPACE = /^[\s\u3000\uFEFF\u00A0]+|[\s\u3000\uFEFF\u00A0]+$/g;

/** Trim ASCII and full-width spaces (and stray BOMs). */
export function cleanValue(v: string): string {
  return v.replace(SPACE, "");
}

/**
 * Parse a TXT list: one contract number per line, UTF-8 with or without BOM,
 * LF or CRLF, blank lines and `#` comments skipped, spaces (also full-width)
 * trimmed, duplicates dropped keeping first order.
 */
export function parseContractText(text: string): ContractInput {
  const out: ContractInput = { numbers: [], blank: 0, comments: 0, duplicates: 0, lines: [] };
  const seen = new Set<string>();
  let lineNo = 0;
  for (const line of text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/)) {
    lineNo++;
    const v = cleanValue(line);
    if (!v) {
      out.blank++;
      continue;
    }
    if (v.startsWith("#")) {
      out.comments++;
      continue;
    }
    if (seen.has(v)) {
      out.duplicates++;
      continue;
    }
    seen.add(v);
    out.numbers.push(v);
    out.lines!.push(lineNo);
  }
  // A trailing newline is not a blank line the user wrote.
  if (/(\r\n|\n|\r)$/.test(text)) out.blank = Math.max(0, out.blank - 1);
  return out;
}

/** Options of {@linkcode readContractFile}. */
export interface ReadContractOptions {
  /** Shape check applied before any request (default {@linkcode ContractNumberShape} defaults). */
  shape?: ContractNumberShape;
}

/**
 * Read contract numbers from a `.txt`, `.csv` or `.xlsx` file (sheet files
 * need a `contract_number` column) and drop values that do not look like
 * contract numbers (listed in `implausible`). A directory, a binary or
 * non-UTF-8 text file, or a file named `.xlsx` that is not one is refused
 * with a `BadRequestError` (exit 2) whose hint says which.
 */
export async function readContractFile(path: string, o: ReadContractOptions = {}): Promise<ContractInput> {
  const lower = path.toLowerCase();
  const bytes = await readInputBytes(path);
  let parsed: ContractInput;
  if (lower.endsWith(".xlsx") || lower.endsWith(".xls")) {
    parsed = parseSheet(await readWorkbookTable(bytes, path), path, 1);
  } else if (lower.endsWith(".csv")) {
    const text = decodeInputText(bytes, path);
    // A spreadsheet from outside: parsed in a worker without any permission.
    const table = await readTableIsolated(new TextEncoder().encode(text.replace(/^\uFEFF/, "")));
    parsed = parseSheet(table, path, 1);
  } else parsed = parseContractText(decodeInputText(bytes, path));
  const { valid, validLines, implausible } = checkContractNumbers(
    parsed.numbers,
    parsed.lines ?? [],
    o.shape,
  );
  return { ...parsed, numbers: valid, lines: validLines, implausible };
}

function parseSheet(table: Table, path: string, headerRows: number): ContractInput {
  const col = table.headers.find((h) => h.toLowerCase() === "contract_number");
  if (!col) {
    throw new BadRequestError("missing contract_number column", {
      hint: `文件 ${path} 缺少 contract_number 列：请在第一行表头中加入 contract_number。`,
    });
  }
  const text = table.rows.map((r) => (r[col] === null || r[col] === undefined ? "" : String(r[col]))).join(
    "\n",
  );
  const parsed = parseContractText(text);
  return { ...parsed, lines: parsed.lines?.map((l) => l + headerRows) };
}
