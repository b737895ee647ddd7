/**
 * Cooperation records of the export data set: the columns of an exported
 * file and the generator that materialises one day's records from the seed.
 *
 * ASSUMPTION: the real export's columns are unknown; these are plausible
 * Chinese headers modelled on the contract cooperation record fields of
 * public client code of the contract search and CLM web endpoints (type codes, operator, operate time, cost time).
 *
 * @module
 */
import { forkPrng, type Prng } from "../_prng.ts";
import { compactOfDay, DAY_MS, dayStartMs } from "./_days.ts";

/** Column headers of an exported file, in order. `记录ID` is the unique key. */
export const COOPERATION_COLUMNS: readonly string[] = [
  "记录ID",
  "合同编号",
  "合同名称",
  "合同类型",
  "协同ID",
  "协同状态",
  "操作类型",
  "操作类型编码",
  "操作人",
  "操作人工号",
  "操作人部门",
  "操作时间",
  "创建时间",
  "耗时（毫秒）",
  "我方主体",
  "相对方",
  "合同金额（元）",
  "文件名称",
  "操作来源",
  "操作说明",
  "备注",
];

/** Columns written as real date cells. */
export const DATE_COLUMNS: readonly string[] = ["操作时间", "创建时间"];

/** One cooperation record. */
export interface CooperationRecord {
  /** `记录ID`, e.g. `CR2022010300007` (unique). */
  id: string;
  /** Creation time, epoch ms (what the export's time range filters on). */
  createTime: number;
  /** Operation time, epoch ms (a few seconds before `createTime`, same day). */
  operateTime: number;
  /** Values by header, except the two date columns (taken from the times above). */
  fields: Readonly<Record<string, string | number>>;
}

interface Contract {
  number: string;
  name: string;
  kind: string;
  cooperationId: string;
  ours: string;
  counterparty: string;
  amount: number;
  status: string;
}

interface Person {
  name: string;
  employeeNo: string;
  department: string;
}

const OURS = ["飞书科技（北京）有限公司", "飞书科技（上海）有限公司", "飞书数字服务（深圳）有限公司"];
const COUNTERPARTIES = [
  "北京星河科技有限公司",
  "上海云帆信息技术有限公司",
  "深圳前海数智有限公司",
  "杭州西溪网络科技有限公司",
  "成都天府软件有限公司",
  "广州珠江商贸有限公司",
  "南京紫金咨询有限公司",
  "武汉光谷智能制造有限公司",
  "西安长安物流有限公司",
  "苏州工业园区精密制造有限公司",
];
const KINDS = ["采购合同", "销售合同", "技术服务合同", "租赁合同", "保密协议", "劳务合同", "框架协议"];
const SUBJECTS = [
  "软件采购",
  "云服务",
  "办公场地",
  "市场推广",
  "设备维护",
  "数据标注",
  "咨询服务",
  "年度框架",
];
const STATUSES = ["进行中", "进行中", "进行中", "已完成", "已取消"];
const DEPARTMENTS = ["法务部", "采购部", "销售一部", "销售二部", "财务部", "行政部", "研发中心", "市场部"];
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".split("");
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华".split("");
const SOURCES = ["网页端", "网页端", "飞书客户端", "移动端"];
/** Operation names and cooperation record type codes (public client code of the contract search and CLM web endpoints), weighted by repetition. */
const OPERATIONS: readonly [string, number][] = [
  ["查看合同", 24],
  ["查看合同", 24],
  ["查看合同", 24],
  ["发起协同", 1],
  ["加入协同", 2],
  ["加入协同", 2],
  ["退出协同", 21],
  ["转交协同", 22],
  ["移除成员", 23],
  ["确认内容", 25],
  ["申请定稿", 26],
  ["已定稿", 27],
  ["添加附件", 3],
  ["更新文件", 31],
  ["更新文件", 31],
  ["下载文件", 32],
  ["完成协同", 8],
  ["取消协同", 9],
];
const REMARKS = ["", "", "", "", "请尽快确认", "已与对方沟通", "附件已更新为最终版", "待法务复核", "加急"];

