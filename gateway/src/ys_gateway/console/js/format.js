// Dates in Asia/Shanghai (the county's time; the API speaks UTC), rates, countdowns.
import { dayNumberOf, isWorkingDay, known } from "./calendar.js";

const TZ = "Asia/Shanghai";

/** 办件编号 as stored: an item's 31-character implementation code or a package's code (一件事,
 * KBQY), the day (yyyyMMdd), a 4-digit sequence (yingshang.cases.numbers). */
export const APPLICATION_NUMBER = /^(?:[0-9A-Z]{31}|[A-Z][A-Z0-9_]{1,39})20\d{10}$/;

const parts = new Intl.DateTimeFormat("zh-CN", {
  timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
});

function fields(value) {
  const out = {};
  for (const p of parts.formatToParts(new Date(value))) out[p.type] = p.value;
  return out;
}

export function dateTime(iso) {
  if (!iso) return "—";
  const f = fields(iso);
  return `${f.year}-${f.month}-${f.day} ${f.hour}:${f.minute}`;
}

/** A due time as people write it: a limit that ends at midnight ends at "24:00" of its last
 * day (2026-12-09 24:00), not at 00:00 of the next one. */
export function dueTime(iso) {
  if (!iso) return "—";
  const f = fields(iso);
  if (f.hour !== "00" || f.minute !== "00" || f.second !== "00") return dateTime(iso);
  const last = fields(Date.parse(iso) - 1);
  return `${last.year}-${last.month}-${last.day} 24:00`;
}

export function date(iso) {
  if (!iso) return "—";
  const f = fields(iso);
  return `${f.year}-${f.month}-${f.day}`;
}

/** Today in Shanghai as YYYY-MM-DD. */
export function today(now = Date.now()) {
  return date(now);
}

export function thisMonth(now = Date.now()) {
  return today(now).slice(0, 7);
}

/** YYYY-MM of `count` months before `month` (count may be negative). */
export function monthBefore(month, count) {
  const [y, m] = month.split("-").map(Number);
  const index = y * 12 + (m - 1) - count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** [from, to] (YYYY-MM-DD, both included) of a statistics page's query: whole days
 * (Asia/Shanghai), this year up to today by default. */
export function dayRange(query, now = Date.now()) {
  const to = DAY.test(query.get("to") || "") ? query.get("to") : today(now);
  const from = DAY.test(query.get("from") || "") ? query.get("from") : `${today(now).slice(0, 4)}-01-01`;
  return [from, to];
}

/** The day after `day` (YYYY-MM-DD): an API range ends before it (the last day included). */
export function dayAfter(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The first instant of `day` in the county's time, as the APIs take it. */
export const dayStart = (day) => `${day}T00:00:00+08:00`;

/** A percentage already in 0–100 (ratings). */
export function pct(value) {
  return value === null || value === undefined ? "—" : `${Number(value).toFixed(1)}%`;
}

/** A ratio in 0–1 (approvals, hotline, complaints statistics). */
export function ratio(value) {
  return value === null || value === undefined ? "—" : `${(Number(value) * 100).toFixed(1)}%`;
}

function dayNumber(iso) {
  return dayNumberOf(date(iso));
}

/** The due day (Shanghai) of a limit: 24:00 belongs to the day it ends. */
const dueDay = (dueIso) => dayNumber(new Date(dueIso).getTime() - 1);

/** The days counted from tomorrow up to the due day (Shanghai). */
function daysToCount(dueIso, now) {
  return { first: dayNumber(now) + 1, last: dueDay(dueIso) };
}

/** The days a late case has been late for: from the day after its due day up to yesterday,
 * whole days only (the ladder's 催办 comes one working day after the due time, the 通报 five). */
function daysLate(dueIso, now) {
  return { first: dueDay(dueIso) + 1, last: dayNumber(now) - 1 };
}

function workingDaysIn({ first, last }) {
  let count = 0;
  for (let day = first; day <= last; day += 1) if (isWorkingDay(day)) count += 1;
  return count;
}

/**
 * Working days left from tomorrow up to the due day (Shanghai), on the county's calendar
 * (holidays off, 调休 weekends worked). The server's due_at already counts them; this is only
 * how far away it is.
 */
export function workingDaysUntil(dueIso, now = Date.now()) {
  return workingDaysIn(daysToCount(dueIso, now));
}

/** Whole working days past the due day (Shanghai) up to yesterday, on the same calendar:
 * due 2026-09-29 24:00, on 2026-11-28 it is 39 (the National Day holidays not counted). */
export function workingDaysLate(dueIso, now = Date.now()) {
  return workingDaysIn(daysLate(dueIso, now));
}

function knownSpan({ first, last }) {
  return known(first) && known(Math.max(first, last));
}

/** Whether the count to `dueIso` used only known calendar days (no Monday–Friday assumption). */
export function calendarKnown(dueIso, now = Date.now()) {
  return knownSpan(daysToCount(dueIso, now));
}

function clock(ms) {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

const ESTIMATED = "（节假日未公布，按周一至周五估算）";

/**
 * {text, tone, note} of a live countdown to `dueIso`, both ways in working days on the
 * county's calendar: 剩余 N 个工作日 / 已超时 N 个工作日, and h:mm:ss when less than one whole
 * working day is left or has passed.
 */
export function countdown(dueIso, now = Date.now()) {
  if (!dueIso) return { text: "无时限", tone: "muted" };
  const left = new Date(dueIso).getTime() - now;
  if (left <= 0) {
    const late = workingDaysLate(dueIso, now);
    if (late === 0) return { text: `已超时 ${clock(-left)}`, tone: "danger" };
    const note = knownSpan(daysLate(dueIso, now)) ? "" : ESTIMATED;
    return { text: `已超时 ${late} 个工作日`, tone: "danger", note };
  }
  const days = workingDaysUntil(dueIso, now);
  if (left < 86_400_000 || days === 0) return { text: `剩余 ${clock(left)}`, tone: "warning" };
  const note = calendarKnown(dueIso, now) ? "" : ESTIMATED;
  return { text: `剩余 ${days} 个工作日`, tone: days <= 1 ? "warning" : "ok", note };
}
