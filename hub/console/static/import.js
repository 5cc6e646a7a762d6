// The import's progress bar: read from the run's progress address until the run has ended,
// then the page is opened again to show the summary and the rejected rows.
(function () {
  var box = document.getElementById("import-running");
  if (!box) { return; }
  var bar = document.getElementById("import-progress");
  var done = document.getElementById("import-done");
  function look() {
    fetch(box.getAttribute("data-progress"), { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (run) {
        if (run === null) { return; }
        bar.max = Math.max(run.total, 1);
        bar.value = run.done;
        done.textContent = String(run.done);
        if (run.state !== "running") { window.location.reload(); return; }
        setTimeout(look, 500);
      })
      .catch(function () { setTimeout(look, 2000); });
  }
  setTimeout(look, 300);
})();
