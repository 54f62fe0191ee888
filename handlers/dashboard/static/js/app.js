// The dashboard's shell: log-in with Telegram's initData, the group picker, the navigation,
// and the page modules (pages/<name>.js, each exporting render(ctx)).
import { api, ApiError, setSession } from "./api.js";
import { clear, h, toast } from "./dom.js";

const tg = window.Telegram && window.Telegram.WebApp;
const main = document.getElementById("main");
const nav = document.getElementById("nav");
const picker = document.getElementById("group");
const THEME = {
  bg_color: "--bg", text_color: "--text", hint_color: "--hint", link_color: "--link",
  button_color: "--button", button_text_color: "--button-text",
  secondary_bg_color: "--secondary-bg", destructive_text_color: "--danger",
};

function applyTheme() {
  const params = (tg && tg.themeParams) || {};
  for (const [key, variable] of Object.entries(THEME)) {
    if (/^#[0-9a-f]{3,8}$/i.test(params[key] || "")) {
      document.documentElement.style.setProperty(variable, params[key]);
    }
  }
}

let texts = {};
export function t(key, args) {
  const pattern = texts[key];
  if (pattern === undefined) return key;
  return pattern.replace(/\{(\w+)\}/g, (m, name) => (args && name in args ? String(args[name]) : m));
}

async function logIn() {
  if (!tg || !tg.initData) return false;
  try {
    const me = await fetch("api/session", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ init_data: tg.initData }),
    });
    const data = await me.json();
    if (!me.ok) throw new ApiError(me.status, data.error);
    start.me = data;
    setSession(data.csrf, logIn);
    return true;
  } catch (e) {
    start.error = e.message;
    return false;
  }
}

function fatal(message) {
  clear(nav);
  clear(main).append(h("div", { class: "center", id: "fatal" }, h("p", { class: "error" }, message)));
}

const state = { me: null, groups: [], group: null, page: "overview" };

function remember() {
  const q = new URLSearchParams(location.search);
  q.set("group", state.group.id);
  q.set("page", state.page);
  history.replaceState(null, "", location.pathname + "?" + q.toString());
}

async function show(page) {
  state.page = page;
  remember();
  for (const b of nav.children) b.classList.toggle("on", b.dataset.page === page);
  clear(main).append(h("p", { class: "muted" }, t("dash-loading")));
  const root = h("section", { id: "page-" + page });
  try {
    const module = await import(`./pages/${page}.js`);
    await module.render({ root, group: state.group, t, api, reload: () => show(page), me: state.me });
    clear(main).append(root);
  } catch (e) {
    clear(main).append(h("p", { class: "error", id: "page-error" }, e.message || String(e)));
  }
}

async function start() {
  applyTheme();
  if (tg) {
    tg.ready();
    tg.expand();
    tg.onEvent("themeChanged", applyTheme);
  }
  // Opened from Telegram: log in with what it signed (once per load; a cookie of someone else's
  // session in this browser is replaced). Without initData, the session cookie may still hold.
  let me = null;
  if (tg && tg.initData) {
    if (!(await logIn())) {
      fatal(start.error);
      return;
    }
    me = start.me;
  } else {
    try {
      me = await api.get("me");
      setSession(me.csrf, logIn);
    } catch (e) {
      fatal(e.message);
      return;
    }
  }
  state.me = me;
  texts = me.texts;
  document.documentElement.lang = me.language;
  document.title = t("dash-title");
  document.getElementById("who").textContent = me.user.name;
  const { groups } = await api.get("groups");
  state.groups = groups;
  if (!groups.length) {
    fatal(t("dash-no-groups"));
    return;
  }
  const q = new URLSearchParams(location.search);
  const wanted = q.get("group") || localStorage.getItem("dash-group");
  state.group = groups.find((g) => g.id === wanted) || groups[0];
  clear(picker).append(...groups.map((g) => h("option", { value: g.id }, g.title)));
  picker.value = state.group.id;
  picker.hidden = false;
  picker.onchange = () => {
    state.group = groups.find((g) => g.id === picker.value);
    localStorage.setItem("dash-group", state.group.id);
    show(state.page);
  };
  clear(nav).append(...me.pages.map((p) =>
    h("button", { dataset: { page: p }, onclick: () => show(p) }, t("dash-nav-" + p))));
  const page = me.pages.includes(q.get("page")) ? q.get("page") : me.pages[0];
  await show(page);
}

window.addEventListener("unhandledrejection", (e) => toast(String(e.reason && e.reason.message || e.reason)));
start();
