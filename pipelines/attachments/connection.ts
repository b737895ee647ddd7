/**
 * One WebSocket connection of the plugin and its state machine:
 * `connected → [probe → server_info] → config → CONFIGURED → links → complete
 * → FINALIZING → job_complete → COMPLETED`, with the edge cases of the
 * upstream client: a link before config gets a per-file error ack and is
 * dropped; a complete before config answers `job_complete` with `jobId: null`
 * at once; a second config or a second complete is ignored; a refresh reply
 * with no integer order is ignored.
 *
 * @module
 */
import type { Logger } from "../../lib/log/mod.ts";
import * as acks from "./acks.ts";
import type { Ack } from "./acks.ts";
import { AttachmentJob, type JobDeps } from "./attachment_job.ts";
import { ConfigPayloadError, type JobConfig, orderOf, parseConfig, parseFrame } from "./protocol.ts";

/** Connection states. */
export type ConnectionState = "connected" | "configuring" | "configured" | "finalizing" | "completed";

/** What a connection needs. */
export interface ConnectionDeps extends JobDeps {
  /** Send a frame to the plugin (dropped once closed). */
  send: (ack: Ack) => void;
  /** A message for the user (the UI shows it; token-mode plugins never read acks). */
  onNotice?: (message: string) => void;
  /** A job started on this connection. */
  onJob?: (job: AttachmentJob) => void;
  logger: Logger;
}

/** The per-connection protocol handler. */
export class PluginConnection {
  state: ConnectionState = "connected";
  job?: AttachmentJob;
  #deps: ConnectionDeps;
  #open = true;
  /** Frames are handled one after the other, in arrival order. */
  #chain: Promise<void> = Promise.resolve();

  /** Create a handler. */
  constructor(deps: ConnectionDeps) {
    this.#deps = deps;
  }

  /** Queue a text frame; resolves when it (and every earlier one) was handled. */
  receive(text: string): Promise<void> {
    this.#chain = this.#chain.then(() => this.#handle(text)).catch((e) => {
      this.#deps.logger.error("attachments.frame_failed", { error: (e as Error).message });
    });
    return this.#chain;
  }

  /** The socket closed: frames that arrived before are handled first, then the job is detached. */
  close(): Promise<void> {
    this.#chain = this.#chain.then(() => {
      if (!this.#open) return;
      this.#open = false;
      this.job?.detach();
    });
    return this.#chain;
  }

  #send(ack: Ack): void {
    if (this.#open) this.#deps.send(ack);
  }

  async #handle(text: string): Promise<void> {
    const msg = parseFrame(text);
    switch (msg.type) {
      case "probe":
        this.#send(acks.serverInfoAck());
        return;
      case "config":
        return await this.#config(msg.data);
      case "link": {
        if (!this.job || this.state === "configuring") {
          for (const raw of msg.items) {
            const order = orderOf((raw as { order?: unknown } | null)?.order);
            if (order !== undefined) {
              this.#send(acks.itemErrorAck(order, "job configuration not received; cannot download."));
            }
          }
          return;
        }
        return await this.job.addItems(msg.items);
      }
      case "refresh":
        if (msg.reply) this.job?.refreshReply(msg.reply);
        return;
      case "complete":
        if (!this.job) {
          if (this.state === "connected") {
            this.state = "completed";
            this.#send(acks.jobCompleteAck(null));
          }
          return;
        }
        if (this.state !== "configured") return;
        this.state = "finalizing";
        this.job.complete();
        this.job.finished.then(() => {
          if (this.job?.done) this.state = "completed";
        });
        return;
      case "unknown":
        this.#deps.logger.warn("attachments.unknown_type", { type: msg.name });
        return;
      case "invalid":
        this.#deps.logger.warn("attachments.invalid_frame", { reason: msg.reason });
        // Harmless to the plugin (order-less and not `error`), clear to any other client.
        this.#send({
          type: "feishu_attachment_ack",
          data: { status: "warning", message: msg.reason, order: null },
        });
        return;
    }
  }

  async #config(data: Record<string, unknown>): Promise<void> {
    if (this.state !== "connected") return;
    let config: JobConfig;
    try {
      config = parseConfig(data, this.#deps.clock.now());
    } catch (e) {
      if (!(e instanceof ConfigPayloadError)) throw e;
      this.#send(acks.fatalAck(e.message));
      return;
    }
    if (config.mode === "token" && !this.#deps.settings().personalBaseToken) {
      const message = "personal base token is not configured. 未配置授权码（Personal Base Token）：" +
        "请在界面中填写，或用 --personal-base-token / 环境变量 PERSONAL_BASE_TOKEN 提供。";
      this.#deps.logger.error("attachments.no_token", {});
      this.#deps.onNotice?.("插件以授权码模式发起了下载，但未配置授权码（Personal Base Token）。");
      this.#send(acks.fatalAck(message));
      return;
    }
    this.state = "configuring";
    try {
      this.job = await AttachmentJob.create(config, this.#deps, (a) => this.#send(a));
    } catch (e) {
      this.state = "connected";
      this.#send(acks.fatalAck(`cannot create job folder: ${(e as Error).message}`));
      return;
    }
    this.state = "configured";
    this.#deps.onJob?.(this.job);
    if (!this.#open) this.job.detach();
    this.#send(acks.serverInfoAck());
  }
}
