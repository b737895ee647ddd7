/**
 * The cooperation-record list of the export family's data set: what the
 * sandbox's list endpoint answers (a page of records and the total for the
 * filters and time range).
 *
 * ASSUMPTIONS (the real list request is undocumented; the pipeline never
 * hard-codes it and replays whatever the user's browser called): the body is
 * `{keyword, searchTabEnumCode, searchCooperationByCreateTime: [fromMs, toMs],
 * pageNum, pageSize}` like the export's plus paging; the answer is
 * `{code:0, message:"success", data:{total, list}}` where `total` counts every
 * matching record (the same count the export declares) and `list` holds page
 * `pageNum` of `pageSize` records, by creation time; the item field names
 * below are plausible camelCase names.
 *
 * @module
 */
import type { CooperationDataset } from "./dataset.ts";
import type { ExportRequest } from "./export_task.ts";
import type { CooperationRecord } from "./records.ts";

/** Default page size of the list. */
export const DEFAULT_SEARCH_PAGE_SIZE = 20;
/** Largest page size the list accepts. */
export const MAX_SEARCH_PAGE_SIZE = 100;

/** A validated list request: the export's filters plus paging. */
export interface SearchRequest extends ExportRequest {
  /** Page number, from 1. */
  pageNum: number;
  /** Records per page, 1..100. */
  pageSize: number;
}

/** One record as the list shows it. */
export interface CooperationListItem {
  /** `记录ID`. */
  recordId: string;
  /** `合同编号`. */
  contractNumber: string;
  /** `合同名称`. */
  contractName: string;
  /** `协同ID`. */
  cooperationId: string;
  /** `操作类型`. */
  operateType: string;
  /** `操作类型编码`. */
  operateTypeCode: number;
  /** `操作人`. */
  operatorName: string;
  /** Operation time, epoch ms. */
  operateTime: number;
  /** Creation time, epoch ms (what the time range filters on). */
  createTime: number;
}

/** One page of the list and the total. */
export interface SearchPage {
  /** Records matching the filters and range (all pages). */
  total: number;
  /** The requested page. */
  list: CooperationListItem[];
}

/** The list item of a record. */
export function listItemOf(r: CooperationRecord): CooperationListItem {
  const f = r.fields;
  return {
    recordId: r.id,
    contractNumber: String(f["合同编号"]),
    contractName: String(f["合同名称"]),
    cooperationId: String(f["协同ID"]),
    operateType: String(f["操作类型"]),
    operateTypeCode: Number(f["操作类型编码"]),
    operatorName: String(f["操作人"]),
    operateTime: r.operateTime,
    createTime: r.createTime,
  };
}

/** Answer a list request from the data set: the total, and page `pageNum` of `pageSize` records. */
export function searchCooperationRecords(dataset: CooperationDataset, req: SearchRequest): SearchPage {
  const total = dataset.count(req.fromMs, req.toMs, req.keyword);
  const skip = (req.pageNum - 1) * req.pageSize;
  const list: CooperationListItem[] = [];
  if (skip < total) {
    let i = 0;
    for (const r of dataset.records(req.fromMs, req.toMs, req.keyword)) {
      if (i++ < skip) continue;
      list.push(listItemOf(r));
      if (list.length >= req.pageSize) break;
    }
  }
  return { total, list };
}
