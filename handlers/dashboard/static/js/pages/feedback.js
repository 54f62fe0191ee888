// Feedback: the inbox (status, category, priority), an item's thread with a reply that reaches
// the member as from /inbox, and the latest surveys' results.
import { clear, datetime, h, modal, number, toast } from "../dom.js";

const filter = { status: "", category: "" };

async function open(ctx, id, meta) {
  const { t, api, group, reload } = ctx;
  const data = await api.get(`g/${group.id}/feedback/${id}`);
  const item = data.item;
  const status = h("select", { id: "fb-status" }, meta.statuses.map((s) => h("option", { value: s }, t("dash-fb-status-" + s))));
  status.value = item.status;
  const priority = h("select", { id: "fb-priority" }, meta.priorities.map((p) => h("option", { value: p }, t("dash-fb-priority-" + p))));
  priority.value = String(item.priority);
  const text = h("textarea", { id: "fb-reply", maxlength: 2000, placeholder: t("dash-fb-reply-hint") });
  const error = h("p", { class: "error", id: "fb-error" });
  const send = h("button", { class: "primary", id: "fb-send" }, t("dash-fb-send"));
  const thread = h("div", { class: "thread", id: "fb-thread" });
  const draw = (lines) => clear(thread).append(...lines.map((l) =>
    h("div", { class: "bubble " + l.role }, h("div", { class: "who" }, l.name, " · ", datetime(l.at)), h("div", { class: "text" }, l.text))));
  draw(data.thread);
  const changed = async (path, body) => {
    try {
      await api.post(`g/${group.id}/feedback/${id}/${path}`, body);
      toast(t("dash-saved"));
    } catch (e) { toast(e.message); }
  };
  status.onchange = () => changed("status", { status: status.value });
  priority.onchange = () => changed("priority", { priority: Number(priority.value) });
  send.onclick = async () => {
    send.disabled = true;
    error.textContent = "";
    try {
      await api.post(`g/${group.id}/feedback/${id}/reply`, { text: text.value });
      text.value = "";
      draw((await api.get(`g/${group.id}/feedback/${id}`)).thread);
      toast(t("dash-fb-sent"));
    } catch (e) { error.textContent = e.message; }
    send.disabled = false;
  };
  const box = modal(
    h("h2", {}, `#${item.number} · `, item.name),
    h("p", { class: "muted" }, t("dash-fb-cat-" + item.category), " · ", datetime(item.at)),
    h("div", { class: "row" }, status, priority),
    thread, text, error, h("div", { class: "row" }, send));
  box.box.addEventListener("close", reload);
}

function survey(t, s) {
  const max = Math.max(1, ...Object.values(s.distribution));
  return h("div", { class: "item" },
    h("div", { class: "title" }, `#${s.number} · `, s.question, s.closed ? h("span", { class: "badge" }, t("dash-survey-closed")) : null),
    h("div", { class: "meta" }, t("dash-survey-responses", { count: number(s.responses) }), " · ",
      s.nps !== null ? t("dash-survey-nps", { nps: s.nps }) : t("dash-survey-average", { average: s.average })),
    s.responses ? h("div", { class: "bars" }, Object.entries(s.distribution).map(([score, n]) =>
      h("div", { class: "row" }, h("span", { style: "width: 2em" }, score),
        h("div", { class: "grow" }, h("div", { class: "bar", style: `width: ${Math.max(2, 100 * n / max)}%` })),
        h("span", { class: "muted" }, String(n))))) :
      h("p", { class: "muted" }, t("dash-survey-no-answers")));
}

export async function render(ctx) {
  const { root, group, t, api, reload } = ctx;
  const data = await api.get(`g/${group.id}/feedback`, filter);
  const pick = (name, values, label) => {
    const el = h("select", { id: "fb-filter-" + name, onchange: () => { filter[name] = el.value; reload(); } },
      h("option", { value: "" }, t("dash-fb-any-" + name)), values.map((v) => h("option", { value: v }, label(v))));
    el.value = filter[name];
    return el;
  };
  root.append(
    h("h2", {}, t("dash-nav-feedback")),
    h("div", { class: "row" },
      pick("status", data.statuses, (s) => t("dash-fb-status-" + s)),
      pick("category", data.categories, (c) => t("dash-fb-cat-" + c))),
    data.items.length ? h("div", { class: "list", id: "fb-items" }, data.items.map((i) =>
      h("div", { class: "item link", dataset: { id: i.id }, onclick: () => open(ctx, i.id, data) },
        h("div", { class: "title" }, `#${i.number} · `, i.name,
          h("span", { class: "badge" }, t("dash-fb-status-" + i.status)),
          h("span", { class: "badge" }, t("dash-fb-cat-" + i.category)),
          h("span", { class: "badge" }, t("dash-fb-priority-" + i.priority))),
        h("div", { class: "text" }, i.text.length > 200 ? i.text.slice(0, 200) + "…" : i.text),
        h("div", { class: "meta" }, datetime(i.at))))) :
      h("p", { class: "muted" }, t("dash-fb-none")),
    h("h3", {}, t("dash-surveys")),
    data.surveys.length ? h("div", { class: "list" }, data.surveys.map((s) => survey(t, s))) : h("p", { class: "muted" }, t("dash-surveys-none")),
  );
}
