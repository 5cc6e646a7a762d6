// The cases board refreshes itself: the table's rows are read again every few seconds, unless
// the person is typing a reason in one of them.
(function () {
  var body = document.getElementById("case-rows");
  if (!body) { return; }
  function typing() {
    var active = document.activeElement;
    return active && active.name === "reason" && active.value !== "";
  }
  function refresh() {
    if (typing()) { return; }
    fetch(body.getAttribute("data-refresh"), { credentials: "same-origin" })
      .then(function (answer) {
        // The session has ended: the login page answered instead; go there.
        if (answer.redirected) { window.location.reload(); return null; }
        return answer.ok ? answer.text() : null;
      })
      .then(function (html) { if (html !== null && !typing()) { body.innerHTML = html; } })
      .catch(function () {});
  }
  setInterval(refresh, 3000);
})();
