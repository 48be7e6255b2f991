// The signed-in user's tokens: in memory and in sessionStorage (this tab only), refreshed
// before they expire. The JWT payload is decoded for display only; services verify it.

const KEY = "ys.console.session";
const FLASH = "ys.console.flash";
const REFRESH_MARGIN_MS = 60_000;

let current = read();
let timer = null;
const expiryListeners = [];

function read() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

function write() {
  if (current) sessionStorage.setItem(KEY, JSON.stringify(current));
  else sessionStorage.removeItem(KEY);
}

/** The claims of a JWT, decoded without verification (display and position choice only). */
export function decodeClaims(token) {
  const part = String(token || "").split(".")[1] || "";
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

/** POST /auth/token with these form fields → {ok, status, body}; a network failure throws. */
export async function tokenRequest(fields) {
  const response = await fetch("/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams(fields),
  });
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body };
}

function store(body, position) {
  current = {
    access: body.access_token,
    refresh: body.refresh_token || (current && current.refresh) || null,
    expiresAt: Date.now() + Number(body.expires_in || 900) * 1000,
    position: position ?? (current ? current.position : null),
  };
  write();
  schedule();
}

function schedule() {
  clearTimeout(timer);
  if (!current || !current.refresh) return;
  const wait = Math.max(5_000, current.expiresAt - Date.now() - REFRESH_MARGIN_MS);
  timer = setTimeout(() => refresh().catch(() => {}), wait);
}

/** Password grant. Resolves to null on success, or a Chinese message. */
export async function login(username, password) {
  let result;
  try {
    result = await tokenRequest({ grant_type: "password", username, password });
  } catch {
    return "网络连接失败，请检查网络后重试";
  }
  if (result.ok) {
    current = null;
    store(result.body, null);
    return null;
  }
  if (result.status === 429) return "登录尝试过于频繁，请稍后再试";
  if (result.body && result.body.error === "invalid_grant") return "用户名或密码错误，或账号已被暂时锁定";
  return "登录失败，请稍后再试";
}

let refreshing = null;

/**
 * refresh_token grant; when the gateway refuses the token the session ends. Resolves true when
 * renewed. One at a time: refresh tokens rotate, and a token used twice revokes its family.
 */
export function refresh() {
  if (!refreshing) refreshing = renew().finally(() => (refreshing = null));
  return refreshing;
}

async function renew() {
  if (!current || !current.refresh) return false;
  let result;
  try {
    result = await tokenRequest({ grant_type: "refresh_token", refresh_token: current.refresh });
  } catch {
    schedule(); // offline for a moment: try again later
    return false;
  }
  if (result.ok) {
    store(result.body);
    return true;
  }
  if (result.status === 400 || result.status === 401) expire("登录已过期，请重新登录");
  else schedule(); // the gateway is busy or down for a moment: the session may still be good
  return false;
}

export async function logout() {
  const token = current && current.refresh;
  end();
  if (token) {
    const body = new URLSearchParams({ refresh_token: token });
    await fetch("/auth/logout", { method: "POST", body }).catch(() => {});
  }
}

function end() {
  clearTimeout(timer);
  current = null;
  write();
}

/** The session is over (401, refused refresh): tell the login page why, and the listeners
 * whose session it was (the token's subject). */
export function expire(message) {
  if (!current) return;
  const user = claims().sub;
  end();
  sessionStorage.setItem(FLASH, message);
  for (const listener of expiryListeners) listener(message, user);
}

export function onExpire(listener) {
  expiryListeners.push(listener);
}

export function takeFlash() {
  const message = sessionStorage.getItem(FLASH);
  sessionStorage.removeItem(FLASH);
  return message;
}

export function accessToken() {
  return current ? current.access : null;
}

export function signedIn() {
  return Boolean(current && current.access);
}

export function claims() {
  return current ? decodeClaims(current.access) : {};
}

export function positions() {
  const list = claims().positions;
  return Array.isArray(list) ? list : [];
}

/** The position the user acts in (picked at login when there are several). */
export function position() {
  const list = positions();
  if (!current || !list.length) return null;
  const index = current.position ?? (list.length === 1 ? 0 : null);
  return index === null ? null : list[index] || null;
}

/** The county's administrator: BUREAU/admin (yingshang.auth.county_admin). An admin post in
 * another unit administers nothing county-wide (time limits, calendars, users, clients). */
export function isCountyAdmin(p) {
  return Boolean(p) && p.dept === "BUREAU" && p.role === "admin";
}

export function choosePosition(index) {
  if (!current) return;
  current.position = index;
  write();
}

export function resume() {
  if (current && current.expiresAt < Date.now() && current.refresh) refresh().catch(() => {});
  else schedule();
}
