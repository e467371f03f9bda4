// A dependency-free JetStream readiness probe speaking the NATS text protocol:
// it asks `$JS.API.INFO` and reports whether JetStream answered without error,
// which in a cluster means a meta leader has been elected.

import net from "node:net";

const CRLF = "\r\n";
const INBOX = "_INBOX.rea_testkit_probe";

/**
 * Resolves true when the server at 127.0.0.1:port answers a JetStream account
 * info request successfully, false on an error reply, no responders or timeout.
 */
export function probeJetStream(port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let buffer = Buffer.alloc(0);
    let greeted = false;
    let settled = false;
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once("error", () => finish(false));
    socket.once("close", () => finish(false));
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const eol = buffer.indexOf(CRLF);
        if (eol < 0) return;
        const line = buffer.subarray(0, eol).toString("utf8");
        const [op, ...fields] = line.split(" ");
        if (op === "INFO" && !greeted) {
          greeted = true;
          const connect = JSON.stringify({ verbose: false, pedantic: false, headers: true, no_responders: true });
          socket.write(`CONNECT ${connect}${CRLF}SUB ${INBOX} 1${CRLF}PUB $JS.API.INFO ${INBOX} 0${CRLF}${CRLF}`);
        } else if (op === "PING") {
          socket.write(`PONG${CRLF}`);
        } else if (op === "-ERR") {
          finish(false);
          return;
        } else if (op === "MSG" || op === "HMSG") {
          const size = Number(fields[fields.length - 1]);
          const start = eol + 2;
          if (buffer.length < start + size + 2) return; // wait for the whole payload
          const body = buffer.subarray(start, start + size).toString("utf8");
          finish(op === "MSG" && isSuccessReply(body));
          return;
        }
        buffer = buffer.subarray(eol + 2);
      }
    });
  });
}

function isSuccessReply(body: string): boolean {
  try {
    const reply = JSON.parse(body) as { error?: unknown };
    return reply.error === undefined;
  } catch {
    return false;
  }
}
