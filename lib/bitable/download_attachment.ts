import type { AuthProvider } from "../auth/auth_provider.ts";
import { downloadFile, type DownloadFileOptions, type DownloadResult } from "../download/download_file.ts";
import { ParamError } from "../errors/param_error.ts";
import { checkRecordId, checkTableId } from "./_validate.ts";

/** Which Base cell an attachment is in, for the `bitablePerm` extra of advanced-permission Bases. */
export interface BitablePerm {
  /** `tbl…` of the attachment's table. */
  tableId: string;
  /** Revision from the record's attachment `url` (`extra={"bitablePerm":{"tableId":…,"rev":N}}`). */
  rev?: number;
  /** `{ field_id: { record_id: [file_token] } }`: recommended by the docs, speeds the check up. */
  attachments?: Record<string, Record<string, string[]>>;
}

/** Options of {@linkcode downloadAttachment}. */
export interface DownloadAttachmentOptions
  extends Omit<DownloadFileOptions, "url" | "dest" | "headers" | "refreshUrl"> {
  /** Base URL of the Open Platform (e.g. `https://open.feishu.cn` or the sandbox). */
  baseUrl: string;
  /** Credentials (tenant or user token). */
  auth: AuthProvider;
  /** `file_token` of the attachment (from the attachment field's value). */
  fileToken: string;
  /** Where to save it. */
  dest: string;
  /** The `bitablePerm` extra; needed when the Base has advanced permissions. */
  perm?: BitablePerm;
}

/**
 * The media download URL with the `extra` query: URL-encoded JSON
 * `{"bitablePerm":{"tableId":…,"rev":…}}`
 * (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/media/introduction).
 */
export function attachmentUrl(baseUrl: string, fileToken: string, perm?: BitablePerm): string {
  if (typeof fileToken !== "string" || !/^[A-Za-z0-9_-]{1,128}$/.test(fileToken)) {
    throw new ParamError("file_token", "应为附件的 file_token（字母数字）");
  }
  const url = new URL(`/open-apis/drive/v1/medias/${fileToken}/download`, baseUrl);
  if (perm) {
    checkTableId(perm.tableId);
    if (perm.rev !== undefined && !(Number.isInteger(perm.rev) && perm.rev >= 0)) {
      throw new ParamError("perm.rev", "应为非负整数");
    }
    for (const byRecord of Object.values(perm.attachments ?? {})) {
      for (const id of Object.keys(byRecord)) checkRecordId(id, "perm.attachments.record_id");
    }
    const bitablePerm: Record<string, unknown> = { tableId: perm.tableId };
    if (perm.rev !== undefined) bitablePerm.rev = perm.rev;
    if (perm.attachments) bitablePerm.attachments = perm.attachments;
    url.searchParams.set("extra", JSON.stringify({ bitablePerm }));
  }
  return url.toString();
}

/**
 * Download one Base attachment through lib/download (streamed to `.part`,
 * Range resume, atomic rename) from
 * `GET /open-apis/drive/v1/medias/{file_token}/download?extra=…`
 * (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/media/download).
 */
export async function downloadAttachment(o: DownloadAttachmentOptions): Promise<DownloadResult> {
  const { baseUrl, auth, fileToken, perm, ...rest } = o;
  const url = attachmentUrl(baseUrl, fileToken, perm);
  const headers = await auth.headers(o.signal);
  return await downloadFile({ ...rest, url, headers });
}
