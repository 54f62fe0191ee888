// Building the page: elements get text as text (never HTML), so names and feedback are shown
// exactly as people wrote them, markup included, and nothing in them runs.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "value") el.value = value;
    else if (key === "style") el.style.cssText = value;  // CSSOM: allowed by the page's CSP
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function toast(text) {
  const el = document.getElementById("toast");
  el.textContent = text;
  el.classList.add("show");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove("show"), 2600);
}

export function modal(...content) {
  const box = h("div", { role: "dialog" }, ...content);
  const back = h("div", { class: "modal", onclick: (e) => { if (e.target === back) close(); } }, box);
  const tg = window.Telegram && window.Telegram.WebApp;
  function close() {
    if (!back.isConnected) return;
    back.remove();
    box.dispatchEvent(new Event("close"));
    if (tg) { tg.BackButton.offClick(close); tg.BackButton.hide(); }
  }
  if (tg) { tg.BackButton.onClick(close); tg.BackButton.show(); }
  document.body.append(back);
  return { box, close };
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

const locale = () => (document.documentElement.lang === "zh" ? "zh-CN" : "en-GB");

export function number(n) {
  return n === null || n === undefined ? "—" : Number(n).toLocaleString(locale());
}

export function datetime(iso) {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(locale(), {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  });
}

export function date(iso) {
  if (!iso) return "—";
  return new Date(iso).toLocaleDateString(locale(), { year: "numeric", month: "2-digit", day: "2-digit" });
}

// A confirmation in the page (Telegram's webviews may not show window.confirm): resolves to
// null when cancelled, else to the text typed (or "" without an input).
export function ask(message, { ok, cancel, input = false, danger = false } = {}) {
  return new Promise((resolve) => {
    const field = input ? h("input", { id: "ask-input", class: "grow", maxlength: 200 }) : null;
    let done = false;
    const finish = (value) => { if (!done) { done = true; box.close(); resolve(value); } };
    const box = modal(
      h("p", { id: "ask-text", class: "text" }, message),
      field ? h("div", { class: "row" }, field) : null,
      h("div", { class: "row" },
        h("button", { class: danger ? "danger" : "primary", id: "ask-ok", onclick: () => finish(field ? field.value : "") }, ok),
        h("button", { class: "secondary", id: "ask-cancel", onclick: () => finish(null) }, cancel)));
    const observer = new MutationObserver(() => { if (!box.box.isConnected) { observer.disconnect(); finish(null); } });
    observer.observe(document.body, { childList: true });
    (field || box.box.querySelector("#ask-ok")).focus();
  });
}
