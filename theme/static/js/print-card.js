// The guide's "Print the question card" button. Without JavaScript it stays
// hidden and the note beside it says what printing the page gives.
(function () {
  "use strict";
  document.querySelectorAll("[data-print-card]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
    button.hidden = false;
  });
})();
