/** One GET of a quote endpoint, bounded in time and size, decoded in the charset it declares. */
import { TextDecoder } from "node:util";

export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export type FetchFailureCode = "TIMEOUT" | "NETWORK" | "HTTP_STATUS" | "TOO_LARGE";

export type FetchResult =
  | { ok: true; body: string; bytes: Uint8Array }
  | { ok: false; code: FetchFailureCode; reason: string; bytes?: Uint8Array };

export interface FetchOptions {
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  /** aborts the request when the service stops */
  signal: AbortSignal;
  /** charset when the response names none */
  defaultCharset: string;
}

function decoderFor(contentType: string | null, fallback: string): TextDecoder {
  const label = /charset=["']?([A-Za-z0-9_.:-]+)/i.exec(contentType ?? "")?.[1] ?? fallback;
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder(fallback);
  }
}

function networkReason(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

export async function fetchQuote(url: string, opts: FetchOptions): Promise<FetchResult> {
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
  const timedOut = () => !opts.signal.aborted && signal.aborted;
  try {
    const res = await fetch(url, { headers: opts.headers, signal, redirect: "follow" });
    const declared = Number(res.headers.get("content-length") ?? "0");
    if (declared > MAX_BODY_BYTES) {
      await res.body?.cancel();
      return { ok: false, code: "TOO_LARGE", reason: `response of ${declared} bytes, over ${MAX_BODY_BYTES}` };
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.byteLength > MAX_BODY_BYTES) {
      return { ok: false, code: "TOO_LARGE", reason: `response of ${bytes.byteLength} bytes, over ${MAX_BODY_BYTES}` };
    }
    if (!res.ok) {
      return { ok: false, code: "HTTP_STATUS", reason: `HTTP ${res.status} ${res.statusText}`.trim(), bytes };
    }
    return { ok: true, body: decoderFor(res.headers.get("content-type"), opts.defaultCharset).decode(bytes), bytes };
  } catch (e) {
    if (timedOut()) return { ok: false, code: "TIMEOUT", reason: `no complete answer within ${opts.timeoutMs} ms` };
    if (opts.signal.aborted) return { ok: false, code: "NETWORK", reason: "stopped" };
    return { ok: false, code: "NETWORK", reason: `network error: ${networkReason(e)}` };
  }
}
