import type { LarkHttp } from "../http/lark_http.ts";

/**
 * Shape of `GET /clm/api/workflow/composition/contractAndTask` as read by
 * public code: `data.contract.contractInfo.cooperationId`. The CLM web API is
 * undocumented (assumption: it uses the same `{code, data}` envelope).
 */
export interface ContractAndTask {
  /** Contract part. */
  contract?: {
    contractInfo?: { contractId?: string; contractNumber?: string; cooperationId?: string | null };
  };
}

/** Shape of `GET /clm/api/cooperation/info` as read by public code: `data.openChatId`. */
export interface CooperationInfo {
  /** Cooperation id. */
  cooperationId?: string;
  /** The negotiation group chat, when one exists. */
  openChatId?: string | null;
}

/** Options of a CLM call. */
export interface ClmCallOptions {
  /** Cancel the call. */
  signal?: AbortSignal;
  /** Business ids for logs. */
  ids?: Record<string, unknown>;
  /** Told before each retry of the call. */
  onRetry?: (attempt: number) => void;
}

/**
 * The contract.feishu.cn web endpoints (cookie session, not the Open
 * Platform). Isolated here because they are undocumented and may change.
 */
export class ClmApi {
  #http: LarkHttp;
  /** Use a client whose auth is {@linkcode cookieAuth}. */
  constructor(http: LarkHttp) {
    this.#http = http;
  }

  /** Contract details incl. its cooperation id. */
  async contractAndTask(contractId: string, o: ClmCallOptions = {}): Promise<ContractAndTask> {
    const res = await this.#http.request<ContractAndTask>({
      path: "/clm/api/workflow/composition/contractAndTask",
      query: { contractId, withDocVersion: true },
      bucket: "contract_info",
      step: "contract_and_task",
      signal: o.signal,
      ids: o.ids,
      onRetry: o.onRetry,
    });
    return res.data ?? {};
  }

  /** Cooperation details incl. its group chat id. */
  async cooperationInfo(cooperationId: string, o: ClmCallOptions = {}): Promise<CooperationInfo> {
    const res = await this.#http.request<CooperationInfo>({
      path: "/clm/api/cooperation/info",
      query: { cooperationId },
      bucket: "cooperation_info",
      step: "cooperation_info",
      signal: o.signal,
      ids: o.ids,
      onRetry: o.onRetry,
    });
    return res.data ?? {};
  }

  /**
   * One cheap call to check the session cookie: only a refused session
   * (`SessionError`) fails; a business error for the dummy id means the
   * cookie was accepted.
   */
  async checkSession(signal?: AbortSignal): Promise<void> {
    try {
      await this.#http.request({
        path: "/clm/api/cooperation/info",
        query: { cooperationId: "0" },
        bucket: "cooperation_info",
        step: "session_check",
        retries: 1,
        signal,
      });
    } catch (e) {
      if ((e as { kind?: string }).kind === "session") throw e;
      if ((e as { kind?: string }).kind === "network") throw e;
    }
  }
}
