import type { ChatIdStatus } from "./status.ts";

/** One output row (and one journal record). */
export interface ChatIdRow {
  /** Input contract number. */
  contract_number: string;
  /** From contract search. */
  contract_id: string;
  /** From contractAndTask. */
  cooperation_id: string;
  /** From cooperation/info. */
  openChatId: string;
  /** Outcome. */
  status: ChatIdStatus;
  /** Feishu code (or HTTP status) of the failure. */
  error_code: string;
  /** Chinese message of the failure. */
  error_message: string;
  /** Retries spent on this contract. */
  retry_count: number;
  /** Wall time, ms. */
  duration_ms: number;
  /** ISO time the contract started. */
  started_at: string;
  /** ISO time it finished. */
  finished_at: string;
}

/** Columns always written, in this order. */
export const BASE_COLUMNS = [
  "contract_number",
  "contract_id",
  "cooperation_id",
  "openChatId",
  "status",
  "error_code",
  "error_message",
] as const;

/** Columns added when `output.extra_columns` is on. */
export const EXTRA_COLUMNS = ["retry_count", "duration_ms", "started_at", "finished_at"] as const;
