// Campaigns: the group's campaigns with their progress (pause, resume, cancel), a campaign's
// report by arm with the chat report's verdict and its CSV, and the audience builder: a
// selector with the live count as the admin types, the message, a button, preview, Confirm.
// Every rule is the server's (the same use cases as /campaign).
import { url } from "../api.js";
import { ask, clear, datetime, debounce, h, modal, number, toast } from "../dom.js";

const pct = (x) => (x === null || x === undefined ? "–" : (x * 100).toFixed(1) + "%");

export async function render(ctx) {
  const { root, group, t, api, reload } = ctx;
  const data = await api.get(`g/${group.id}/campaigns`);

  async function act(c, action) {
    if (action === "cancel" && (await ask(t("dash-campaign-cancel-confirm", { number: c.number }),
      { ok: t("dash-campaign-cancel"), cancel: t("dash-cancel"), danger: true })) === null) return;
    try {
      await api.post(`g/${group.id}/campaigns/${c.id}/${action}`);
      toast(t("dash-campaign-" + action + "-done", { number: c.number }));
      reload();
    } catch (e) { toast(e.message); }
  }

  function progress(c) {
    const share = c.total ? Math.min(100, Math.round((c.done / c.total) * 100)) : 0;
    return [
      h("div", { class: "progress" }, h("div", { style: `width:${share}%` })),
      h("div", { class: "meta progress-line" },
        t("dash-campaign-progress", { sent: number(c.sent), total: number(c.total), blocked: number(c.blocked), skipped: number(c.skipped) }),
        c.unknown ? [" · ", t("dash-campaign-unknown", { unknown: number(c.unknown) })] : null,
        c.waiting_until ? [" · ", h("span", { class: "waiting" }, t("dash-campaign-waiting", { until: datetime(c.waiting_until) }))] : null),
    ];
  }

  async function showReport(c) {
    let r;
    try { r = await api.get(`g/${group.id}/campaigns/${c.number}/report`); } catch (e) { toast(e.message); return; }
    const arm = (name, a) => h("tr", { dataset: { arm: name } },
      h("td", {}, t("dash-campaign-arm-" + name)), h("td", {}, number(a.members)), h("td", {}, number(a.count)),
      h("td", {}, pct(a.rate)), h("td", { class: "muted" }, a.rate === null ? "–" : `${pct(a.low)} – ${pct(a.high)}`));
    modal(
      h("h2", {}, t("dash-campaign-report-title", { number: c.number }), " ", h("span", { class: "badge" }, r.campaign.status_text)),
      h("p", { class: "muted" }, t("dash-campaign-report-window", { first: r.window.first, last: r.window.last, days: r.window.days, of: r.window.of })),
      h("div", { class: "table-wrap" }, h("table", { id: "campaign-arms" },
        h("thead", {}, h("tr", {}, ["arm", "members", "active", "rate", "ci"].map((k) => h("th", {}, t("dash-campaign-col-" + k))))),
        h("tbody", {}, arm("treated", r.treated), arm("holdout", r.holdout)))),
      h("div", { id: "campaign-verdict" }, r.verdict.map((line) => h("p", { class: "verdict" }, line))),
      r.claims ? h("p", { id: "campaign-claims" }, t("dash-campaign-claims", { count: number(r.treated.claims.count), members: number(r.treated.claims.members), rate: pct(r.treated.claims.rate), low: pct(r.treated.claims.low), high: pct(r.treated.claims.high) })) : null,
      h("p", {}, h("a", { class: "chip", id: "campaign-csv", download: "", href: url(r.csv) }, t("dash-campaign-csv"))),
    );
  }

  const list = data.campaigns.length ? h("div", { class: "list", id: "campaigns" }, data.campaigns.map((c) =>
    h("div", { class: "item", dataset: { id: c.id, number: c.number, status: c.status } },
      h("div", { class: "title" }, `#${c.number ?? "–"} `, c.kind_text, " ", h("span", { class: "badge" }, c.status_text)),
      h("div", { class: "meta" }, h("code", {}, c.selector), " · ", t("dash-campaign-audience", { audience: number(c.audience), holdout: number(c.holdout) }), " · ", datetime(c.start)),
      progress(c),
      c.text ? h("div", { class: "text" }, c.text.length > 140 ? c.text.slice(0, 140) + "…" : c.text) : null,
      h("div", { class: "actions" },
        c.number ? h("button", { class: "secondary", dataset: { act: "report" }, onclick: () => showReport(c) }, t("dash-campaign-report")) : null,
        c.actions.map((a) => h("button", { class: a === "cancel" ? "danger" : "secondary", dataset: { act: a }, onclick: () => act(c, a) }, t("dash-campaign-" + a)))))))
    : h("p", { class: "muted" }, t("dash-campaigns-none"));

  // ---- the audience builder ----------------------------------------------------------------
  const selector = h("input", { id: "c-selector", class: "grow", placeholder: "dormant+tag:vip", maxlength: 500, autocomplete: "off" });
  const selectorError = h("div", { id: "c-selector-error", class: "error" });
  const live = h("div", { id: "c-count", class: "muted" }, t("dash-campaign-count-hint"));
  let asked = 0;
  async function countNow() {
    const value = selector.value.trim();
    const mine = ++asked;
    clear(selectorError);
    selector.classList.remove("bad");
    if (!value) { live.textContent = t("dash-campaign-count-hint"); return; }
    live.textContent = t("dash-campaign-counting");
    try {
      const n = await api.get(`g/${group.id}/campaigns/count`, { selector: value });
      if (mine !== asked) return;  // a later keystroke's answer wins
      live.textContent = t("dash-campaign-count", { audience: number(n.audience), reachable: number(n.reachable), holdout: number(n.holdout), percent: n.holdout_percent });
    } catch (e) {
      if (mine !== asked) return;
      live.textContent = "";
      selector.classList.add("bad");
      selectorError.append(h("div", {}, e.message));
      const at = e.data && e.data.position;
      if (at) selectorError.append(h("pre", { class: "muted" }, value + "\n" + " ".repeat(at - 1) + "^"));
    }
  }
  selector.addEventListener("input", debounce(countNow, 350));

  const message = h("textarea", { id: "c-text", placeholder: t("dash-campaign-text-hint"), maxlength: 4000 });
  const button = h("select", { id: "c-button" }, ["none", "claim", "link"].map((b) => h("option", { value: b }, t("dash-campaign-button-" + b))));
  const points = h("input", { id: "c-points", type: "number", min: 1, placeholder: t("dash-campaign-points"), hidden: true });
  const link = h("input", { id: "c-url", type: "url", placeholder: "https://…", hidden: true, maxlength: 500 });
  button.addEventListener("change", () => { points.hidden = button.value !== "claim"; link.hidden = button.value !== "link"; });
  const error = h("p", { class: "error", id: "c-error" });
  const previewButton = h("button", { class: "primary", id: "c-preview", type: "submit" }, t("dash-campaign-preview"));

  function showPreview(p) {
    const confirm = h("button", { class: "primary", id: "c-confirm" }, t("dash-campaign-confirm"));
    const note = h("p", { class: "error", id: "c-confirm-error" });
    const box = modal(
      h("h2", {}, t("dash-campaign-preview-title")),
      h("p", { id: "c-preview-counts" }, t("dash-campaign-count", { audience: number(p.audience), reachable: number(p.reachable), holdout: number(p.holdout), percent: p.holdout_percent })),
      h("p", { class: "muted" }, t("dash-campaign-reach-detail", { unreachable: number(p.unreachable), opted_out: number(p.opted_out), capped: number(p.capped) })),
      h("div", { class: "bubble text", id: "c-sample" }, p.sample),
      h("p", { class: "muted" }, p.button),
      h("p", { class: "muted" }, t("dash-campaign-at-most-once")),
      note,
      h("div", { class: "actions" }, confirm),
    );
    confirm.addEventListener("click", async () => {
      confirm.disabled = true;
      try {
        const r = await api.post(`g/${group.id}/campaigns/${p.id}/confirm`);
        toast(t("dash-campaign-confirmed", { number: r.campaign.number }));
        box.close();
        reload();
      } catch (e) { note.textContent = e.message; }
    });
  }

  root.append(
    h("h2", {}, t("dash-nav-campaigns")),
    list,
    h("h3", {}, t("dash-campaign-new")),
    h("form", { class: "form", onsubmit: async (e) => {
      e.preventDefault();
      previewButton.disabled = true;
      error.textContent = "";
      try {
        const p = await api.post(`g/${group.id}/campaigns/preview`, {
          selector: selector.value, text: message.value, button: button.value, points: points.value, url: link.value,
        });
        showPreview(p);
      } catch (err) {
        error.textContent = err.message;
      } finally { previewButton.disabled = false; }
    } },
      h("label", { class: "muted", for: "c-selector" }, t("dash-campaign-selector")),
      h("div", { class: "row" }, selector), selectorError, live,
      h("label", { class: "muted", for: "c-text" }, t("dash-campaign-text")),
      message,
      h("div", { class: "row" }, button, points, link),
      error, h("div", {}, previewButton)),
  );
}
