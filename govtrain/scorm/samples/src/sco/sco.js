/*
 * govtrain's sample SCO, for both SCORM 1.2 and 2004: one text page and a three-question
 * quiz. It finds the LMS's API in its parent windows (SCORM 1.2 RTE 3.3.6.1; SCORM 2004
 * RTE 3.1.5), initialises, resumes on the saved page, records location, suspend data,
 * progress and a score, completes and passes (or fails), commits and terminates.
 */
(function () {
  "use strict";

  var ANSWERS = { q1: "30", q2: "no", q3: "48h" };
  var PASS = 2 / 3;

  function findApi(name) {
    var win = window;
    for (var depth = 0; win && depth < 10; depth += 1) {
      try {
        if (win[name]) {
          return win[name];
        }
      } catch (e) {
        return null; // a window of another origin: the API is not there
      }
      if (win.parent === win) {
        break;
      }
      win = win.parent;
    }
    return null;
  }

  // One small interface over both versions' API names and data model.
  var api2004 = findApi("API_1484_11");
  var api12 = api2004 ? null : findApi("API");
  var lms = {
    found: !!(api2004 || api12),
    init: function () { return api2004 ? api2004.Initialize("") : api12.LMSInitialize(""); },
    get: function (name) { return api2004 ? api2004.GetValue(name) : api12.LMSGetValue(name); },
    set: function (name, value) {
      return api2004 ? api2004.SetValue(name, String(value)) : api12.LMSSetValue(name, String(value));
    },
    commit: function () { return api2004 ? api2004.Commit("") : api12.LMSCommit(""); },
    finish: function () { return api2004 ? api2004.Terminate("") : api12.LMSFinish(""); },
  };
  var names = api2004
    ? { location: "cmi.location", entry: "cmi.entry", suspend: "cmi.suspend_data", exit: "cmi.exit" }
    : {
        location: "cmi.core.lesson_location",
        entry: "cmi.core.entry",
        suspend: "cmi.suspend_data",
        exit: "cmi.core.exit",
      };

  var state = { page: 1, answers: {} };
  var statusLine = document.getElementById("sco-status");
  var started = Date.now();

  function say(text) {
    statusLine.textContent = text;
  }

  function show(page) {
    state.page = page;
    document.querySelectorAll("section[data-page]").forEach(function (section) {
      section.hidden = section.getAttribute("data-page") !== String(page);
    });
    lms.set(names.location, "page-" + page);
    lms.set(names.suspend, JSON.stringify(state));
    if (api2004) {
      lms.set("cmi.progress_measure", page === 1 ? "0.5" : "0.75");
      lms.set("cmi.completion_status", "incomplete");
    } else if (lms.get("cmi.core.lesson_status") === "not attempted") {
      lms.set("cmi.core.lesson_status", "incomplete");
    }
    lms.commit();
  }

  function sessionTime() {
    var seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
    if (api2004) {
      return "PT" + seconds + "S";
    }
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    return [h, m, s].map(function (n) { return (n < 10 ? "0" : "") + n; }).join(":");
  }

  function grade(event) {
    event.preventDefault();
    var form = document.getElementById("quiz");
    var correct = 0;
    Object.keys(ANSWERS).forEach(function (question) {
      var chosen = form.querySelector("input[name=" + question + "]:checked");
      state.answers[question] = chosen ? chosen.value : "";
      if (chosen && chosen.value === ANSWERS[question]) {
        correct += 1;
      }
    });
    var scaled = correct / 3;
    var passed = scaled >= PASS - 1e-9;
    lms.set(names.suspend, JSON.stringify(state));
    if (api2004) {
      lms.set("cmi.score.min", "0");
      lms.set("cmi.score.max", "3");
      lms.set("cmi.score.raw", String(correct));
      lms.set("cmi.score.scaled", scaled.toFixed(4));
      lms.set("cmi.progress_measure", "1");
      lms.set("cmi.completion_status", "completed");
      lms.set("cmi.success_status", passed ? "passed" : "failed");
    } else {
      lms.set("cmi.core.score.min", "0");
      lms.set("cmi.core.score.max", "100");
      lms.set("cmi.core.score.raw", String(Math.round(scaled * 100)));
      lms.set("cmi.core.lesson_status", passed ? "passed" : "failed");
    }
    lms.commit();
    document.getElementById("result").textContent =
      "You answered " + correct + " of 3 correctly: " + (passed ? "passed." : "not passed yet.");
    document.getElementById("finish").hidden = false;
  }

  function finish() {
    lms.set(names.exit, api2004 ? "normal" : "");
    lms.set(api2004 ? "cmi.session_time" : "cmi.core.session_time", sessionTime());
    lms.finish();
    document.getElementById("finish").hidden = true;
    say("Lesson finished. You may close it.");
  }

  if (!lms.found) {
    say("This lesson must be opened from the learning platform: no SCORM API was found.");
    return;
  }
  lms.init();
  var saved = lms.get(names.suspend);
  if (lms.get(names.entry) === "resume" && saved) {
    try {
      var restored = JSON.parse(saved);
      state.answers = restored.answers || {};
      state.page = restored.page === 2 ? 2 : 1;
      say("Welcome back: you are where you left off.");
    } catch (e) {
      state = { page: 1, answers: {} };
    }
  }
  document.getElementById("next").addEventListener("click", function () { show(2); });
  document.getElementById("quiz").addEventListener("submit", grade);
  document.getElementById("finish").addEventListener("click", finish);
  show(state.page);
})();
