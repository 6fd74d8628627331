// The attempt page: the countdown to the server's deadline, a word on answers that could
// not be saved (and saving them again once back online), and a confirmation before the
// answers are handed in. The server decides everything: an answer after the deadline is
// refused there, whatever this page shows (govtrain/assessments/services/attempts.py).
(function () {
  "use strict";
  var form = document.querySelector("[data-attempt-form]");
  if (!form) return;

  // --- The countdown, on the server's clock: the offset between the two clocks is
  // taken when the page was made, so a wrong computer clock changes nothing.
  var box = document.querySelector("[data-countdown]");
  var handingIn = false;
  function handIn() {
    if (handingIn) return;
    handingIn = true;
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "submit";
    form.appendChild(action);
    form.submit();
  }
  if (box) {
    var deadline = Date.parse(box.dataset.deadline);
    var offset = Date.parse(box.dataset.now) - Date.now();
    var text = box.querySelector("[data-countdown-text]");
    var alert = document.querySelector("[data-countdown-alert]");
    var told = {};
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - (Date.now() + offset)) / 1000));
      if (left <= 2) {
        text.textContent = box.dataset.labelUp;
        clearInterval(timer);
        // A little before the end, so that the last answers arrive in time.
        handIn();
        return;
      }
      var h = Math.floor(left / 3600);
      var m = Math.floor((left % 3600) / 60);
      var s = left % 60;
      var clock = (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (s < 10 ? "0" : "") + s;
      text.textContent = box.dataset.labelLeft + " " + clock;
      box.classList.toggle("low", left <= 60);
      if (alert) {
        if (left <= 300 && left > 290 && !told.five) { told.five = true; alert.textContent = alert.dataset.labelFive; }
        if (left <= 60 && left > 50 && !told.one) { told.one = true; alert.textContent = alert.dataset.labelOne; }
      }
    };
    var timer = setInterval(tick, 1000);
    tick();
  }

  // --- Answers not saved: say so, and send them again when the connection is back.
  var pending = new Set();
  function note(question, label) {
    var saved = question.querySelector(".saved");
    if (!saved) return;
    saved.textContent = saved.dataset[label];
    saved.classList.add("pending");
  }
  document.body.addEventListener("htmx:sendError", function (event) {
    var question = event.target.closest("[data-question]");
    if (!question) return;
    pending.add(question);
    note(question, "labelOffline");
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    var question = event.target.closest("[data-question]");
    if (question) note(question, "labelFailed");
  });
  function resend() {
    pending.forEach(function (question) { htmx.trigger(question, "input"); });
    pending.clear();
  }
  window.addEventListener("online", resend);
  setInterval(function () { if (pending.size && navigator.onLine) resend(); }, 10000);

  // --- The count of questions answered.
  var answered = document.querySelector("[data-answered]");
  function count() {
    var n = 0;
    var questions = form.querySelectorAll("[data-question]");
    questions.forEach(function (question) {
      var filled = Array.prototype.some.call(
        question.querySelectorAll("input:not([type=hidden]), textarea"),
        function (field) {
          return field.type === "radio" || field.type === "checkbox" ? field.checked : field.value.trim() !== "";
        }
      );
      if (filled) n += 1;
    });
    answered.textContent = String(n);
  }
  if (answered) form.addEventListener("input", count);

  // --- Handing in is final: ask first (the deadline hands in without asking).
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (handingIn || !button || !button.hasAttribute("data-submit")) return;
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();
