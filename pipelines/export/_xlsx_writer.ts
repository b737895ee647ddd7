/**
 * A streaming single-sheet xlsx writer (internal). SheetJS builds the whole
 * workbook in memory (about 1.2 GB for 80,000 × 21 cells here), so the merged
 * file is written row by row instead: inline strings, numbers, booleans and
 * dates (real date cells with a date format; a `Date`'s UTC fields are the
 * wall-clock time, as SheetJS reads them with `UTC: true`). The header row
 * is frozen. Written to `<path>.part`, synced, then renamed.
 *
 * @module
 */
import { type ZipEntry, ZipWriter } from "./_zip_writer.ts";

const NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG = "http://schemas.openxmlformats.org/package/2006";
const FLUSH_CHARS = 256 * 1024;

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="${PKG}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${PKG}/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WB_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${PKG}/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`;
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="${NS}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** Column letters of a 0-based index: 0 → A, 26 → AA. */
export function columnName(i: number): string {
  let s = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

// deno-lint-ignore no-control-regex
const BAD_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function escapeXml(s: string): string {
  return s.replace(BAD_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Writes one sheet row by row. */
export class XlsxStreamWriter {
  #path: string;
  #file: Deno.FsFile;
  #zip: ZipWriter;
  #sheet!: ZipEntry;
  #enc = new TextEncoder();
  #buf = "";
  #row = 0;
  #cols: string[] = [];
  #sheetName: string;

  private constructor(path: string, file: Deno.FsFile, sheetName: string) {
    this.#path = path;
    this.#file = file;
    this.#zip = new ZipWriter(file);
    this.#sheetName = sheetName;
  }

  /** Start `<path>.part`; the header row is the first {@linkcode addRow}. */
  static async create(path: string, sheetName = "Sheet1"): Promise<XlsxStreamWriter> {
    const file = await Deno.open(`${path}.part`, { write: true, create: true, truncate: true });
    const w = new XlsxStreamWriter(path, file, sheetName.slice(0, 31));
    try {
      await w.#zip.add("[Content_Types].xml", CONTENT_TYPES);
      await w.#zip.add("_rels/.rels", ROOT_RELS);
      await w.#zip.add("xl/_rels/workbook.xml.rels", WB_RELS);
      await w.#zip.add("xl/styles.xml", STYLES);
      await w.#zip.add(
        "xl/workbook.xml",
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS}" xmlns:r="${REL}">` +
          `<sheets><sheet name="${
            escapeXml(w.#sheetName).replace(/"/g, "&quot;")
          }" sheetId="1" r:id="rId1"/>` +
          `</sheets></workbook>`,
      );
      w.#sheet = await w.#zip.entry("xl/worksheets/sheet1.xml");
      w.#buf = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}">` +
        `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" ` +
        `state="frozen"/></sheetView></sheetViews><sheetData>`;
    } catch (e) {
      file.close();
      throw e;
    }
    return w;
  }

  /** Rows written so far (the header included). */
  get rows(): number {
    return this.#row;
  }

  /** Append a row: strings, finite numbers, booleans, `Date`s; null/undefined/"" leave the cell empty. */
  async addRow(values: readonly unknown[]): Promise<void> {
    const r = ++this.#row;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined || v === "") continue;
      const ref = (this.#cols[i] ??= columnName(i)) + r;
      if (typeof v === "number") {
        if (Number.isFinite(v)) xml += `<c r="${ref}"><v>${v}</v></c>`;
      } else if (typeof v === "boolean") xml += `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
      else if (v instanceof Date) {
        const ms = v.getTime();
        if (Number.isNaN(ms)) continue;
        const style = ms % 86_400_000 === 0 ? 2 : 1;
        xml += `<c r="${ref}" s="${style}"><v>${ms / 86_400_000 + 25569}</v></c>`;
      } else {
        const s = escapeXml(String(v));
        const space = /^\s|\s$/.test(s) ? ' xml:space="preserve"' : "";
        xml += `<c r="${ref}" t="inlineStr"><is><t${space}>${s}</t></is></c>`;
      }
    }
    this.#buf += xml + "</row>";
    if (this.#buf.length >= FLUSH_CHARS) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (!this.#buf) return;
    const bytes = this.#enc.encode(this.#buf);
    this.#buf = "";
    await this.#sheet.write(bytes);
  }

  /** Finish the archive, sync it and rename `<path>.part` over `path`. */
  async close(): Promise<void> {
    try {
      this.#buf += "</sheetData></worksheet>";
      await this.#flush();
      await this.#sheet.close();
      await this.#zip.finish();
      await this.#file.sync();
    } finally {
      this.#file.close();
    }
    await Deno.rename(`${this.#path}.part`, this.#path);
  }

  /** Give up: close and delete `<path>.part`. */
  async abort(): Promise<void> {
    try {
      this.#file.close();
    } catch { /* closed */ }
    await Deno.remove(`${this.#path}.part`).catch(() => {});
  }
}
