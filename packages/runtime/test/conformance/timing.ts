/**
 * The streaming-timing check: WHEN the chunks of the conformance application's `/drip` arrive
 * through a stack, not only what arrives.
 */
import { expect } from "vitest";
import { DRIP, dripChunk } from "./app.js";

/**
 * Reads a response body, noting when (ms after `since`) each cumulative byte count of `ends`
 * was first reached.
 */
async function arrivals(res: Response, ends: number[], since: number) {
  const times: number[] = [];
  const parts: Buffer[] = [];
  let received = 0;
  const reader = res.body!.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    parts.push(Buffer.from(next.value));
    received += next.value.length;
    while (times.length < ends.length && received >= ends[times.length]!) {
      times.push(performance.now() - since);
    }
  }
  return { times, body: Buffer.concat(parts).toString() };
}

/**
 * Fetches `/drip` under `baseUrl` and expects its chunks to arrive spread out as the
 * application yields them: the first well before the application has produced the last.
 *
 * @example
 * it("streams", () => expectDripStreamed("http://127.0.0.1:8080/app"));
 */
export async function expectDripStreamed(baseUrl: string): Promise<void> {
  const since = performance.now();
  const res = await fetch(`${baseUrl}/drip`, { signal: AbortSignal.timeout(15_000) });
  expect(res.status).toBe(200);
  const ends = Array.from({ length: DRIP.chunks }, (_, i) => (i + 1) * DRIP.size);
  const { times, body } = await arrivals(res, ends, since);
  expect(body).toBe(ends.map((_, i) => dripChunk(i)).join(""));
  // The application yields the last chunk (chunks - 1) gaps after the first; a front server
  // that holds the response back delivers them all together. Half of that span leaves room
  // for a loaded machine delaying any one chunk.
  const span = (DRIP.chunks - 1) * DRIP.gapMs;
  expect(times.at(-1)! - times[0]!).toBeGreaterThan(span / 2);
}
