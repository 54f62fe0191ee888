// Members: the table is filtered (a segment selector such as dormant+tag:vip, too), searched,
// sorted and paged by the server (200,000 members); a row opens the member's card, where tags
// are added and removed; the CSV holds every member the current filter matches.
import { url } from "../api.js";
import { clear, datetime, debounce, h, modal, number, toast } from "../dom.js";

const SORTS = ["points", "checkins", "streak", "last_active", "joined", "lifetime"];
const STATES = ["present", "left", "all"];
const ACTIVITY = ["", "active7", "active30", "dormant30", "checked_today", "never_checked"];
const query = { q: "", f_selector: "", state: "present", activity: "", sort: "points", dir: "desc", page: 0, size: 50 };
let lastGroup = null;

function select(name, options, label) {
  const el = h("select", { id: "m-" + name, "aria-label": name, onchange: () => { query[name] = el.value; query.page = 0; render.refresh(); } },
    options.map((o) => h("option", { value: o }, label(o))));
  el.value = query[name];
  return el;
}

// A contributed column's value as text (stage, tier, risk and tags are words we translate).
function cell(t, key, value) {
  if (value === null || value === undefined) return h("td", { class: "muted" }, "—");
  if (key === "stage" || key === "tier") return h("td", {}, t(`dash-${key}-${value}`));
  if (key === "risk") return h("td", { class: "risk-" + value }, t("dash-risk-" + value));
  if (key === "tags") return h("td", { class: "wrap" }, value.map((tag) => h("span", { class: "badge" }, "#" + tag)));
  if (typeof value === "number") return h("td", { class: "num" }, number(value));
  return h("td", {}, String(value));
}

function tagEditor(ctx, id, tags) {
  const { t, api, group } = ctx;
  const list = h("div", { id: "card-tags" });
  const error = h("p", { class: "error", id: "card-tag-error" });
  function draw(current) {
    clear(list).append(...(current.length ? current.map((tag) =>
      h("span", { class: "tag", dataset: { tag } }, "#" + tag,
        h("button", { type: "button", title: t("dash-tag-remove", { tag }), "aria-label": t("dash-tag-remove", { tag }),
          onclick: async () => {
            try {
              const done = await api.post(`g/${group.id}/members/${id}/tags/remove`, { tag });
              draw(done.tags); toast(t("dash-tag-removed", { tag })); render.refresh();
            } catch (e) { error.textContent = e.message; }
          } }, "×"))) : [h("span", { class: "muted" }, t("dash-card-tags-none"))]));
  }
  draw(tags);
  const input = h("input", { id: "card-tag-input", class: "grow", placeholder: t("dash-tag-add-hint"), maxlength: 400 });
  const form = h("form", { class: "row", onsubmit: async (e) => {
    e.preventDefault();
    error.textContent = "";
    try {
      const done = await api.post(`g/${group.id}/members/${id}/tags`, { tags: input.value });
      input.value = ""; draw(done.tags); toast(t("dash-tag-added")); render.refresh();
    } catch (err) { error.textContent = err.message; }
  } }, input, h("button", { class: "primary", id: "card-tag-add", type: "submit" }, t("dash-tag-add")));
  return [h("h3", {}, t("dash-card-tags")), list, form, error];
}

async function openCard(ctx, id) {
  const { t, api, group } = ctx;
  const data = await api.get(`g/${group.id}/members/${id}`);
  const m = data.member;
  const s = data.segment;
  modal(
    h("h2", {}, m.name, m.username ? h("span", { class: "badge" }, "@" + m.username) : null),
    s ? h("p", { id: "card-segment", class: "risk-" + s.risk }, t("dash-card-segment", {
      stage: t("dash-stage-" + s.stage), tier: t("dash-tier-" + s.tier), risk: t("dash-risk-" + s.risk), days: s.active_days_30 })) : null,
    h("div", { class: "cards" },
      [["points", m.points], ["streak", m.streak], ["best_streak", m.best_streak], ["checkins", m.checkins], ["lifetime", m.lifetime]]
        .map(([k, v]) => h("div", { class: "card kpi" }, h("div", { class: "label" }, t("dash-col-" + k)), h("div", { class: "value" }, number(v))))),
    h("p", { class: "muted" },
      t("dash-card-dates", { joined: datetime(m.joined), active: datetime(m.last_active) }),
      m.left ? " · " + t("dash-card-left", { left: datetime(m.left) }) : ""),
    h("p", { class: "muted" }, "ID ", String(m.id)),
    s ? tagEditor(ctx, m.id, s.tags) : null,
    h("h3", {}, t("dash-card-ledger")),
    data.ledger.length ? h("div", { class: "table-wrap" }, h("table", {}, h("tbody", {}, data.ledger.map((e) =>
      h("tr", {}, h("td", {}, datetime(e.at)), h("td", { class: "num" }, (e.amount > 0 ? "+" : "") + e.amount), h("td", { class: "wrap" }, e.reason, e.note ? " · " + e.note : "")))))) : h("p", { class: "muted" }, t("dash-empty")),
    h("h3", {}, t("dash-card-redemptions")),
    data.redemptions.length ? h("ul", {}, data.redemptions.map((r) => h("li", {}, `#${r.id} `, r.reward, ` · ${r.cost} · `, t("dash-redemption-" + r.status), ` · ${datetime(r.at)}`))) : h("p", { class: "muted" }, t("dash-empty")),
  );
}

