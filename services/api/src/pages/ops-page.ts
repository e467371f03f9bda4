/**
 * The operations page. `/ops` is a shell with a token field: its script keeps
 * the admin token in memory only and every 10 s loads `/ops/panel` (the status,
 * rendered and escaped here on the server) with it. The page holds no secret and
 * its policy allows only its own inline script and style.
 */
import type { OpsStatus } from "@rea/contracts";
import { BASE_STYLE, age, cspHash, esc } from "./html.js";

export const OPS_REFRESH_MS = 10_000;

const SCRIPT = `(() => {
  const form = document.getElementById("auth");
  const input = document.getElementById("token");
  const panel = document.getElementById("panel");
  const state = document.getElementById("state");
  let token = "";
  let timer;
  async function load() {
    try {
      const res = await fetch("/ops/panel", { headers: { Authorization: "Bearer " + token }, cache: "no-store" });
      if (res.status === 401 || res.status === 403) {
        clearInterval(timer);
        token = "";
        state.textContent =
          res.status === 403 ? "That is an API key: the panel needs the admin token." : "The token was refused.";
        return;
      }
      if (!res.ok) {
        state.textContent = "Status unavailable (HTTP " + res.status + "); trying again.";
        return;
      }
      panel.innerHTML = await res.text();
      state.textContent = "Updated " + new Date().toLocaleTimeString() + "; refreshes every ${OPS_REFRESH_MS / 1000} s.";
    } catch {
      state.textContent = "The api did not answer; trying again.";
    }
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    token = input.value.trim();
    input.value = "";
    clearInterval(timer);
    void load();
    timer = setInterval(load, ${OPS_REFRESH_MS});
  });
})();`;

const STYLE = `${BASE_STYLE}form{margin:1rem 0}input{width:22rem;padding:.3rem}button{padding:.3rem .8rem}`;

export const OPS_SHELL_CSP = [
  "default-src 'none'",
  `script-src ${cspHash(SCRIPT)}`,
  `style-src ${cspHash(STYLE)}`,
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function renderOpsShell(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Operations · Rare-earth price alerts</title><style>${STYLE}</style></head>
<body><h1>Operations</h1>
<form id="auth"><label>Admin token <input id="token" type="password" autocomplete="off" required></label>
<button type="submit">Show status</button></form>
<p id="state" class="muted">Enter the admin token: it stays in this page's memory only.</p>
<main id="panel" aria-live="polite"></main>
<script>${SCRIPT}</script></body></html>`;
}

const table = (head: string[], rows: string[], empty: string): string =>
  rows.length === 0
    ? `<p class="muted">${esc(empty)}</p>`
    : `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;

const cells = (values: unknown[], cls = ""): string =>
  `<tr${cls === "" ? "" : ` class="${esc(cls)}"`}>${values.map((v) => `<td>${esc(v)}</td>`).join("")}</tr>`;

const figures = (status: Record<string, unknown>): string =>
  Object.entries(status)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");

/** The status as HTML: services, consumer lag, feed freshness, delivery failures. Every value is escaped. */
export function renderOpsPanel(s: OpsStatus): string {
  const services = s.services.map((svc) =>
    cells(
      [svc.name, svc.id, svc.version, svc.started, figures(svc.status)],
      Object.values(svc.status).some((v) => v === false) ? "bad" : "",
    ),
  );
  const consumers = s.consumers.map((c) => cells([c.stream, c.consumer, c.pending, c.ackPending, c.redelivered]));
  const feeds = s.feeds.map((f) =>
    cells([
      f.instrument,
      f.last === null ? "" : `${f.last.price} ${f.unit}`,
      f.last?.ts ?? "",
      f.last?.source ?? "",
      age(f.ageSeconds),
    ]),
  );
  const failures = s.deliveryFailures.recent.map((d) =>
    cells([d.at, d.alertId, d.userId, `${d.channel} ${d.channelId}`, d.attempts, d.reason ?? ""]),
  );
  return [
    `<p class="muted">Generated ${esc(s.generatedAt)}</p>`,
    `<h2>Services (${s.services.length})</h2>`,
    table(["name", "id", "version", "started", "status"], services, "No service answered."),
    `<h2>Consumer lag</h2>`,
    table(["stream", "consumer", "pending", "ack pending", "redelivered"], consumers, "No durable consumer."),
    `<h2>Feed freshness</h2>`,
    table(["instrument", "last price", "time", "source", "age"], feeds, "No instruments."),
    `<h2>Delivery failures: ${s.deliveryFailures.count}</h2>`,
    table(["at", "alert", "user", "channel", "attempts", "reason"], failures, "No failed deliveries."),
  ].join("\n");
}
