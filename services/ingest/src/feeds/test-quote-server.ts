/**
 * A local HTTP quote endpoint for tests: serves recorded responses (the files
 * under `fixtures/`, whose comment header is not served) and bad ones on demand.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export interface Reply {
  status?: number;
  body?: Uint8Array | string;
  contentType?: string;
  /** never answer: the client has to time out */
  hang?: boolean;
}

export interface QuoteServer {
  url: string;
  /** requests received so far */
  readonly requests: number;
  /** what the next requests get */
  reply(next: Reply): void;
  close(): Promise<void>;
}

/** A recorded response: the bytes after the fixture's `#` header and the blank line that ends it. */
export function loadFixture(name: string): Uint8Array {
  const bytes = readFileSync(join(import.meta.dirname, "fixtures", name));
  const end = bytes.indexOf("\n\n");
  if (end < 0) throw new Error(`fixture ${name} has no header`);
  return bytes.subarray(end + 2);
}

export async function startQuoteServer(initial: Reply): Promise<QuoteServer> {
  let current = initial;
  let requests = 0;
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    const r = current;
    if (r.hang === true) {
      hanging.add(res);
      return;
    }
    res.writeHead(r.status ?? 200, { "content-type": r.contentType ?? "application/javascript; charset=GB18030" });
    res.end(r.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/list`,
    get requests() {
      return requests;
    },
    reply: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
