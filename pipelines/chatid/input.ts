import { readTableIsolated } from "../../lib/excel/read_table_isolated.ts";
import { BadRequestError } from "../../lib/errors/bad_request_error.ts";

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
  const out: ContractInput = { numbers: [], blank: 0, comments: 0, duplicates: 0 };
  const seen = new Set<string>();
  for (const line of text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/)) {
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
  }
  // A trailing newline is not a blank line the user wrote.
  if (/(\r\n|\n|\r)$/.test(text)) out.blank = Math.max(0, out.blank - 1);
  return out;
}

/** Read contract numbers from a `.txt`, `.csv` or `.xlsx` file (sheet files need a `contract_number` column). */
export async function readContractFile(path: string): Promise<ContractInput> {
  const lower = path.toLowerCase();
  const bytes = await Deno.readFile(path);
  if (!lower.endsWith(".xlsx") && !lower.endsWith(".xls") && !lower.endsWith(".csv")) {
    return parseContractText(new TextDecoder("utf-8").decode(bytes));
  }
  // A spreadsheet from outside: parsed in a worker without any permission.
  const table = await readTableIsolated(lower.endsWith(".csv") ? stripBomBytes(bytes) : bytes);
  const col = table.headers.find((h) => h.toLowerCase() === "contract_number");
  if (!col) {
    throw new BadRequestError("missing contract_number column", {
      hint: `文件 ${path} 缺少 contract_number 列：请在第一行表头中加入 contract_number。`,
    });
  }
  const text = table.rows.map((r) => (r[col] === null || r[col] === undefined ? "" : String(r[col]))).join(
    "\n",
  );
  return parseContractText(text);
}

function stripBomBytes(b: Uint8Array): Uint8Array {
  return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
}
