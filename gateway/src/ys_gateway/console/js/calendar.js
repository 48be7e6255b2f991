// The county's working-day calendar, as the services count deadlines: statutory holidays off,
// 调休 weekends worked (the gateway's /api/v1/public/calendar: county year files over the
// national calendar). Days are numbered from 1970-01-01 in Asia/Shanghai; outside the loaded
// range, and in years without holiday data, Monday–Friday is assumed (and said so).
import { publicGet } from "./api.js";

const SPAN_DAYS = 800; // the gateway's longest range
const BACK_DAYS = 366; // a year back for how late a case is; the rest ahead for what is left
const state = { first: null, last: null, off: new Set(), worked: new Set(), provisional: new Set() };
let loading = null;

export function dayNumberOf(isoDay) {
  const [y, m, d] = isoDay.split("-").map(Number);
  return Math.floor(Date.UTC(y, m - 1, d) / 86_400_000);
}

function isoDayOf(number) {
  return new Date(number * 86_400_000).toISOString().slice(0, 10);
}

function yearOf(number) {
  return new Date(number * 86_400_000).getUTCFullYear();
}

/** The calendar the page's clocks count on around `today` (YYYY-MM-DD): a year back (已超时 N 个
 * 工作日) and the rest of the gateway's range ahead (剩余 N 个工作日). */
export function loadClockCalendar(today) {
  return loadCalendar(isoDayOf(dayNumberOf(today) - BACK_DAYS));
}

/** Load the calendar from `fromDay` (YYYY-MM-DD) for the next SPAN_DAYS; once per page load. */
export function loadCalendar(fromDay, span = SPAN_DAYS) {
  const first = dayNumberOf(fromDay);
  if (state.first !== null && first >= state.first && first + span <= state.last) return Promise.resolve(state);
  if (loading && loading.first === first) return loading.promise;
  const to = isoDayOf(first + span);
  const promise = publicGet("/api/v1/public/calendar", { from: fromDay, to })
    .then((got) => {
      Object.assign(state, {
        first, last: first + span,
        off: new Set(got.days_off.map(dayNumberOf)),
        worked: new Set(got.working_weekends.map(dayNumberOf)),
        provisional: new Set(got.provisional_years),
      });
      return state;
    })
    .catch(() => state) // Monday–Friday until the next page tries again
    .finally(() => { loading = null; });
  loading = { first, promise };
  return promise;
}

/** Whether the calendar knows this day (loaded, in a year with holiday data). */
export function known(day) {
  return state.first !== null && day >= state.first && day <= state.last && !state.provisional.has(yearOf(day));
}

export function isWorkingDay(day) {
  if (state.off.has(day)) return false;
  if (state.worked.has(day)) return true;
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday (4)
  return weekday !== 0 && weekday !== 6;
}
