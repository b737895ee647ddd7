/**
 * The meeting family's seeded contact directory: users (Chinese names, three
 * id kinds, possibly several departments) and a department tree under the
 * root `"0"`. The same seed always gives the same ids. The first users are
 * fixed so that tests and demos can name them: 张三 (研发部/后端组 and 市场部),
 * 李四 (研发部/前端组), 王五 (市场部), 赵六 (产品部), 钱七 (行政部), 刘总 (root).
 *
 * @module
 */
import { forkPrng, type Prng } from "../_prng.ts";

/** Kind of user id in requests and answers (`user_id_type`). */
export type UserIdType = "open_id" | "union_id" | "user_id";
/** Kind of department id in requests and answers (`department_id_type`). */
export type DepartmentIdType = "department_id" | "open_department_id";

/** Every {@linkcode UserIdType}. */
export const USER_ID_TYPES: readonly UserIdType[] = ["open_id", "union_id", "user_id"];
/** Every {@linkcode DepartmentIdType}. */
export const DEPARTMENT_ID_TYPES: readonly DepartmentIdType[] = ["department_id", "open_department_id"];

/** Id of the root department (never a record of its own). */
export const ROOT_DEPARTMENT_ID = "0";

/** One user of the directory. */
export interface SandboxUser {
  /** `ou_…` (per app in reality; one app here). */
  openId: string;
  /** `on_…`. */
  unionId: string;
  /** Tenant-level user id (8 hex digits). */
  userId: string;
  /** Chinese name, e.g. 张三. */
  name: string;
  /** Pinyin name, e.g. Zhang San. */
  enName: string;
  /** Email. */
  email: string;
  /** Mobile number. */
  mobile: string;
  /** Employee number. */
  employeeNo: string;
  /** `department_id`s (custom ids) of the user's departments; `"0"` = directly under the root. */
  departmentIds: string[];
  /** Job title. */
  jobTitle: string;
}

/** One department (the root `"0"` is implicit). */
export interface SandboxDepartment {
  /** Custom `department_id`, e.g. `D101`. */
  departmentId: string;
  /** `od-…`. */
  openDepartmentId: string;
  /** Chinese name, e.g. 研发部. */
  name: string;
  /** English name. */
  enName: string;
  /** Parent's custom id, `"0"` for top-level departments. */
  parentId: string;
  /** Group chat of the department. */
  chatId: string;
  /** Sort order. */
  order: number;
}

const TREE: readonly [name: string, enName: string, parent: string][] = [
  ["研发部", "R&D", ROOT_DEPARTMENT_ID],
  ["市场部", "Marketing", ROOT_DEPARTMENT_ID],
  ["产品部", "Product", ROOT_DEPARTMENT_ID],
  ["行政部", "Administration", ROOT_DEPARTMENT_ID],
  ["后端组", "Backend", "研发部"],
  ["前端组", "Frontend", "研发部"],
  ["测试组", "QA", "研发部"],
  ["品牌组", "Brand", "市场部"],
];

const FIXED_USERS: readonly [name: string, pinyin: string, departments: string[], title: string][] = [
  ["张三", "zhang san", ["后端组", "市场部"], "高级工程师"],
  ["李四", "li si", ["前端组"], "工程师"],
  ["王五", "wang wu", ["市场部"], "市场经理"],
  ["赵六", "zhao liu", ["产品部"], "产品经理"],
  ["钱七", "qian qi", ["行政部"], "行政专员"],
  ["刘总", "liu zong", [ROOT_DEPARTMENT_ID], "总经理"],
];

const SURNAMES: readonly [string, string][] = [
  ["陈", "chen"],
  ["杨", "yang"],
  ["黄", "huang"],
  ["周", "zhou"],
  ["吴", "wu"],
  ["徐", "xu"],
  ["孙", "sun"],
  ["马", "ma"],
  ["朱", "zhu"],
  ["胡", "hu"],
];
const GIVEN: readonly [string, string][] = [
  ["伟", "wei"],
  ["芳", "fang"],
  ["静", "jing"],
  ["磊", "lei"],
  ["晓明", "xiaoming"],
  ["丽娟", "lijuan"],
  ["子涵", "zihan"],
  ["浩然", "haoran"],
  ["雨桐", "yutong"],
  ["建国", "jianguo"],
];
const TITLES = ["工程师", "设计师", "测试工程师", "市场专员", "产品助理"];

/** The seeded users and departments, with lookups. */
export class Directory {
  /** Users in generation order (the fixed ones first). */
  readonly users: readonly SandboxUser[];
  /** Departments in tree order (parents before children). */
  readonly departments: readonly SandboxDepartment[];
  /** Tenant key put in events and answers. */
  readonly tenantKey: string;
  readonly #usersById = new Map<string, SandboxUser>();
  readonly #depsById = new Map<string, SandboxDepartment>();

