/**
 * A fake Feishu long-connection endpoint for the adapter's unit tests (not a
 * test file itself): it exposes every ack code, ping and discovery so the
 * tests can assert them one by one. The adapter against the sandbox's long
 * connection (same protocol, independent codec) runs in
 * tests/meeting_e2e/long_connection.test.ts and tests/sandbox/meeting_ws_sdk.test.ts.
 */
import { decodeFrame, encodeFrame, frameHeader, type Pbbp2Frame } from "../../lib/testing/mod.ts";

const SERVICE_ID = 33;

/** What an ack said. */
export interface Ack {
  messageId: string;
  code: number;
  bizRt?: string;
}

/** Options of {@linkcode FakeLongConnection}. */
export interface FakeOptions {
  appId: string;
  appSecret: string;
  /** Seconds between the client's pings (server config). */
  pingIntervalS?: number;
}

/** Serves `/callback/ws/endpoint` and the WebSocket on 127.0.0.1:0, speaking pbbp2 frames. */
export class FakeLongConnection {
  readonly acks: Ack[] = [];
  readonly pings: number[] = [];
  connections = 0;
  discoveries = 0;
  #server: Deno.HttpServer<Deno.NetAddr>;
  #sockets: WebSocket[] = [];
  #silent = new WeakSet<WebSocket>();
  #ackWaiters: (() => void)[] = [];
  #connWaiters: (() => void)[] = [];
  #seq = 0;

  constructor(readonly options: FakeOptions) {
    this.#server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => this.#handle(req));
  }

  /** Base URL to give the adapter. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  /** Send an event envelope over the newest socket, split into `fragments` data frames. */
  sendEvent(envelope: unknown, fragments = 1, messageId = `msg-${++this.#seq}`): string {
    const ws = this.#sockets.at(-1);
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new Error("no open socket");
    const bytes = new TextEncoder().encode(JSON.stringify(envelope));
    const size = Math.ceil(bytes.length / fragments);
    for (let i = 0; i < fragments; i++) {
      const frame: Pbbp2Frame = {
        SeqID: BigInt(this.#seq),
        LogID: 0n,
        service: SERVICE_ID,
        method: 1,
        headers: [
          { key: "type", value: "event" },
          { key: "message_id", value: messageId },
          { key: "sum", value: String(fragments) },
          { key: "seq", value: String(i) },
          { key: "trace_id", value: `trace-${messageId}` },
        ],
        payload: bytes.subarray(i * size, (i + 1) * size),
      };
      ws.send(encodeFrame(frame));
    }
    return messageId;
  }

  /** Stop answering pings on the current socket without closing it (a dead peer). */
  goSilent(): void {
    const ws = this.#sockets.at(-1);
    if (ws) this.#silent.add(ws);
  }

  /** Resolve once `n` acks have arrived. */
  async waitAcks(n: number, timeoutMs = 5000): Promise<void> {
    await this.#wait(() => this.acks.length >= n, this.#ackWaiters, timeoutMs, `${n} acks`);
  }

  /** Resolve once `n` WebSocket connections were accepted. */
  async waitConnections(n: number, timeoutMs = 10_000): Promise<void> {
    await this.#wait(() => this.connections >= n, this.#connWaiters, timeoutMs, `${n} connections`);
  }

  /** Close every socket and the server. */
  async close(): Promise<void> {
    for (const ws of this.#sockets) {
      try {
        ws.close();
      } catch { /* closed */ }
    }
    await this.#server.shutdown();
  }

  async #wait(ok: () => boolean, waiters: (() => void)[], timeoutMs: number, what: string) {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  #wake(waiters: (() => void)[]) {
    for (const w of waiters.splice(0)) w();
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname === "/callback/ws/endpoint" && req.method === "POST") {
      this.discoveries++;
      const body = await req.json();
      if (body.AppID !== this.options.appId || body.AppSecret !== this.options.appSecret) {
        return Response.json({ code: 514, msg: "auth failed", data: {} });
      }
      return Response.json({
        code: 0,
        msg: "ok",
        data: {
          URL: `ws://127.0.0.1:${this.#server.addr.port}/ws?device_id=dev-1&service_id=${SERVICE_ID}`,
          ClientConfig: {
            PingInterval: this.options.pingIntervalS ?? 1,
            ReconnectCount: -1,
            ReconnectInterval: 1,
            ReconnectNonce: 0,
          },
        },
      });
    }
    if (url.pathname === "/ws") {
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.binaryType = "arraybuffer";
      socket.onopen = () => {
        this.connections++;
        this.#sockets.push(socket);
        this.#wake(this.#connWaiters);
      };
      socket.onmessage = (m) => this.#onFrame(socket, decodeFrame(new Uint8Array(m.data as ArrayBuffer)));
      socket.onerror = () => {};
      return response;
    }
    return new Response("not found", { status: 404 });
  }

  #onFrame(socket: WebSocket, frame: Pbbp2Frame) {
    const type = frameHeader(frame, "type");
    if (frame.method === 0 && type === "ping") {
      this.pings.push(Date.now());
      if (this.#silent.has(socket)) return;
      const config = {
        PingInterval: this.options.pingIntervalS ?? 1,
        ReconnectCount: -1,
        ReconnectInterval: 1,
        ReconnectNonce: 0,
      };
      socket.send(encodeFrame({
        ...frame,
        headers: [{ key: "type", value: "pong" }],
        payload: new TextEncoder().encode(JSON.stringify(config)),
      }));
      return;
    }
    if (frame.method === 1) {
      const payload = JSON.parse(new TextDecoder().decode(frame.payload));
      this.acks.push({
        messageId: frameHeader(frame, "message_id") ?? "",
        code: payload.code,
        bizRt: frameHeader(frame, "biz_rt"),
      });
      this.#wake(this.#ackWaiters);
    }
  }
}
