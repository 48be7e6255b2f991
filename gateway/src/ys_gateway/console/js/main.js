// The console: staff pages behind a login, public pages (rate, submit, track, disclosure).
import { h, replace } from "./dom.js";
import { loadDepartments } from "./directory.js";
import { loadClockCalendar } from "./calendar.js";
import { offerDrafts, saveDrafts } from "./drafts.js";
import { today } from "./format.js";
import { loading, errorBox, notFoundCard } from "./ui.js";
import { match, navigate, onLeave, route, start } from "./router.js";
import * as session from "./session.js";
import { header } from "./pages/chrome.js";
import * as login from "./pages/login.js";
import { homePage } from "./pages/home.js";
import { ticketPage } from "./pages/ticket.js";
import { TICKETS_PAGE, ticketsPage } from "./pages/tickets.js";
import { applicationPage } from "./pages/application.js";
import { complaintPage } from "./pages/complaint.js";
import { NEW_COMPLAINT_PAGE, newComplaintPage } from "./pages/complaint-new.js";
import { COMPLAINTS_STATS_PAGE, complaintsStatsPage } from "./pages/complaints-stats.js";
import { VISITS_STATS_PAGE, visitsStatsPage } from "./pages/visits-stats.js";
import { rectificationPage } from "./pages/rectification.js";
import { problemFormPage, problemPage } from "./pages/problem.js";
import { enterprisesPage } from "./pages/enterprises.js";
import { enterprisePage } from "./pages/enterprise.js";
import { pairingPage } from "./pages/pairing.js";
import { visitFormPage, visitPage } from "./pages/visit.js";
import { dutyPage, shiftPage } from "./pages/duty.js";
import { indicatorPage, indicatorsPage } from "./pages/indicators.js";
import { meetingFormPage, meetingPage, meetingsPage } from "./pages/meetings.js";
import { findingPage } from "./pages/finding.js";
import { bulletinPage } from "./pages/bulletin.js";
import { STATS_PAGE, hotlineStatsPage } from "./pages/hotline-stats.js";
import { APPROVALS_STATS_PAGE, approvalsStatsPage } from "./pages/approvals-stats.js";
import { escalationsPage } from "./pages/escalations.js";
import { ratingPage, ratingsPage } from "./pages/ratings.js";
import { appealPage, appealsPage } from "./pages/appeals.js";
import { inspectionPage, inspectionsPage } from "./pages/inspections.js";
import { enforcementPage } from "./pages/enforcement.js";
import { holidaysPage } from "./pages/holidays.js";
import { knowledgeEntryPage, knowledgePage } from "./pages/knowledge.js";
import { cataloguePage, categoryPage } from "./pages/catalogue.js";
import { itemAdminPage, itemsAdminPage } from "./pages/approvals-catalogue.js";
import { packageAdminPage, packagesAdminPage } from "./pages/approvals-packages.js";
import { disclosureAdminPage } from "./pages/approvals-disclosure.js";
import { portalPage } from "./pages/public/portal.js";
import { ratePage, kioskPage } from "./pages/public/rate.js";
import { PAD_PAGE, padPage } from "./pages/public/pad.js";
import { hotlineFormPage } from "./pages/public/hotline.js";
import { complaintFormPage } from "./pages/public/complaint.js";
import { trackPage } from "./pages/public/track.js";
import { catalogPage, itemPage } from "./pages/public/catalog.js";
import { disclosurePage } from "./pages/public/disclosure.js";
import { PASSWORD_PAGE, mustChangePassword, passwordPage } from "./pages/password.js";
import { adminUsersPage } from "./pages/admin-users.js";
import { adminClientsPage } from "./pages/admin-clients.js";

