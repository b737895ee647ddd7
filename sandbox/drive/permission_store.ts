/**
 * Collaborators of cloud documents, by document token. Documents other than
 * the docx family's own are registered by tests (`registerDocument`).
 *
 * @module
 */

/** One collaborator. */
export interface StoredMember {
  member_type: string;
  member_id: string;
  perm: string;
  perm_type?: string;
  type: string;
  name: string;
}

/** Collaborators and registered documents. */
export class PermissionStore {
  readonly #docs = new Map<string, { type: string; deleted: boolean }>();
  readonly #members = new Map<string, Map<string, StoredMember>>();

  /** Register a cloud document of `type` (`sheet`, `bitable`, …) so its collaborators can be managed. */
  registerDocument(token: string, type: string): void {
    this.#docs.set(token, { type, deleted: false });
  }

  /** Mark a registered document deleted. */
  deleteDocument(token: string): void {
    const d = this.#docs.get(token);
    if (d) d.deleted = true;
  }

  /** A registered document. */
  document(token: string): { type: string; deleted: boolean } | undefined {
    return this.#docs.get(token);
  }

  /** The collaborators of `token`. */
  members(token: string): Map<string, StoredMember> {
    let m = this.#members.get(token);
    if (!m) {
      m = new Map();
      this.#members.set(token, m);
    }
    return m;
  }

  /** Forget everything. */
  clear(): void {
    this.#docs.clear();
    this.#members.clear();
  }
}
