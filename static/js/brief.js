// The meeting brief: a Print button (shown only when scripts run; the browser's own
// print command uses the same print stylesheet).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