const PUBLIC = { public: true };
route("/console", portalPage, PUBLIC);
route("/console/public", portalPage, PUBLIC);
route("/console/login", login.loginPage, { public: true, bare: true });
route("/console/public/rate/:token", ratePage, { public: true, bare: true });
route("/console/public/kiosk", kioskPage, { public: true, bare: true });
route(PAD_PAGE, padPage, { public: true, bare: true }); // signs in as the window's client
route("/console/public/hotline", hotlineFormPage, PUBLIC);
route("/console/public/complaint", complaintFormPage, PUBLIC);
route("/console/public/track", trackPage, PUBLIC);
route("/console/public/catalog", catalogPage, PUBLIC);
route("/console/public/catalog/:ref", itemPage, PUBLIC);
route("/console/public/disclosure", disclosurePage, PUBLIC);
route("/console/positions", login.positionsPage, { bare: true, anyPosition: true });
route("/console/home", homePage);
route(TICKETS_PAGE, ticketsPage);
route("/console/tickets/:id", ticketPage);
route("/console/applications/:id", applicationPage);
route(NEW_COMPLAINT_PAGE, newComplaintPage); // before complaints/:id
route("/console/complaints/:id", complaintPage);
route("/console/rectifications/:id", rectificationPage);
route("/console/problems/new", problemFormPage); // before problems/:id: the first match wins
route("/console/problems/:id", problemPage);
route("/console/enterprises", enterprisesPage);
route("/console/enterprises/:id", enterprisePage);
route("/console/pairings/:id", pairingPage);
route("/console/visits/new", visitFormPage);
route("/console/visits/:id", visitPage);
route("/console/duty", dutyPage);
route("/console/duty/:id", shiftPage);
route("/console/indicators", indicatorsPage);
route("/console/indicators/:code", indicatorPage);
route("/console/meetings", meetingsPage);
route("/console/meetings/new", meetingFormPage); // before meetings/:id
route("/console/meetings/:id", meetingPage);
route("/console/findings/:id", findingPage);
route("/console/bulletin", bulletinPage);
route(STATS_PAGE, hotlineStatsPage);
route(APPROVALS_STATS_PAGE, approvalsStatsPage);
route(COMPLAINTS_STATS_PAGE, complaintsStatsPage);
route(VISITS_STATS_PAGE, visitsStatsPage);
route("/console/escalations", escalationsPage);
route("/console/ratings", ratingsPage);
route("/console/ratings/:id", ratingPage);
route("/console/appeals", appealsPage);
route("/console/appeals/:id", appealPage);
route("/console/inspections", inspectionsPage);
route("/console/inspections/:id", inspectionPage);
route("/console/enforcement", enforcementPage);
route("/console/calendar", holidaysPage);
route("/console/knowledge", knowledgePage);
route("/console/knowledge/:id", knowledgeEntryPage);
route("/console/catalogue", cataloguePage);
route("/console/catalogue/:code", categoryPage);
route("/console/approvals/items", itemsAdminPage);
route("/console/approvals/items/:ref", itemAdminPage);
route("/console/approvals/packages", packagesAdminPage);
route("/console/approvals/packages/:code", packageAdminPage);
route("/console/approvals/disclosure", disclosureAdminPage);
route(PASSWORD_PAGE, passwordPage, { anyPosition: true, passwordChange: true });
route("/console/admin/users", adminUsersPage);
route("/console/admin/clients", adminClientsPage);

const root = document.getElementById("app");

function notFound(main) {
  replace(main, notFoundCard("页面不存在"));
}

/** Where a staff page sends a visitor who is not (or no longer) ready for it. */
function gate(found) {
  if (found.public) return null;
  if (!session.signedIn()) return `/console/login?next=${encodeURIComponent(location.pathname + location.search)}`;
  if (mustChangePassword() && !found.passwordChange) return PASSWORD_PAGE; // nothing else until then
  if (!found.anyPosition && !session.position()) return "/console/positions";
  return null;
}

/** The header again, now that units have their names: what is being typed in its search box
 * (a number read out while the page loads) stays, with the caret. */
function redrawHeader(top, fresh) {
  const typing = top.querySelector("form.lookup");
  const blank = fresh.querySelector("form.lookup");
  const focused = typing && typing.contains(document.activeElement) ? document.activeElement : null;
  if (typing && blank) blank.replaceWith(typing);
  top.replaceWith(fresh);
  if (focused) focused.focus();
}

async function draw(pathname, query) {
  const found = match(pathname);
  const redirect = found ? gate(found) : null;
  if (redirect) return navigate(redirect, { replace: true });
  const main = h("main", { id: "main", tabindex: "-1" }, loading());
  const top = found && found.bare ? null : header(found ? found.public : true);
  replace(root, top, main);
  // the footer's API docs and event catalogue are for staff, not for the public portal's visitors
  for (const el of document.querySelectorAll("footer .staff-only")) el.hidden = !session.signedIn();
  if (!found) return notFound(main);
  if (!found.public && !found.bare) offerDrafts();
  try {
    await Promise.all([loadDepartments(), loadClockCalendar(today())]);
    if (top && top.isConnected) redrawHeader(top, header(found.public)); // the position by its unit's name
    await found.page({ main, params: found.params, query, onLeave });
  } catch (error) {
    replace(main, errorBox(error, () => draw(pathname, query)));
  }
  document.title = `${main.dataset.title || "控制台"} · 营商环境服务平台`;
}

// A staff page: keep its forms' drafts, and come back to it after signing in again.
session.onExpire((message, user) => {
  if ((match(location.pathname) || {}).public) return;
  saveDrafts(user);
  navigate(`/console/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
});
session.resume();
start(draw);
