// Themes page: while the background worker re-reads comments, poll its progress and show it.
(function () {
  "use strict";
  var status = document.getElementById("reread-progress");
  if (!status || status.dataset.finished === "1") { return; }
  function poll() {
    fetch(status.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (!progress) { window.setTimeout(poll, 3000); return; }
        status.textContent = progress.text;
        if (progress.finished) {
          status.className = "hint";
          status.dataset.finished = "1";
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
