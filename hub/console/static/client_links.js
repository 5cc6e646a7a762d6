// «Скопировать» beside a link for the client: the link goes to the clipboard. Without the
// script the button stays hidden and the field, read-only, is still there to select and copy.
(function () {
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value).catch(function () {});
      } else {
        document.execCommand("copy");
      }
    });
  });
})();
