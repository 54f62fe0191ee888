// Rewards: the catalogue with stock, codes and photos; add and edit (checked by the same rules
// as /reward_add and /reward_edit); pending redemptions to approve or reject.
import { ask, datetime, h, modal, number, toast } from "../dom.js";

function form(ctx, reward, modes, done) {
  const { t, api, group } = ctx;
  const r = reward || { name: "", description: "", cost: "", stock: null, limit: null, level: 1, mode: "auto" };
  const fields = {
    name: h("input", { name: "name", value: r.name, maxlength: 64, required: true }),
    desc: h("textarea", { name: "desc", maxlength: 500 }, r.description),
    cost: h("input", { name: "cost", type: "number", min: 1, value: r.cost }),
    stock: h("input", { name: "stock", value: r.stock === null ? "" : r.stock, placeholder: t("dash-reward-unlimited") }),
    limit: h("input", { name: "limit", type: "number", min: 0, value: r.limit || 0 }),
    level: h("input", { name: "level", type: "number", min: 1, value: r.level }),
    mode: h("select", { name: "mode" }, modes.map((m) => h("option", { value: m }, t("dash-reward-mode-" + m)))),
  };
  fields.mode.value = r.mode;
  const error = h("p", { class: "error", id: "reward-error" });
  const save = h("button", { class: "primary", type: "submit", id: "reward-save" }, t("dash-save"));
  const box = modal(
    h("h2", {}, reward ? t("dash-reward-edit", { number: r.number }) : t("dash-reward-add")),
    h("form", { class: "form", onsubmit: async (e) => {
      e.preventDefault();
      save.disabled = true;
      error.textContent = "";
      const body = Object.fromEntries(Object.entries(fields).map(([k, el]) => [k, el.value.trim()]));
      if (!body.stock) body.stock = "unlimited";
      try {
        if (reward) await api.post(`g/${group.id}/rewards/${r.number}`, body);
        else await api.post(`g/${group.id}/rewards`, body);
        box.close();
        toast(t("dash-saved"));
        done();
      } catch (err) {
        error.textContent = err.message;
        save.disabled = false;
      }
    } },
      h("label", {}, t("dash-reward-name"), fields.name),
      h("label", {}, t("dash-reward-description"), fields.desc),
      h("div", { class: "row" },
        h("label", { class: "grow" }, t("dash-reward-cost"), fields.cost),
        h("label", { class: "grow" }, t("dash-reward-stock"), fields.stock)),
      h("div", { class: "row" },
        h("label", { class: "grow" }, t("dash-reward-limit"), fields.limit),
        h("label", { class: "grow" }, t("dash-reward-level"), fields.level),
        h("label", { class: "grow" }, t("dash-reward-mode"), fields.mode)),
      error, save),
  );
}

export async function render(ctx) {
  const { root, group, t, api, reload } = ctx;
  const data = await api.get(`g/${group.id}/rewards`);

  async function decide(p, approve) {
    const reason = approve
      ? await ask(t("dash-approve-confirm", { id: p.id, name: p.name, reward: p.reward }), { ok: t("dash-approve"), cancel: t("dash-cancel") })
      : await ask(t("dash-reject-reason", { id: p.id }), { ok: t("dash-reject"), cancel: t("dash-cancel"), input: true, danger: true });
    if (reason === null) return;
    try {
      await api.post(`g/${group.id}/redemptions/${p.id}/${approve ? "approve" : "reject"}`, approve ? {} : { reason });
      toast(t(approve ? "dash-approved" : "dash-rejected", { id: p.id }));
      reload();
    } catch (e) { toast(e.message); }
  }

  async function toggle(r) {
    try {
      await api.post(`g/${group.id}/rewards/${r.number}`, { enabled: !r.enabled });
      reload();
    } catch (e) { toast(e.message); }
  }

  root.append(
    h("div", { class: "row" }, h("h2", { class: "grow" }, t("dash-nav-rewards")),
      h("button", { class: "primary", id: "reward-add", onclick: () => form(ctx, null, data.modes, reload) }, t("dash-reward-add"))),
    h("h3", {}, t("dash-pending", { count: data.pending.length })),
    data.pending.length ? h("div", { class: "list", id: "pending" }, data.pending.map((p) =>
      h("div", { class: "item", dataset: { id: p.id } },
        h("div", { class: "title" }, `#${p.id} · `, p.reward),
        h("div", { class: "meta" }, p.name, ` · ${number(p.cost)} · ${datetime(p.at)}`),
        h("div", { class: "actions" },
          h("button", { class: "primary", dataset: { act: "approve" }, onclick: () => decide(p, true) }, t("dash-approve")),
          h("button", { class: "danger", dataset: { act: "reject" }, onclick: () => decide(p, false) }, t("dash-reject")))))) :
      h("p", { class: "muted" }, t("dash-pending-none")),
    h("h3", {}, t("dash-catalogue")),
    data.rewards.length ? h("div", { class: "list", id: "catalogue" }, data.rewards.map((r) =>
      h("div", { class: "item", dataset: { number: r.number } },
        r.photo ? h("img", { class: "thumb", alt: "", loading: "lazy", src: `api/g/${group.id}/rewards/${r.number}/photo` }) : null,
        h("div", { class: "title" }, `#${r.number} `, r.name, r.enabled ? null : h("span", { class: "badge" }, t("dash-reward-off"))),
        r.description ? h("div", { class: "text" }, r.description) : null,
        h("div", { class: "meta" },
          t("dash-reward-line", { cost: number(r.cost), stock: r.stock === null ? t("dash-reward-unlimited") : number(r.stock), mode: t("dash-reward-mode-" + r.mode) }),
          r.free_codes !== null ? " · " + t("dash-reward-codes", { free: number(r.free_codes) }) : "",
          r.limit ? " · " + t("dash-reward-limit-line", { limit: r.limit }) : "",
          r.level > 1 ? " · " + t("dash-reward-level-line", { level: r.level }) : ""),
        h("div", { class: "actions" },
          h("button", { class: "secondary", dataset: { act: "edit" }, onclick: () => form(ctx, r, data.modes, reload) }, t("dash-edit")),
          h("button", { class: "secondary", dataset: { act: "toggle" }, onclick: () => toggle(r) }, t(r.enabled ? "dash-disable" : "dash-enable")))))) :
      h("p", { class: "muted" }, t("dash-rewards-none")),
  );
}
