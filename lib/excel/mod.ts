/**
 * Excel in and out (SheetJS, republished as `@e965/xlsx`): atomic xlsx
 * writes and header-keyed table reads of xlsx/csv.
 *
 * @module
 */
export * from "./write_xlsx.ts";
export * from "./read_table.ts";
export * from "./read_table_isolated.ts";
