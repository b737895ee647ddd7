import assert from "node:assert/strict";
import { readSecret } from "../../lib/cli/read_secret.ts";
import { ConfigError } from "../../lib/errors/mod.ts";

function fakeStdin(chunks: string[], tty: boolean) {
  const raw: boolean[] = [];
  const enc = new TextEncoder();
  return {
    raw,
    stdin: {
      readable: new ReadableStream<Uint8Array>({
        start(c) {
          for (const ch of chunks) c.enqueue(enc.encode(ch));
          c.close();
        },
      }),
      isTerminal: () => tty,
      setRaw: (mode: boolean) => void raw.push(mode),
    },
  };
}

Deno.test("readSecret: a terminal gets the prompt, no echo (raw mode on, then off), Backspace edits", async () => {
  const { stdin, raw } = fakeStdin(["s3cx", "\x7fret\r", "ignored"], true);
  const written: string[] = [];
  const secret = await readSecret("密钥：", { stdin, write: (t) => void written.push(t) });
  assert.equal(secret, "s3cret");
  assert.deepEqual(raw, [true, false]);
  assert.equal(written.join(""), "密钥：\n", "only the prompt and a newline, never the typed characters");
});

Deno.test("readSecret: piped stdin gives its first line without a prompt; empty input and Ctrl-C are ConfigErrors", async () => {
  const piped = fakeStdin(["abc", "def\nsecond line\n"], false);
  const written: string[] = [];
  assert.equal(await readSecret("x", { stdin: piped.stdin, write: (t) => void written.push(t) }), "abcdef");
  assert.deepEqual(written, []);
  assert.deepEqual(piped.raw, []);
  await assert.rejects(readSecret("x", { stdin: fakeStdin([""], false).stdin }), ConfigError);
  const cancelled = fakeStdin(["abc\x03"], true);
  await assert.rejects(readSecret("x", { stdin: cancelled.stdin, write: () => {} }), /cancelled/);
  assert.deepEqual(cancelled.raw, [true, false], "raw mode restored after Ctrl-C");
});
