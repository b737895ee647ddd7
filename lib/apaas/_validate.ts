import type { AuthProvider } from "../auth/auth_provider.ts";
import { ParamError } from "../errors/param_error.ts";
import type { ApaasRecord } from "./apaas_types.ts";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A table, column, function or flow API name. */
export function checkName(field: string, value: unknown): string {
  if (typeof value !== "string" || !IDENT.test(value)) {
    throw new ParamError(field, `应为字母或下划线开头、由字母数字下划线组成的名称：${String(value)}`);
  }
  return value;
}

/** An id such as `workspace_aadimx5uzpsls`, `package_7344545d87__c` or an execution id. */
export function checkToken(field: string, value: unknown): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]{1,128}$/.test(value)) {
    throw new ParamError(field, `应为非空的字母数字 ID：${String(value)}`);
  }
  return value;
}

/** Workspace tables accept only a user access token: refuse other credentials before any request. */
export function checkUserAuth(auth: AuthProvider | undefined): AuthProvider {
  if (!auth || !auth.label.startsWith("user")) {
    throw new ParamError(
      "auth",
      "aPaaS 数据表接口只接受用户身份（user_access_token）：请传入 TokenManager.userAuth(appId, userId) 得到的凭证",
    );
  }
  return auth;
}

/** A page size within `1..max`. */
export function checkPageSize(value: number | undefined, max: number, def: number): number {
  const v = value ?? def;
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw new ParamError("pageSize", `应为 1 到 ${max} 之间的整数`);
  }
  return v;
}

/** Records of a write: objects with valid column names; for batch updates each with `_id` and the same columns. */
export function checkRecords(field: string, records: readonly ApaasRecord[], needId: boolean): void {
  if (!Array.isArray(records) || records.length === 0) throw new ParamError(field, "至少需要一条记录");
  let columns: string | undefined;
  records.forEach((r, i) => {
    if (typeof r !== "object" || r === null || Array.isArray(r)) {
      throw new ParamError(`${field}[${i}]`, "应为对象");
    }
    for (const k of Object.keys(r)) checkName(`${field}[${i}].${k}`, k);
    if (!needId) return;
    if (typeof r._id !== "string" || r._id === "") {
      throw new ParamError(`${field}[${i}]._id`, "批量更新的每条记录都必须带 _id");
    }
    const these = Object.keys(r).filter((k) => k !== "_version").sort().join(",");
    if (columns !== undefined && these !== columns) {
      throw new ParamError(`${field}[${i}]`, "批量更新的每条记录须修改相同的字段");
    }
    columns = these;
  });
}
