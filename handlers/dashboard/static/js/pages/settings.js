// Settings: every section the features declare, changed through the same rules as /settings
// (a refused value gets the same message as in the chat).
import { h } from "../dom.js";

function setting(ctx, spec) {
  const { t, api, group } = ctx;
  const shown = h("span", { class: "muted", dataset: { role: "shown" } }, spec.shown);
  const message = h("div", { class: "message", dataset: { role: "message" } });
  const input = h("input", { class: "grow", value: spec.value, "aria-label": spec.label, maxlength: 2000, placeholder: spec.hint });
  const save = async (value) => {
    message.className = "message";
    message.textContent = "…";
    try {
      const done = await api.post(`g/${group.id}/settings`, { key: spec.key, value });
      input.value = done.value;
      shown.textContent = done.shown;
      for (const chip of row.querySelectorAll(".chip")) chip.classList.toggle("on", chip.dataset.value === done.value);
      message.textContent = "✓ " + done.message;
    } catch (e) {
      message.className = "message error";
      message.textContent = e.message;
    }
  };
  const row = h("div", { class: "setting", dataset: { key: spec.key } },
    h("span", { class: "label" }, spec.label), shown,
    h("div", { class: "controls" },
      spec.choices.length ? h("div", { class: "chips" }, spec.choices.map((c) =>
        h("button", { class: "chip" + (c.value === spec.value ? " on" : ""), dataset: { value: c.value }, onclick: () => save(c.value) }, c.label))) : null,
      input, h("button", { class: "primary", dataset: { role: "save" }, onclick: () => save(input.value) }, t("dash-save"))),
    message);
  return row;
}

export async function render(ctx) {
  const { root, group, t, api } = ctx;
  const data = await api.get(`g/${group.id}/settings`);
  root.append(h("h2", {}, t("dash-nav-settings")), h("p", { class: "muted" }, t("dash-settings-note")));
  for (const section of data.sections) {
    root.append(h("h3", {}, section.title), ...section.specs.map((spec) => setting(ctx, spec)));
  }
}
