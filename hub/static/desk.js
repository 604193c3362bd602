/* The regional desk page (GET /desk/region): calls live, and the kiosk's screen of the call
 * this desk took. Reads /desk/events (Server-Sent Events, same origin, the desk's cookie) and
 * posts to /desk/calls/{id}/take|send|end. Everything a kiosk sends is put in as text
 * (textContent), never as HTML.
 *
 * HOOK FOR THE VOICE CALL (hub/static/desk_call.js, loaded right after this file):
 *   window.deskChannel.send(message)  posts one desk->kiosk message of the taken call, e.g.
 *                                      {kind: "signal", data: {type: "offer", sdp: ...}};
 *                                      a Promise of the hub's JSON answer ({seq}), rejected
 *                                      with an Error whose message is the hub's plain words.
 *   window.deskChannel.onSignal(fn)    fn(data) for each kiosk `signal` message (its data).
 *   window.deskChannel.onEnd(fn)       fn(by) when the session ends ("citizen", "visit",
 *                                      "link", "clerk"): hang up.
 *   window.deskChannel.callId()        the taken call's id, or null.
 *   window.deskChannel.consented()     true once the citizen let the clerk see the screen
 *                                      (the hub refuses `call` and `signal` before).
 *   window.deskChannel.talk            what the "Talk" button (#talk) does; by default it
 *                                      sends {kind: "call"}. desk_call.js replaces it.
 *   window.deskChannel.show(text)      writes a line in the page's outcome line (#outcome).
 */
