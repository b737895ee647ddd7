import {
  actions,
  button,
  type Card,
  card,
  cardBytes,
  cardHeader,
  divider,
  escapeMarkdown,
  markdown,
  note,
  plainText,
} from "./card.ts";

/** What {@linkcode successCard} shows. */
export interface SuccessCardInput {
  /** The archived file's name, e.g. `张三_周会_20260119_1000.mp4`. */
  fileName: string;
  /** Where it was saved (personal folder, team folders…). */
  paths: string[];
  /** Meeting topic, when known. */
  meetingTopic?: string;
  /** Meeting time as text, e.g. `2026-01-19 10:00`. */
  meetingTime?: string;
}

/** What {@linkcode authRequiredCard} shows. */
export interface AuthRequiredCardInput {
  /** Why authorization is needed (missing, expired…), one sentence in Chinese. */
  reason: string;
  /** The `/auth/start` URL the button opens. */
  authUrl: string;
  /** Meeting topic waiting for the authorization, when known. */
  meetingTopic?: string;
}

/** Cards must stay under Feishu's 30 KB content limit; keep a margin. */
const MAX_BYTES = 28 * 1024;

/**
 * Green card: a meeting recording was archived. File names and paths are shown
 * as plain text (never interpreted as markdown); a long path list is cut to
 * fit the 30 KB card limit, saying how many were left out.
 *
 * @example
 * ```ts
 * const c = successCard({ fileName: "张三_周会_20260119_1000.mp4", paths: ["/nas/张三/…", "/nas/@team/研发部/…"] });
 * ```
 */
export function successCard(input: SuccessCardInput): Card {
  const head: string[] = [];
  if (input.meetingTopic) head.push(`**会议**：${escapeMarkdown(input.meetingTopic)}`);
  if (input.meetingTime) head.push(`**时间**：${escapeMarkdown(input.meetingTime)}`);
  const build = (shown: string[]) => {
    const elements = [
      ...(head.length ? [markdown(head.join("\n"))] : []),
      markdown("**文件名**"),
      plainText(input.fileName),
      markdown(`**保存位置**（${input.paths.length} 处）`),
      plainText(shown.join("\n") || "（无）"),
    ];
    const hidden = input.paths.length - shown.length;
    if (hidden > 0) elements.push(note(`另有 ${hidden} 处未列出。`));
    elements.push(divider(), note("会议录制已自动归档到 NAS。"));
    return card(cardHeader("会议录制已归档", "green"), elements);
  };
  let shown = input.paths.slice(0, 50);
  let c = build(shown);
  while (cardBytes(c) > MAX_BYTES && shown.length > 0) {
    shown = shown.slice(0, Math.floor(shown.length / 2));
    c = build(shown);
  }
  return c;
}

/**
 * Red card: the user must authorize (again) before recordings can be
 * archived; the button opens the authorization page.
 *
 * @example
 * ```ts
 * const c = authRequiredCard({ reason: "授权已过期", authUrl: "https://archiver.example.com/auth/start" });
 * ```
 */
export function authRequiredCard(input: AuthRequiredCardInput): Card {
  const lines = [`${escapeMarkdown(input.reason)}`];
  if (input.meetingTopic) lines.push(`待归档的会议：${escapeMarkdown(input.meetingTopic)}`);
  lines.push("请点击下方按钮完成授权，授权后等待中的录制会自动补归档。");
  return card(cardHeader("需要授权才能归档会议录制", "red"), [
    markdown(lines.join("\n")),
    actions([button("授权开启", input.authUrl, "danger")]),
    note("授权仅用于读取你的会议录制与妙记，可随时在飞书中撤销。"),
  ]);
}
