/* The portal's additions to Decap CMS (served from /admin/, no framework).
 *
 * - The story preview, styled with the site's own style sheets: title,
 *   people, summary and the audio player, as the story page shows them.
 * - Messages: a required field left empty says what `./dev check` says
 *   ("is required but missing"); each field's hint is the schema's help.
 * - Saving leaves out the optional fields left empty, so story.md holds
 *   only what the editor wrote (the schema refuses `published: ''`).
 */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var script = document.currentScript;

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
    toolbar.published = "Saved";
    toolbar.publishNow = "Save now";
    toolbar.publishAndCreateNew = "Save and create new";
    toolbar.publishAndDuplicate = "Save and duplicate";
    phrases.ui.toast.entrySaved = phrases.ui.toast.entryPublished =
      "Saved. The story goes public only once its status is published and its approval is filled in.";
    // Decap's "＋ Story" uses a full-width plus many systems have no glyph for.
    phrases.collection.collectionTop.newButton = "New %{collectionLabel}";
    CMS.registerLocale("en", phrases);
  }

  // -- saving: drop optional fields left empty -----------------------------
  function isEmpty(value) {
    if (value === null || value === undefined || value === "") return true;
    if (value && typeof value.size === "number" && typeof value.toJS === "function") {
      return value.size === 0;
    }
    return false;
  }

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

  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      if (entry.get("collection") !== "stories") return undefined;
      return prune(entry.get("data"));
    },
  });

  // -- the story preview ------------------------------------------------
  var styles = (script && script.getAttribute("data-preview-styles")) || "";
  styles.split(/\s+/).forEach(function (url) {
    if (url) CMS.registerPreviewStyle(url);
  });

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
      return h("article", { className: "story" },
        data.get("status") !== "published" || !data.get("approval")
          ? h("div", { className: "preview-banner", role: "note" },
              h("div", { className: "wrap" },
                h("strong", {}, "Not public."),
                " This story is a draft, or has no approval yet."))
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
