// The subscribe page's "Copy" button: puts the feed address on the clipboard.
// Without JavaScript the button stays hidden; a click or tap on the address
// selects all of it (CSS user-select), to copy by hand.
(function () {
  "use strict";

  function select(address) {
    var range = document.createRange();
    range.selectNodeContents(address);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copySelection(address) {
    select(address);
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  function copyText(address) {
    var text = address.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      // Android's WebView (the browser inside other apps) refuses writeText.
      return navigator.clipboard.writeText(text).catch(function () {
        return copySelection(address);
      });
    }
    // Older browsers and plain-http pages: copy the selection.
    return copySelection(address);
  }

  document.querySelectorAll("[data-copy-from]").forEach(function (button) {
    var address = document.getElementById(button.getAttribute("data-copy-from"));
    var box = button.closest(".feed-copy");
    var status = box && box.querySelector("[role=status]");
    if (!address || !status) {
      return;
    }
    button.addEventListener("click", function () {
      copyText(address).then(
        function () {
          status.textContent = "Copied. Now paste it into your podcast app.";
          button.textContent = "Copied";
        },
        function () {
          select(address);
          // Keys are named only where there is likely a keyboard: a phone
          // is told what its fingers do.
          var keyboard = !window.matchMedia || window.matchMedia("(any-pointer: fine)").matches;
          status.textContent = "Your browser did not let us copy: the address is selected, " +
            (keyboard ? "press Ctrl+C (⌘C on a Mac)." : "touch and hold it, then choose Copy.");
        }
      );
    });
    button.hidden = false;
  });
})();
