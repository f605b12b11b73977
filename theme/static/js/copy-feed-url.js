// The subscribe page's "Copy" button: puts the feed address on the clipboard.
// Without JavaScript the button stays hidden and the address can be selected
// and copied by hand from its read-only field.
(function () {
  "use strict";

  function copySelection(input) {
    input.select();
    input.setSelectionRange(0, input.value.length); // iOS selects no read-only field
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  function copyText(input) {
    if (navigator.clipboard && window.isSecureContext) {
      // Android's WebView (the browser inside other apps) refuses writeText.
      return navigator.clipboard.writeText(input.value).catch(function () {
        return copySelection(input);
      });
    }
    // Older browsers and plain-http pages: copy the selection.
    return copySelection(input);
  }

  document.querySelectorAll("[data-copy-from]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy-from"));
    var box = button.closest(".feed-copy");
    var status = box && box.querySelector("[role=status]");
    if (!input || !status) {
      return;
    }
    input.addEventListener("focus", function () {
      input.select();
    });
    button.addEventListener("click", function () {
      copyText(input).then(
        function () {
          status.textContent = "Copied. Now paste it into your podcast app.";
          button.textContent = "Copied";
        },
        function () {
          input.focus();
          status.textContent = "Your browser did not let us copy: the address is selected, press Ctrl+C (⌘C on a Mac).";
        }
      );
    });
    button.hidden = false;
  });
})();
