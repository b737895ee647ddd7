/**
 * The docs family's state (kept in `state.families` under `"docs"`), shared by
 * the docx and drive routes: documents, media on disk, collaborators. Reset
 * with the sandbox; the media folder is removed on reset and on close.
 *
 * @module
 */
import { MediaStore } from "../drive/media_store.ts";
import { PermissionStore } from "../drive/permission_store.ts";
import type { SandboxState } from "../state.ts";
import { DocxStore } from "./store.ts";

/** Key of this family in `state.families`. */
export const DOCS_FAMILY_KEY = "docs";

/** State of the docx and drive families. */
export interface DocsFamily {
  /** docx documents. */
  readonly docs: DocxStore;
  /** Media files. */
  readonly media: MediaStore;
  /** Collaborators. */
  readonly permissions: PermissionStore;
}

/** The docs family of `state` (created on first use). */
export function docsFamily(state: SandboxState): DocsFamily {
  let family = state.families.get(DOCS_FAMILY_KEY) as DocsFamily | undefined;
  if (!family) {
    const created: DocsFamily = {
      docs: new DocxStore(),
      media: new MediaStore(),
      permissions: new PermissionStore(),
    };
    family = created;
    state.families.set(DOCS_FAMILY_KEY, created);
    state.onReset(() => {
      created.docs.clear();
      created.media.clear();
      created.permissions.clear();
    });
    // No "sandbox closed" hook yet: like the meeting family, piggy-back on the
    // hang release that `listen().close()` performs, to remove the media folder.
    const release = state.hangs.release.bind(state.hangs);
    state.hangs.release = () => {
      created.media.clear();
      return release();
    };
  }
  return family;
}
