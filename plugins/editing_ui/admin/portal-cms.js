/* The portal's additions to Decap CMS (served from /admin/, no framework).
 *
 * - The story preview, styled with the site's own style sheets: title,
 *   people, summary and the audio player, as the story page shows them.
 * - Messages: a required field left empty says what `./dev check` says
 *   ("is required but missing"); each field's hint is the schema's help.
 * - Checks beyond Decap's one pattern a field (a field's `checks` in
 *   config.yml, made by decap_config.py with the check's own messages):
 *   further rules, decimal times, parts of a block begun, a picture's
 *   description, chapters that go up, names told apart, the quote's length,
 *   and a new story's id, so that the form refuses what the check refuses.
 *   A required field holding only spaces is missing, as in the check.
 *   A save refused shows the first message, with the cursor in its field.
 * - The front matter is written by portal-format.js (a module), as YAML
 *   the site's reader reads back as typed.
 * - Saving leaves out the optional fields left empty (or only spaces), so
 *   story.md holds only what the editor wrote (the schema refuses
 *   `published: ''`), and writes a switch left alone in a block begun (the
 *   release in an approval) as false, which the check needs written.
 */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var script = document.currentScript;

  var SAVE_NOW = "Save now";
  var SAVE_AND_CREATE_NEW = "Save and create new";
  var SAVE_AND_DUPLICATE = "Save and duplicate";
  var SAVED = "Saved";
  var DUPLICATE = "Duplicate";

  // -- messages --------------------------------------------------------
  var english = CMS.getLocale("en");
  if (english) {
    var phrases = JSON.parse(JSON.stringify(english));
    var widget = phrases.editor.editorControlPane.widget;
    widget.required = "%{fieldLabel} is required but missing - fill it in (see the note under it)";
    // Each pattern's message is the check's own words (config.yml): shown as is.
    widget.regexPattern = "%{pattern}";
    // "Publish" here writes the files (and with the GitHub backend merges
    // the pull request); a story still goes public only through its status
    // and approval, so the buttons say what they do.
    var toolbar = phrases.editor.editorToolbar;
    toolbar.publish = "Save";
    toolbar.publishing = "Saving...";
    toolbar.published = SAVED;
    toolbar.duplicate = DUPLICATE;
    // Shown over a new form too, where nothing has been saved yet.
    toolbar.changesSaved = "No unsaved changes";
    toolbar.publishNow = SAVE_NOW;
    toolbar.publishAndCreateNew = SAVE_AND_CREATE_NEW;
    toolbar.publishAndDuplicate = SAVE_AND_DUPLICATE;
    // One message for every collection (Decap has no other): "a story",
    // since a campaign page or the funders file has no status to publish.
    phrases.ui.toast.entrySaved = phrases.ui.toast.entryPublished =
      "Saved. A story goes public only once its status is published and its approval is filled in, with every release signed.";
    // Decap's "＋ Story" uses a full-width plus many systems have no glyph for.
    phrases.collection.collectionTop.newButton = "New %{collectionLabel}";
    CMS.registerLocale("en", phrases);
  }

  // The messages under a field, in the case they are written in: Decap
  // shows them in capitals, hard to read for a sentence with its fix.
  var style = document.createElement("style");
  style.textContent =
    "[class*='ControlErrorsList']{text-transform:none;font-weight:600;}";
  document.head.appendChild(style);

  // -- narrow windows ------------------------------------------------------
  // Decap draws its editor at least 800 px wide: on a phone its buttons
  // ("Delete entry", the preview's) and the preview were past the window's
  // edge, reached by scrolling sideways. Narrower than that, the editor
  // fits the window: the toolbar in two rows (the way back and the account
  // menu, then the buttons), the form above its preview (Decap's eye
  // button hides the preview, for the whole height to the form).
  var narrow = document.createElement("style");
  var editor = "[class*='-EditorContainer ']";
  narrow.textContent =
    "@media (max-width:799px){" +
    editor + "{min-width:0;display:flex;flex-direction:column;padding-top:0;}" +
    editor + ">[class*='-ToolbarContainer ']{position:relative;min-width:0;" +
    "height:auto;flex:none;flex-wrap:wrap;}" +
    editor + " [class*='ToolbarSectionBackLink']{flex:1 1 auto;height:56px;" +
    "padding:0 12px;border-right-width:0;}" +
    editor + " [class*='ToolbarSectionMeta']{height:56px;border-left-width:0;}" +
    editor + " [class*='ToolbarSectionMain']{order:1;flex:1 1 100%;height:auto;" +
    "flex-wrap:wrap;gap:8px 0;padding:0 0 10px;}" +
    editor + ">[class*='-Editor ']{flex:1 1 auto;width:100%;height:auto;min-height:0;}" +
    // (react-split-pane sets the direction and the form's width inline.)
    "[class*='-Editor '] .SplitPane{flex-direction:column !important;}" +
    "[class*='-Editor '] .SplitPane>.Pane1{width:auto !important;height:55%;}" +
    "[class*='-Editor '] .SplitPane>.Resizer{display:none;}" +
    // The round buttons, over the preview's corner still.
    "[class*='-Editor ']:has(.SplitPane)>[class*='-ViewControls ']{top:calc(55% + 10px);}" +
    "}";
  document.head.appendChild(narrow);

  // -- values ------------------------------------------------------------
  // Empty as the check sees it: nothing, only spaces (the schema takes the
  // spaces off), or an empty list or block.
  function isEmpty(value) {
    if (value === null || value === undefined) return true;
    if (typeof value === "string") return !/\S/.test(value);
    if (typeof value.size === "number" && typeof value.toJS === "function") {
      return value.size === 0;
    }
    return false;
  }

  // A block (approval, quote, location) is begun when any part of it holds
  // something: a switch left off is not something.
  function isBegun(block) {
    if (!block || typeof block.some !== "function") return false;
    return block.some(function (value) {
      return !isEmpty(value) && value !== false;
    });
  }

  function entryOf(props) {
    return props.getEntry ? props.getEntry() : props.entry;
  }

  function dataOf(props) {
    var entry = entryOf(props);
    return (entry && entry.get("data")) || null;
  }

  function plain(value) {
    return value && typeof value.toJS === "function" ? value.toJS() : value;
  }

  // -- times, as portal/timecode.py reads and writes them ------------------
  var TIMECODE = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/;

  function seconds(value) {
    if (typeof value === "number") return value >= 0 ? value : null;
    if (typeof value !== "string") return null;
    var text = value.trim();
    if (/^\d+(?:\.\d+)?$/.test(text)) return parseFloat(text);
    var match = TIMECODE.exec(text);
    if (!match) return null;
    var minutes = parseInt(match[2], 10);
    var secs = parseFloat(match[3]);
    if ((minutes >= 60 && match[1] !== undefined) || secs >= 60) return null;
    return parseInt(match[1] || "0", 10) * 3600 + minutes * 60 + secs;
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // format_timecode: M:SS, or H:MM:SS from an hour, down to the second.
  function clock(value) {
    var whole = Math.max(0, Math.floor(value || 0));
    var hours = Math.floor(whole / 3600);
    var minutes = Math.floor((whole % 3600) / 60);
    var secs = whole % 60;
    if (hours) return hours + ":" + pad(minutes) + ":" + pad(secs);
    return minutes + ":" + pad(secs);
  }

  // Python's f"{number:g}": six significant digits, no trailing zeros.
  function general(number) {
    if (number === 0) return "0";
    var scientific = number.toExponential(5).split("e");
    var exponent = parseInt(scientific[1], 10);
    var strip = function (text) {
      return text.indexOf(".") < 0 ? text : text.replace(/\.?0+$/, "");
    };
    if (exponent < -4 || exponent >= 6) {
      var size = Math.abs(exponent);
      return strip(scientific[0]) + "e" + (exponent < 0 ? "-" : "+") +
        (size < 10 ? "0" : "") + size;
    }
    return strip(number.toFixed(5 - exponent));
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  // The check's warning for a time written as a decimal number
  // (schema.decimal_time_warnings), with the value typed.
  function decimalMessage(text, templates) {
    var match = /^(\d+)\.(\d+)$/.exec(text);
    var whole = match[1];
    var fraction = match[2];
    var value = parseFloat(text);
    var values = {
      seconds: general(value),
      as_seconds: clock(value) + "." + fraction.replace(/0+$/, ""),
    };
    var padded = fraction.length < 2 ? (fraction + "00").slice(0, 2) : fraction;
    if (parseInt(whole, 10) < 60 && fraction.length <= 2 && parseInt(padded, 10) < 60) {
      values.meant = clock(parseInt(whole, 10) * 60 + parseInt(padded, 10));
      return fill(templates.meant, values);
    }
    return fill(templates.other, values);
  }

  // -- checks --------------------------------------------------------------
  // Each gives [error type, message] when the value breaks it, else null.
  function required(props) {
    var field = props.field;
    return props.t("editor.editorControlPane.widget.required", {
      fieldLabel: field.get("label", field.get("name")),
    });
  }

  var CHECKS = {
    rule: function (check, value, props) {
      if (isEmpty(value)) return null;
      if (check.new_only && !(entryOf(props) && entryOf(props).get("newRecord"))) {
        return null;
      }
      return new RegExp(check.regex).test(String(value)) ? null : ["PATTERN", check.message];
    },
    decimal_time: function (check, value) {
      if (isEmpty(value)) return null;
      var text = String(value).trim();
      if (!new RegExp(check.refuse).test(text)) return null;
      return ["PATTERN", decimalMessage(text, check.templates)];
    },
    needed_in: function (check, value, props) {
      var data = dataOf(props);
      if (!isEmpty(value) || !isBegun(data && data.get(check.block))) return null;
      return ["PRESENCE", required(props)];
    },
    needed_with: function (check, value, props) {
      var data = dataOf(props);
      if (!isEmpty(value) || !data || isEmpty(data.get(check.field))) return null;
      return ["PRESENCE", check.message];
    },
    unique: function (check, value, props) {
      if (isEmpty(value)) return null;
      var name = props.field.get("name");
      var norm = function (text) {
        return String(text).trim().normalize("NFC");
      };
      var items = plain(dataOf(props) && dataOf(props).get(check.list)) || [];
      var same = items.filter(function (item) {
        return item && !isEmpty(item[name]) && norm(item[name]) === norm(value);
      });
      return same.length > 1 ? ["CUSTOM", check.message] : null;
    },
    increasing: function (check, value, props) {
      var mine = seconds(value);
      if (mine === null) return null;
      var name = props.field.get("name");
      var items = plain(dataOf(props) && dataOf(props).get(check.list)) || [];
      for (var i = 1; i < items.length; i++) {
        if (!items[i] || String(items[i][name]).trim() !== String(value).trim()) continue;
        var before = seconds(items[i - 1] && items[i - 1][name]);
        if (before !== null && mine <= before) return ["CUSTOM", check.message];
      }
      return null;
    },
    duration: function (check, value, props) {
      var data = dataOf(props);
      var start = seconds(data && data.getIn([check.block, check.start]));
      var end = seconds(value);
      if (start === null || end === null) return null;
      var length = end - start;
      var values = { start: clock(start), end: clock(end), length: general(length) };
      if (length <= 0) return ["CUSTOM", fill(check.templates.before, values)];
      if (length < check.min || length > check.max) {
        return ["CUSTOM", fill(check.templates.long, values)];
      }
      return null;
    },
  };

  // The first problem of a value, or null. A required field holding only
  // spaces is missing (Decap counts it as filled in); the checks run once
  // Decap's own pattern, if any, is met (it says otherwise itself).
  function problemOf(props) {
    var field = props.field;
    var value = props.value;
    if (field.get("required", true) !== false && typeof value === "string" &&
        value !== "" && isEmpty(value)) {
      return ["PRESENCE", required(props)];
    }
    var pattern = field.get("pattern");
    if (pattern && !isEmpty(value) && !new RegExp(pattern.first()).test(value)) {
      return null;
    }
    var checks = plain(field.get("checks")) || [];
    for (var i = 0; i < checks.length; i++) {
      var check = CHECKS[checks[i].kind];
      var problem = check && check(checks[i], value, props);
      if (problem) return problem;
    }
    return null;
  }

  // -- a new story's id ------------------------------------------------------
  // config.yml's default is the next free id when the page was opened; a
  // new story made since another was saved here, or a duplicate, would
  // reuse an id. So a new story's id is checked against every id this page
  // has saved or opened (CHECKS.next_id), and a form made for a new story
  // takes the id the last build found free (next-id.json) past those.
  var seenIds = {};
  var offeredId = null; // next-id.json, as last read

  function nextId(base, pattern) {
    var match = /^(.*?)(\d+)$/.exec(base || "");
    if (!match) return base;
    var number = parseInt(match[2], 10);
    var numbered = new RegExp(pattern);
    Object.keys(seenIds).forEach(function (id) {
      var seen = numbered.exec(id);
      if (seen) number = Math.max(number, parseInt(seen[1], 10) + 1);
    });
    var width = Math.max(4, match[2].length);
    var id;
    do {
      id = String(number++);
      while (id.length < width) id = "0" + id;
      id = match[1] + id;
    } while (seenIds[id]);
    return id;
  }

  function freeId(check, field) {
    return nextId(offeredId || field.get("default"), check.numbered);
  }

  CHECKS.next_id = function (check, value, props) {
    var entry = entryOf(props);
    if (!entry || !entry.get("newRecord") || isEmpty(value)) return null;
    if (!seenIds[String(value).trim()]) return null;
    return ["CUSTOM", fill(check.message, { next: freeId(check, props.field) })];
  };

  function takeNextId(control, check) {
    var props = control.props;
    var entry = entryOf(props);
    var value = props.value;
    if (!entry || !entry.get("newRecord")) {
      if (typeof value === "string" && value) seenIds[value.trim()] = true;
      return;
    }
    if (value && value !== props.field.get("default") && !seenIds[value]) return;
    var offered = fetch(check.url, { cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .catch(function () {
        return {};
      });
    offered.then(function (found) {
      if (found.next_id) offeredId = found.next_id;
      if (control.gone || control.props.value !== value) return;
      var id = freeId(check, props.field);
      if (id && id !== value) control.props.onChange(id);
    });
  }

  CMS.registerEventListener({
    name: "postSave",
    handler: function (event) {
      var id = event.entry.getIn(["data", "id"]);
      if (event.entry.get("collection") === "stories" && typeof id === "string") {
        seenIds[id.trim()] = true;
      }
    },
  });

  // -- Decap's own widgets, with the checks -------------------------------
  // Registered again under their own names (Decap treats some names
  // specially), unchanged for a field without checks.
  var switchesOf = {}; // block -> the switches to write as false once begun

  function withChecks(name, extra) {
    var original = CMS.getWidget(name);
    if (!original) return;
    var Control = original.control;
    var spec = {
      isValid: function () {
        var problem = problemOf(this.props);
        if (!problem) return true;
        return {
          error: { type: problem[0], parentIds: this.props.parentIds, message: problem[1] },
        };
      },
      render: function () {
        if (this.note) this.note();
        return h(Control, this.props);
      },
    };
    Object.keys(extra || {}).forEach(function (key) {
      spec[key] = extra[key];
    });
    // (These three have no global styles and take no map values, the two
    // things this form of registering would leave out.)
    CMS.registerWidget(name, window.createClass(spec), original.preview, original.schema);
  }

  withChecks("string", {
    componentDidMount: function () {
      var control = this;
      (plain(this.props.field.get("checks")) || []).forEach(function (check) {
        if (check.kind === "next_id") takeNextId(control, check);
      });
    },
    componentWillUnmount: function () {
      this.gone = true;
    },
  });
  // The form's date fields, for writing their days as dates (portal-format.js).
  var dateFields = (window.portalDateFields = window.portalDateFields || new Set());
  withChecks("datetime", {
    note: function () {
      dateFields.add(this.props.field.get("name"));
    },
  });
  withChecks("boolean", {
    // The form's switches of a block, for saving (writeSwitches).
    note: function () {
      var name = this.props.field.get("name");
      (plain(this.props.field.get("checks")) || []).forEach(function (check) {
        if (check.kind !== "false_in") return;
        var names = (switchesOf[check.block] = switchesOf[check.block] || []);
        if (names.indexOf(name) < 0) names.push(name);
      });
    },
  });

  // -- saving -------------------------------------------------------------
  function prune(map) {
    // Immutable Maps and Lists, as Decap holds an entry's data.
    if (!map || typeof map.toJS !== "function") return map;
    var out = map;
    map.forEach(function (value, key) {
      var kept = prune(value);
      if (map.has && typeof key === "string" && key !== "body" && isEmpty(kept)) {
        out = out.delete(key);
      } else if (kept !== value) {
        out = out.set(key, kept);
      }
    });
    return out;
  }

  // A switch of a block begun is off, not missing; in a block not begun, a
  // switch turned off leaves nothing to keep.
  function writeSwitches(data) {
    Object.keys(switchesOf).forEach(function (block) {
      var value = data.get(block);
      if (!value || typeof value.set !== "function") return;
      var begun = isBegun(value);
      switchesOf[block].forEach(function (name) {
        if (begun && (value.get(name) === undefined || value.get(name) === null)) {
          value = value.set(name, false);
        } else if (!begun && value.get(name) === false) {
          value = value.delete(name);
        }
      });
      data = data.set(block, value);
    });
    return data;
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      if (entry.get("collection") !== "stories") return undefined;
      return prune(writeSwitches(entry.get("data")));
    },
  });

  // -- a save the form refuses --------------------------------------------
  // Decap saves nothing while a field shows a message, and says so only
  // when a required field is empty: Save with a refused value (a time like
  // 1.30, a summary too long) did nothing to be seen, its message perhaps
  // far down the form. So a refused save shows the first message, in the
  // middle of the screen, with the cursor in its field.
  function showFirstProblem(tries) {
    var list = document.querySelector("[class*='ControlErrorsList']");
    if (!list) {
      if (tries > 0) window.setTimeout(showFirstProblem, 50, tries - 1);
      return;
    }
    list.scrollIntoView({ block: "center" });
    var box = list.parentElement;
    for (var up = 0; box && up < 3; up += 1, box = box.parentElement) {
      var input = box.querySelector("input:not([type='hidden']), textarea");
      if (input) {
        input.focus({ preventScroll: true });
        return;
      }
    }
  }

  document.addEventListener("click", function (event) {
    var item = event.target && event.target.closest && event.target.closest("[role='menuitem']");
    if (item && item.textContent.trim() === SAVE_NOW) window.setTimeout(showFirstProblem, 50, 10);
  });

  // -- "Save and create new", "Save and duplicate" ------------------------
  // Decap (3.16) saves a new story, then opens /new without a new form: the
  // form is still the story just saved, and its next Save writes over that
  // story. From a saved story they work, but ask "Are you sure you want to
  // leave this page?" just after saving, as if the save had not been made.
  // So the choice is made "Save now", and once the saved story's own page
  // shows it saved, a new form, or that page's own "Duplicate".
  var afterSave = null; // "new" or "duplicate", while the save is made

  function named(selector, label) {
    return Array.prototype.filter.call(document.querySelectorAll(selector), function (el) {
      return el.textContent.trim() === label;
    })[0];
  }

  document.addEventListener(
    "click",
    function (event) {
      var item = event.target && event.target.closest && event.target.closest("[role='menuitem']");
      if (!item) return;
      afterSave = null; // any choice in a menu replaces the last one
      var label = item.textContent.trim();
      if (label !== SAVE_AND_CREATE_NEW && label !== SAVE_AND_DUPLICATE) return;
      var now = named("[role='menuitem']", SAVE_NOW);
      if (!now) return;
      event.preventDefault();
      event.stopPropagation();
      now.click();
      afterSave = label === SAVE_AND_DUPLICATE ? "duplicate" : "new";
    },
    true
  );

  // The saved story's page, showing it saved: then the new form, or the
  // page's "Saved" menu and its "Duplicate".
  function goOnWhenSaved(next, tries) {
    var page = /^(#\/collections\/[^/?]+)\/entries\//.exec(window.location.hash);
    var menu = page && named("button, [role='button']", SAVED);
    if (!menu) {
      if (tries > 0) window.setTimeout(goOnWhenSaved, 100, next, tries - 1);
      return;
    }
    if (next === "new") {
      window.location.hash = page[1] + "/new";
      return;
    }
    menu.click();
    window.setTimeout(function () {
      var item = named("[role='menuitem']", DUPLICATE);
      if (item) item.click();
    }, 0);
  }

  CMS.registerEventListener({
    name: "postSave",
    handler: function () {
      if (!afterSave) return;
      var next = afterSave;
      afterSave = null;
      window.setTimeout(goOnWhenSaved, 0, next, 150);
    },
  });

  // -- what the check says, after a save -----------------------------------
  // "Saved" is said as soon as the files are written; the check runs in the
  // drafts preview's rebuild that follows (./dev cms), which writes what it
  // found of each story to checked.json (plugins/editing_ui/checked.py).
  // The story.md a save sends to the local backend is known by its path and
  // the digest of its text; once checked.json holds a check of those very
  // bytes at that path (never another story's, even of the same id), its
  // warnings and errors are shown in a box across the foot of the window,
  // naming the story: the editor may be on another story by then. A rebuild that failed says
  // so in checked.json, and so does the form; so it does, once, when no
  // check comes at all. Only with the local backend: no other backend has a
  // drafts preview behind it.
  var localBackend = (script && script.getAttribute("data-local-backend")) || "";
  var CHECKED = "checked.json";
  var CHECK_WAIT_MS = 10 * 60 * 1000; // a large site's rebuild takes minutes
  // No checked.json at all this long after a save: no drafts preview here
  // (./dev cms makes one before it serves the form).
  var NO_PREVIEW_MS = 60 * 1000;
  var RUN_THE_CHECK = "Run ./dev check in a terminal to see what it finds.";
  var following = {}; // story -> its save followed; a newer save replaces it

  function onThisComputer() {
    return /^(localhost|127\.0\.0\.1|\[::1\])$/.test(window.location.hostname);
  }

  function sha256(text) {
    return window.crypto.subtle
      .digest("SHA-256", new TextEncoder().encode(text))
      .then(function (buffer) {
        return Array.prototype.map
          .call(new Uint8Array(buffer), function (byte) {
            return (byte < 16 ? "0" : "") + byte.toString(16);
          })
          .join("");
      });
  }

  // What a save sent to the local backend: each file's path and text,
  // which decap-server writes as sent. Decap's postSave tells neither where
  // it wrote a new story nor the bytes written, and a story's id may be
  // another's too (a folder copied), so the save is known by these.
  var sentFiles = null; // [{path, raw, newPath}] of the last save, till its postSave
  var SENT_FILES = '"dataFiles":';

  // Only the files' part of the request is read: the uploads after it are
  // base64 text, maybe hundreds of megabytes. (No JSON string holds a bare
  // quote, so the first ',"assets":' after the files ends them.)
  function filesSent(body) {
    var start = body.indexOf(SENT_FILES);
    var end = start < 0 ? -1 : body.indexOf(',"assets":', start);
    if (end < 0) return null;
    try {
      var files = JSON.parse(body.slice(start + SENT_FILES.length, end));
      return Array.isArray(files) ? files : null;
    } catch (error) {
      return null;
    }
  }

  if (localBackend && onThisComputer()) {
    var fetchOfThePage = window.fetch;
    window.fetch = function (input, init) {
      var body = init && init.body;
      if (typeof body === "string" && body.slice(0, 200).indexOf('"action":"persistEntry"') >= 0) {
        sentFiles = filesSent(body);
      }
      return fetchOfThePage.apply(this, arguments);
    };
  }

  // checked.json, null while there is none (404), undefined when it could
  // not be read just now (mid-swap, the server restarting).
  function readChecked() {
    return fetch(CHECKED, { cache: "no-store" })
      .then(function (response) {
        if (response.status === 404) return null;
        return response.ok ? response.json() : undefined;
      })
      .catch(function () {
        return undefined;
      });
  }

  // One live region, there from the start (a region added with its words
  // in it is not read out by every screen reader), shown when it has some:
  // one message a story, the newest first.
  var checkBox = document.createElement("section");
  checkBox.className = "portal-checked";
  checkBox.setAttribute("role", "status");
  checkBox.setAttribute("aria-label", "What the check found");
  checkBox.hidden = true;
  var checkMessages = document.createElement("div");
  var checkClose = document.createElement("button");
  checkClose.type = "button";
  checkClose.textContent = "Close";
  // Kept in sight at the foot of a long box (a phone's): no scrolling to it.
  var checkFoot = document.createElement("div");
  checkFoot.className = "portal-checked-foot";
  checkFoot.appendChild(checkClose);
  checkBox.appendChild(checkMessages);
  checkBox.appendChild(checkFoot);

  // While the box shows, Decap's whole page is drawn above it: Decap's root
  // is held to the part of the window the box leaves, and scrolls there.
  // A box floating over the page covered the toolbar's buttons (Save, the
  // preview's) or the fields, whatever its place, at one width or another.
  var MAKING_ROOM = "portal-checked-open";

  function fitPage() {
    var page = document.documentElement;
    var root = document.getElementById("nc-root");
    var open = page.classList.contains(MAKING_ROOM);
    if (checkBox.hidden) {
      if (!open) return;
      var left = root ? root.scrollLeft : 0;
      var top = root ? root.scrollTop : 0;
      page.classList.remove(MAKING_ROOM);
      window.scrollTo(left, top); // the page stays where it was
      return;
    }
    page.style.setProperty("--portal-checked-height", checkBox.offsetHeight + "px");
    if (open) return;
    var x = window.scrollX;
    var y = window.scrollY;
    page.classList.add(MAKING_ROOM);
    if (root) root.scrollTo(x, y);
  }
  // The box's height changes with its messages and the window's width.
  if (window.ResizeObserver) new window.ResizeObserver(fitPage).observe(checkBox);

  function closeCheckBox() {
    checkBox.hidden = true;
    checkMessages.textContent = "";
    fitPage();
  }
  checkClose.addEventListener("click", closeCheckBox);

  function forgetMessage(key) {
    Array.prototype.forEach.call(checkMessages.children, function (old) {
      if (old.getAttribute("data-story") === key) checkMessages.removeChild(old);
    });
    if (!checkMessages.children.length) closeCheckBox();
  }

  // "Saved “Family Politics”. " and what follows, with its list or its
  // words (``detail``) if any.
  function showMessage(key, title, words, items, detail) {
    forgetMessage(key);
    var message = document.createElement("div");
    message.setAttribute("data-story", key);
    var heading = document.createElement("p");
    heading.textContent = "Saved \u201c" + title + "\u201d. " + words;
    message.appendChild(heading);
    if (detail) {
      var said = document.createElement("p");
      said.textContent = detail;
      message.appendChild(said);
    }
    if (items && items.length) {
      var list = document.createElement("ul");
      items.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        list.appendChild(item);
      });
      message.appendChild(list);
    }
    checkMessages.insertBefore(message, checkMessages.firstChild);
    checkBox.hidden = false;
    fitPage();
  }

  function showChecked(key, title, story) {
    var problems = story.problems || [];
    if (!problems.length) {
      forgetMessage(key); // an older save's message is out of date
      return;
    }
    var count = problems.length === 1 ? "1 thing" : problems.length + " things";
    showMessage(
      key,
      title,
      count + " to look at" + (story.held_back ? " before it is published" : "") + ":",
      problems.map(function (problem) {
        return (problem.error ? "Error: " : "Warning: ") + problem.text;
      })
    );
  }

  // ``why`` is the build's own word (a path may start it: left as it is)
  // or one of ours.
  function couldNotCheck(key, title, why) {
    var said = why.replace(/[\s:;,]+$/, "") || "the drafts preview said nothing of why";
    if (!/[.?!]$/.test(said)) said += ".";
    showMessage(key, title, "The check could not run:", [], said + " " + RUN_THE_CHECK);
  }

  // Follows the save of the story.md at ``path``, whose text had the
  // SHA-256 ``digest`` (a promise), until checked.json holds a check of
  // those bytes there, or says its check failed; or no check comes.
  function followCheck(path, digest, title) {
    var mine = {};
    following[path] = mine;
    forgetMessage(path);
    var started = Date.now();
    var current = function () {
      return following[path] === mine;
    };
    var done = function () {
      if (current()) delete following[path];
    };
    var look = function () {
      if (!current()) return;
      var waited = Date.now() - started;
      if (waited > CHECK_WAIT_MS) {
        done();
        couldNotCheck(path, title, "No check of it came from the drafts preview " +
          "within " + Math.round(CHECK_WAIT_MS / 60000) + " minutes: is ./dev cms " +
          "still running?");
        return;
      }
      var found;
      readChecked()
        .then(function (checked) {
          found = checked;
          if (found === null && waited > NO_PREVIEW_MS) return "none";
          var story = found && found.stories && found.stories[path];
          if (!story) return null;
          return digest.then(function (saved) {
            return saved === story.digest ? story : null;
          });
        })
        .then(function (story) {
          if (!current()) return;
          if (story === "none") {
            done();
            couldNotCheck(path, title, "No drafts preview checks the stories " +
              "saved here: open the form that ./dev cms serves.");
            return;
          }
          if (!story) {
            window.setTimeout(look, 1000);
            return;
          }
          done();
          if (found.failed) couldNotCheck(path, title, found.failed.reason || "");
          else showChecked(path, title, story);
        })
        .catch(function () {
          if (current()) window.setTimeout(look, 1000);
        });
    };
    look();
  }

  var checkStyle = document.createElement("style");
  checkStyle.textContent =
    ".portal-checked[hidden]{display:none;}" +
    // Across the foot of the window, at most 40% of its height (then it
    // scrolls, its Close button kept in sight).
    ".portal-checked{position:fixed;left:0;right:0;bottom:0;z-index:1000;" +
    "box-sizing:border-box;max-height:40vh;overflow:auto;padding:.75rem 1.25rem;" +
    "background:#fff8e1;color:#1a1a1a;border-top:2px solid #8a6d00;" +
    "box-shadow:0 -2px 10px rgba(0,0,0,.15);font:inherit;line-height:1.45;" +
    "overflow-wrap:anywhere;}" +
    ".portal-checked>*{max-width:60rem;}" +
    "html." + MAKING_ROOM + " #nc-root{position:fixed;top:0;left:0;right:0;" +
    "bottom:var(--portal-checked-height,0);overflow:auto;}" +
    ".portal-checked p{margin:0 0 .5rem;}" +
    ".portal-checked p:first-child{font-weight:600;}" +
    ".portal-checked ul{margin:0 0 .75rem;padding-left:1.25rem;}" +
    ".portal-checked li{margin:.25rem 0;}" +
    ".portal-checked [data-story]+[data-story]{border-top:1px solid #8a6d00;padding-top:.75rem;}" +
    ".portal-checked-foot{position:sticky;bottom:-.75rem;margin:0 0 -.75rem;" +
    "padding:.25rem 0 .75rem;background:#fff8e1;}" +
    ".portal-checked button{font:inherit;padding:.35rem .9rem;cursor:pointer;}";
  document.head.appendChild(checkStyle);
  document.body.appendChild(checkBox);

  CMS.registerEventListener({
    name: "postSave",
    handler: function (event) {
      var entry = event.entry;
      // One save, one message: Decap may tell of a save twice.
      var files = sentFiles;
      sentFiles = null;
      if (!files || entry.get("collection") !== "stories") return;
      var file = files.filter(function (sent) {
        return sent && typeof sent.path === "string" && typeof sent.raw === "string";
      })[0];
      if (!file) return;
      var path = file.newPath || file.path;
      var title = entry.getIn(["data", "title"]);
      if (typeof title !== "string" || !title.trim()) title = path.split("/").slice(-2)[0];
      followCheck(path, sha256(file.raw), title.trim());
    },
  });

  // -- the story preview ------------------------------------------------
  var styles = (script && script.getAttribute("data-preview-styles")) || "";
  styles.split(/\s+/).forEach(function (url) {
    if (url) CMS.registerPreviewStyle(url);
  });
  // Decap's round preview buttons (toggle, sync scrolling) float over the
  // preview's top right corner: the "Not public" banner's words and the
  // story's heading under it keep clear.
  CMS.registerPreviewStyle(
    ".preview-banner .wrap, .story__header .wrap { padding-right: 3.5rem; }",
    { raw: true }
  );

  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function joinNames(names) {
    if (names.length <= 1) return names.join("");
    return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  // A select's label for a value ("Strangers matched by One Small Step"),
  // from the collection's configuration.
  function optionLabel(collection, name, value) {
    var field = collection.get("fields").find(function (f) {
      return f.get("name") === name;
    });
    var options = field && field.get("options");
    var option = options && options.find(function (o) {
      return o && o.get && o.get("value") === value;
    });
    return option ? option.get("label") : value;
  }

  // Why the story is not public, as the approval gate says it
  // (plugins/approval_gate: hold_back_reasons), or nothing.
  function heldBack(data) {
    var reasons = [];
    var status = text(data.get("status")) || "draft";
    if (status !== "published") reasons.push("status is '" + status + "'");
    var approval = data.get("approval");
    var approved = approval && approval.get
      ? !isEmpty(approval.get("approved_by")) && !isEmpty(approval.get("approved_on"))
      : false;
    if (!approved) {
      // The gate's reason, in the form's words (its fields' labels).
      reasons.push("no approval (Approved by and Approved on are empty)");
    } else if (approval.get("releases_signed") !== true) {
      reasons.push("not every participant has signed the release");
    }
    var published = text(data.get("published")).slice(0, 10);
    var today = new Date();
    var now = today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate());
    if (published && published > now) {
      // Alone, when it goes public; beside another reason, only that it waits.
      reasons.push(reasons.length ? "scheduled for " + published
        : "scheduled: goes public with the first publish on or after " + published);
    }
    return reasons;
  }

  var StoryPreview = window.createClass({
    render: function () {
      var entry = this.props.entry;
      var data = entry.get("data");
      var getAsset = this.props.getAsset;
      var list = data.get("participants");
      var people = list && list.toJS ? list.toJS() : [];
      var names = people.map(function (p) { return text(p && p.name); }).filter(Boolean);
      var relationship = optionLabel(this.props.collection, "relationship",
        text(data.get("relationship")));
      var audio = text(data.get("audio"));
      var audioUrl = audio ? String(getAsset(audio)) : "";
      var location = data.getIn(["location", "name"]);
      var eyebrow = relationship + (location ? " · " + location : "");
      var held = heldBack(data);
      return h("article", { className: "story" },
        held.length
          ? h("div", { className: "preview-banner", role: "note" },
              h("div", { className: "wrap" },
                h("strong", {}, "Not public."),
                " This story is held back: " + held.join("; ") + "."))
          : null,
        h("header", { className: "story__header" },
          h("div", { className: "wrap" },
            h("p", { className: "eyebrow" }, eyebrow),
            h("h1", { className: "story__title" }, text(data.get("title")) || "Untitled"),
            h("p", { className: "story__people" }, joinNames(names)))),
        h("div", { className: "wrap story__body" },
          h("div", { className: "story__main" },
            audioUrl
              ? h("audio", { className: "story-preview__audio", controls: true, preload: "metadata", src: audioUrl })
              : h("p", { className: "muted" }, "No audio yet."),
            data.get("summary") ? h("p", { className: "lede" }, text(data.get("summary"))) : null,
            h("div", { className: "prose" }, this.props.widgetFor("body")))));
    },
  });

  CMS.registerPreviewTemplate("stories", StoryPreview);
})();