(function () {
  "use strict";

  var session = null;  // {id, kiosk, consent, screen, lastSeq, ended}
  var calls = [];
  var callsAt = Date.now();
  var signalListeners = [];
  var endListeners = [];

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // Both languages, Chinese first: the hub serves Chinese clerks.
  function both(zh, en) { return zh + " " + en; }

  function post(path, body) {
    return fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) {
          throw new Error(answer.message || ("HTTP " + response.status));
        }
        return answer;
      });
    });
  }

  var shown = 0;  // lines shown: a kiosk's answer is never overwritten by "sent" after it

  function show(text) {
    shown += 1;
    $("outcome").textContent = text;
  }

  // --- the calls ------------------------------------------------------------------------

  function minutes(seconds) {
    var m = Math.floor(seconds / 60);
    return m < 1 ? both("不到 1 分钟", "under 1 min") : both(m + " 分钟", m + " min");
  }

  function stateWords(call) {
    if (call.state === "open") {
      return call.level === "region" ? both("等待中（已转到本台）", "waiting (sent on to you)")
        : both("等待中", "waiting");
    }
    if (call.remote) { return both(call.clerk + " 在帮助", call.clerk + " is helping"); }
    return both(call.clerk + " 已去现场", call.clerk + " is going");
  }

  function drawCalls() {
    var body = $("calls").tBodies[0];
    body.textContent = "";
    var passed = (Date.now() - callsAt) / 1000;
    calls.forEach(function (call) {
      var row = el("tr");
      row.dataset.call = call.id;
      [call.kiosk_id, call.centre, call.service || "-", call.step || "-",
        minutes(call.waited_s + passed), stateWords(call)].forEach(function (text) {
        row.appendChild(el("td", "", text));
      });
      var cell = el("td");
      if (call.state === "open" || (session && session.id === call.id)) {
        var take = el("button", "take", session && session.id === call.id
          ? both("正在帮助", "Helping") : both("接听", "Take"));
        take.type = "button";
        take.disabled = !!(session && !session.ended);
        take.addEventListener("click", function () { takeCall(call); });
        cell.appendChild(take);
      }
      row.appendChild(cell);
      body.appendChild(row);
    });
    $("no-calls").hidden = calls.length > 0;
  }

  function takeCall(call) {
    var clerk = $("clerk").value.trim();
    if (!clerk) {
      $("clerk").focus();
      show(both("请先填写您的姓名：市民会知道是谁在帮助。",
        "Type your name first: the citizen is told who helps them."));
      return;
    }
    localStorage.setItem("deskClerk", clerk);
    post("/desk/calls/" + encodeURIComponent(call.id) + "/take", {clerk: clerk})
      .then(function () { openSession(call.id, call.kiosk_id); show(""); })
      .catch(function (problem) { show(problem.message); });
  }

  // --- the taken call -------------------------------------------------------------------

  function openSession(id, kiosk) {
    if (session && session.id === id && !session.ended) { return; }
    session = {id: id, kiosk: kiosk || "", consent: null, screen: null, lastSeq: 0,
      ended: false};
    $("session").hidden = false;
    $("session-title").textContent = both("正在帮助终端 " + session.kiosk,
      "Helping kiosk " + session.kiosk);
    $("session-state").textContent = both("等待市民同意您看屏幕……",
      "Waiting for the citizen to let you see the screen...");
    $("screen").textContent = "";
    $("pointing").textContent = "";
    tools();
    drawCalls();
  }

  function consented() { return !!(session && !session.ended && session.consent &&
    session.consent.see); }

  function tools() {
    var live = !!(session && !session.ended);
    ["say", "end", "words"].forEach(function (id) { $(id).disabled = !live; });
    ["fill", "fill-field", "fill-value", "lang", "set-lang", "size", "set-size", "pause",
      "talk"].forEach(function (id) { $(id).disabled = !consented(); });
  }

  function onRemote(message) {
    if (!session || session.id !== message.call) {
      if (session && !session.ended) { return; }
      openSession(message.call, kioskOf(message.call));  // the page opened again on a taken call
    }
    if (message.seq <= session.lastSeq) { return; }
    session.lastSeq = message.seq;
    if (message.kind === "consent") {
      session.consent = message;
      if (!message.see) {
        session.screen = null;
        $("screen").textContent = "";
      }
      $("session-state").textContent = message.see
        ? (message.personal ? both("市民同意您看屏幕，包括个人信息。",
          "The citizen lets you see the screen, their details too.")
          : both("市民同意您看屏幕（个人信息已隐藏）。",
            "The citizen lets you see the screen (their details hidden)."))
        : both("市民没有同意您看屏幕：您可以说话或结束帮助。",
          "The citizen said no to showing the screen: you may speak to them or end.");
    } else if (message.kind === "screen") {
      session.screen = message.model;
      drawScreen(message.model);
    } else if (message.kind === "done") {
      show(message.ok ? both("✓ 已完成", "✓ Done")
        : "✗ " + (message.message || both("没有完成", "Not done")));
    } else if (message.kind === "signal") {
      signalListeners.forEach(function (fn) { fn(message.data); });
    } else if (message.kind === "end") {
      ended(message.by);
    }
    tools();
  }

  function kioskOf(id) {
    var found = calls.filter(function (call) { return call.id === id; })[0];
    return found ? found.kiosk_id : "";
  }

  var ENDED = {
    citizen: ["市民结束了帮助。", "The citizen ended the help."],
    visit: ["市民的办理已经结束。", "The citizen's visit has ended."],
    link: ["与终端的连接中断了。", "The link to the kiosk was lost."],
    clerk: ["您结束了帮助。", "You ended the help."]
  };

  function ended(by) {
    if (!session || session.ended) { return; }
    session.ended = true;
    var words = ENDED[by] || ENDED.clerk;
    $("session-state").textContent = "⚠ " + both(words[0], words[1]);
    endListeners.forEach(function (fn) { fn(by); });
    tools();
    drawCalls();
  }

  // --- the kiosk's screen, from its SCREEN model ------------------------------------------

  function drawScreen(model) {
    var box = $("screen");
    box.textContent = "";
    var screen = el("div", "kiosk-screen");
    if (model.lang) { screen.lang = model.lang.replace("_", "-"); }
    if (model.step && model.step.n) {
      var of = model.step.of;  // null: the kiosk says "a few more questions", not a number
      screen.appendChild(el("p", "step", of ?
        both("第 " + model.step.n + " 步，共 " + of + " 步", "Step " + model.step.n + " of " + of) :
        both("第 " + model.step.n + " 步，还有几步", "Step " + model.step.n + " of a few")));
    }
    if (model.title) { screen.appendChild(el("h3", "title", model.title)); }
    if (model.question) { screen.appendChild(el("p", "question", model.question)); }
    if (model.error) { screen.appendChild(el("p", "error", "⚠ " + model.error)); }
    var controls = el("div", "controls");
    (model.controls || []).forEach(function (control) {
      var button = el("button", "control " + (control.role || ""),
        (control.chosen ? "✓ " : "") + (control.label || control.id));
      button.type = "button";
      button.dataset.id = control.id;
      button.title = both("指给市民看", "Point at this for the citizen");
      button.addEventListener("click", function () { point(control); });
      controls.appendChild(button);
    });
    screen.appendChild(controls);
    var fields = el("dl", "fields");
    var choose = $("fill-field");
    var chosen = choose.value;
    choose.textContent = "";
    (model.fields || []).forEach(function (field) {
      fields.appendChild(el("dt", "", field.label || field.id));
      var value = el("dd", field.masked ? "masked" : "", field.value || "");
      if (field.masked) {
        value.appendChild(el("span", "hidden-note", " " + both("（已隐藏）", "(hidden)")));
      }
      fields.appendChild(value);
      var option = el("option", "", field.label || field.id);
      option.value = field.id;
      choose.appendChild(option);
    });
    if (chosen) { choose.value = chosen; }
    screen.appendChild(fields);
    box.appendChild(screen);
    $("pointing").textContent = both("点上面的按钮，就在市民的屏幕上指出它。",
      "Click a control above to point at it on the citizen's screen.");
  }

  function send(message) {
    if (!session || session.ended) {
      return Promise.reject(new Error(both("没有正在进行的帮助。", "No help session is open.")));
    }
    return post("/desk/calls/" + encodeURIComponent(session.id) + "/send", message);
  }

  function act(message, done) {
    var before = shown;
    send(message).then(function () { if (shown === before) { show(done); } })
      .catch(function (problem) { show("✗ " + problem.message); });
  }

  function point(control) {
    var words = $("words").value.trim();
    act({kind: "point", target: control.id, words: words},
      both("已指出：" + (control.label || control.id), "Pointed at: " +
        (control.label || control.id)));
  }

  // --- the buttons ------------------------------------------------------------------------

  function wire() {
    $("clerk").value = localStorage.getItem("deskClerk") || "";
    $("say").addEventListener("click", function () {
      var words = $("words").value.trim();
      if (!words) { $("words").focus(); return; }
      act({kind: "say", words: words}, both("已说给市民听。", "Said to the citizen."));
    });
    $("fill").addEventListener("click", function () {
      act({kind: "fill", field: $("fill-field").value, value: $("fill-value").value},
        both("已发给终端，正在检查……", "Sent to the kiosk, being checked..."));
      $("fill-value").value = "";
    });
    $("set-lang").addEventListener("click", function () {
      act({kind: "language", lang: $("lang").value}, both("已换语言。", "Language changed."));
    });
    $("set-size").addEventListener("click", function () {
      act({kind: "text_size", size: $("size").value}, both("已换字号。", "Text size changed."));
    });
    $("pause").addEventListener("click", function () {
      var on = $("pause").getAttribute("aria-pressed") !== "true";
      send({kind: "pause_idle", on: on}).then(function () {
        $("pause").setAttribute("aria-pressed", on ? "true" : "false");
        show(on ? both("终端的超时已暂停。", "The kiosk's time-out is paused.")
          : both("终端的超时已恢复。", "The kiosk's time-out runs again."));
      }).catch(function (problem) { show("✗ " + problem.message); });
    });
    $("talk").addEventListener("click", function () { window.deskChannel.talk(); });
    $("end").addEventListener("click", function () {
      if (!session || session.ended) { return; }
      post("/desk/calls/" + encodeURIComponent(session.id) + "/end", {})
        .then(function () { ended("clerk"); })
        .catch(function (problem) { show("✗ " + problem.message); });
    });
    tools();
  }

  // --- the live stream --------------------------------------------------------------------

  function listen() {
    var stream = new EventSource("/desk/events", {withCredentials: true});
    stream.addEventListener("open", function () {
      $("link").textContent = "● " + both("已连接", "Connected");
    });
    stream.addEventListener("calls", function (event) {
      calls = JSON.parse(event.data).calls;
      callsAt = Date.now();
      drawCalls();
    });
    stream.addEventListener("remote", function (event) { onRemote(JSON.parse(event.data)); });
    stream.addEventListener("error", function () {
      $("link").textContent = stream.readyState === EventSource.CLOSED
        ? "⚠ " + both("与中心的连接断了：请刷新或重新登录。",
          "The link to the hub is broken: reload the page or sign in again.")
        : "○ " + both("正在重新连接……", "Reconnecting...");
    });
    setInterval(drawCalls, 15000);  // the minutes waited go on between updates
  }

  window.deskChannel = {
    send: send,
    onSignal: function (fn) { signalListeners.push(fn); },
    onEnd: function (fn) { endListeners.push(fn); },
    callId: function () { return session && !session.ended ? session.id : null; },
    consented: consented,
    talk: function () {
      act({kind: "call"}, both("已请终端开始通话。", "Asked the kiosk to start the call."));
    },
    show: show
  };

  wire();
  listen();
}());
