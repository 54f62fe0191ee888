// A small implementation of the parts of Telegram's Mini App script this dashboard uses
// (window.Telegram.WebApp): initData and the theme from the URL fragment Telegram opens the
// page with (#tgWebAppData=...&tgWebAppThemeParams=...), kept for reloads in sessionStorage;
// ready(), expand(), close(), the BackButton, and theme changes, spoken over Telegram's public
// Mini App event protocol (core.telegram.org/api/web-events). Written for this project: no
// package on the npm registry ships Telegram's own script under a licence we could verify.
(function () {
  "use strict";
  var STORE = "tgWebAppParams";

  function parseParams(text) {
    var out = {};
    (text || "").replace(/^#/, "").split("&").forEach(function (pair) {
      if (!pair) return;
      var i = pair.indexOf("=");
      var key = decodeURIComponent(i < 0 ? pair : pair.slice(0, i));
      var value = i < 0 ? "" : pair.slice(i + 1);
      try { value = decodeURIComponent(value.replace(/\+/g, "%20")); } catch (e) { return; }
      out[key] = value;
    });
    return out;
  }

  var params = parseParams(location.hash);
  if (params.tgWebAppData) {
    try { sessionStorage.setItem(STORE, JSON.stringify(params)); } catch (e) {}
    // The fragment has been read: keep it out of the address bar (and of bookmarks).
    try { history.replaceState(null, "", location.pathname + location.search); } catch (e) {}
  } else {
    try { params = JSON.parse(sessionStorage.getItem(STORE) || "{}"); } catch (e) { params = {}; }
  }

  function json(text, fallback) {
    try { return JSON.parse(text); } catch (e) { return fallback; }
  }

  var initData = params.tgWebAppData || "";
  var unsafe = {};
  Object.entries(parseParams(initData)).forEach(function (kv) {
    unsafe[kv[0]] = kv[0] === "user" || kv[0] === "receiver" || kv[0] === "chat"
      ? json(kv[1], null) : kv[0] === "auth_date" ? Number(kv[1]) : kv[1];
  });
  var themeParams = json(params.tgWebAppThemeParams || "{}", {}) || {};
  var handlers = {};

  function postEvent(type, data) {
    var body = JSON.stringify(data || {});
    try {
      if (window.TelegramWebviewProxy && window.TelegramWebviewProxy.postEvent) {
        window.TelegramWebviewProxy.postEvent(type, body);  // mobile and desktop apps
      } else if (window.external && "notify" in window.external) {
        window.external.notify(JSON.stringify({ eventType: type, eventData: data || {} }));
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data || {} }), "*");
      }
    } catch (e) {}
  }

  function emit(name) {
    (handlers[name] || []).slice().forEach(function (fn) { try { fn.call(WebApp); } catch (e) {} });
  }

  function receiveEvent(type, data) {
    if (type === "theme_changed" && data && data.theme_params) {
      WebApp.themeParams = data.theme_params;
      emit("themeChanged");
    } else if (type === "back_button_pressed") {
      emit("backButtonClicked");
    } else if (type === "viewport_changed") {
      emit("viewportChanged");
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) return;
    var msg = typeof event.data === "string" ? json(event.data, null) : event.data;
    if (msg && msg.eventType) receiveEvent(msg.eventType, msg.eventData);
  });

  var backVisible = false;
  var BackButton = {
    get isVisible() { return backVisible; },
    show: function () { backVisible = true; postEvent("web_app_setup_back_button", { is_visible: true }); return BackButton; },
    hide: function () { backVisible = false; postEvent("web_app_setup_back_button", { is_visible: false }); return BackButton; },
    onClick: function (fn) { WebApp.onEvent("backButtonClicked", fn); return BackButton; },
    offClick: function (fn) { WebApp.offEvent("backButtonClicked", fn); return BackButton; },
  };

  var dark = function (hex) {
    var m = /^#?([0-9a-f]{6})$/i.exec(hex || "");
    if (!m) return false;
    var n = parseInt(m[1], 16);
    return 0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255) < 120;
  };

  var WebApp = {
    initData: initData,
    initDataUnsafe: unsafe,
    version: params.tgWebAppVersion || "6.0",
    platform: params.tgWebAppPlatform || "unknown",
    themeParams: themeParams,
    get colorScheme() { return dark(WebApp.themeParams.bg_color) ? "dark" : "light"; },
    BackButton: BackButton,
    ready: function () { postEvent("web_app_ready"); },
    expand: function () { postEvent("web_app_expand"); },
    close: function () { postEvent("web_app_close"); },
    onEvent: function (name, fn) { (handlers[name] = handlers[name] || []).push(fn); },
    offEvent: function (name, fn) {
      handlers[name] = (handlers[name] || []).filter(function (f) { return f !== fn; });
    },
  };

  window.Telegram = window.Telegram || {};
  window.Telegram.WebApp = WebApp;
  window.Telegram.WebView = { receiveEvent: receiveEvent, postEvent: postEvent };
})();
