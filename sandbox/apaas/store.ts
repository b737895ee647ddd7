/**
 * The aPaaS family's data: one seeded workspace `workspace_sandbox01` with the
 * tables `customers` (500 rows) and `orders` (empty, 20-row quota), each row
 * with a uuid `_id` and a `_version` counter; application `package_sandbox__c`
 * with functions (`summarize`, `classify`, `hang`) and flows
 * (`notifyOwner`, `slowReport`, `alwaysFails`). Kept per sandbox and re-seeded
 * on reset (tests may change `quota`).
 *
 * @module
 */
import { forkPrng } from "../_prng.ts";
import type { SandboxState } from "../state.ts";
import type { Row } from "./_postgrest.ts";

/** The seeded workspace id. */
export const APAAS_WORKSPACE_ID = "workspace_sandbox01";
/** The seeded application namespace. */
export const APAAS_NAMESPACE = "package_sandbox__c";

/** One column of a table. */
export interface ApaasColumn {
  /** Name. */
  name: string;
  /** `uuid`, `text`, `integer`, `boolean`, `timestamptz`. */
  data_type: string;
  /** Primary key. */
  is_primary_key: boolean;
  /** Nullable. */
  is_nullable: boolean;
  /** Unique. */
  is_unique: boolean;
  /** Description. */
  description: string;
}

/** One table. */
export interface ApaasTable {
  /** Table name. */
  name: string;
  /** Description. */
  description: string;
  /** Columns. */
  columns: ApaasColumn[];
  /** Rows. */
  rows: Row[];
  /** Most rows the table may hold (quota); inserts beyond it fail. */
  quota: number;
}

/** One flow execution. */
export interface FlowExecution {
  /** Id. */
  executionId: string;
  /** Flow API name. */
  flowId: string;
  /** When it started (sandbox clock). */
  startedAt: number;
  /** How long it runs, ms (0 = synchronous). */
  durationMs: number;
  /** Input parameters. */
  params: Record<string, unknown>;
  /** Fails on completion. */
  fails: boolean;
}

/** The family state. */
export class ApaasStore {
  /** Workspaces → tables. */
  readonly workspaces = new Map<string, Map<string, ApaasTable>>();
  /** Flow executions by id. */
  readonly executions = new Map<string, FlowExecution>();
  /** Idempotent keys already used. */
  readonly idempotentKeys = new Set<string>();
  #seq = 0;

  constructor(seed: number) {
    const prng = forkPrng(seed, "apaas");
    const col = (name: string, data_type: string, extra: Partial<ApaasColumn> = {}): ApaasColumn => ({
      name,
      data_type,
      is_primary_key: false,
      is_nullable: true,
      is_unique: false,
      description: "",
      ...extra,
    });
    const base = [
      col("_id", "uuid", { is_primary_key: true, is_nullable: false, is_unique: true, description: "主键" }),
      col("_version", "integer", { is_nullable: false, description: "版本号（每次更新加 1）" }),
    ];
    const cities = ["北京", "上海", "深圳", "杭州", "成都"];
    const customers: Row[] = [];
    for (let i = 0; i < 500; i++) {
      customers.push({
        _id: uuid(prng.hex(32)),
        _version: 1,
        name: `客户${String(i + 1).padStart(3, "0")}`,
        age: 20 + (i * 7) % 45,
        city: cities[i % cities.length],
        vip: i % 10 === 0,
        note: i % 4 === 0 ? null : `备注 ${i + 1}`,
      });
    }
    const tables = new Map<string, ApaasTable>();
    tables.set("customers", {
      name: "customers",
      description: "客户",
      columns: [
        ...base,
        col("name", "text", { is_nullable: false }),
        col("age", "integer"),
        col("city", "text"),
        col("vip", "boolean"),
        col("note", "text"),
      ],
      rows: customers,
      quota: 10_000,
    });
    tables.set("orders", {
      name: "orders",
      description: "订单",
      columns: [...base, col("customer_id", "uuid"), col("amount", "integer"), col("status", "text")],
      rows: [],
      quota: 20,
    });
    this.workspaces.set(APAAS_WORKSPACE_ID, tables);
    this.#seq = prng.int(0, 1_000_000_000);
  }

  /** A fresh uuid for a new row. */
  newId(): string {
    this.#seq++;
    return uuid(this.#seq.toString(16).padStart(32, "0"));
  }

  /** A fresh execution id (digits, like Feishu's). */
  newExecutionId(): string {
    this.#seq++;
    return String(1_816_970_091_000_000 + this.#seq);
  }
}

function uuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20, 32)
  }`;
}

const STORES = new WeakMap<SandboxState, ApaasStore>();
const HOOKED = new WeakSet<SandboxState>();

/** The aPaaS store of `state` (created on first use). */
export function apaasStore(state: SandboxState): ApaasStore {
  let s = STORES.get(state);
  if (!s) {
    STORES.set(state, s = new ApaasStore(state.options.seed));
    if (!HOOKED.has(state)) state.onReset(() => STORES.delete(state));
    HOOKED.add(state);
  }
  return s;
}
