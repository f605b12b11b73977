/* Sign-up forms: three small jobs, none needed to send a form.
   - Copy the story a visitor came from (?story=<id>, added by the links on
     story pages) into each form's hidden story field.
   - Make the thank-you address absolute from where the page is served:
     form services redirect only to a full URL (the page prints the site's
     own, SITE_ABSOLUTE_URL in development, which may not be this server's).
   - Say what a field takes when it is not that: a ZIP code that is not one,
     or a required field of spaces alone (its pattern; a textarea has none,
     so it is checked here), with the field's words (data-format-hint)
     instead of the browser's "Please match the requested
     format". A ZIP+4 typed as nine digits (a phone's number pad has no
     hyphen) gets its hyphen once typed.
   - Send an optional field of spaces alone as left empty: a provider would
     keep the spaces as the answer (a first name of "   " in every email). */
(function () {
  "use strict";
  var STORY_ID = /^[a-z0-9][a-z0-9-]{2,63}$/;
  var story = new URLSearchParams(window.location.search).get("story") || "";
  if (!STORY_ID.test(story)) {
    story = "";
  }
  var forms = document.querySelectorAll("form[data-signup-form]");
  Array.prototype.forEach.call(forms, function (form) {
    if (story) {
      var fields = form.querySelectorAll("input[data-story-field]");
      Array.prototype.forEach.call(fields, function (input) {
        input.value = story;
      });
    }
    var addresses = form.querySelectorAll("input[data-absolute-url]");
    Array.prototype.forEach.call(addresses, function (input) {
      var address = input.getAttribute("data-absolute-url") || input.value;
      input.value = new URL(address, document.baseURI).href;
    });
    var checked = form.querySelectorAll(
      "input[pattern][data-format-hint], textarea[required][data-format-hint]"
    );
    Array.prototype.forEach.call(checked, function (field) {
      var message = field.getAttribute("data-format-hint");
      var check = function () {
        field.setCustomValidity("");
        var blank = field.required && field.value !== "" && !field.value.trim();
        if (field.validity.patternMismatch || blank) {
          field.setCustomValidity(message);
        }
      };
      field.addEventListener("input", check);
      if (field.getAttribute("autocomplete") === "postal-code") {
        field.addEventListener("change", function () {
          var nine = /^\s*([0-9]{5})([0-9]{4})\s*$/.exec(field.value);
          if (nine) {
            field.value = nine[1] + "-" + nine[2];
            check();
          }
        });
      }
      check(); // a value the browser kept from an earlier visit
    });
    form.addEventListener("submit", function () {
      var optional = form.querySelectorAll(
        "input[type='text']:not([required]), textarea:not([required])"
      );
      // Not the robots' trap: what a robot put there must still arrive.
      var trap = form.querySelector(".signup-form__trap input");
      Array.prototype.forEach.call(optional, function (field) {
        if (field !== trap && !field.value.trim()) field.value = "";
      });
    });
  });
})();
