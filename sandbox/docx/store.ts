/**
 * Documents of the docx family: a block tree per document (page block =
 * document id), revisions, deleted and forbidden documents.
 *
 * @module
 */

/** A block as Feishu returns it. */
export interface StoredBlock {
  block_id: string;
  block_type: number;
  parent_id: string;
  children?: string[];
  [key: string]: unknown;
}

/** One document. */
export interface StoredDocument {
  id: string;
  title: string;
  revision: number;
  /** Owning app (documents an app created are its own). */
  ownerAppId: string;
  /** Apps allowed besides the owner (`"*"` = every app). */
  sharedWith: Set<string>;
  blocks: Map<string, StoredBlock>;
  deleted: boolean;
  /** Answers of earlier edits by client token (idempotent retries). */
  clientTokens: Map<string, Record<string, unknown>>;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A Feishu-looking token: `prefix` + random letters and digits. */
export function newToken(prefix: string, length = 22): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return prefix + Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
}

/** The documents of the sandbox. */
export class DocxStore {
  readonly #docs = new Map<string, StoredDocument>();

  /** Create a document owned by `appId`. */
  create(appId: string, title: string): StoredDocument {
    const id = newToken("doxcn");
    const page: StoredBlock = {
      block_id: id,
      block_type: 1,
      parent_id: "",
      children: [],
      page: { elements: [{ text_run: { content: title } }], style: {} },
    };
    const doc: StoredDocument = {
      id,
      title,
      revision: 1,
      ownerAppId: appId,
      sharedWith: new Set(),
      blocks: new Map([[id, page]]),
      deleted: false,
      clientTokens: new Map(),
    };
    this.#docs.set(id, doc);
    return doc;
  }

  /** The document, deleted or not. */
  get(id: string): StoredDocument | undefined {
    return this.#docs.get(id);
  }

  /** Mark a document deleted (tests: a deleted token). */
  delete(id: string): void {
    const doc = this.#docs.get(id);
    if (doc) doc.deleted = true;
  }

  /** The document holding block `blockId`, if any (media `parent_node` checks). */
  documentOfBlock(blockId: string): StoredDocument | undefined {
    for (const doc of this.#docs.values()) if (!doc.deleted && doc.blocks.has(blockId)) return doc;
    return undefined;
  }

  /** Blocks in document order (pre-order from the page). */
  ordered(doc: StoredDocument): StoredBlock[] {
    const out: StoredBlock[] = [];
    const walk = (id: string) => {
      const b = doc.blocks.get(id);
      if (!b) return;
      out.push(b);
      for (const child of b.children ?? []) walk(child);
    };
    walk(doc.id);
    return out;
  }

  /** Forget every document. */
  clear(): void {
    this.#docs.clear();
  }
}
