// The lesson page's timing: a heartbeat while the page is visible, and the video's played
// ranges. The server decides what counts (govtrain/learning/services/progress.py).
(function () {
  "use strict";
  var box = document.querySelector("[data-lesson]");
  if (!box) return;
  var token = box.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = token ? token.value : "";
  var every = parseInt(box.dataset.heartbeatSeconds, 10) * 1000 || 15000;
  var unmet = document.querySelector("[data-unmet]");

  function post(url, body, json) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": csrf,
        "Content-Type": json ? "application/json" : "application/x-www-form-urlencoded",
      },
      body: body,
    }).then(function (r) { return r.json(); });
  }

  function show(problems) {
    if (!unmet || !problems) return;
    unmet.replaceChildren.apply(unmet, problems.map(function (text) {
      var p = document.createElement("p");
      p.textContent = text;
      return p;
    }));
  }

  function beat(resumed) {
    return post(box.dataset.heartbeatUrl, resumed ? "resumed=1" : "", false)
      .then(function (data) {
        show(data.completed && unmet ? [unmet.dataset.labelCompleted] : data.unmet);
      })
      .catch(function () { /* offline: the next heartbeat is credited at most a minute */ });
  }

  // The video's played ranges go after a heartbeat has been answered: the server accepts
  // new seconds of video only against the time its heartbeats credited.
  var video = box.querySelector("video[data-video]");
  var report = function () {};
  if (video && box.dataset.watchedUrl) {
    var sent = "";
    report = function () {
      var ranges = [];
      for (var i = 0; i < video.played.length; i++) {
        ranges.push([video.played.start(i), video.played.end(i)]);
      }
      var body = JSON.stringify({ ranges: ranges });
      if (body === sent) return;
      sent = body;
      post(box.dataset.watchedUrl, body, true).then(function (data) { show(data.unmet); });
    };
    var beatThenReport = function () { beat(false).then(report); };
    video.addEventListener("pause", beatThenReport);
    video.addEventListener("ended", beatThenReport);
  }

  var timer = null;
  function start(resumed) {
    if (timer) return;
    if (resumed) beat(true);
    timer = setInterval(function () {
      beat(false).then(function () { if (video && !video.paused) report(); });
    }, every);
  }
  function stop() { clearInterval(timer); timer = null; }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      start(true);
    } else {
      stop();
      // Only time on screen counts: the video waits for the learner (its pause reports
      // what was played until now).
      if (video && !video.paused) video.pause();
    }
  });
  if (document.visibilityState === "visible") start(false);
})();
