import { ImFieldError } from "./im_field_error.ts";
import { checkMentionId, checkText, checkUrl } from "./_validate.ts";

/** One inline node of a rich-text (`post`) paragraph. */
export type PostNode =
  | { tag: "text"; text: string; style?: ("bold" | "italic" | "underline" | "lineThrough")[] }
  | { tag: "a"; href: string; text: string }
  | { tag: "at"; user_id: string }
  | { tag: "img"; image_key: string }
  | { tag: "code_block"; language: string; text: string }
  | { tag: "hr" };

/** The `content` of a `post` message: per language a title and paragraphs of inline nodes. */
export type PostContent = Record<string, { title?: string; content: PostNode[][] }>;

/**
 * A small builder of rich-text (`post`) content
 * (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/create_json):
 * inline nodes are appended to the current paragraph; `newline()` starts the
 * next one; images, code blocks and rules get a paragraph of their own.
 * Every argument is checked as it is added ({@linkcode ImFieldError}).
 *
 * @example
 * ```ts
 * import { PostBuilder } from "./mod.ts";
 *
 * const content = new PostBuilder("周报")
 *   .text("本周完成 ").bold("3 项").text("，详见 ").link("文档", "https://example.com/doc")
 *   .newline().at("ou_1").italic(" 请查收")
 *   .codeBlock("ts", "console.log(1)")
 *   .build();
 * ```
 */
export class PostBuilder {
  #title?: string;
  #lang: string;
  #paragraphs: PostNode[][] = [[]];

  /** Start a post with an optional title, in `lang` (default `zh_cn`). */
  constructor(title?: string, lang = "zh_cn") {
    if (title !== undefined && typeof title !== "string") {
      throw new ImFieldError("title", "title must be a string", "富文本标题必须是字符串。");
    }
    this.#title = title;
    this.#lang = lang;
  }

  #add(node: PostNode): this {
    this.#paragraphs[this.#paragraphs.length - 1].push(node);
    return this;
  }

  #block(node: PostNode): this {
    if (this.#paragraphs[this.#paragraphs.length - 1].length) this.#paragraphs.push([]);
    this.#paragraphs[this.#paragraphs.length - 1].push(node);
    this.#paragraphs.push([]);
    return this;
  }

  /** Plain text. */
  text(text: string): this {
    return this.#add({ tag: "text", text: checkText("post.text", text, "富文本文字") });
  }

  /** Bold text. */
  bold(text: string): this {
    return this.#add({ tag: "text", text: checkText("post.bold", text, "加粗文字"), style: ["bold"] });
  }

  /** Italic text. */
  italic(text: string): this {
    return this.#add({ tag: "text", text: checkText("post.italic", text, "斜体文字"), style: ["italic"] });
  }

  /** A link. */
  link(text: string, href: string): this {
    return this.#add({
      tag: "a",
      text: checkText("post.link.text", text, "链接文字"),
      href: checkUrl("post.link.href", href),
    });
  }

  /** An @mention (`ou_…` open_id, or `"all"`). */
  at(openId: string): this {
    return this.#add({ tag: "at", user_id: checkMentionId("post.at", openId) });
  }

  /** An image uploaded with `MessageApi.uploadImage` (`img_…` key), on its own line. */
  image(imageKey: string): this {
    return this.#block({ tag: "img", image_key: checkText("post.image", imageKey, "图片 image_key") });
  }

  /** A code block, on its own line. */
  codeBlock(language: string, code: string): this {
    return this.#block({
      tag: "code_block",
      language: checkText("post.codeBlock.language", language, "代码语言"),
      text: checkText("post.codeBlock.text", code, "代码内容"),
    });
  }

  /** A horizontal rule, on its own line. */
  rule(): this {
    return this.#block({ tag: "hr" });
  }

  /** Start a new paragraph. */
  newline(): this {
    this.#paragraphs.push([]);
    return this;
  }

  /** The `post` content; refuses an empty post. */
  build(): PostContent {
    const content = this.#paragraphs.filter((p) => p.length > 0);
    if (!content.length && !this.#title) {
      throw new ImFieldError("post", "empty post", "富文本消息至少需要一段内容。");
    }
    return { [this.#lang]: { ...(this.#title ? { title: this.#title } : {}), content } };
  }
}
