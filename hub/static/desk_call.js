// The desk's end of a voice call with the citizen at the kiosk (WebRTC, the browser's own).
//
// The desk page offers (getUserMedia audio), the kiosk answers (aiortc). Signalling goes as
// `signal` messages through the desk's live channel, which hub/static/desk.js exposes as
// window.deskChannel (send, onSignal, onEnd, talk: see the hook described there); this
// script takes over its `talk` (the page's Talk button).
// TURN for kiosks behind NAT: GET /desk/turn gives the signed-in page short-lived
// credentials (hub/turn.py; docs/remote-help.md, "Voice and TURN"); the offer carries them to
// the kiosk, so the kiosk keeps no TURN secret.
//
// Shows a large "On a call" state and a Hang up button; says plainly why a call ended.
// window.deskCall = {start(), hangUp(), stats(), state, words} for tests and diagnosis.
(function () {
  "use strict";

  const GATHER_MS = 3000; // at most this long to collect our candidates before offering
  const WORDS = { // Chinese first, as the rest of the desk page
    idle: "",
    starting: "正在呼叫终端… Calling the kiosk…",
    live: "通话中 On a call",
    clerk: "您已挂断 You hung up",
    citizen: "市民已挂断 The citizen hung up",
    link: "与终端的连接已断开 The link to the kiosk was lost",
    refused: "终端现在不能通话 The kiosk could not take the call",
    session: "帮助已结束，通话也结束了 The help has ended, and the call with it",
    failed: "终端的麦克风或扬声器不能使用 The kiosk's microphone or speaker did not work",
    microphone: "这台电脑的麦克风不能使用 This computer's microphone could not be used",
  };

  let pc = null;
  let microphone = null;
  let state = "idle";
  const view = build();

  function build() {
    const box = document.createElement("div");
    box.id = "desk-call";
    box.setAttribute("aria-live", "assertive");
    box.innerHTML =
      '<p id="call-state" class="call-state"></p>' +
      '<button type="button" id="call-hangup" class="call-hangup">' +
      '<span lang="zh-CN">挂断</span> <span lang="en">Hang up</span></button>' +
      '<audio id="call-audio" autoplay></audio>';
    const session = document.getElementById("session");
    const tools = session && session.querySelector(".tools");
    if (tools) tools.parentNode.insertBefore(box, tools);
    else document.body.appendChild(box);
    const talk = document.getElementById("talk"); // desk.js calls deskChannel.talk on click
    const style = document.createElement("style");
    style.textContent = // sizes as desk.css: 28px text, 64px targets; the call larger
      "#desk-call .call-state{font-size:40px;font-weight:bold;margin:.4em 0}" +
      "#desk-call.live .call-state{color:#fff;background:#0b6e2e;padding:.3em .6em}" +
      "#desk-call.live .call-state::before{content:'\\260E  '}" +
      "#desk-call .call-hangup{font-size:32px;min-height:72px;background:#b00020;color:#fff}";
    document.head.appendChild(style);
    const v = {
      box: box,
      state: box.querySelector("#call-state"),
      start: talk,
      hangup: box.querySelector("#call-hangup"),
      audio: box.querySelector("#call-audio"),
    };
    v.hangup.addEventListener("click", hangUp);
    return v;
  }

  function show(next, words) {
    state = next;
    view.state.textContent = words || WORDS[next] || "";
    view.state.hidden = !view.state.textContent;
    view.box.classList.toggle("live", next === "live");
    const busy = next === "starting" || next === "live";
    if (view.start) view.start.hidden = busy;
    view.hangup.hidden = !busy;
  }

  function send(data) {
    return window.deskChannel.send({ kind: "signal", data: data });
  }

  function gathered(connection) {
    if (connection.iceGatheringState === "complete") return Promise.resolve();
    return new Promise(function (resolve) {
      const timer = setTimeout(resolve, GATHER_MS);
      connection.addEventListener("icegatheringstatechange", function () {
        if (connection.iceGatheringState === "complete") {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  async function start() {
    if (pc) return;
    show("starting");
    try {
      microphone = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch (error) {
      show("ended", WORDS.microphone);
      return;
    }
    const servers = await turnServers();
    if (state !== "starting") { // hung up (or the help ended) while the browser asked
      end(state === "ended" ? null : "clerk", false);
      return;
    }
    pc = new RTCPeerConnection({ iceServers: servers });
    microphone.getTracks().forEach(function (track) { pc.addTrack(track, microphone); });
    pc.addEventListener("track", function (event) {
      view.audio.srcObject = event.streams[0] || new MediaStream([event.track]);
      view.audio.play().catch(function () {});
    });
    let offered = false;
    pc.addEventListener("icecandidate", function (event) { // found after the offer (TURN can be
      const found = event.candidate; // slow): trickled; those before are in the offer's SDP
      if (!offered || !found || !found.candidate) return;
      send({ type: "candidate", candidate: found.candidate, sdpMid: found.sdpMid,
        sdpMLineIndex: found.sdpMLineIndex }).catch(function () {});
    });
    pc.addEventListener("connectionstatechange", function () {
      if (!pc) return;
      if (pc.connectionState === "connected") show("live");
      else if (pc.connectionState === "failed") end("link", true);
    });
    const connection = pc; // hung up meanwhile: pc is no longer this one, stop quietly
    try {
      await window.deskChannel.send({ kind: "call" });
      if (pc !== connection) return;
      await connection.setLocalDescription(await connection.createOffer());
      // offer with the candidates found within GATHER_MS (most, often all), trickle the rest
      await gathered(connection);
      if (pc !== connection) return;
      const offer = { type: "offer", sdp: connection.localDescription.sdp, ice_servers: servers };
      offered = true;
      await send(offer);
    } catch (problem) { // the hub refused (the session ended, no consent): its plain words
      if (pc !== connection) return;
      end("refused", false);
      view.state.textContent = "✗ " + problem.message;
    }
  }

  async function turnServers() {
    try {
      const answer = await fetch("/desk/turn", { credentials: "same-origin", cache: "no-store" });
      return answer.ok ? (await answer.json()).ice_servers : [];
    } catch (error) {
      return []; // no TURN: a direct path may still work
    }
  }

  async function onSignal(data) {
    if (!data || !pc) return;
    if (data.type === "answer") {
      await pc.setRemoteDescription({ type: "answer", sdp: data.sdp });
    } else if (data.type === "candidate" && data.candidate) {
      await pc.addIceCandidate(data).catch(function () {});
    } else if (data.type === "bye") {
      end(data.reason || "citizen", false);
    }
  }

  // `why` null: only let go of the microphone, the words already say why
  function end(why, tellKiosk) {
    if (tellKiosk && pc) send({ type: "bye", reason: why }).catch(function () {});
    if (pc) pc.close();
    if (microphone) microphone.getTracks().forEach(function (track) { track.stop(); });
    pc = null;
    microphone = null;
    view.audio.srcObject = null;
    if (why !== null) show("ended", WORDS[why] || WORDS.citizen);
  }

  function hangUp() {
    end("clerk", true);
  }

  // the help session ended (by the citizen, the visit, the clerk, or a lost link): so has the call
  function sessionEnded(by) {
    if (pc || state === "starting") end(by === "link" ? "link" : "session", false);
  }

  // the call's figures, to tell a bad link from a quiet citizen (and for tests)
  async function stats() {
    const found = { bytesSent: 0, bytesReceived: 0, packetsLost: 0, roundTripS: null };
    if (!pc) return found;
    (await pc.getStats()).forEach(function (report) {
      if (report.type === "outbound-rtp" && report.kind === "audio") {
        found.bytesSent += report.bytesSent;
      }
      if (report.type === "inbound-rtp" && report.kind === "audio") {
        found.bytesReceived += report.bytesReceived;
        found.packetsLost += report.packetsLost || 0;
      }
      if (report.type === "candidate-pair" && report.nominated
          && report.currentRoundTripTime !== undefined) {
        found.roundTripS = report.currentRoundTripTime;
      }
    });
    return found;
  }

  show("idle");
  if (window.deskChannel) {
    window.deskChannel.onSignal(onSignal);
    window.deskChannel.onEnd(sessionEnded);
    window.deskChannel.talk = start;
  }
  window.deskCall = {
    start: start,
    hangUp: hangUp,
    stats: stats,
    get state() { return state; },
    get words() { return view.state.textContent; },
  };
})();
