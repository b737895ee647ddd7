import { attemptsOf } from "../retry/retry.ts";
import { chunk } from "./_validate.ts";
import type { BatchResult, ChunkResult } from "./types.ts";

/** What {@linkcode runChunks} takes of the client's `BatchOptions`. */
export interface ChunkOptions {
  stopOnError?: boolean;
  onChunk?: (chunk: ChunkResult<unknown>) => void;
  signal?: AbortSignal;
}

/**
 * Send `input` in chunks of `size`, one after another, each chunk's result (items or error)
 * recorded and reported; a failed chunk stops the rest only with `stopOnError`, an abort
 * always does.
 */
export async function runChunks<I, T>(
  input: readonly I[],
  size: number,
  options: ChunkOptions,
  send: (items: I[]) => Promise<{ items: T[]; attempts: number }>,
): Promise<BatchResult<T>> {
  const chunks: ChunkResult<T>[] = [];
  for (const [index, part] of chunk(input, size).entries()) {
    options.signal?.throwIfAborted();
    let result: ChunkResult<T>;
    try {
      const out = await send(part.items);
      result = { index, from: part.from, to: part.to, items: out.items, attempts: out.attempts };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      result = {
        index,
        from: part.from,
        to: part.to,
        error: error as Error,
        attempts: attemptsOf(error) ?? 1,
      };
    }
    chunks.push(result);
    options.onChunk?.(result as ChunkResult<unknown>);
    if (result.error && options.stopOnError) break;
  }
  const failed = chunks.filter((c) => c.error);
  return { chunks, items: chunks.flatMap((c) => c.items ?? []), failed };
}
