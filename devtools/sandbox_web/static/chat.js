// The sandbox chat: what a member sees in Telegram, over the emulator's /sim API.
const $ = (id) => document.getElementById(id);
const state = { chat: "group", user: null, users: [], seen: "" };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

async function post(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return res.json();
}

async function loadState() {
  const data = await (await fetch("sim/state")).json();
  state.users = data.users;
  $("group-title").textContent = data.group.title;
  const who = $("who");
  const current = state.user;
  who.replaceChildren(...data.users.map((u) => el("option", { value: u.id }, `${u.name}${u.username ? " @" + u.username : ""}`)));
  state.user = current || (data.users[0] && data.users[0].id);
  who.value = state.user;
  const me = data.users.find((u) => String(u.id) === String(state.user));
  $("status").value = me ? me.status : "left";
}

async function openMiniApp(url, title) {
  const { url: signed } = await post("sim/webapp", { user: state.user, url });
  $("phone-title").textContent = title || "Mini App";
  $("miniapp").src = signed;
  $("phone").hidden = false;
}

function render(data) {
  const key = JSON.stringify(data);
  if (key === state.seen) return;
  state.seen = key;
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
  box.replaceChildren(...data.messages.map((m) => {
    if (m.service) return el("div", { class: "service" }, m.service);
    const mine = !m.bot && String(m.from_id) === String(state.user);
    const kb = (m.buttons || []).map((row) => el("div", { class: "row" }, row.map((b) =>
      el("button", {
        "data-label": b.text,
        onclick: () => {
          if (b.web_app) openMiniApp(b.web_app, b.text);
          else if (b.url) window.open(b.url, "_blank");
          else post("sim/press", { chat: state.chat, user: state.user, message_id: m.id, data: b.data });
        },
      }, (b.web_app ? "🧩 " : "") + b.text))));
    return el("div", { class: "msg" + (mine ? " mine" : "") + (m.bot ? " bot" : ""), "data-id": m.id },
      el("div", { class: "who" }, m.from),
      m.photo ? el("img", { src: "sim/file/" + encodeURIComponent(m.photo), alt: "photo" }) : null,
      m.document ? el("a", { href: "sim/file/" + encodeURIComponent(m.document.file_id), download: m.document.name }, "📎 " + m.document.name) : null,
      el("div", { class: "text" }, m.text),
      m.edited ? el("div", { class: "edited" }, "edited") : null,
      kb.length ? el("div", { class: "kb" }, kb) : null);
  }));
  const menu = $("menu");
  if (data.menu && data.menu.type === "web_app") {
    menu.hidden = false;
    menu.textContent = data.menu.text;
    menu.onclick = () => openMiniApp(data.menu.web_app.url, data.menu.text);
  } else {
    menu.hidden = true;
  }
  if (atBottom) box.scrollTop = box.scrollHeight;
}

async function poll() {
  try {
    const res = await fetch(`sim/messages?chat=${state.chat}&user=${state.user}`);
    render(await res.json());
  } catch (e) { /* the sandbox is restarting */ }
  setTimeout(poll, 600);
}

function pickChat(chat) {
  state.chat = chat;
  state.seen = "";
  for (const b of document.querySelectorAll(".chatbtn")) b.classList.toggle("on", b.dataset.chat === chat);
}

$("chat-group").onclick = () => pickChat("group");
$("chat-private").onclick = () => pickChat("private");
$("who").onchange = () => { state.user = $("who").value; state.seen = ""; loadState(); };
$("status").onchange = async () => { await post("sim/status", { user: state.user, status: $("status").value }); loadState(); };
$("composer").onsubmit = async (e) => {
  e.preventDefault();
  const text = $("text").value.trim();
  if (!text) return;
  $("text").value = "";
  await post("sim/send", { chat: state.chat, user: state.user, text });
};
$("photo").onchange = async () => {
  const file = $("photo").files[0];
  if (!file) return;
  const form = new FormData();
  form.set("user", state.user);
  form.set("chat", state.chat);
  form.set("caption", $("text").value.trim());
  form.set("file", file);
  $("text").value = "";
  await fetch("sim/photo", { method: "POST", body: form });
  $("photo").value = "";
};
$("phone-close").onclick = () => { $("phone").hidden = true; $("miniapp").src = "about:blank"; };

loadState().then(poll);
