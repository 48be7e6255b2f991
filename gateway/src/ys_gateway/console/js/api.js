// The public REST API through the gateway (same origin), with the signed-in user's token.
import { NETWORK, describe } from "./problems.js";
import * as session from "./session.js";

export class ApiError extends Error {
  constructor(status, problem, message) {
    super(message);
    this.status = status;
    this.problem = problem || {};
  }
}

/** A version-4 UUID: randomUUID exists only in secure contexts (https, localhost). */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// A form's creations: one Idempotency-Key per request content, for as long as the form lives
// and until it is reset for the next entry. A resubmit after a network error, a 5xx or a lost
// answer sends the same key, so the service replays the creation it may already have made
// instead of making a second; changed content is another creation with another key (the same
// key with another body is a 422 by design).
const formKeys = new WeakMap(); // form → Map(request content → key)

function idempotencyKey(path, options) {
  const owner = options.idempotent;
  if (!owner) return null;
  if (typeof owner === "string") return owner;
  if (typeof owner !== "object") return newKey(); // `true`: a one-off request, its own key
  if (!formKeys.has(owner)) {
    formKeys.set(owner, new Map());
    owner.addEventListener?.("reset", () => formKeys.get(owner).clear()); // a new entry
  }
  const keys = formKeys.get(owner);
  const content = JSON.stringify([options.method || "GET", path, options.json ?? null]);
  if (!keys.has(content)) keys.set(content, newKey());
  return keys.get(content);
}

/** The signed-in user's token, unless the request goes without one or with its own. */
function sessionToken(options) {
  return options.auth === false || options.bearer ? null : session.accessToken();
}

function headersFor(options) {
  const headers = { Accept: "application/json, application/problem+json" };
  const token = options.bearer || sessionToken(options);
  if (token) headers.Authorization = `Bearer ${token}`;
  // A person with several posts acts in the one picked at login: the services narrow the
  // token's positions to it (X-Acting-Position), so buttons and rights match the choice.
  const acting = token && !options.bearer && session.positions().length > 1 ? session.position() : null;
  if (acting) headers["X-Acting-Position"] = `${acting.dept}/${acting.role}`;
  if (options.json !== undefined) headers["Content-Type"] = "application/json";
  if (options.etag) headers["If-Match"] = options.etag;
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  return headers;
}

async function send(path, options) {
  try {
    return await fetch(path, {
      method: options.method || "GET",
      headers: headersFor(options),
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
    });
  } catch {
    throw new ApiError(0, null, NETWORK);
  }
}

async function failure(response) {
  const problem = await response.json().catch(() => null);
  return new ApiError(response.status, problem, describe(response.status, problem));
}

/**
 * request("/api/v1/hotline/tickets", {method: "POST", json: {...}, idempotent: form})
 * → {data, etag, status, response}. Throws ApiError with a Chinese message.
 * `idempotent`: the form the creation is submitted from (its key for this content, see
 * above), a key of the caller's own, or `true` for a one-off key.
 * A 401 refreshes the token once; a second 401 ends the session (back to the login page).
 * `bearer`: a token of the caller's own (the window pad's client token) instead of the
 * session's; its 401 is the caller's to handle, the session is not touched.
 */
export async function request(path, options = {}) {
  const sentToken = sessionToken(options);
  const hadToken = Boolean(sentToken);
  const sending = { ...options, idempotencyKey: idempotencyKey(path, options) };
  let response = await send(path, sending);
  if (response.status === 401 && hadToken) {
    // Renewed meanwhile by a parallel request, or renew now (once for all of them).
    const renewed = session.accessToken() !== sentToken || (await session.refresh());
    if (renewed) response = await send(path, sending);
  }
  if (response.status === 401 && hadToken) {
    session.expire("登录已过期或已在别处退出，请重新登录");
  }
  if (!response.ok) throw await failure(response);
  const etag = response.headers.get("ETag");
  if (options.raw) return { data: null, etag, status: response.status, response };
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  return { data, etag, status: response.status, response };
}

export async function get(path, params) {
  return (await request(withQuery(path, params))).data;
}

export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value === null || value === undefined || value === "") continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, String(v));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Every page of a cursor-paginated list, up to `max` items. */
export async function all(path, params, max = 400) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(path, { ...params, limit: 200, cursor });
    items.push(...(page.items || []));
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return items;
}

/** Download a file the API answers with (CSV…) under the user's token. */
export async function download(path, filename) {
  const { response } = await request(path, { raw: true });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Public endpoints: never send a staff token (staff may not rate for an applicant). */
export async function publicGet(path, params) {
  return (await request(withQuery(path, params), { auth: false })).data;
}

/** `idempotent` as for request: the form it is submitted from, for a creation. */
export async function publicPost(path, json, idempotent = false) {
  return (await request(path, { method: "POST", json, auth: false, idempotent })).data;
}
