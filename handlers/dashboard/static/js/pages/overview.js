// Overview: headline numbers with their change against the period before, daily charts, and
// the weekday × hour heat map (once activity by hour is measured).
import { h, number } from "../dom.js";

const PERIODS = [7, 30, 90];
let chosen = 7;
const charts = [];

function change(t, k) {
  if (k.previous === null || k.previous === undefined) {
    return h("div", { class: "change muted", title: t("dash-kpi-not-measured") }, t("dash-kpi-no-change"));
  }
  const d = k.value - k.previous;
  const cls = d > 0 ? "up" : d < 0 ? "down" : "muted";
  const sign = d > 0 ? "+" : d < 0 ? "−" : "±";
  return h("div", { class: "change " + cls }, t("dash-kpi-change", { change: sign + number(Math.abs(d)) }));
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
    row.forEach((v) => cells.push(h("div", { title: String(v), style: `background: var(--button); opacity: ${0.08 + 0.92 * v / max}` })));
  });
  return h("div", { class: "heat" }, cells);
}

export async function render({ root, group, t, api, reload }) {
  while (charts.length) charts.pop().destroy();
  const data = await api.get(`g/${group.id}/overview`, { days: chosen });
  const labels = data.series[0] ? data.series[0].days.map((d) => d.slice(5)) : [];
  const series = Object.fromEntries(data.series.map((s) => [s.key, s]));
  const canvases = {
    members: h("canvas", { "aria-label": t("dash-series-members") }),
    flow: h("canvas", { "aria-label": t("dash-series-joins") }),
    checkins: h("canvas", { "aria-label": t("dash-series-checkins") }),
  };
  root.append(
    h("div", { class: "row" },
      h("h2", { class: "grow" }, group.title),
      h("div", { class: "chips", id: "periods" }, PERIODS.map((days) =>
        h("button", { class: "chip" + (days === chosen ? " on" : ""), onclick: () => { chosen = days; reload(); } },
          t("dash-period-days", { days }))))),
    h("p", { class: "muted" }, t("dash-period-range", { first: data.period.first, last: data.period.last, tz: data.timezone })),
    h("div", { class: "cards", id: "kpis" }, data.headlines.map((k) =>
      h("div", { class: "card kpi", dataset: { key: k.key } },
        h("div", { class: "label" }, t("dash-kpi-" + k.key)),
        h("div", { class: "value" }, number(k.value)),
        change(t, k)))),
    h("div", { class: "charts" },
      h("div", { class: "chart" }, h("h3", {}, t("dash-series-members")), canvases.members),
      h("div", { class: "chart" }, h("h3", {}, t("dash-chart-flow")), canvases.flow),
      h("div", { class: "chart" }, h("h3", {}, t("dash-series-checkins")), canvases.checkins),
      h("div", { class: "chart", id: "heatmap" }, h("h3", {}, t("dash-chart-heatmap")),
        data.heatmap ? heatmap(t, data.heatmap) : h("p", { class: "muted" }, t("dash-heatmap-later")))),
    h("p", { class: "muted" }, t("dash-overview-note")),
  );
  const button = css("--button") || "#2481cc";
  // Drawn once the canvases are in the page (the shell adds root after render returns).
  requestAnimationFrame(() => {
    if (series.members) chart(canvases.members, "line", labels, [{ label: t("dash-series-members"), data: series.members.values, borderColor: button, backgroundColor: button, pointRadius: 0, tension: 0.25 }]);
    if (series.joins && series.leaves) chart(canvases.flow, "bar", labels, [
      { label: t("dash-series-joins"), data: series.joins.values, backgroundColor: css("--good") },
      { label: t("dash-series-leaves"), data: series.leaves.values, backgroundColor: css("--danger") },
    ]);
    if (series.checkins) chart(canvases.checkins, "bar", labels, [{ label: t("dash-series-checkins"), data: series.checkins.values, backgroundColor: button }]);
  });
}
