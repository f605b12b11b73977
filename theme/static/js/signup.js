/* Sign-up forms: small jobs, none needed to send a form.
   - Copy the story a visitor came from (?story=<id>, added by the links on
     story pages) into each form's hidden story field.
   - Make the thank-you address absolute from where the page is served:
     form services redirect only to a full URL (the page prints the site's
     own, SITE_ABSOLUTE_URL in development, which may not be this server's).
   - Check the form when it is sent, in place of the browser's bubbles
     (one at a time, gone at once, unevenly read by screen readers): the
     form gets novalidate, and a send with problems gets a list of them at
     the top of the form ("There is a problem", focused, each a link to its
     field) and each field its own message above it (aria-describedby,
     aria-invalid). The words are the field's: data-missing when it is
     left empty, data-format-hint when it is not in the right form (a ZIP
     code that is not one, an email address that is not one, a required
     field of spaces alone: a textarea takes no pattern, so that is checked
     here). A field told of a problem is checked again when it changes
     (on leaving it, not at every key), and its message and its line in
     the list follow. Without script the browser checks, as before.
   - A ZIP+4 typed as nine digits (a phone's number pad has no hyphen) gets
     its hyphen once typed.
   - Send an optional field of spaces alone as left empty: a provider would
     keep the spaces as the answer (a first name of "   " in every email). */
(function () {
  "use strict";
  var STORY_ID = /^[a-z0-9][a-z0-9-]{2,63}$/;
  var story = new URLSearchParams(window.location.search).get("story") || "";
  if (!STORY_ID.test(story)) {
    story = "";
  }

  // A required field of spaces alone, or a pattern not matched: the
  // field's own words (validationMessage), for the checks below.
  function checkFormat(field) {
    var hint = field.getAttribute("data-format-hint");
    if (!hint) return;
    field.setCustomValidity("");
    var blank = field.required && field.value !== "" && !field.value.trim();
    if (field.validity.patternMismatch || blank) {
      field.setCustomValidity(hint);
    }
  }

  // What to do about the field's value, or "" when it is right.
  function problem(field) {
    checkFormat(field);
    if (field.validity.valid) return "";
    if (field.validity.valueMissing) {
      return field.getAttribute("data-missing") || field.validationMessage;
    }
    return field.getAttribute("data-format-hint") || field.validationMessage;
  }

  // Show the field's problem above it (or take it away); true if it has one.
  function mark(field) {
    var message = problem(field);
    var id = field.id + "-error";
    var note = document.getElementById(id);
    var group = field.closest(".field");
    var described = (field.getAttribute("aria-describedby") || "")
      .split(" ")
      .filter(function (token) {
        return token && token !== id;
      });
    if (message) {
      if (!note) {
        note = document.createElement("p");
        note.className = "field__error";
        note.id = id;
        // Above the field, under its label and hint (a checkbox's above
        // the box and its label).
        group.insertBefore(note, field.type === "checkbox" ? group.firstChild : field);
      }
      var prefix = document.createElement("span");
      prefix.className = "visually-hidden";
      prefix.textContent = "Error: ";
      note.replaceChildren(prefix, message);
      described.push(id);
      field.setAttribute("aria-invalid", "true");
    } else {
      if (note) note.remove();
      field.removeAttribute("aria-invalid");
    }
    group.classList.toggle("field--error", !!message);
    if (described.length) {
      field.setAttribute("aria-describedby", described.join(" "));
    } else {
      field.removeAttribute("aria-describedby");
    }
    return !!message;
  }

  // The list of problems at the top of the form, made anew at each send
  // (so it is announced and focused again).
  function summarize(form, wrong) {
    var old = form.querySelector(".error-summary");
    if (old) old.remove();
    var box = document.createElement("div");
    box.className = "error-summary";
    box.tabIndex = -1;
    var alert = document.createElement("div");
    alert.setAttribute("role", "alert");
    var title = document.createElement("h3");
    title.className = "error-summary__title";
    title.textContent = "There is a problem";
    var list = document.createElement("ul");
    list.className = "error-summary__list";
    wrong.forEach(function (field) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + field.id;
      link.textContent = problem(field);
      item.appendChild(link);
      list.appendChild(item);
    });
    alert.append(title, list);
    box.appendChild(alert);
    var heading = form.querySelector(".signup-form__title");
    form.insertBefore(box, heading ? heading.nextSibling : form.firstChild);
    box.focus();
  }

  // A field fixed (or wrong another way): its line in the list follows.
  function follow(form, field) {
    var link = form.querySelector(".error-summary a[href='#" + field.id + "']");
    if (!link) return;
    if (field.getAttribute("aria-invalid")) {
      link.textContent = problem(field);
    } else {
      link.parentNode.remove();
    }
    if (!form.querySelector(".error-summary li")) {
      form.querySelector(".error-summary").remove();
    }
  }

  var forms = document.querySelectorAll("form[data-signup-form]");
  Array.prototype.forEach.call(forms, function (form) {
    if (story) {
      var stories = form.querySelectorAll("input[data-story-field]");
      Array.prototype.forEach.call(stories, function (input) {
        input.value = story;
      });
    }
    var addresses = form.querySelectorAll("input[data-absolute-url]");
    Array.prototype.forEach.call(addresses, function (input) {
      var address = input.getAttribute("data-absolute-url") || input.value;
      input.value = new URL(address, document.baseURI).href;
    });
    // The visible fields, in order: not the hidden ones, not the robots' trap.
    var trap = form.querySelector(".signup-form__trap input");
    var fields = Array.prototype.filter.call(
      form.querySelectorAll("input:not([type='hidden']), textarea"),
      function (field) {
        return field !== trap;
      }
    );
    fields.forEach(function (field) {
      field.addEventListener("input", function () {
        checkFormat(field);
      });
      if (field.getAttribute("autocomplete") === "postal-code") {
        field.addEventListener("change", function () {
          var nine = /^\s*([0-9]{5})([0-9]{4})\s*$/.exec(field.value);
          if (nine) {
            field.value = nine[1] + "-" + nine[2];
            checkFormat(field);
          }
        });
      }
      field.addEventListener("change", function () {
        if (field.getAttribute("aria-invalid")) {
          mark(field);
          follow(form, field);
        }
      });
      checkFormat(field); // a value the browser kept from an earlier visit
    });
    form.noValidate = true;
    form.addEventListener("click", function (event) {
      var link = event.target.closest(".error-summary a");
      var field = link && document.getElementById(link.hash.slice(1));
      if (!field) return;
      // To the field, its label in sight, without a change of address.
      event.preventDefault();
      field.closest(".field").scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
    form.addEventListener("submit", function (event) {
      var wrong = fields.filter(mark);
      if (wrong.length) {
        event.preventDefault();
        summarize(form, wrong);
        return;
      }
      var summary = form.querySelector(".error-summary");
      if (summary) summary.remove();
      // Not the robots' trap: what a robot put there must still arrive.
      fields.forEach(function (field) {
        if (!field.required && field.type !== "checkbox" && !field.value.trim()) {
          field.value = "";
        }
      });
    });
  });
})();
