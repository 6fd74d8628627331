/*
 * The launch page, on the content origin (docs/scorm.md). It defines the SCORM API with
 * scorm-again (window.API for 1.2, window.API_1484_11 for 2004), where a SCO looks for it
 * in its parent windows, asks the platform page for the learner's data, loads the SCO in a
 * child frame, and sends every commit to the platform page by postMessage. It never talks
 * to the platform's server: only the platform page does, with the learner's session.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("scorm-launch-config").textContent);
  var platform = config.platformOrigin;
  var host = window.parent;
  var api = null;
  var sequence = 0;
  var idleTimer = null;
  // Progress set without a commit still reaches the platform this long after the last change.
  var IDLE_COMMIT_MS = 10000;

  function post(message) {
    if (host && host !== window) {
      host.postMessage(message, platform);
    }
  }

  function snapshot(finishing) {
    // renderCommitCMI(terminate, includeTotalTime) gives {cmi: {...}}, total time included.
    var rendered = api.renderCommitCMI(finishing, true);
    return JSON.parse(JSON.stringify(rendered.cmi || {}));
  }

  function commit(finishing) {
    if (idleTimer !== null) {
      window.clearTimeout(idleTimer);
      idleTimer = null;
    }
    sequence += 1;
    post({ type: "scorm:commit", sequence: sequence, finished: finishing, cmi: snapshot(finishing) });
  }

  function changed() {
    if (idleTimer !== null) {
      window.clearTimeout(idleTimer);
    }
    idleTimer = window.setTimeout(function () {
      idleTimer = null;
      commit(false);
    }, IDLE_COMMIT_MS);
  }

  function start(initial) {
    // No lmsCommitUrl: scorm-again answers the SCO at once and this page forwards the data.
    var settings = { autocommit: false, lmsCommitUrl: false, logLevel: 5 };
    if (config.version === "1.2") {
      api = new window.Scorm12API(settings);
      window.API = api;
      api.on("LMSCommit", function () { commit(false); });
      api.on("LMSFinish", function () { commit(true); });
      api.on("LMSSetValue.cmi.*", changed);
    } else {
      api = new window.Scorm2004API(settings);
      window.API_1484_11 = api;
      api.on("Commit", function () { commit(false); });
      api.on("Terminate", function () { commit(true); });
      api.on("SetValue.cmi.*", changed);
    }
    if (initial && typeof initial === "object") {
      api.loadFromJSON(initial, "");
    }
    var frame = document.createElement("iframe");
    frame.className = "scorm-sco-frame";
    frame.title = document.title;
    frame.src = config.scoUrl;
    var status = document.getElementById("scorm-launch-status");
    if (status) {
      status.remove();
    }
    document.body.appendChild(frame);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== platform || event.source !== host) {
      return;
    }
    var data = event.data;
    if (!data || typeof data !== "object") {
      return;
    }
    if (data.type === "scorm:init" && api === null) {
      start(data.cmi);
    }
  });

  post({ type: "scorm:ready" });
})();
