// After htmx swaps the outline in place, put keyboard focus back on the button that was
// pressed (now in its new place), or on its neighbour when it became disabled at an end.
(function () {
  "use strict";
  var pressed = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var submitter = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent
      ? event.detail.requestConfig.triggeringEvent.submitter : null;
    pressed = submitter ? { text: submitter.textContent, value: submitter.value } : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!pressed) return;
    var buttons = document.querySelectorAll("#outline .move button");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      if (button.textContent === pressed.text && button.value === pressed.value) {
        var form = button.form;
        var target = button.disabled && form ? form.querySelector("button:not([disabled])") : button;
        if (target) target.focus();
        break;
      }
    }
    pressed = null;
  });
})();
