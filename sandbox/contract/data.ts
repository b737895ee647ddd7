/**
 * The sandbox's seeded contract data set: the same seed always gives the same
 * contracts, ids, cooperations and chats.
 *
 * @module
 */
import { forkPrng, type Prng } from "../_prng.ts";

/**
 * Which path through "contract number → cooperation → chat" a contract takes:
 * `ok` has both, `no_cooperation` has no cooperation, `no_chat` has a
 * cooperation without a negotiation chat.
 */
export type ContractCategory = "ok" | "no_cooperation" | "no_chat";

/** One generated contract (camelCase model; routes render the wire shapes). */
export interface SandboxContract {
  /** Open Platform `contract_id` and CLM `contractId` (numeric string). */
  contractId: string;
  /** `contract_number`, e.g. `HT-2024-000123`. */
  contractNumber: string;
  /** `contract_name` (Chinese). */
  contractName: string;
  /** `contract_status_code` (assumption: values 3/6/9 as filtered on in public CLI docs). */
  contractStatusCode: number;
  /** Creation time, ms since the epoch. */
  createTime: number;
  /** CLM cooperation id, `null` when there is none. */
  cooperationId: string | null;
  /** Negotiation group chat `oc_…`, `null` when there is none. */
  openChatId: string | null;
  /** Category (derived from the two fields above). */
  category: ContractCategory;
  /**
   * How a missing cooperation/chat id is rendered by the CLM endpoints:
   * field omitted or explicit `null`. Both happen in the wild, so the data
   * set alternates within each category to keep clients honest.
   */
  absentAs: "omitted" | "null";
}

/** Example contract numbers per category, for tests and demos. */
export interface SandboxExamples {
  /** Contracts with a cooperation and a chat. */
  ok: string[];
  /** Contracts without a cooperation. */
  noCooperation: string[];
  /** Contracts with a cooperation but no chat. */
  noChat: string[];
  /** Well-formed numbers that do not exist (search answers 110107). */
  notFound: string[];
}

const COMPANIES = [
  "北京星河科技有限公司",
  "上海云帆信息技术有限公司",
  "深圳前海数智有限公司",
  "杭州西溪网络科技有限公司",
  "成都天府软件有限公司",
  "广州珠江商贸有限公司",
  "南京紫金咨询有限公司",
  "武汉光谷智能制造有限公司",
];
const KINDS = [
  "软件采购",
  "技术服务",
  "房屋租赁",
  "市场推广",
  "设备维护",
  "咨询服务",
  "数据服务",
  "人力外包",
];
const STATUS_CODES = [3, 6, 9];
const YEARS = [2023, 2024, 2025];

/** Generate `count` contracts from `seed`. Pure: same inputs, same output. */
export function generateContracts(seed: number, count: number): SandboxContract[] {
  const rng = forkPrng(seed, "contracts");
  const ids = new Set<string>();
  const serials = new Map<number, number>(YEARS.map((y) => [y, 0]));
  const out: GeneratedContract[] = [];
  for (let i = 0; i < count; i++) {
    const year = rng.pick(YEARS);
    const serial = serials.get(year)! + rng.int(1, 7);
    serials.set(year, serial);
    const roll = rng.next();
    const category: ContractCategory = roll < 0.1 ? "no_cooperation" : roll < 0.19 ? "no_chat" : "ok";
    out.push(makeContract(rng, ids, year, serial, category));
  }
  ensureEveryCategory(out);
  // Alternate the rendering of absent ids within each category.
  const seen = new Map<ContractCategory, number>();
  for (const { contract } of out) {
    const k = seen.get(contract.category) ?? 0;
    seen.set(contract.category, k + 1);
    contract.absentAs = k % 2 === 0 ? "omitted" : "null";
  }
  return out.map(({ contract }) => contract);
}

/** A contract plus the ids it would have in every category. */
interface GeneratedContract {
  contract: SandboxContract;
  cooperationId: string;
  openChatId: string;
}

