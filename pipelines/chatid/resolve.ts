import type { ClmApi } from "../../lib/clm/clm_api.ts";
import type { ContractApi } from "../../lib/contract/contract_api.ts";
import { LarkError } from "../../lib/errors/lark_error.ts";
import { attemptsOf } from "../../lib/retry/retry.ts";
import type { Clock } from "../../lib/time/clock.ts";
import type { ChatIdRow } from "./row.ts";
import { isFatal, statusOfError } from "./status.ts";

/** The APIs one contract goes through. */
export interface ResolveDeps {
  /** Open API contract search. */
  contracts: ContractApi;
  /** CLM web API. */
  clm: ClmApi;
  /** Time source. */
  clock: Clock;
}

/** A failure that concerns every contract; carries the row of the contract it hit. */
export class FatalRunError extends Error {
  /** The row of the contract being processed. */
  readonly row: ChatIdRow;
  /** The underlying error. */
  readonly error: LarkError;
  /** Wrap a fatal error. */
  constructor(error: LarkError, row: ChatIdRow) {
    super(error.message, { cause: error });
    this.row = row;
    this.error = error;
  }
}

/**
 * Resolve one contract number: search → contractAndTask → cooperation/info.
 * Business outcomes become statuses; ids found before a failure are kept.
 * Credential failures throw {@linkcode FatalRunError} (the run stops).
 */
export async function resolveContract(
  contractNumber: string,
  deps: ResolveDeps,
  signal?: AbortSignal,
): Promise<ChatIdRow> {
  const start = deps.clock.now();
  const row: ChatIdRow = {
    contract_number: contractNumber,
    contract_id: "",
    cooperation_id: "",
    openChatId: "",
    status: "SUCCESS",
    error_code: "",
    error_message: "",
    retry_count: 0,
    duration_ms: 0,
    started_at: new Date(start).toISOString(),
    finished_at: "",
  };
  const ids = { contract_number: contractNumber };
  // Every retry of every call counts, including the one after a refused token is refreshed.
  const onRetry = () => row.retry_count++;
  const finish = () => {
    const end = deps.clock.now();
    row.duration_ms = end - start;
    row.finished_at = new Date(end).toISOString();
    return row;
  };
  try {
    const found = await deps.contracts.searchByNumber(contractNumber, { signal, ids, onRetry });
    if (!found?.contract_id) {
      row.status = "NOT_FOUND_CONTRACT";
      row.error_message = "合同编号不存在";
      return finish();
    }
    row.contract_id = String(found.contract_id);
    const task = await deps.clm.contractAndTask(row.contract_id, {
      signal,
      onRetry,
      ids: { ...ids, contract_id: row.contract_id },
    });
    const cooperationId = task.contract?.contractInfo?.cooperationId;
    if (!cooperationId) {
      row.status = "NO_COOPERATION";
      row.error_message = "该合同没有协同";
      return finish();
    }
    row.cooperation_id = String(cooperationId);
    const info = await deps.clm.cooperationInfo(row.cooperation_id, {
      signal,
      onRetry,
      ids: { ...ids, cooperation_id: row.cooperation_id },
    });
    if (!info.openChatId) {
      row.status = "NO_CHAT_GROUP";
      row.error_message = "该协同没有群聊";
      return finish();
    }
    row.openChatId = String(info.openChatId);
    return finish();
  } catch (e) {
    if (signal?.aborted) throw e;
    row.status = statusOfError(e);
    // A client that does not report retries as they happen still tags the failure.
    row.retry_count = Math.max(row.retry_count, (attemptsOf(e) ?? 1) - 1);
    if (e instanceof LarkError) {
      row.error_code = String(e.code ?? e.httpStatus ?? "");
      row.error_message = e.userMessage();
    } else {
      row.error_message = String((e as Error)?.message ?? e);
    }
    finish();
    if (isFatal(e)) throw new FatalRunError(e as LarkError, row);
    return row;
  }
}
