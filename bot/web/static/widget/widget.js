/* Safeguarding assistant: the chat widget.
 *
 * Plain JavaScript, no framework. The web app serves it as /widget.js with
 * the vendored socket.io client in front of it (bot/web/widget_assets.py),
 * so a school embeds it with one tag:
 *
 *   <script src="https://assistant.school.example/widget.js" defer></script>
 *
 * Optional data- attributes on that tag:
 *   data-title         heading of the chat panel
 *   data-token         signed token (JWT) for the signed-in user
 *   data-socket-url    where the browser reaches Rasa (default: from the server)
 *   data-init-payload  what is sent, unseen, to start a conversation ("/greet")
 *   data-open          "true" to open the panel when the page loads
 *
 * Everything the assistant says is put in the page as text (textContent),
 * never as HTML. The conversation is kept in sessionStorage, so it survives
 * navigation and reload within the tab and is gone when the tab is closed
 * (people share computers in schools).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src || window.__safeguardingWidget) {
    return;
  }
  window.__safeguardingWidget = true;

  var BASE = new URL(".", script.src).href; // where widget.js came from
  var data = script.dataset || {};
  var STORE_KEY = "safeguarding-widget:" + BASE;
  var MAX_ITEMS = 200;
  var TYPING_TIMEOUT_MS = 30000;

  var ioFactory = typeof io === "function" ? io : window.io;

  // --- small DOM helpers (text only, never HTML) -----------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else if (name === "className") {
        node.className = value;
      } else if (name.slice(0, 2) === "on") {
        node.addEventListener(name.slice(2), value);
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    });
    (children || []).forEach(function (child) {
      if (child) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function srOnly(text) {
    return el("span", { className: "sgw-sr", text: text });
  }

  // --- state kept across pages of the tab ------------------------------------

  function loadState() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null");
      if (saved && Array.isArray(saved.items)) {
        return saved;
      }
    } catch (err) {
      /* storage blocked or corrupt: start afresh */
    }
    return { sessionId: null, open: false, items: [] };
  }

  var state = loadState();

  function saveState() {
    state.items = state.items.slice(-MAX_ITEMS);
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (err) {
      /* private mode: the conversation just won't survive a reload */
    }
  }

  function forgetState() {
    state = { sessionId: null, open: false, items: [] };
    try {
      window.sessionStorage.removeItem(STORE_KEY);
    } catch (err) {
      /* nothing stored */
    }
  }

  // --- configuration from the web app ----------------------------------------

  var config = null;
  var configPromise = fetch(BASE + "api/widget-config", { credentials: "omit" })
    .then(function (resp) {
      if (!resp.ok) {
        throw new Error("config " + resp.status);
      }
      return resp.json();
    })
    .then(function (cfg) {
      config = cfg;
      return cfg;
    });

  var clauseCache = {};

  function fetchClauses(ids) {
    var missing = ids.filter(function (id) {
      return !clauseCache[id];
    });
    if (!missing.length) {
      return Promise.resolve();
    }
    var url = BASE + "api/clauses?ids=" + encodeURIComponent(missing.join(","));
    return fetch(url, { credentials: "omit" })
      .then(function (resp) {
        return resp.ok ? resp.json() : { clauses: [] };
      })
      .then(function (body) {
        (body.clauses || []).forEach(function (clause) {
          clauseCache[clause.id] = clause;
        });
      });
  }

  // --- the elements ----------------------------------------------------------

  var host = el("div", { id: "safeguarding-assistant-widget" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var wrapper = el("div", { className: "sgw", hidden: true });
  var stylesheet = el("link", { rel: "stylesheet", href: BASE + "widget/widget.css" });
  stylesheet.addEventListener("load", function () {
    wrapper.hidden = false;
  });
  stylesheet.addEventListener("error", function () {
    wrapper.hidden = false;
  });

  var launcher = el(
    "button",
    {
      type: "button",
      className: "sgw-launcher",
      "aria-expanded": "false",
      "aria-controls": "sgw-panel",
    },
    [el("span", { className: "sgw-launcher-icon", "aria-hidden": "true", text: "?" }), "Ask about online safety"]
  );

  var titleText = data.title || "Online safety helper";
  var title = el("h2", { id: "sgw-title", className: "sgw-title", text: titleText });
  var restartButton = el("button", { type: "button", className: "sgw-link-button", text: "Start again" });
  var closeButton = el("button", { type: "button", className: "sgw-tool", "aria-label": "Close chat" }, [
    el("span", { "aria-hidden": "true", text: "×" }),
    el("span", { className: "sgw-tool-label", text: "Close" }),
  ]);
  var urgent = el("p", { className: "sgw-urgent" });
  var log = el("div", {
    className: "sgw-log",
    role: "log",
    "aria-live": "polite",
    "aria-label": "Conversation",
    tabindex: "0",
  });
  var typing = el("div", { className: "sgw-typing", hidden: true }, [
    el("span", { className: "sgw-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
    el("span", { text: "The assistant is typing…" }),
  ]);
  var status = el("p", { className: "sgw-status", role: "status" });
  var input = el("input", {
    id: "sgw-input",
    className: "sgw-input",
    type: "text",
    autocomplete: "off",
    "aria-describedby": "sgw-input-hint",
  });
  var inputLabel = el("label", { for: "sgw-input", className: "sgw-label", text: "Type your message" });
  var hint = el("p", { id: "sgw-input-hint", className: "sgw-hint" });
  var sendButton = el("button", { type: "submit", className: "sgw-send", text: "Send" });
  var form = el("form", { className: "sgw-form", novalidate: true }, [
    inputLabel,
    el("div", { className: "sgw-row" }, [input, sendButton]),
    hint,
  ]);
  var endButton = el("button", { type: "button", className: "sgw-link-button", text: "End chat" });
  var footer = el("div", { className: "sgw-footer" }, [
    el("p", { className: "sgw-privacy", text: "Automated answers from the school's policy." }),
    el("div", { className: "sgw-footer-tools" }, [restartButton, endButton]),
  ]);
  var panel = el(
    "section",
    {
      id: "sgw-panel",
      className: "sgw-panel",
      role: "dialog",
      "aria-labelledby": "sgw-title",
      hidden: true,
    },
    [
      el("div", { className: "sgw-header" }, [title, closeButton]),
      urgent,
      log,
      typing,
      status,
      form,
      footer,
    ]
  );
  wrapper.appendChild(launcher);
  wrapper.appendChild(panel);
  root.appendChild(stylesheet);
  root.appendChild(wrapper);

  function say(text) {
    status.textContent = "";
    if (text) {
      window.setTimeout(function () {
        status.textContent = text;
      }, 50);
    }
  }

  function renderUrgent(cfg) {
    var who = cfg && cfg.urgent;
    var emergency = (who && who.emergency) || "999";
    urgent.textContent = "";
    urgent.appendChild(el("strong", { text: "Urgent? " }));
    if (who && (who.phone || who.email)) {
      var phone = (who.phone || "").replace(/[^0-9+]/g, "");
      var href = phone ? "tel:" + phone : "mailto:" + who.email;
      var label = "Contact " + who.name + " (" + who.role + ")" + (who.phone ? " on " + who.phone : " at " + who.email);
      urgent.appendChild(el("a", { href: href, className: "sgw-urgent-link", text: label }));
      urgent.appendChild(document.createTextNode(". "));
    }
    urgent.appendChild(document.createTextNode("If a child is in danger now, call " + emergency + "."));
  }

  // --- rendering messages ----------------------------------------------------

  function paragraphs(text) {
    return String(text || "")
      .split(/\n\s*\n/)
      .map(function (part) {
        return part.trim();
      })
      .filter(Boolean);
  }

  function decisionBadge(custom, texts) {
    var code = custom.decision;
    var known = (config && config.decisions && config.decisions[code]) || null;
    var label = known ? known.label : String(code).replace(/_/g, " ");
    var tone = known ? known.tone : "info";
    var icon = { no: "✕", yes: "✓", act: "!", info: "i" }[tone] || "i";
    var badge = el("div", { className: "sgw-badge sgw-tone-" + tone }, [
      el("span", { className: "sgw-badge-icon", "aria-hidden": "true", text: icon }),
      el("span", {}, [el("strong", { text: "Decision: " }), label]),
    ]);
    var box = el("div", { className: "sgw-decision" }, [badge]);
    var reason = custom.reason ? String(custom.reason).trim() : "";
    if (reason && texts.indexOf(reason) === -1) {
      box.appendChild(el("p", { className: "sgw-reason" }, [el("strong", { text: "Why: " }), reason]));
    }
    return box;
  }

  function clauseArticle(id) {
    var clause = clauseCache[id];
    if (!clause) {
      return el("div", { className: "sgw-clause" }, [
        el("p", { className: "sgw-clause-title", text: "Policy clause " + id }),
        el("p", { text: "The text of this clause couldn't be loaded." }),
      ]);
    }
    var parts = [
      el("h3", { className: "sgw-clause-title", text: clause.title }),
      el("p", { className: "sgw-clause-section", text: clause.section }),
      el("p", { className: "sgw-clause-text", text: clause.text }),
    ];
    if (clause.items && clause.items.length) {
      parts.push(
        el(
          "ul",
          {},
          clause.items.map(function (item) {
            return el("li", { text: item });
          })
        )
      );
    }
    return el("div", { className: "sgw-clause", "data-clause": clause.id }, parts);
  }

  function policyDisclosure(refs) {
    var body = el("div", { className: "sgw-policy-body" }, [el("p", { text: "Loading the policy text…" })]);
    var label = refs.length === 1 ? "From the policy" : "From the policy (" + refs.length + " parts)";
    var details = el("details", { className: "sgw-policy" }, [el("summary", { text: label }), body]);
    fetchClauses(refs)
      .catch(function () {})
      .then(function () {
        body.textContent = "";
        refs.forEach(function (id) {
          body.appendChild(clauseArticle(id));
        });
      });
    return details;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = el("textarea", { className: "sgw-offscreen", readonly: true, "aria-hidden": "true" });
      area.value = text;
      root.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (err) {
        ok = false;
      }
      area.remove();
      (ok ? resolve : reject)();
    });
  }

  function referenceBlock(reference) {
    var code = el("code", { className: "sgw-ref-code", text: reference });
    var button = el("button", {
      type: "button",
      className: "sgw-copy",
      "aria-label": "Copy reference " + reference,
      text: "Copy",
    });
    button.addEventListener("click", function () {
      copyText(reference).then(
        function () {
          say("Reference " + reference + " copied.");
        },
        function () {
          var range = document.createRange();
          range.selectNodeContents(code);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          say("Couldn't copy automatically: the reference is selected, press Ctrl+C to copy it.");
        }
      );
    });
    return el("p", { className: "sgw-ref" }, [el("span", { text: "Your reference: " }), code, " ", button]);
  }

  function quickReplies(replies) {
    var group = el("div", { className: "sgw-replies", role: "group", "aria-label": "Suggested answers" });
    replies.forEach(function (reply) {
      group.appendChild(
        el("button", {
          type: "button",
          className: "sgw-reply",
          text: reply.title,
          onclick: function () {
            sendMessage(reply.payload, reply.title);
            input.focus();
          },
        })
      );
    });
    return group;
  }

  function renderItem(item, isLast) {
    if (item.who === "user") {
      return el("div", { className: "sgw-msg sgw-user" }, [
        srOnly("You said: "),
        el("p", { className: "sgw-text", text: item.text }),
      ]);
    }
    var custom = item.custom && typeof item.custom === "object" ? item.custom : {};
    var texts = paragraphs(item.text);
    var node = el("div", { className: "sgw-msg sgw-bot" }, [srOnly("The assistant said: ")]);
    if (custom.decision) {
      node.appendChild(decisionBadge(custom, texts));
    }
    texts.forEach(function (text) {
      node.appendChild(el("p", { className: "sgw-text", text: text }));
    });
    var refs = Array.isArray(custom.policy_refs) ? custom.policy_refs.map(String) : [];
    if (refs.length) {
      node.appendChild(policyDisclosure(refs));
    }
    if (custom.reference) {
      node.appendChild(referenceBlock(String(custom.reference)));
    }
    if (isLast && Array.isArray(item.replies) && item.replies.length) {
      node.appendChild(quickReplies(item.replies));
    }
    return node;
  }

  function clearReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".sgw-replies"), function (group) {
      group.remove();
    });
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  // A long answer is shown from its start (its decision badge), not its end.
  function reveal(node) {
    if (node.offsetHeight > log.clientHeight - 16) {
      log.scrollTop = node.offsetTop - 8;
    } else {
      scrollToEnd();
    }
  }

  function addItem(item) {
    clearReplies();
    state.items.push(item);
    saveState();
    var node = renderItem(item, true);
    log.appendChild(node);
    reveal(node);
  }

  function renderAll() {
    log.textContent = "";
    state.items.forEach(function (item, index) {
      log.appendChild(renderItem(item, index === state.items.length - 1));
    });
    scrollToEnd();
  }

  // --- typing indicator ------------------------------------------------------

  var typingTimer = null;

  function showTyping(on) {
    window.clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) {
      typingTimer = window.setTimeout(function () {
        typing.hidden = true;
      }, TYPING_TIMEOUT_MS);
    }
  }

  // --- the connection --------------------------------------------------------

  var socket = null;
  var sessionReady = false;
  var outbox = [];
  var wantsGreeting = false;

  function emitUser(payload) {
    socket.emit("user_uttered", { message: payload, session_id: state.sessionId });
  }

  function flush() {
    if (!sessionReady) {
      return;
    }
    if (wantsGreeting && !state.items.length && data.initPayload !== "") {
      wantsGreeting = false;
      showTyping(true);
      emitUser(data.initPayload || "/greet");
    }
    while (outbox.length) {
      emitUser(outbox.shift());
    }
  }

  function connect() {
    if (socket) {
      return Promise.resolve();
    }
    return configPromise.then(
      function (cfg) {
        if (socket) {
          return;
        }
        if (!ioFactory) {
          say("The chat couldn't start (its connection library is missing).");
          return;
        }
        var options = { path: cfg.socket_path || "/socket.io", withCredentials: false };
        if (data.token) {
          options.auth = { token: data.token };
        }
        socket = ioFactory(data.socketUrl || cfg.socket_url, options);
        socket.on("connect", function () {
          sessionReady = false;
          socket.emit("session_request", { session_id: state.sessionId });
        });
        socket.on("session_confirm", function (sessionId) {
          var id = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
          if (state.sessionId && id !== state.sessionId) {
            state.items = [];
            renderAll();
            wantsGreeting = true;
          }
          state.sessionId = id;
          saveState();
          sessionReady = true;
          say("");
          flush();
        });
        socket.on("bot_uttered", function (message) {
          if (!message || typeof message !== "object") {
            return;
          }
          addItem({
            who: "bot",
            text: typeof message.text === "string" ? message.text : "",
            replies: Array.isArray(message.quick_replies) ? message.quick_replies : [],
            custom: message.custom && typeof message.custom === "object" ? message.custom : null,
          });
        });
        socket.on("bot_turn_end", function () {
          showTyping(false);
        });
        socket.on("disconnect", function () {
          sessionReady = false;
        });
        socket.on("connect_error", function () {
          showTyping(false);
          say(
            cfg.sign_in_required && !data.token
              ? "Please sign in to the intranet to use the chat."
              : "I can't reach the assistant just now. I'll keep trying. For anything urgent, use the contact above."
          );
        });
      },
      function () {
        say("The chat isn't available just now. For anything urgent, use the contact above.");
      }
    );
  }

  function sendMessage(payload, shown) {
    addItem({ who: "user", text: shown });
    showTyping(true);
    outbox.push(payload);
    connect().then(flush);
  }

  // --- opening, closing, starting again, ending ------------------------------

  function open(moveFocus) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    saveState();
    if (!state.items.length) {
      wantsGreeting = true;
    }
    connect().then(flush);
    scrollToEnd();
    if (moveFocus) {
      input.focus();
    }
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    saveState();
    launcher.focus();
  }

  function startAgain() {
    state.items = [];
    state.sessionId = null;
    saveState();
    renderAll();
    hint.textContent = "";
    wantsGreeting = true;
    say("Started a new conversation.");
    if (socket && socket.connected) {
      sessionReady = false;
      socket.emit("session_request", { session_id: null });
    } else {
      connect().then(flush);
    }
    input.focus();
  }

  function endChat() {
    if (socket) {
      socket.disconnect();
      socket = null;
    }
    sessionReady = false;
    outbox = [];
    forgetState();
    renderAll();
    showTyping(false);
    close();
    say("Chat ended. Your conversation has been cleared from this browser.");
  }

  launcher.addEventListener("click", function () {
    open(true);
  });
  closeButton.addEventListener("click", close);
  restartButton.addEventListener("click", startAgain);
  endButton.addEventListener("click", endChat);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      close();
    }
  });

  function maxChars() {
    return (config && config.max_chars) || 2000;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    var limit = maxChars();
    if (!text) {
      input.focus();
      return;
    }
    if (text.length > limit) {
      input.setAttribute("aria-invalid", "true");
      hint.textContent =
        "That's longer than I can read (" + limit.toLocaleString("en-GB") + " characters at most). " +
        "Please ask in a sentence or two.";
      input.focus();
      return;
    }
    input.removeAttribute("aria-invalid");
    hint.textContent = "";
    input.value = "";
    sendMessage(text, text);
    input.focus();
  });

  input.addEventListener("input", function () {
    if (input.getAttribute("aria-invalid") && input.value.trim().length <= maxChars()) {
      input.removeAttribute("aria-invalid");
      hint.textContent = "";
    }
  });

  // --- start -----------------------------------------------------------------

  function start() {
    document.body.appendChild(host);
    renderAll();
    configPromise.then(renderUrgent, function () {
      renderUrgent(null);
    });
    if (state.open || data.open === "true") {
      open(false);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