export async function render(ctx) {
  const { root, group, t, api } = ctx;
  if (lastGroup !== group.id) { query.page = 0; lastGroup = group.id; }
  const body = h("tbody");
  const status = h("span", { class: "muted", id: "m-total" });
  const pageInfo = h("span", { id: "m-page" });
  const prev = h("button", { class: "secondary", id: "m-prev", onclick: () => { query.page--; refresh(); } }, "‹");
  const next = h("button", { class: "secondary", id: "m-next", onclick: () => { query.page++; refresh(); } }, "›");
  const csv = h("a", { id: "m-csv", class: "chip", download: "" }, t("dash-members-csv"));
  const search = h("input", { id: "m-search", type: "search", class: "grow", placeholder: t("dash-members-search"), value: query.q,
    oninput: debounce(() => { query.q = search.value.trim(); query.page = 0; refresh(); }, 300) });
  const dir = h("button", { class: "secondary", id: "m-dir", title: t("dash-members-direction"),
    onclick: () => { query.dir = query.dir === "desc" ? "asc" : "desc"; dir.textContent = query.dir === "desc" ? "↓" : "↑"; refresh(); } },
    query.dir === "desc" ? "↓" : "↑");
  const selector = h("input", { id: "m-selector", class: "grow", placeholder: t("dash-members-selector"), value: query.f_selector,
    title: t("dash-members-selector-help"), maxlength: 200,
    oninput: debounce(() => { query.f_selector = selector.value.trim(); query.page = 0; refresh(); }, 400) });
  const selectorError = h("div", { id: "m-selector-error", class: "error" });
  let extra = [];
  const head = h("tr", {},
    h("th", {}, t("dash-col-name")), h("th", { class: "num" }, t("dash-col-points")),
    h("th", { class: "num" }, t("dash-col-streak")), h("th", { class: "num" }, t("dash-col-checkins")),
    h("th", {}, t("dash-col-last_active")), h("th", {}, t("dash-col-joined")));

  // A selector that does not parse: the message, and the selector with a mark where it failed.
  function showSelectorError(e) {
    const at = e.data && e.data.position;
    selector.classList.add("bad");
    clear(selectorError).append(h("div", {}, e.message));
    if (at && query.f_selector) {
      selectorError.append(h("pre", { class: "muted" }, query.f_selector + "\n" + " ".repeat(at - 1) + "^"));
      selector.setSelectionRange(at - 1, query.f_selector.length);
    }
    selectorError.append(h("div", { class: "muted" }, t("dash-members-selector-help")));
  }

  async function refresh() {
    const started = performance.now();
    let data;
    try {
      data = await api.get(`g/${group.id}/members`, query);
    } catch (e) {
      if (query.f_selector && e.status === 400) { showSelectorError(e); return; }
      throw e;
    }
    selector.classList.remove("bad");
    clear(selectorError);
    extra = data.columns;
    // Columns other features contribute (stage, tier, risk, tags…), headed by their own texts,
    // right after the name: on a phone they are what a segment is read by.
    head.querySelectorAll("th.extra").forEach((th) => th.remove());
    head.firstChild.after(...extra.map((c) => h("th", { class: "extra" }, t("dash-col-" + c))));
    const pages = Math.max(1, Math.ceil(data.total / data.size));
    clear(body).append(...data.rows.map((m) =>
      h("tr", { class: "link", dataset: { id: m.id }, onclick: () => openCard(ctx, m.id) },
        h("td", {}, m.name, m.username ? h("span", { class: "badge" }, "@" + m.username) : null),
        extra.map((c) => cell(t, c, m["x_" + c])),
        h("td", { class: "num" }, number(m.points)),
        h("td", { class: "num" }, number(m.streak)),
        h("td", { class: "num" }, number(m.checkins)),
        h("td", {}, datetime(m.last_active)),
        h("td", {}, datetime(m.joined)))));
    if (!data.rows.length) body.append(h("tr", {}, h("td", { colspan: 6 + extra.length, class: "muted" }, t("dash-members-none"))));
    status.textContent = t(data.exact ? "dash-members-total" : "dash-members-total-more", { total: number(data.total) });
    pageInfo.textContent = t("dash-page-of", { page: data.page + 1, pages: data.exact ? number(pages) : number(pages) + "+" });
    prev.disabled = data.page <= 0;
    next.disabled = data.rows.length < data.size;
    const { page, size, ...filter } = query;
    csv.href = url(`g/${group.id}/members.csv`, filter);
    root.dataset.loadedMs = String(Math.round(performance.now() - started));
  }
  render.refresh = refresh;

  root.append(
    h("h2", {}, t("dash-nav-members")),
    h("div", { class: "row" }, search),
    h("div", { class: "row" }, selector),
    selectorError,
    h("div", { class: "row" },
      select("state", STATES, (o) => t("dash-state-" + o)),
      select("activity", ACTIVITY, (o) => t("dash-activity-" + (o || "any"))),
      select("sort", SORTS, (o) => t("dash-sort", { column: t("dash-col-" + o) })),
      dir, csv),
    h("div", { class: "table-wrap" }, h("table", { id: "m-table" },
      h("thead", {}, head),
      body)),
    h("div", { class: "pager" }, status, prev, pageInfo, next),
  );
  await refresh();
}
