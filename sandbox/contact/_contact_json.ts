/**
 * Wire shapes of contact users and departments (contact v3), rendered with
 * the requested id kinds and only the fields the caller's scopes allow.
 *
 * @module
 */
import {
  departmentIdOf,
  type DepartmentIdType,
  type Directory,
  ROOT_DEPARTMENT_ID,
  type SandboxDepartment,
  type SandboxUser,
  userIdOf,
  type UserIdType,
} from "./directory.ts";
import { ALL_FIELDS, type FieldGrants, withoutUngrantedFields } from "../auth/scopes.ts";

/** `data.user` of a user, without the fields `grants` does not allow (default: all fields). */
export function userJson(
  dir: Directory,
  u: SandboxUser,
  userIdType: UserIdType,
  depIdType: DepartmentIdType,
  grants: FieldGrants = ALL_FIELDS,
): Record<string, unknown> {
  const deps = u.departmentIds.map((id) => {
    const d = dir.department(id);
    return d ? departmentIdOf(d, depIdType) : ROOT_DEPARTMENT_ID;
  });
  const boss = dir.users.find((x) => x.departmentIds.includes(ROOT_DEPARTMENT_ID)); // 刘总
  const avatar = `https://s1-imfile.feishucdn.com/static-resource/v1/sandbox-${u.userId}~`;
  return withoutUngrantedFields({
    union_id: u.unionId,
    user_id: u.userId,
    open_id: u.openId,
    name: u.name,
    en_name: u.enName,
    nickname: "",
    email: u.email,
    enterprise_email: u.email,
    mobile: u.mobile,
    mobile_visible: true,
    gender: 0,
    avatar: { avatar_72: avatar, avatar_240: avatar, avatar_640: avatar, avatar_origin: avatar },
    status: { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false },
    department_ids: deps,
    leader_user_id: boss && boss !== u ? userIdOf(boss, userIdType) : "",
    city: "北京",
    country: "CN",
    work_station: "",
    join_time: 1_600_000_000,
    is_tenant_manager: false,
    employee_no: u.employeeNo,
    employee_type: 1,
    orders: deps.map((id, i) => ({
      department_id: id,
      user_order: 0,
      department_order: i + 1,
      is_primary_dept: i === 0,
    })),
    job_title: u.jobTitle,
  }, grants);
}

/** `data.department` of a department. */
export function departmentJson(
  dir: Directory,
  d: SandboxDepartment,
  userIdType: UserIdType,
  depIdType: DepartmentIdType,
): Record<string, unknown> {
  const parent = d.parentId === ROOT_DEPARTMENT_ID ? ROOT_DEPARTMENT_ID : dir.department(d.parentId);
  const members = dir.members(d.departmentId);
  return {
    name: d.name,
    i18n_name: { zh_cn: d.name, ja_jp: "", en_us: d.enName },
    parent_department_id: departmentIdOf(parent ?? ROOT_DEPARTMENT_ID, depIdType),
    department_id: d.departmentId,
    open_department_id: d.openDepartmentId,
    leader_user_id: members.length > 0 ? userIdOf(members[0], userIdType) : "",
    chat_id: d.chatId,
    order: String(d.order),
    unit_ids: [],
    member_count: members.length,
    primary_member_count: members.filter((u) => u.departmentIds[0] === d.departmentId).length,
    status: { is_deleted: false },
    department_hrbps: [],
  };
}
