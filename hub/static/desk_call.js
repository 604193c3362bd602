// The desk's end of a voice call with the citizen at the kiosk (WebRTC, the browser's own).
//
// The desk page offers (getUserMedia audio), the kiosk answers (aiortc). Signalling goes as
// `signal` messages through the desk's live channel, which the desk page exposes as
// window.deskChannel = {send(message) -> Promise, onSignal(fn(data))} (hub/static/desk.js).
// TURN for kiosks behind NAT: window.deskIceServers, the short-lived credentials the hub
// wrote into the page (docs/remote-help.md, "Voice and TURN"); the `call` message carries
// them to the kiosk, so the kiosk keeps no TURN secret.
//
// Shows a large "On a call" state and a Hang up button; says plainly why a call ended.
// window.deskCall = {start(), hangUp(), state} for the page's own buttons and for tests.
(function () {
  "use strict";

  const GATHER_MS = 3000; // at most this long to collect our candidates before offering
  const WORDS = {
    idle: "Not on a call",
    starting: "Calling the kiosk…",
    live: "On a call",
    clerk: "You hung up",
    citizen: "The citizen hung up",
    link: "The link to the kiosk was lost",
    refused: "The kiosk could not take the call",
    failed: "The kiosk's microphone or speaker did not work",
    microphone: "This computer's microphone could not be used",
  };

  let pc = null;
  let microphone = null;
  let state = "idle";
  const view = build();

  function build() {
    const box = document.getElementById("desk-call") || document.body.appendChild(
      Object.assign(document.createElement("section"), { id: "desk-call" }));
    box.setAttribute("aria-live", "polite");
    box.innerHTML =
      '<p id="call-state" class="call-state"></p>' +
      '<button type="button" id="call-start" class="call-start">Talk to the citizen</button> ' +
      '<button type="button" id="call-hangup" class="call-hangup">Hang up</button>' +
      '<audio id="call-audio" autoplay></audio>';
    const style = document.createElement("style");
    style.textContent =
      "#desk-call .call-state{font-size:2rem;font-weight:bold;margin:.5rem 0}" +
      "#desk-call.live .call-state{color:#fff;background:#0b6e2e;padding:.5rem 1rem}" +
      "#desk-call.live .call-state::before{content:'\\260E  '}" +
      "#desk-call button{font-size:1.5rem;min-height:3rem;padding:0 1.5rem}" +
      "#desk-call .call-hangup{background:#b00020;color:#fff}";
    document.head.appendChild(style);
    const v = {
      box: box,
      state: box.querySelector("#call-state"),
      start: box.querySelector("#call-start"),
      hangup: box.querySelector("#call-hangup"),
      audio: box.querySelector("#call-audio"),
    };
    v.start.addEventListener("click", start);
    v.hangup.addEventListener("click", hangUp);
    return v;
  }

  function show(next, words) {
    state = next;
    view.state.textContent = words || WORDS[next] || WORDS.idle;
    view.box.classList.toggle("live", next === "live");
    const busy = next === "starting" || next === "live";
    view.start.hidden = busy;
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
    const servers = window.deskIceServers || [];
    pc = new RTCPeerConnection({ iceServers: servers });
    microphone.getTracks().forEach(function (track) { pc.addTrack(track, microphone); });
    pc.addEventListener("track", function (event) {
      view.audio.srcObject = event.streams[0] || new MediaStream([event.track]);
      view.audio.play().catch(function () {});
    });
    pc.addEventListener("connectionstatechange", function () {
      if (!pc) return;
      if (pc.connectionState === "connected") show("live");
      else if (pc.connectionState === "failed") end("link", true);
    });
    await window.deskChannel.send({ kind: "call", ice_servers: servers });
    await pc.setLocalDescription(await pc.createOffer());
    // aiortc takes no trickled candidates of its own making: offer once they are all in
    await gathered(pc);
    if (pc) await send({ type: "offer", sdp: pc.localDescription.sdp });
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

  function end(why, tellKiosk) {
    if (tellKiosk && pc) send({ type: "bye", reason: why }).catch(function () {});
    if (pc) pc.close();
    if (microphone) microphone.getTracks().forEach(function (track) { track.stop(); });
    pc = null;
    microphone = null;
    view.audio.srcObject = null;
    show("ended", WORDS[why] || WORDS.citizen);
  }

  function hangUp() {
    end("clerk", true);
  }

  // the kiosk's link lost (the desk page hears it from the hub): the call cannot go on
  function linkLost() {
    if (pc) end("link", false);
  }

  show("idle");
  if (window.deskChannel) window.deskChannel.onSignal(onSignal);
  window.deskCall = {
    start: start,
    hangUp: hangUp,
    linkLost: linkLost,
    get state() { return state; },
    get words() { return view.state.textContent; },
  };
})();
