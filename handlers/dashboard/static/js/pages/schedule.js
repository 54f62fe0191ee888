// Schedule: upcoming posts and greetings with a preview, pause, resume and delete; a new post,
// its time in the words /schedule understands, with suggested times.
import { ask, datetime, h, modal, toast } from "../dom.js";

export async function render(ctx) {
  const { root, group, t, api, reload } = ctx;
  const data = await api.get(`g/${group.id}/schedule`);

  async function act(post, action) {
    if (action === "delete" && (await ask(t("dash-post-delete-confirm", { id: post.id }), { ok: t("dash-post-delete"), cancel: t("dash-cancel"), danger: true })) === null) return;
    try {
      await api.post(`g/${group.id}/schedule/${post.id}/${action}`);
      toast(t("dash-post-" + action + "d", { id: post.id }));
      reload();
    } catch (e) { toast(e.message); }
  }

  function preview(post) {
    modal(h("h2", {}, t("dash-post-preview", { id: post.id })),
      post.copy_of ? h("p", { class: "muted" }, t("dash-post-copy", { id: post.copy_of })) :
        h("div", { class: "bubble text", id: "preview" }, post.text));
  }

  const when = h("input", { id: "post-when", class: "grow", placeholder: t("dash-post-when-hint"), maxlength: 100 });
  const text = h("textarea", { id: "post-text", placeholder: t("dash-post-text-hint"), maxlength: 4000 });
  const error = h("p", { class: "error", id: "post-error" });
  const submit = h("button", { class: "primary", id: "post-create", type: "submit" }, t("dash-post-create"));
  // Best times to post when the group's activity says (one tap fills the time), else /schedule's
  // quick choices, with what the activity could not say.
  const best = data.best;
  const choices = best && best.choices.length ? [...best.choices, ...data.quick] : data.quick;
  const hours = best ? best.hours.map((x) => String(x).padStart(2, "0") + ":00").join(", ") : "";
  const note = !best ? t("dash-post-quick")
    : best.status === "ok" ? t("dash-post-best-hours", { hours, tz: best.tz, days: best.days })
    : best.status === "no_clear_peak" ? t("dash-post-best-no-peak", { days: best.days })
    : t("dash-post-best-none", { days: best.days, events: best.events, min_days: best.min_days, min_events: best.min_events });

  root.append(
    h("h2", {}, t("dash-nav-schedule")),
    h("p", { class: "muted" }, t("dash-timezone", { tz: data.timezone })),
    data.posts.length ? h("div", { class: "list", id: "posts" }, data.posts.map((p) =>
      h("div", { class: "item", dataset: { id: p.id } },
        h("div", { class: "title" }, p.paused ? "⏸ " : "▶️ ", `#${p.id} `, p.rule, p.label ? h("span", { class: "badge" }, t("dash-post-label", { label: p.label })) : null),
        h("div", { class: "meta" }, t("dash-post-next", { next: datetime(p.next) }), " · ", t("dash-post-runs", { runs: p.runs })),
        h("div", { class: "text" }, p.copy_of ? t("dash-post-copy", { id: p.copy_of }) : p.text.length > 140 ? p.text.slice(0, 140) + "…" : p.text),
        h("div", { class: "actions" },
          h("button", { class: "secondary", dataset: { act: "preview" }, onclick: () => preview(p) }, t("dash-post-preview-button")),
          h("button", { class: "secondary", dataset: { act: p.paused ? "resume" : "pause" }, onclick: () => act(p, p.paused ? "resume" : "pause") }, t(p.paused ? "dash-post-resume" : "dash-post-pause")),
          h("button", { class: "danger", dataset: { act: "delete" }, onclick: () => act(p, "delete") }, t("dash-post-delete")))))) :
      h("p", { class: "muted" }, t("dash-posts-none")),
    h("h3", {}, t("dash-post-new")),
    h("form", { class: "form", onsubmit: async (e) => {
      e.preventDefault();
      submit.disabled = true;
      error.textContent = "";
      try {
        await api.post(`g/${group.id}/schedule`, { when: when.value, text: text.value });
        toast(t("dash-post-created"));
        reload();
      } catch (err) {
        error.textContent = err.message;
        submit.disabled = false;
      }
    } },
      h("div", { class: "row" }, when),
      h("div", { class: "muted", id: "post-best" }, note),
      h("div", { class: "chips", id: "post-choices" }, choices.map((c, i) =>
        h("button", { type: "button", class: "chip" + (best && i < best.choices.length ? " on" : ""), dataset: { when: c },
          onclick: () => { when.value = c; } }, (best && i < best.choices.length ? "★ " : "") + c))),
      text, error, h("div", {}, submit)),
  );
}
