// History-API routing under /console/ (the gateway answers every such path with index.html).

const routes = [];
let leaveHooks = [];
let renderer = null;

/** route("/console/tickets/:id", page, {public: true}) */
export function route(pattern, page, options = {}) {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (_, name) => {
    names.push(name);
    return "([^/]+)";
  });
  routes.push({ regex: new RegExp(`^${source}/?$`), names, page, ...options });
}

export function match(pathname) {
  for (const r of routes) {
    const found = r.regex.exec(pathname);
    if (found) {
      const params = {};
      r.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1])));
      return { ...r, params };
    }
  }
  return null;
}

export function onLeave(hook) {
  leaveHooks.push(hook);
}

function leave() {
  for (const hook of leaveHooks) hook();
  leaveHooks = [];
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  render();
}

export function render() {
  leave();
  return renderer(location.pathname, new URLSearchParams(location.search));
}

/** Start: `draw(pathname, query)` renders a location; links marked data-link stay in the app. */
export function start(draw) {
  renderer = draw;
  window.addEventListener("popstate", render);
  document.addEventListener("click", (event) => {
    const a = event.target.closest && event.target.closest("a[data-link]");
    if (!a || event.ctrlKey || event.metaKey || event.shiftKey || a.target) return;
    event.preventDefault();
    navigate(a.getAttribute("href"));
  });
  return render();
}
