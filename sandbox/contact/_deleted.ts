/**
 * Departments deleted in the sandbox (by tests, via {@linkcode deleteDepartment}):
 * `departments/:id` then answers with `status.is_deleted: true`, and the member
 * and child listings of a deleted department are empty (UNCONFIRMED register CT-2).
 *
 * @module
 */
import type { SandboxState } from "../state.ts";

const DELETED = new WeakMap<SandboxState, Set<string>>();

/** Custom `department_id`s deleted in this sandbox. */
export function deletedDepartments(state: SandboxState): Set<string> {
  let set = DELETED.get(state);
  if (!set) DELETED.set(state, set = new Set());
  return set;
}

/** Mark a department (custom `department_id`) deleted. */
export function deleteDepartment(state: SandboxState, departmentId: string): void {
  deletedDepartments(state).add(departmentId);
}
