/* Sign-up forms: three small jobs, none needed to send a form.
   - Copy the story a visitor came from (?story=<id>, added by the links on
     story pages) into each form's hidden story field.
   - Make the thank-you address absolute: form services redirect only to a
     full URL, and development builds use relative ones.
   - Say what a field with a pattern (the ZIP code) takes when it does not
     match: its title, instead of the browser's "Please match the requested
     format". */
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
      input.value = new URL(input.value, document.baseURI).href;
    });
    var patterned = form.querySelectorAll("input[pattern][title]");
    Array.prototype.forEach.call(patterned, function (input) {
      var check = function () {
        input.setCustomValidity("");
        if (input.validity.patternMismatch) {
          input.setCustomValidity(input.title);
        }
      };
      input.addEventListener("input", check);
      check(); // a value the browser kept from an earlier visit
    });
  });
})();
