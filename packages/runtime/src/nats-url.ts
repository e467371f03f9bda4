/**
 * NATS_URL: one or more servers, comma-separated, each `nats://host[:port]` or
 * `tls://host[:port]` (credentials before the host are allowed and never
 * echoed). Checked entry by entry at start, so a typo stops a service with one
 * line instead of failing later inside the client.
 */
import { isIPv6 } from "node:net";
import { redactUrl } from "@rea/bus";

/** One server of NATS_URL. */
export interface NatsServerAddress {
  /** the entry as given, credentials hidden: safe to log */
  readonly shown: string;
  /** host name or IP address (an IPv6 address without its brackets) */
  readonly host: string;
  /** 4222 when the entry names none */
  readonly port: number;
}

const DEFAULT_NATS_PORT = 4222;

const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const IPV6_IN_BRACKETS = /^\[([0-9A-Fa-f:.]+)\](?::(.*))?$/;

/** The host and port of one entry, or what is wrong with it. */
function readEntry(entry: string): { host: string; port: number } | string {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(entry)?.[1]?.toLowerCase();
  if (scheme === "ws" || scheme === "wss") return "WebSocket URLs are not supported (use nats:// or tls://)";
  if (scheme !== "nats" && scheme !== "tls") return "the scheme is not nats:// or tls://";
  const rest = entry.slice(scheme.length + 3);
  const authorityEnd = rest.search(/[/?#]|$/);
  if (rest.slice(authorityEnd) !== "" && rest.slice(authorityEnd) !== "/") return "something follows host:port";
  // user:password@ before the host is the client's business, not ours
  const hostPort = rest.slice(rest.lastIndexOf("@", authorityEnd) + 1, authorityEnd);
  let host: string;
  let portText: string | undefined;
  const v6 = IPV6_IN_BRACKETS.exec(hostPort);
  if (v6 !== null) {
    host = v6[1] ?? "";
    portText = v6[2];
    if (!isIPv6(host)) return `"[${host}]" is not an IPv6 address`;
  } else {
    const parts = hostPort.split(":");
    if (parts.length > 2) return "an IPv6 address is not in brackets (nats://[::1]:4222)";
    host = parts[0] ?? "";
    portText = parts[1];
    if (host !== "" && !HOST_NAME.test(host)) return `"${host}" is not a host name or IP address`;
  }
  if (host === "") return "no host";
  if (portText === undefined) return { host, port: DEFAULT_NATS_PORT };
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) return `the port "${portText}" is not a number from 1 to 65535`;
  return { host, port };
}

/**
 * Reads NATS_URL into its servers; throws an Error naming every bad entry, its
 * credentials hidden.
 * @example parseNatsServers("nats://a:4222,nats://b") // servers a:4222 and b:4222
 */
export function parseNatsServers(natsUrl: string): NatsServerAddress[] {
  const entries = natsUrl.split(",").map((s) => s.trim());
  const problems: string[] = [];
  const servers: NatsServerAddress[] = [];
  entries.forEach((entry, i) => {
    const shown = redactUrl(entry);
    if (entry === "") {
      problems.push(entries.length === 1 ? "it is empty" : `server ${i + 1} is empty`);
      return;
    }
    const read = readEntry(entry);
    if (typeof read !== "string") servers.push({ shown, ...read });
    else problems.push(`${read} in ${entries.length === 1 ? shown : `server ${i + 1} (${shown})`}`);
  });
  if (problems.length > 0) {
    throw new Error(`${problems.join("; ")}: expected nats://host:port, comma-separated for several`);
  }
  return servers;
}
