/*
 * The platform side of the SCORM player (docs/scorm.md). The SCO runs on the content
 * origin, which cannot reach the platform's server with the learner's session; its launch
 * page sends each commit here by postMessage, and this page, after checking where the
 * message comes from, saves it with the learner's session and CSRF token.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-scorm-player]");
  var configNode = document.getElementById("scorm-player-config");
  if (!root || !configNode) {
    return;
  }
  var config = JSON.parse(configNode.textContent);
  var frame = root.querySelector("iframe");
  var statusLine = root.querySelector("[data-scorm-status]");
  var tokenInput = root.querySelector("input[name=csrfmiddlewaretoken]");
  var queue = Promise.resolve();
  // A commit is small; keepalive lets the last one finish while the page unloads (64 KB cap).
  var KEEPALIVE_LIMIT = 60000;

  function say(label) {
    if (statusLine) {
      statusLine.textContent = root.getAttribute("data-label-" + label) || "";
    }
  }

  function tell(message) {
    if (frame && frame.contentWindow) {
      frame.contentWindow.postMessage(message, config.content_origin);
    }
  }

  function announce(name, detail) {
    root.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
  }

  function save(message) {
    var body = JSON.stringify({
      version: config.version,
      sco: config.sco,
      attempt: config.attempt,
      launch: config.launch,
      sequence: message.sequence,
      finished: message.finished === true,
      cmi: message.cmi,
    });
    say("saving");
    return fetch(config.commit_url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: body.length < KEEPALIVE_LIMIT,
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": tokenInput ? tokenInput.value : "",
      },
      body: body,
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () { return {}; })
          .then(function (answer) {
            var ok = response.ok && answer.ok !== false;
            // The server's own words win (why a commit was refused, what was recorded).
            if (typeof answer.message === "string" && answer.message && statusLine) {
              statusLine.textContent = answer.message;
            } else if (ok) {
              say(message.finished === true ? "finished" : "saved");
            } else {
              say("failed");
            }
            tell({ type: "scorm:saved", sequence: message.sequence, ok: ok });
            announce("scorm:saved", { ok: ok, finished: message.finished === true, answer: answer });
          });
      })
      .catch(function () {
        say("offline");
        tell({ type: "scorm:saved", sequence: message.sequence, ok: false });
        announce("scorm:saved", { ok: false, finished: message.finished === true, answer: {} });
      });
  }

  window.addEventListener("message", function (event) {
    // Only the launch page we framed, on the content origin, may speak to this page.
    if (event.origin !== config.content_origin || !frame || event.source !== frame.contentWindow) {
      return;
    }
    var data = event.data;
    if (!data || typeof data !== "object" || typeof data.type !== "string") {
      return;
    }
    if (data.type === "scorm:ready") {
      tell({ type: "scorm:init", cmi: config.initial });
    } else if (data.type === "scorm:commit" && typeof data.sequence === "number") {
      // One request at a time, in order: a later commit never overtakes an earlier one.
      queue = queue.then(function () { return save(data); });
    }
  });
})();
