// Overview: /stats' numbers with their change against the period before, the goals (the North
// Star first), daily charts (members, DAU/WAU/MAU, joins and leaves, check-ins) and the
// weekday × hour heat map, for a period picked from presets or two dates.
import { h, number } from "../dom.js";

let chosen = "7d";
const charts = [];

// A value as the page shows it: counts whole, averages with one decimal, rates as percent.
function shown(value, kind) {
  if (value === null || value === undefined) return "—";
  if (kind === "rate") return (value * 100).toFixed(value * 100 < 10 && value > 0 ? 1 : 0) + "%";
  if (kind === "average") return value < 100 ? Number(value.toFixed(1)).toLocaleString() : number(Math.round(value));
  return number(value);
}

// The change against the previous period, as /stats says it: ↑12% / ↓5% / → / new; rates in
// percentage points.
function change(t, k) {
  if (k.previous === null || k.previous === undefined || k.value === null) {
    return h("div", { class: "change muted", title: t("dash-kpi-not-measured") }, t("dash-kpi-no-change"));
  }
  let text, d;
  if (k.kind === "rate") {
    d = (k.value - k.previous) * 100;
    const points = Math.abs(d).toFixed(1);
    text = points === "0.0" ? "→" : (d > 0 ? "↑" : "↓") + t("dash-kpi-pp", { value: points });
  } else if (k.value === k.previous) {
    d = 0; text = k.value ? "→" : "";
  } else if (!k.previous) {
    d = 1; text = t("dash-kpi-new");
  } else {
    d = k.value - k.previous;
    const pct = Math.abs(d / k.previous * 100).toFixed(0);
    text = pct === "0" ? "→" : (d > 0 ? "↑" : "↓") + pct + "%";
  }
  // Fewer leaves is good news: coloured the other way round.
  const good = k.key === "leaves" ? d < 0 : d > 0;
  const cls = Math.abs(d) < 1e-9 || text === "→" ? "muted" : good ? "up" : "down";
  return h("div", { class: "change " + cls }, text ? t("dash-kpi-change", { change: text }) : "");
}

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function chart(canvas, type, labels, datasets) {
  if (!window.Chart) return;
  const grid = css("--secondary-bg");
  charts.push(new window.Chart(canvas, {
    type,
    data: { labels, datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { display: datasets.length > 1, labels: { color: css("--text") } } },
      scales: {
        x: { ticks: { color: css("--hint"), maxTicksLimit: 8 }, grid: { color: grid } },
        y: { ticks: { color: css("--hint"), precision: 0 }, grid: { color: grid }, beginAtZero: type === "bar" },
      },
    },
  }));
}

function heatmap(t, values) {
  const max = Math.max(1, ...values.flat());
  const cells = [h("div")];
  for (let hour = 0; hour < 24; hour++) cells.push(h("div", { class: "muted" }, hour % 6 === 0 ? hour : ""));
  values.forEach((row, day) => {
    cells.push(h("div", { class: "muted" }, t("dash-weekday-" + day)));
    row.forEach((v, hour) => cells.push(h("div", {
      title: t("dash-heatmap-cell", { day: t("dash-weekday-" + day), hour: String(hour).padStart(2, "0") + ":00", count: number(v) }),
      style: `background: var(--button); opacity: ${0.08 + 0.92 * v / max}`,
    })));
  });
  return h("div", { class: "heat", id: "heat" }, cells);
}

function goal(t, g) {
  const share = Math.max(0, Math.min(1, g.share || 0));
  const outlook = g.outlook ? t("dash-goal-outlook-" + g.outlook, { eta: g.eta || "" }) : "";
  return h("div", { class: "card goal" + (g.north_star ? " star" : ""), dataset: { metric: g.metric } },
    h("div", { class: "label" }, g.north_star ? "★ " + t("dash-goal-north-star") + " · " : "", t("dash-goal-metric-" + g.metric)),
    h("div", { class: "value" }, shown(g.current, g.kind), h("span", { class: "muted" }, " / " + shown(g.target, g.kind))),
    h("div", { class: "progress", role: "progressbar", "aria-valuenow": Math.round(share * 100) },
      h("div", { style: `width: ${Math.round(share * 100)}%` })),
    h("div", { class: "muted" }, g.deadline ? t("dash-goal-by", { date: g.deadline }) : t("dash-goal-no-date"), outlook ? " · " + outlook : ""));
}

