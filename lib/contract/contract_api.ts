import type { LarkHttp } from "../http/lark_http.ts";

/** One contract as returned by `contract/v1/contracts/search`. */
export interface ContractSummary {
  /** Contract id (numeric string). */
  contract_id: string;
  /** Contract number, e.g. `HT-2024-000123`. */
  contract_number?: string;
  /** Contract name. */
  contract_name?: string;
  /** Status code. */
  contract_status_code?: string | number;
}

/** Options of a contract API call. */
export interface ContractCallOptions {
  /** Cancel the call. */
  signal?: AbortSignal;
  /** Business ids for logs. */
  ids?: Record<string, unknown>;
  /** Told before each retry of the call. */
  onRetry?: (attempt: number) => void;
}

/**
 * Feishu contract (CLM) Open API, called with the app's tenant token.
 * Exact lookup by number: `POST /open-apis/contract/v1/contracts/search`
 * with `{contract_number}`; a number that does not exist answers code 110107,
 * which the client raises as a `NotFoundError`.
 */
export class ContractApi {
  #http: LarkHttp;
  /** Use a client whose auth is a tenant token. */
  constructor(http: LarkHttp) {
    this.#http = http;
  }

  /** Find a contract by its exact number. Throws `NotFoundError` (110107) when there is none. */
  async searchByNumber(
    contractNumber: string,
    o: ContractCallOptions = {},
  ): Promise<ContractSummary | undefined> {
    const res = await this.#http.request<{ items?: ContractSummary[] }>({
      method: "POST",
      path: "/open-apis/contract/v1/contracts/search",
      query: { user_id_type: "user_id" },
      body: { contract_number: contractNumber },
      bucket: "contract_search",
      step: "contract_search",
      signal: o.signal,
      ids: o.ids,
      onRetry: o.onRetry,
    });
    return res.data?.items?.[0];
  }
}