function makeContract(
  rng: Prng,
  ids: Set<string>,
  year: number,
  serial: number,
  category: ContractCategory,
): GeneratedContract {
  // Every contract draws the same amount of randomness whatever its category.
  const contractId = uniqueId(rng, ids);
  const cooperationId = uniqueId(rng, ids);
  const openChatId = "oc_" + rng.hex(32);
  const start = Date.UTC(year, 0, 1);
  const contract: SandboxContract = {
    contractId,
    contractNumber: `HT-${year}-${String(serial).padStart(6, "0")}`,
    contractName: `${rng.pick(COMPANIES)}${rng.pick(KINDS)}合同`,
    contractStatusCode: rng.pick(STATUS_CODES),
    createTime: start + rng.int(0, 364) * 86_400_000 + rng.int(0, 86_399) * 1000,
    cooperationId: null,
    openChatId: null,
    category,
    absentAs: "omitted",
  };
  const generated = { contract, cooperationId, openChatId };
  setCategory(generated, category);
  return generated;
}

function setCategory(g: GeneratedContract, category: ContractCategory): void {
  g.contract.category = category;
  g.contract.cooperationId = category === "no_cooperation" ? null : g.cooperationId;
  g.contract.openChatId = category === "ok" ? g.openChatId : null;
}

/** A fresh 19-digit id starting with `73`, like Feishu's numeric ids. */
function uniqueId(rng: Prng, ids: Set<string>): string {
  for (;;) {
    const id = "73" + rng.digits(17);
    if (!ids.has(id)) {
      ids.add(id);
      return id;
    }
  }
}

/**
 * With three or more contracts, make sure each category has a member by
 * moving the last contract of the largest category (which then has ≥ 2).
 */
function ensureEveryCategory(list: GeneratedContract[]): void {
  if (list.length < 3) return;
  const categories: ContractCategory[] = ["ok", "no_cooperation", "no_chat"];
  for (const category of categories) {
    const members = (c: ContractCategory) => list.filter((g) => g.contract.category === c);
    if (members(category).length > 0) continue;
    const largest = categories.reduce((a, b) => (members(b).length > members(a).length ? b : a));
    setCategory(members(largest).at(-1)!, category);
  }
}

/** Lookups over the generated contracts. */
export class ContractIndex {
  readonly #byNumber = new Map<string, SandboxContract>();
  readonly #byId = new Map<string, SandboxContract>();
  readonly #byCooperation = new Map<string, SandboxContract>();
  /** All contracts in generation order. */
  readonly all: readonly SandboxContract[];

  /** Index `contracts`. */
  constructor(contracts: readonly SandboxContract[]) {
    this.all = contracts;
    for (const c of contracts) {
      this.#byNumber.set(c.contractNumber, c);
      this.#byId.set(c.contractId, c);
      if (c.cooperationId) this.#byCooperation.set(c.cooperationId, c);
    }
  }

  /** Exact lookup by contract number. */
  byNumber(contractNumber: string): SandboxContract | undefined {
    return this.#byNumber.get(contractNumber);
  }

  /** Lookup by contract id. */
  byId(contractId: string): SandboxContract | undefined {
    return this.#byId.get(contractId);
  }

  /** Lookup by cooperation id. */
  byCooperationId(cooperationId: string): SandboxContract | undefined {
    return this.#byCooperation.get(cooperationId);
  }

  /** Up to `n` contract numbers of each category, plus `n` numbers that do not exist. */
  examples(n = 3): SandboxExamples {
    const of = (category: ContractCategory) =>
      this.all.filter((c) => c.category === category).slice(0, n).map((c) => c.contractNumber);
    const notFound: string[] = [];
    for (let i = 1; notFound.length < n; i++) {
      const candidate = `HT-2099-${String(990000 + i).padStart(6, "0")}`;
      if (!this.#byNumber.has(candidate)) notFound.push(candidate);
    }
    return { ok: of("ok"), noCooperation: of("no_cooperation"), noChat: of("no_chat"), notFound };
  }
}
