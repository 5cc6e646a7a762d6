// The unknown numbers page: a row's search box lists the matching clients in the select beside
// it (read from the box's data-search address as <option>s), so that linking is a click away.
(function () {
  var boxes = document.querySelectorAll("input[data-search]");
  Array.prototype.forEach.call(boxes, function (box) {
    var choice = box.form.querySelector("select[name=client_id]");
    var timer = null;
    var asked = "";
    function search() {
      var words = box.value.trim();
      if (words === asked) { return; }
      asked = words;
      var url = box.getAttribute("data-search") + "?q=" + encodeURIComponent(words);
      fetch(url, { credentials: "same-origin" })
        .then(function (answer) {
          // The session has ended: the login page answered instead; go there.
          if (answer.redirected) { window.location.reload(); return null; }
          return answer.ok ? answer.text() : null;
        })
        .then(function (html) {
          if (html === null || words !== asked) { return; }
          choice.innerHTML = html;
          if (choice.options.length > 1) { choice.selectedIndex = 1; }
        })
        .catch(function () {});
    }
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); search(); }
    });
  });
})();
