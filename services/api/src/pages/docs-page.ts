/**
 * `/docs`: the OpenAPI document as a page, rendered on the server with no
 * script: every operation with its summary, parameters, request body schema
 * and responses. Everything shown is escaped.
 */
import { BASE_STYLE, cspHash, esc } from "./html.js";

const STYLE = `${BASE_STYLE}nav ul{columns:2;list-style:none;padding:0}section{border-top:1px solid #dde2ea;padding:.4rem 0}
.get{color:#1d6b2f}.post{color:#1f4f99}.patch{color:#8a5a00}.delete{color:#a21b1b}`;

export const DOCS_CSP = [
  "default-src 'none'",
  `style-src ${cspHash(STYLE)}`,
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

const anchor = (method: string, path: string): string => `${method}-${path.replace(/[^A-Za-z0-9]+/g, "-")}`;

function parameters(op: Json): string {
  const ps = arr(op.parameters).map(obj);
  if (ps.length === 0) return "";
  const rows = ps.map((p) => {
    const schema = obj(p.schema);
    const type = str(schema.type) || (schema.anyOf === undefined ? "" : "one of several");
    return `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required === true ? "yes" : "no"}</td><td>${esc(type)}</td><td>${esc(schema.description ?? p.description ?? "")}</td></tr>`;
  });
  return `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>required</th><th>type</th><th>about</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function requestBody(op: Json): string {
  const body = obj(op.requestBody);
  const schema = obj(obj(obj(body.content)["application/json"]).schema);
  if (Object.keys(schema).length === 0) return "";
  return `<details><summary>Request body (JSON)</summary><pre>${esc(JSON.stringify(schema, null, 2))}</pre></details>`;
}

function responses(op: Json): string {
  const items = Object.entries(obj(op.responses)).map(
    ([status, r]) => `<li><code>${esc(status)}</code> ${esc(str(obj(r).description))}</li>`,
  );
  return items.length === 0 ? "" : `<h4>Responses</h4><ul>${items.join("")}</ul>`;
}

/** Renders an OpenAPI 3 document (as produced by `/openapi.json`). */
export function renderDocsPage(doc: unknown): string {
  const d = obj(doc);
  const info = obj(d.info);
  const ops: Array<{ method: string; path: string; op: Json }> = [];
  for (const [path, item] of Object.entries(obj(d.paths)).sort(([a], [b]) => a.localeCompare(b))) {
    for (const method of METHODS) {
      const op = obj(obj(item)[method]);
      if (Object.keys(op).length > 0) ops.push({ method, path, op });
    }
  }
  const toc = ops
    .map(
      ({ method, path }) =>
        `<li><a href="#${esc(anchor(method, path))}"><span class="method ${method}">${method}</span> ${esc(path)}</a></li>`,
    )
    .join("");
  const sections = ops
    .map(
      ({ method, path, op }) => `<section id="${esc(anchor(method, path))}">
<h3><span class="method ${method}">${method}</span> <code>${esc(path)}</code></h3>
<p>${esc(str(op.summary))}</p>${str(op.description) === "" ? "" : `<p class="muted">${esc(str(op.description))}</p>`}
${parameters(op)}${requestBody(op)}${responses(op)}</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(str(info.title))}: API reference</title><style>${STYLE}</style></head>
<body><h1>${esc(str(info.title))} <span class="muted">${esc(str(info.version))}</span></h1>
<p>${esc(str(info.description))}</p>
<p>Errors have the shape <code>{"error":{"code","message","details":[{"path","message"}]}}</code>.
The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>
<nav><h2>Operations (${ops.length})</h2><ul>${toc}</ul></nav>
${sections}
</body></html>`;
}