function picker(t, data, reload) {
  const from = h("input", { type: "date", id: "period-from", value: data.period.first, max: data.period.last, "aria-label": t("dash-period-from") });
  const to = h("input", { type: "date", id: "period-to", value: data.period.last, "aria-label": t("dash-period-to") });
  return h("div", { class: "row", id: "periods" },
    h("div", { class: "chips" }, data.period.presets.map((token) =>
      h("button", { class: "chip" + (token === data.period.token ? " on" : ""), dataset: { period: token },
        onclick: () => { chosen = token; reload(); } }, t("dash-period-days", { days: parseInt(token, 10) })))),
    from, "–", to,
    h("button", { class: "secondary", id: "period-apply", onclick: () => {
      if (from.value && to.value) { chosen = `${from.value}..${to.value}`; reload(); }
    } }, t("dash-period-apply")));
}

export async function render({ root, group, t, api, reload }) {
  while (charts.length) charts.pop().destroy();
  let data;
  try {
    data = await api.get(`g/${group.id}/overview`, { period: chosen });
  } catch (e) {
    chosen = "7d";  // a range the server refused: back to the default, and say why
    data = await api.get(`g/${group.id}/overview`, { period: chosen });
    root.append(h("p", { class: "error", id: "period-error" }, e.message));
  }
  const labels = data.series[0] ? data.series[0].days.map((d) => d.slice(5)) : [];
  const series = Object.fromEntries(data.series.map((s) => [s.key, s]));
  const canvases = {
    members: h("canvas", { "aria-label": t("dash-series-members") }),
    active: h("canvas", { "aria-label": t("dash-chart-active") }),
    flow: h("canvas", { "aria-label": t("dash-chart-flow") }),
    checkins: h("canvas", { "aria-label": t("dash-series-checkins") }),
  };
  const star = data.goals.filter((g) => g.north_star);
  root.append(
    h("div", { class: "row" }, h("h2", { class: "grow" }, group.title)),
    picker(t, data, reload),
    h("p", { class: "muted" }, t("dash-period-range", { first: data.period.first, last: data.period.last, tz: data.timezone }),
      " · ", t("dash-compared", { days: data.period.days })),
    h("h3", {}, star.length ? t("dash-goal-title-star") : t("dash-goal-title")),
    data.goals.length ? h("div", { class: "cards", id: "goals" }, data.goals.map((g) => goal(t, g)))
      : h("p", { class: "muted", id: "goals" }, t("dash-goal-none")),
    h("h3", {}, t("dash-kpi-title")),
    h("div", { class: "cards", id: "kpis" }, data.headlines.map((k) =>
      h("div", { class: "card kpi", dataset: { key: k.key } },
        h("div", { class: "label" }, t("dash-kpi-" + k.key)),
        h("div", { class: "value" }, shown(k.value, k.kind)),
        change(t, k)))),
    h("div", { class: "charts" },
      h("div", { class: "chart" }, h("h3", {}, t("dash-series-members")), canvases.members),
      h("div", { class: "chart" }, h("h3", {}, t("dash-chart-active")), canvases.active),
      h("div", { class: "chart" }, h("h3", {}, t("dash-chart-flow")), canvases.flow),
      h("div", { class: "chart" }, h("h3", {}, t("dash-series-checkins")), canvases.checkins),
      h("div", { class: "chart", id: "heatmap" }, h("h3", {}, t("dash-chart-heatmap")),
        data.heatmap ? heatmap(t, data.heatmap) : h("p", { class: "muted" }, t("dash-heatmap-empty")))),
    h("p", { class: "muted" }, t("dash-overview-note")),
  );
  const button = css("--button") || "#2481cc";
  const line = (key, color) => ({ label: t("dash-series-" + key), data: series[key].values, borderColor: color, backgroundColor: color, pointRadius: 0, tension: 0.25 });
  // Drawn once the canvases are in the page (the shell adds root after render returns).
  requestAnimationFrame(() => {
    if (series.members) chart(canvases.members, "line", labels, [line("members", button)]);
    if (series.dau && series.wau && series.mau) chart(canvases.active, "line", labels, [
      line("dau", button), line("wau", css("--good")), line("mau", css("--hint")),
    ]);
    if (series.joins && series.leaves) chart(canvases.flow, "bar", labels, [
      { label: t("dash-series-joins"), data: series.joins.values, backgroundColor: css("--good") },
      { label: t("dash-series-leaves"), data: series.leaves.values, backgroundColor: css("--danger") },
    ]);
    if (series.checkins) chart(canvases.checkins, "bar", labels, [{ label: t("dash-series-checkins"), data: series.checkins.values, backgroundColor: button }]);
    root.dataset.charts = String(charts.length);
  });
}