/** Materialises the records of one day, deterministically from the seed. */
export class RecordFactory {
  readonly #seed: number;
  readonly #contracts: Contract[];
  readonly #people: Person[];

  /** Build the contract and people pools (`recordCount` sizes the contract pool). */
  constructor(seed: number, recordCount: number) {
    this.#seed = seed;
    const rng = forkPrng(seed, "coop-pools");
    const poolSize = Math.min(5000, Math.max(50, Math.round(recordCount / 20)));
    this.#contracts = Array.from({ length: poolSize }, (_, i) => newContract(rng, i));
    this.#people = Array.from({ length: 150 }, (_, i) => ({
      name: rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.5) ? rng.pick(GIVEN) : ""),
      employeeNo: `E${String(10001 + i).padStart(5, "0")}`,
      department: rng.pick(DEPARTMENTS),
    }));
  }

  /** The `count` records of `day` (a UTC+8 day number), sorted by creation time, then id. */
  day(day: number, count: number): CooperationRecord[] {
    if (count <= 0) return [];
    const rng = forkPrng(this.#seed, `coop-day:${day}`);
    const start = dayStartMs(day);
    const seconds = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      // Mostly office hours, some at any time of day; whole seconds.
      seconds[i] = rng.chance(0.85) ? rng.int(9 * 3600, 19 * 3600 - 1) : rng.int(0, DAY_MS / 1000 - 1);
    }
    seconds.sort((a, b) => a - b);
    const prefix = `CR${compactOfDay(day)}`;
    const out = new Array<CooperationRecord>(count);
    for (let i = 0; i < count; i++) {
      const createTime = start + seconds[i] * 1000;
      const operateTime = Math.max(start, createTime - rng.int(0, 5) * 1000);
      out[i] = {
        id: prefix + String(i + 1).padStart(5, "0"),
        createTime,
        operateTime,
        fields: this.#fields(rng),
      };
    }
    return out;
  }

  #fields(rng: Prng): Record<string, string | number> {
    const c = this.#contracts[rng.int(0, this.#contracts.length - 1)];
    const p = this.#people[rng.int(0, this.#people.length - 1)];
    const [op, code] = rng.pick(OPERATIONS);
    return {
      "合同编号": c.number,
      "合同名称": c.name,
      "合同类型": c.kind,
      "协同ID": c.cooperationId,
      "协同状态": c.status,
      "操作类型": op,
      "操作类型编码": code,
      "操作人": p.name,
      "操作人工号": p.employeeNo,
      "操作人部门": p.department,
      "耗时（毫秒）": rng.int(20, 90_000),
      "我方主体": c.ours,
      "相对方": c.counterparty,
      "合同金额（元）": c.amount,
      "文件名称": `${c.name}_v${rng.int(1, 6)}.docx`,
      "操作来源": rng.pick(SOURCES),
      "操作说明": `${p.name}${op}`,
      "备注": rng.pick(REMARKS),
    };
  }
}

function newContract(rng: Prng, i: number): Contract {
  const kind = rng.pick(KINDS);
  const counterparty = rng.pick(COUNTERPARTIES);
  return {
    number: `HT-${rng.int(2021, 2026)}-${String(i + 1).padStart(6, "0")}`,
    name: `${counterparty.replace(/有限公司$/, "")}${rng.pick(SUBJECTS)}${kind}`,
    kind,
    cooperationId: "7" + rng.digits(18),
    ours: rng.pick(OURS),
    counterparty,
    amount: rng.int(1, 5000) * 1000,
    status: rng.pick(STATUSES),
  };
}

/** `true` when `keyword` occurs in the record's contract number/name, operator, description or remark. */
export function matchesKeyword(r: CooperationRecord, keyword: string): boolean {
  if (keyword === "") return true;
  const f = r.fields;
  return [f["合同编号"], f["合同名称"], f["操作人"], f["操作说明"], f["备注"], r.id]
    .some((v) => String(v).includes(keyword));
}
