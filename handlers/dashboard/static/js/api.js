// The dashboard's API: the session cookie goes with every request; writes carry the CSRF
// token and a fresh request id (the server applies an action once, even if sent twice).
let csrf = "";
let relogin = null;

export class ApiError extends Error {
  constructor(status, message, data) { super(message); this.status = status; this.data = data || {}; }
}

export function setSession(token, onExpired) { csrf = token; relogin = onExpired; }

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  const x = [...b].map((v) => v.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function url(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
  const s = q.toString();
  return "api/" + path + (s ? "?" + s : "");
}

async function call(method, path, params, body, retried) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    headers["X-CSRF-Token"] = csrf;
    headers["X-Request-Id"] = body && body.__id ? body.__id : newId();
  }
  const payload = body ? { ...body } : undefined;
  if (payload) delete payload.__id;
  const res = await fetch(url(path, params), {
    method, headers, credentials: "same-origin",
    body: payload ? JSON.stringify(payload) : method === "GET" ? undefined : "{}",
  });
  if (res.status === 401 && !retried && relogin && (await relogin())) {
    return call(method, path, params, body, true);
  }
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) throw new ApiError(res.status, (data && data.error) || res.statusText, data);
  return data;
}

export const api = {
  get: (path, params) => call("GET", path, params),
  post: (path, body) => call("POST", path, null, { ...(body || {}), __id: newId() }),
};
