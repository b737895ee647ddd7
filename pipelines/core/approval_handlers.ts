import type { CardRouter } from "../../lib/callback/card_router.ts";

/**
 * A ready-made approval card (card JSON 2.0, `update_multi` so it can be
 * updated): status text, and "通过" / "驳回" buttons while it is pending.
 * The buttons' values route to the `approve` / `reject` handlers below.
 */
export function approvalCard(
  title: string,
  status: "审批中" | "已通过" | "已驳回",
  by?: string,
): Record<string, unknown> {
  const color = status === "已通过" ? "green" : status === "已驳回" ? "red" : "blue";
  return {
    schema: "2.0",
    config: { update_multi: true },
    header: { title: { tag: "plain_text", content: `${title}：${status}` }, template: color },
    body: {
      elements: [
        { tag: "markdown", content: `**状态**：${status}${by ? `（<at id=${by}></at>）` : ""}` },
        ...(status === "审批中"
          ? [
            {
              tag: "button",
              text: { tag: "plain_text", content: "通过" },
              type: "primary",
              value: { action: "approve", title },
            },
            {
              tag: "button",
              text: { tag: "plain_text", content: "驳回" },
              type: "danger",
              value: { action: "reject", title },
            },
          ]
          : []),
      ],
    },
  };
}

/** Register the `approve` / `reject` handlers: "审批中" → "已通过" / "已驳回". */
export function registerApprovalHandlers(router: CardRouter): CardRouter {
  const titleOf = (v: unknown) =>
    typeof (v as { title?: unknown })?.title === "string"
      ? String((v as { title: string }).title).slice(0, 60)
      : "审批";
  return router
    .on("approve", (a) =>
      Promise.resolve({
        card: approvalCard(titleOf(a.value), "已通过", a.operator.openId),
        toast: { type: "success" as const, content: "已通过" },
      }))
    .on("reject", (a) =>
      Promise.resolve({
        card: approvalCard(titleOf(a.value), "已驳回", a.operator.openId),
        toast: { type: "info" as const, content: "已驳回" },
      }));
}