  /** Generate the directory for `seed` with `extraUsers` generated users. */
  constructor(seed: number, extraUsers: number) {
    const prng = forkPrng(seed, "meeting-directory");
    this.tenantKey = prng.hex(16);
    const byName = new Map<string, string>();
    this.departments = TREE.map(([name, enName, parent], i) => {
      const dep: SandboxDepartment = {
        departmentId: `D${101 + i}`,
        openDepartmentId: `od-${prng.hex(32)}`,
        name,
        enName,
        parentId: parent === ROOT_DEPARTMENT_ID ? ROOT_DEPARTMENT_ID : byName.get(parent)!,
        chatId: `oc_${prng.hex(32)}`,
        order: (i + 1) * 1000,
      };
      byName.set(name, dep.departmentId);
      return dep;
    });
    const users: SandboxUser[] = FIXED_USERS.map(([name, pinyin, deps, title], i) =>
      newUser(prng, i, name, pinyin, deps.map((d) => byName.get(d) ?? d), title)
    );
    const leaves = this.departments.map((d) => d.departmentId);
    for (let i = 0; i < extraUsers; i++) {
      const [sn, sp] = prng.pick(SURNAMES);
      const [gn, gp] = prng.pick(GIVEN);
      const deps = [prng.pick(leaves)];
      if (prng.chance(0.2)) {
        const other = prng.pick(leaves);
        if (other !== deps[0]) deps.push(other);
      }
      users.push(newUser(prng, FIXED_USERS.length + i, sn + gn, `${sp} ${gp}`, deps, prng.pick(TITLES)));
    }
    this.users = users;
    for (const u of users) {
      for (const id of [u.openId, u.unionId, u.userId]) this.#usersById.set(id, u);
    }
    for (const d of this.departments) {
      this.#depsById.set(d.departmentId, d);
      this.#depsById.set(d.openDepartmentId, d);
    }
  }

  /** The user with this id; `type` restricts the id kind (any kind when omitted). */
  user(id: string, type?: UserIdType): SandboxUser | undefined {
    const u = this.#usersById.get(id);
    if (!u || type === undefined) return u;
    return userIdOf(u, type) === id ? u : undefined;
  }

  /** The user with this email. */
  userByEmail(email: string): SandboxUser | undefined {
    return this.users.find((u) => u.email === email.toLowerCase());
  }

  /** The department with this id; `type` restricts the id kind (any kind when omitted). */
  department(id: string, type?: DepartmentIdType): SandboxDepartment | undefined {
    const d = this.#depsById.get(id);
    if (!d || type === undefined) return d;
    return departmentIdOf(d, type) === id ? d : undefined;
  }

  /** Direct children (or, with `recursive`, every descendant) of a department (`"0"` = root). */
  children(departmentId: string, recursive = false): SandboxDepartment[] {
    const direct = this.departments.filter((d) => d.parentId === departmentId);
    if (!recursive) return direct;
    return direct.flatMap((d) => [d, ...this.children(d.departmentId, true)]);
  }

  /** Users directly in a department (`"0"` = directly under the root). */
  members(departmentId: string): SandboxUser[] {
    return this.users.filter((u) => u.departmentIds.includes(departmentId));
  }

  /** Departments of a user (the root is left out). */
  departmentsOf(user: SandboxUser): SandboxDepartment[] {
    return user.departmentIds.flatMap((id) => this.#depsById.get(id) ?? []);
  }
}

/** The id of `user` of kind `type`. */
export function userIdOf(user: SandboxUser, type: UserIdType): string {
  return type === "open_id" ? user.openId : type === "union_id" ? user.unionId : user.userId;
}

/** The id of `dep` of kind `type` (the root stays `"0"`). */
export function departmentIdOf(dep: SandboxDepartment | string, type: DepartmentIdType): string {
  if (typeof dep === "string") return dep;
  return type === "department_id" ? dep.departmentId : dep.openDepartmentId;
}

/** `{open_id, union_id, user_id}` of a user, as events carry it. */
export function userIds(user: SandboxUser): Record<UserIdType, string> {
  return { open_id: user.openId, union_id: user.unionId, user_id: user.userId };
}

function newUser(
  prng: Prng,
  index: number,
  name: string,
  pinyin: string,
  departmentIds: string[],
  jobTitle: string,
): SandboxUser {
  const enName = pinyin.split(" ").map((p) => p[0].toUpperCase() + p.slice(1)).join(" ");
  const n = index + 1;
  return {
    openId: `ou_${prng.hex(32)}`,
    unionId: `on_${prng.hex(32)}`,
    userId: prng.hex(8),
    name,
    enName,
    email: `${pinyin.replace(" ", "")}${index < FIXED_USERS.length ? "" : n}@example.com`,
    mobile: `+86138${String(n).padStart(8, "0")}`,
    employeeNo: `E${String(n).padStart(4, "0")}`,
    departmentIds,
    jobTitle,
  };
}
