/* Sign-up forms: two small jobs, neither needed to send a form.
   - Copy the story a visitor came from (?story=<id>, added by the links on
     story pages) into each form's hidden story field.
   - Make the thank-you address absolute: form services redirect only to a
     full URL, and development builds use relative ones. */
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
  });
})();
