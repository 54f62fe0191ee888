// The audit log: who changed what, newest first.
import { datetime, h } from "../dom.js";

function details(d) {
  return Object.entries(d || {}).filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join(", ");
}

export async function render(ctx) {
  const { root, group, t, api } = ctx;
  const body = h("tbody");
  const more = h("button", { class: "secondary", id: "audit-more" }, t("dash-more"));
  let before = "";
  async function load() {
    const data = await api.get(`g/${group.id}/audit`, { before });
    body.append(...data.entries.map((e) => {
      const key = "dash-audit-" + e.action;
      const label = t(key);
      return h("tr", {},
        h("td", {}, datetime(e.at)), h("td", {}, e.actor),
        h("td", {}, label === key ? e.action : label),
        h("td", { class: "wrap" }, e.target ? e.target + " · " : "", details(e.details)));
    }));
    if (data.entries.length) before = String(data.entries[data.entries.length - 1].id);
    more.hidden = !data.more;
  }
  more.onclick = load;
  root.append(h("h2", {}, t("dash-nav-audit")),
    h("div", { class: "table-wrap" }, h("table", { id: "audit" },
      h("thead", {}, h("tr", {}, h("th", {}, t("dash-audit-when")), h("th", {}, t("dash-audit-who")), h("th", {}, t("dash-audit-what")), h("th", {}, t("dash-audit-details")))),
      body)), more);
  await load();
  if (!body.children.length) body.append(h("tr", {}, h("td", { colspan: 4, class: "muted" }, t("dash-empty"))));
}
