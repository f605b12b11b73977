/*
 * One Small Step: the story player.
 *
 * Every <figure data-player> holds a native <audio controls> that works
 * without this file (and fallback.js, run next, shows it as without scripts
 * if this file fails or never comes). This script swaps in our controls
 * (play, seek, skip, speed, chapters, copy a link) and ties the player to
 * what the page shows about the story: the transcript (highlight, follow,
 * search, click to seek), the chapter list and the conversation timeline
 * (elements with data-for="<slug>"). It also keeps one story playing at a
 * time, remembers where each story was left (localStorage, no cookies) and
 * offers to resume there (never jumps there unasked), feeds the Media
 * Session (lock screens, headsets), honours #t=1:23, ?t=83, #turn-N and
 * #chapter-N, and runs the keyboard shortcuts the page documents.
 *
 * No framework and no third-party code; it never writes HTML from strings.
 */
(function () {
  "use strict";

  var SKIP_BACK = 15;
  var SKIP_FORWARD = 30;
  var SPEEDS = [0.75, 1, 1.25, 1.5, 1.75, 2];
  var POSITION_KEY = "oss-position:";
  var SHORTCUTS_KEY = "oss-shortcuts";
  var USER_SCROLL_PAUSE = 4000; // ms the transcript stops following after a scroll
  var LOADING_GRACE = 500;      // ms of waiting for the audio before "Loading…" shows
  var reducedMotion = window.matchMedia
    ? window.matchMedia("(prefers-reduced-motion: reduce)")
    : { matches: false };
  var players = [];
  var lastUserScroll = 0;

  /* ---- Times ------------------------------------------------------- */

  function clock(seconds) {
    var total = Math.max(0, Math.floor(seconds || 0));
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var secs = total % 60;
    var mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
    return (hours ? hours + ":" : "") + mm + ":" + String(secs).padStart(2, "0");
  }

  function spoken(seconds) {
    var total = Math.max(0, Math.floor(seconds || 0));
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var secs = total % 60;
    var parts = [];
    if (hours) parts.push(hours + (hours === 1 ? " hour" : " hours"));
    if (minutes) parts.push(minutes + (minutes === 1 ? " minute" : " minutes"));
    if (secs || !parts.length) parts.push(secs + (secs === 1 ? " second" : " seconds"));
    return parts.join(" ");
  }

  /* "83", "83.5", "1:23", "01:02:03", "1m23s", "npt:83" -> seconds, or null. */
  function parseTime(text) {
    if (text == null) return null;
    var value = String(text).trim().replace(/^npt:/, "").split(",")[0];
    var match;
    if ((match = value.match(/^(\d+(?:\.\d+)?)s?$/))) return parseFloat(match[1]);
    if ((match = value.match(/^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/))) {
      return (parseInt(match[1] || "0", 10) * 3600) + parseInt(match[2], 10) * 60 +
        parseFloat(match[3]);
    }
    if ((match = value.match(/^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/)) && value) {
      return (parseInt(match[1] || "0", 10) * 3600) + (parseInt(match[2] || "0", 10) * 60) +
        parseFloat(match[3] || "0");
    }
    return null;
  }

  /* ---- Storage (may be unavailable: private modes, blocked storage) ---- */

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (error) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (error) { /* storage is optional */ }
  }

  function shortcutsOn() { return load(SHORTCUTS_KEY) !== "off"; }

  /* ---- One player ---------------------------------------------------- */

  function Player(figure) {
    this.figure = figure;
    this.audio = figure.querySelector("audio");
    this.ui = figure.querySelector("[data-player-ui]");
    this.slug = figure.getAttribute("data-story");
    this.id = figure.getAttribute("data-story-id") || this.slug;
    this.duration = parseFloat(figure.getAttribute("data-duration")) || 0;
    try {
      this.chapters = JSON.parse(figure.getAttribute("data-chapters") || "[]");
    } catch (error) {
      this.chapters = [];
    }
    this.pending = null;       // a seek waiting for the audio's metadata
    this.dragging = false;     // the slider is being moved
    this.lastSaved = -1;
    this.chapterIndex = -2;    // -2: not yet shown, -1: before the first
    this.currentCue = null;
    this.cues = [];
    this.related = [];
  }

  Player.prototype.part = function (selector) {
    return this.figure.querySelector(selector);
  };

  Player.prototype.enhance = function () {
    var self = this;
    var audio = this.audio;
    if (!audio || !this.ui) return;

    this.play = this.part("[data-action='toggle']");
    this.seekbar = this.part("[data-seek]");
    this.timeNow = this.part("[data-time-current]");
    this.timeCopy = this.part("[data-time-copy]");
    this.status = this.part("[data-status]");
    this.chapterNow = this.part("[data-chapter-now]");
    this.speed = this.part("[data-speed]");
    this.resumeBox = this.part("[data-resume]");
    this.resumeAt = null;      // a saved position offered, not yet taken
    this.until = Infinity;     // where a moment played from its link ends
    this.error = this.part("[data-error]");
    // "Loading…" after the time while the audio waits for the network (the
    // status says it: this says nothing again).
    var words = this.loadingText = document.createElement("span");
    words.className = "player__loading";
    words.hidden = true;
    words.setAttribute("aria-hidden", "true");
    words.textContent = "Loading…";
    this.timeNow.after(words);

    this.ui.addEventListener("click", function (event) {
      var button = event.target.closest("[data-action]");
      if (button && self.ui.contains(button)) self.act(button.getAttribute("data-action"));
    });
    this.seekbar.addEventListener("input", function () {
      self.dragging = true;
      self.seek(parseFloat(self.seekbar.value));
    });
    this.seekbar.addEventListener("change", function () { self.dragging = false; });
    this.speed.addEventListener("change", function () {
      self.setRate(parseFloat(self.speed.value));
    });

    audio.addEventListener("play", function () { self.onPlay(); });
    audio.addEventListener("pause", function () { self.onPause(); });
    audio.addEventListener("waiting", function () { self.loading(true); });
    audio.addEventListener("playing", function () {
      if (!self.loadingText.hidden) self.announce("Playing");
      self.loading(false);
    });
    audio.addEventListener("ended", function () {
      save(POSITION_KEY + self.id, null);
      self.announce("Finished");
    });
    audio.addEventListener("timeupdate", function () {
      if (audio.currentTime >= self.until) {
        self.until = Infinity;
        audio.pause();
      }
      self.update();
    });
    audio.addEventListener("seeked", function () { self.update(); });
    audio.addEventListener("ratechange", function () { self.showRate(); });
    // The audio did not come (offline, a dropped connection, a blocked or
    // missing file): the browser would wait, "playing", for ever. A failed
    // source fires "error" at its <source>, which does not bubble: caught on
    // the way down (not a captions track's). Shown, it also means "failed".
    audio.addEventListener("error", function (event) {
      if (event.target.tagName === "TRACK") return;
      self.loading(false);
      self.error.hidden = false;
      audio.pause();
      self.announce(self.error.textContent);
    }, true);
    audio.addEventListener("loadedmetadata", function () { self.onMetadata(); });
    audio.addEventListener("durationchange", function () { self.onMetadata(); });
    if (audio.readyState >= 1) this.onMetadata();

    this.connect();
    this.update();
    // Our controls replace the native ones only once all of the above has
    // worked: if it throws, the player stays native, and fallback.js (run
    // next) shows it as without scripts.
    audio.controls = false;
    this.ui.hidden = false;
    this.figure.classList.add("is-enhanced");
    // Played with the native controls before this file came (a slow network).
    if (!audio.paused) this.onPlay();
  };

  /* Elements elsewhere on the page that belong to this story. */
  Player.prototype.connect = function () {
    var self = this;
    var selector = "[data-for='" + (window.CSS && CSS.escape ? CSS.escape(this.slug) : this.slug) + "']";
    this.related = Array.prototype.slice.call(document.querySelectorAll(selector));
    this.related.forEach(function (element) {
      if (element.hasAttribute("data-transcript")) self.transcript = new Transcript(self, element);
      if (element.hasAttribute("data-timeline")) self.bindTimeline(element);
      if (element.hasAttribute("data-chapter-list")) self.chapterList = element;
      if (element.hasAttribute("data-mini-player")) self.bindMini(element);
      element.addEventListener("click", function (event) { self.onSeekLink(event); });
    });
  };

  /* Clicks on timestamps, chapter links and transcript text seek and play. */
  Player.prototype.onSeekLink = function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey ||
        event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest("[data-seek]");
    var time = null;
    if (link) {
      time = parseFloat(link.getAttribute("data-seek"));
    } else {
      var cue = event.target.closest(".cue");
      var selection = window.getSelection ? window.getSelection() : null;
      if (!cue || (selection && !selection.isCollapsed)) return; // selecting text
      time = parseFloat(cue.getAttribute("data-start"));
    }
    if (isNaN(time)) return;
    event.preventDefault();
    this.seek(time);
    // "Play this moment (0:05 to 0:23)" stops at 0:23.
    var until = link && parseFloat(link.getAttribute("data-until"));
    if (until > time) this.until = until;
    this.start();
  };

  /* The bar at the bottom of the window, shown while the story plays (or
     has played) and the player itself is out of view: play/pause, skip
     back and forward, the time and how far the story has got. */
  Player.prototype.bindMini = function (element) {
    var self = this;
    this.mini = element;
    this.miniTime = element.querySelector("[data-mini-time]");
    this.miniChapter = element.querySelector("[data-mini-chapter]");
    this.miniToggle = element.querySelector("[data-mini-toggle]");
    this.miniProgress = element.querySelector("[data-mini-progress]");
    this.playerInView = true;
    this.miniToggle.addEventListener("click", function () { self.toggle(); });
    element.addEventListener("click", function (event) {
      var button = event.target.closest("[data-mini-action]");
      if (button) self.act(button.getAttribute("data-mini-action"));
    });
    if (!("IntersectionObserver" in window)) return;
    new IntersectionObserver(function (entries) {
      self.playerInView = entries[entries.length - 1].isIntersecting;
      self.showMini();
    }).observe(this.figure);
  };

  Player.prototype.showMini = function () {
    if (!this.mini) return;
    var show = Boolean(this.started) && !this.playerInView;
    this.mini.hidden = !show;
    document.body.classList.toggle("has-mini-player", show);
  };

  Player.prototype.bindTimeline = function (element) {
    var self = this;
    var svg = element.querySelector("svg");
    this.playhead = element.querySelector("[data-playhead]");
    if (!svg) return;
    svg.addEventListener("click", function (event) {
      var box = svg.getBoundingClientRect();
      if (!box.width) return;
      var fraction = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
      self.seek(fraction * self.length());
      self.start();
    });
  };

  Player.prototype.length = function () {
    var real = this.audio.duration;
    return isFinite(real) && real > 0 ? real : this.duration;
  };

  Player.prototype.time = function () {
    return this.pending !== null ? this.pending : this.audio.currentTime;
  };

  Player.prototype.seek = function (seconds) {
    this.until = Infinity; // a listener who moves on leaves the moment
    var target = Math.min(Math.max(seconds || 0, 0), this.length() || seconds || 0);
    if (this.audio.readyState >= 1) {
      this.audio.currentTime = target;
      this.pending = null;
    } else {
      // Before the metadata loads, the browser may drop a seek; keep it.
      this.pending = target;
      try { this.audio.currentTime = target; } catch (error) { /* applied later */ }
    }
    this.update();
  };

  Player.prototype.start = function () {
    var self = this;
    if (!this.error.hidden) {
      // Again (the network may be back), from where the listener was.
      var at = this.time();
      this.error.hidden = true;
      this.audio.load();
      this.seek(at);
    }
    var promise = this.audio.play();
    if (promise && promise.catch) {
      // Refused (a browser that wants a press of Play first); not when a
      // pause came while the audio loaded ("Paused" is said).
      promise.catch(function (error) {
        if (self.error.hidden && error.name !== "AbortError") self.announce("Press play to listen");
      });
    }
  };

  Player.prototype.toggle = function () {
    if (this.audio.paused) this.start();
    else this.audio.pause();
  };

  Player.prototype.setRate = function (rate) {
    var index = SPEEDS.indexOf(rate);
    if (index < 0) return;
    this.audio.playbackRate = rate;
    this.audio.defaultPlaybackRate = rate;
    this.showRate();
    this.announce("Speed " + rate + " times");
  };

  Player.prototype.stepRate = function (step) {
    var index = SPEEDS.indexOf(this.audio.playbackRate);
    if (index < 0) index = SPEEDS.indexOf(1);
    var next = SPEEDS[Math.min(Math.max(index + step, 0), SPEEDS.length - 1)];
    if (next !== this.audio.playbackRate) this.setRate(next);
  };

  Player.prototype.showRate = function () {
    if (this.speed) this.speed.value = String(this.audio.playbackRate);
  };

  Player.prototype.act = function (action) {
    if (action === "toggle") this.toggle();
    else if (action === "back") this.seek(this.time() - SKIP_BACK);
    else if (action === "forward") this.seek(this.time() + SKIP_FORWARD);
    else if (action === "previous-chapter") this.previousChapter();
    else if (action === "next-chapter") this.nextChapter();
    else if (action === "copy-link") this.copyLink();
    else if (action === "resume") this.takeResume(true);
    else if (action === "restart") this.takeResume(false);
  };

  /* ---- Chapters ------------------------------------------------------ */

  Player.prototype.chapterAt = function (time) {
    var found = -1;
    for (var i = 0; i < this.chapters.length; i++) {
      if (this.chapters[i].start <= time + 0.05) found = i;
    }
    return found;
  };

  Player.prototype.previousChapter = function () {
    if (!this.chapters.length) return;
    var now = this.time();
    var index = this.chapterAt(now);
    // Like a CD player: back to this chapter's start, unless just there.
    if (index >= 0 && now - this.chapters[index].start < 3) index -= 1;
    this.goToChapter(Math.max(index, 0));
  };

  Player.prototype.nextChapter = function () {
    var index = this.chapterAt(this.time()) + 1;
    if (index < this.chapters.length) this.goToChapter(index);
    else this.announce("This is the last chapter");
  };

  Player.prototype.goToChapter = function (index) {
    this.seek(this.chapters[index].start);
    if (this.audio.paused) this.showChapter(true);
  };

  Player.prototype.showChapter = function (announce) {
    if (!this.chapters.length) return;
    var index = this.chapterAt(this.time());
    if (index === this.chapterIndex && !announce) return;
    var changed = index !== this.chapterIndex;
    this.chapterIndex = index;
    var text = index < 0
      ? "Before chapter 1"
      : "Chapter " + (index + 1) + " of " + this.chapters.length + ": " + this.chapters[index].title;
    if (this.chapterNow) this.chapterNow.textContent = text;
    if (this.miniChapter) this.miniChapter.textContent = text;
    if (this.chapterList) {
      var items = this.chapterList.querySelectorAll(".chapter-list__link");
      for (var i = 0; i < items.length; i++) {
        if (i === index) items[i].setAttribute("aria-current", "true");
        else items[i].removeAttribute("aria-current");
      }
    }
    if ((changed && !this.audio.paused) || announce) this.announce(text);
  };

  /* ---- Playing ------------------------------------------------------- */

  Player.prototype.onPlay = function () {
    var self = this;
    this.started = true;
    this.offerResume(null); // playing answers the question
    players.forEach(function (other) { if (other !== self) other.audio.pause(); });
    // Plain <audio> elements this script did not enhance stop too.
    Array.prototype.forEach.call(document.querySelectorAll("audio"), function (audio) {
      if (audio !== self.audio && !audio.paused) audio.pause();
    });
    this.figure.classList.add("is-playing");
    this.play.setAttribute("aria-label", "Pause");
    if (this.mini) {
      this.mini.classList.add("is-playing");
      this.miniToggle.setAttribute("aria-label", "Pause");
      this.showMini();
    }
    this.announce("Playing");
    // Pressed before the audio has what it needs to play (preload="none",
    // a slow network): it will wait ("waiting" may not come).
    if (this.audio.readyState < 3) this.loading(true);
    this.mediaSession();
  };

  /* Play pressed, or playing stopped, while the audio waits for the network:
     after a moment's grace (a fast network shows nothing), "Loading…" is
     shown after the time and said once, and the play buttons are busy (a
     ring round them). Playing ("Playing" said again), a pause or an error
     ends it. */
  Player.prototype.loading = function (waiting) {
    var self = this;
    clearTimeout(this.loadingTimer);
    if (!waiting || this.audio.paused) this.showLoading(false);
    else if (this.loadingText.hidden) {
      this.loadingTimer = setTimeout(function () { self.showLoading(true); }, LOADING_GRACE);
    }
  };

  Player.prototype.showLoading = function (shown) {
    if (shown) this.announce("Loading…");
    this.loadingText.hidden = !shown;
    this.play.setAttribute("aria-busy", shown);
    if (this.mini) this.miniToggle.setAttribute("aria-busy", shown);
  };

  Player.prototype.onPause = function () {
    this.loading(false);
    this.figure.classList.remove("is-playing");
    this.play.setAttribute("aria-label", "Play");
    if (this.mini) {
      this.mini.classList.remove("is-playing");
      this.miniToggle.setAttribute("aria-label", "Play");
    }
    if (!this.audio.ended && this.error.hidden) this.announce("Paused");
    this.remember(true);
    if ("mediaSession" in navigator && this.ownsSession) {
      navigator.mediaSession.playbackState = "paused";
    }
  };

  Player.prototype.onMetadata = function () {
    var length = this.length();
    if (length && this.seekbar) this.seekbar.max = String(Math.round(length * 1000) / 1000);
    if (this.pending !== null) {
      var target = this.pending;
      this.pending = null;
      if (Math.abs(this.audio.currentTime - target) > 0.25) this.audio.currentTime = target;
    }
    this.update();
  };

  Player.prototype.update = function () {
    var now = this.time();
    var length = this.length();
    if (this.seekbar && !this.dragging) this.seekbar.value = String(now);
    if (this.seekbar) this.seekbar.setAttribute("aria-valuetext", spoken(now) + " of " + spoken(length));
    if (this.timeNow) this.timeNow.textContent = clock(now);
    if (this.timeCopy) this.timeCopy.textContent = clock(now);
    if (this.miniTime) this.miniTime.textContent = clock(now);
    if (this.miniProgress && length) {
      // A transform, not a width: no layout work on every timeupdate.
      this.miniProgress.style.transform = "scaleX(" + Math.min(now / length, 1).toFixed(4) + ")";
    }
    if (this.playhead && length) {
      var percent = (Math.min(now / length, 1) * 100).toFixed(3) + "%";
      this.playhead.setAttribute("x1", percent);
      this.playhead.setAttribute("x2", percent);
    }
    this.showChapter(false);
    // The words being spoken are marked once listening (or a seek) begins.
    if (this.transcript && (this.started || now > 0)) {
      this.transcript.follow(now, !this.audio.paused);
    }
    this.remember(false);
    this.positionState();
  };

  /* ---- Remembering where a story was left ---------------------------- */

  Player.prototype.remember = function (now) {
    var time = this.audio.currentTime;
    if (!time || this.pending !== null) return;
    if (!now && Math.abs(time - this.lastSaved) < 5) return;
    this.lastSaved = time;
    var length = this.length();
    if (length && time > length - 3) save(POSITION_KEY + this.id, null);
    else save(POSITION_KEY + this.id, String(Math.floor(time)));
  };

  /* A story left part way through: ask ("Resume at 0:31 / Start over")
     rather than jump there, which surprises a listener who came back to
     hear it from the start. */
  Player.prototype.resume = function () {
    var saved = parseFloat(load(POSITION_KEY + this.id));
    if (this.started || !saved || saved < 3 || saved > this.length() - 3) return false;
    this.offerResume(saved);
    return true;
  };

  Player.prototype.offerResume = function (seconds, label) {
    this.resumeAt = seconds;
    if (!this.resumeBox) return;
    this.resumeBox.hidden = seconds === null;
    if (seconds !== null) {
      var at = this.resumeBox.querySelector("[data-resume-time]");
      if (at) at.textContent = clock(seconds);
      var words = this.resumeBox.querySelector("[data-resume-label]");
      if (words) words.textContent = label || "Resume at";
    }
  };

  Player.prototype.takeResume = function (resume) {
    var at = this.resumeAt;
    var hadFocus = this.resumeBox && this.resumeBox.contains(document.activeElement);
    this.offerResume(null);
    if (hadFocus) this.play.focus(); // the pressed button is gone
    if (resume && at !== null) {
      this.seek(at);
    } else {
      save(POSITION_KEY + this.id, null);
      this.seek(0);
    }
    this.start();
  };

  /* ---- Media Session: lock screens, headsets, car displays ----------- */

  Player.prototype.mediaSession = function () {
    if (!("mediaSession" in navigator)) return;
    var self = this;
    var session = navigator.mediaSession;
    players.forEach(function (other) { other.ownsSession = other === self; });
    try {
      var artwork = this.figure.getAttribute("data-artwork");
      session.metadata = new window.MediaMetadata({
        title: this.figure.getAttribute("data-title") || document.title,
        artist: this.figure.getAttribute("data-artist") || "",
        album: this.figure.getAttribute("data-album") || "",
        // The share card, with no media type given: its own bytes say what
        // it is (a type that is wrong makes some systems drop the picture).
        artwork: artwork
          ? [{ src: new URL(artwork, document.baseURI).href, sizes: "1200x630" }]
          : []
      });
      session.playbackState = "playing";
    } catch (error) { /* an older browser: metadata is optional */ }
    var handlers = {
      play: function () { self.start(); },
      pause: function () { self.audio.pause(); },
      stop: function () { self.audio.pause(); },
      seekbackward: function (details) { self.seek(self.time() - ((details && details.seekOffset) || SKIP_BACK)); },
      seekforward: function (details) { self.seek(self.time() + ((details && details.seekOffset) || SKIP_FORWARD)); },
      seekto: function (details) { if (details && details.seekTime != null) self.seek(details.seekTime); },
      previoustrack: this.chapters.length ? function () { self.previousChapter(); } : null,
      nexttrack: this.chapters.length ? function () { self.nextChapter(); } : null
    };
    Object.keys(handlers).forEach(function (action) {
      try { session.setActionHandler(action, handlers[action]); } catch (error) { /* unsupported */ }
    });
  };

  Player.prototype.positionState = function () {
    if (!this.ownsSession || !("mediaSession" in navigator)) return;
    var session = navigator.mediaSession;
    var length = this.length();
    if (!session.setPositionState || !length) return;
    try {
      session.setPositionState({
        duration: length,
        playbackRate: this.audio.playbackRate || 1,
        position: Math.min(this.audio.currentTime, length)
      });
    } catch (error) { /* a position the browser rejects */ }
  };

  /* ---- Sharing a moment ---------------------------------------------- */

  Player.prototype.momentUrl = function () {
    var base = this.figure.getAttribute("data-story-url") || window.location.href;
    var url = new URL(base, window.location.href);
    url.search = "";
    url.hash = "t=" + clock(this.time());
    return url.href;
  };

  Player.prototype.copyLink = function () {
    var self = this;
    var link = this.momentUrl();
    var at = clock(this.time());
    function copied() {
      self.announce("Link to " + at + " copied");
      self.figure.setAttribute("data-copied", link);
      // Seen too: "Link copied to 0:15" for a moment.
      // (A narrow embed shows the button's icon alone: is-copied puts a
      // tick in its place.)
      var button = self.part(".player__copy");
      // The field to copy by hand is there only while the link is not
      // copied: once it is, it goes (a field left open, its link selected,
      // reads as still to be copied, and pushes the page down), and the
      // focus it took returns to the button, which says so.
      var box = self.part("[data-copy-fallback]");
      if (box && !box.hidden) {
        var focused = box.contains(document.activeElement);
        box.hidden = true;
        if (focused) button.focus();
      }
      var words = button.querySelector("span");
      words.textContent = "Link copied";
      button.classList.add("is-copied");
      setTimeout(function () {
        words.textContent = "Copy link";
        button.classList.remove("is-copied");
      }, 2000);
    }
    // The link in a field, selected, and the selection copied: the Clipboard
    // API is missing, or refuses (Android's WebView, the browser inside
    // social and mail apps). Where that fails too, it is there to copy.
    function fallback() {
      var box = self.part("[data-copy-fallback]");
      var field = self.part("[data-copy-field]");
      if (!box || !field) return;
      box.hidden = false;
      field.value = link;
      field.focus();
      field.select();
      if (document.execCommand("copy")) copied();
      else self.announce("Copy the selected link to " + at);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(link).then(copied, fallback);
    } else {
      fallback();
    }
  };

  Player.prototype.announce = function (text) {
    if (!this.status) return;
    // Clear first so the same words are announced again.
    this.status.textContent = "";
    var status = this.status;
    window.requestAnimationFrame(function () { status.textContent = text; });
  };

  /* ---- The transcript ------------------------------------------------- */

  function Transcript(player, element) {
    var self = this;
    this.player = player;
    this.element = element;
    this.turns = Array.prototype.slice.call(element.querySelectorAll("[data-turn]"));
    this.sections = Array.prototype.slice.call(element.querySelectorAll("[data-section]"));
    this.cues = Array.prototype.map.call(element.querySelectorAll(".cue"), function (cue) {
      return {
        element: cue,
        turn: cue.closest("[data-turn]"),
        start: parseFloat(cue.getAttribute("data-start")),
        end: parseFloat(cue.getAttribute("data-end")),
        text: cue.textContent
      };
    });
    this.current = null;
    this.query = "";
    this.followBox = element.querySelector("[data-follow]");
    this.searchBox = element.querySelector("[data-search-input]");
    this.searchStatus = element.querySelector("[data-search-status]");
    var tools = element.querySelector("[data-transcript-tools]");
    if (tools) tools.hidden = false;
    element.classList.add("is-enhanced");
    if (this.searchBox) {
      this.searchBox.addEventListener("input", function () { self.search(self.searchBox.value); });
      this.searchBox.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && self.searchBox.value) {
          self.searchBox.value = "";
          self.search("");
          event.stopPropagation();
        }
      });
      var form = element.querySelector("[data-transcript-search]");
      if (form) form.addEventListener("submit", function (event) { event.preventDefault(); });
    }
  }

  Transcript.prototype.cueAt = function (time) {
    // Binary search: the last cue that starts at or before the time.
    var low = 0;
    var high = this.cues.length - 1;
    var found = null;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (this.cues[middle].start <= time + 0.01) {
        found = this.cues[middle];
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  };

  Transcript.prototype.follow = function (time, playing) {
    var cue = this.cueAt(time);
    if (cue === this.current) return;
    var previous = this.current;
    this.current = cue;
    if (previous) {
      previous.element.classList.remove("is-current");
      if (!cue || previous.turn !== cue.turn) {
        previous.turn.classList.remove("is-current");
        previous.turn.removeAttribute("aria-current");
      }
    }
    if (!cue) return;
    cue.element.classList.add("is-current");
    cue.turn.classList.add("is-current");
    cue.turn.setAttribute("aria-current", "true");
    var following = !this.followBox || this.followBox.checked;
    var userScrolling = Date.now() - lastUserScroll < USER_SCROLL_PAUSE;
    if (playing && following && !userScrolling && !this.query &&
        (!previous || previous.turn !== cue.turn)) {
      this.reveal(cue.turn);
    }
  };

  /* Follow along only while the listener is reading the transcript (it
     crosses the middle of the window): pressing Play up at the player, or
     reading the chapters, never moves the page. */
  Transcript.prototype.inView = function () {
    var box = this.element.getBoundingClientRect();
    var middle = (window.innerHeight || document.documentElement.clientHeight) / 2;
    return box.top < middle && box.bottom > middle;
  };

  Transcript.prototype.reveal = function (turn) {
    if (!this.inView()) return;
    var box = turn.getBoundingClientRect();
    var view = window.innerHeight || document.documentElement.clientHeight;
    // Leave it where it is while it sits comfortably in view.
    if (box.top >= view * 0.25 && box.bottom <= view * 0.85) return;
    turn.scrollIntoView({ block: "center", behavior: reducedMotion.matches ? "auto" : "smooth" });
  };

  Transcript.prototype.search = function (raw) {
    var query = raw.trim().replace(/\s+/g, " ");
    this.query = query.toLowerCase();
    // Either apostrophe finds both: transcripts are typeset (no’s), most
    // keyboards type a straight one.
    var pattern = query
      ? new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/['’]/g, "['’]"), "gi")
      : null;
    var matches = 0;
    var hits = 0;
    this.cues.forEach(function (cue) { highlight(cue, pattern); });
    this.turns.forEach(function (turn) {
      var count = pattern ? turn.querySelectorAll("mark").length : 0;
      turn.hidden = Boolean(pattern) && count === 0;
      if (count) { matches += 1; hits += count; }
    });
    this.sections.forEach(function (section) {
      section.hidden = Boolean(pattern) && !section.querySelector("[data-turn]:not([hidden])");
    });
    this.element.classList.toggle("is-filtered", Boolean(pattern));
    if (!this.searchStatus) return;
    if (!pattern) {
      this.searchStatus.textContent = "";
    } else if (!matches) {
      this.searchStatus.textContent = "No part of the conversation mentions “" + query + "”.";
    } else {
      this.searchStatus.textContent = hits + (hits === 1 ? " match" : " matches") + " in " +
        matches + " of " + this.turns.length + " turns.";
    }
  };

  /* Rebuild a cue's text with <mark> around each match, as DOM nodes. */
  function highlight(cue, pattern) {
    var element = cue.element;
    var text = cue.text;
    while (element.firstChild) element.removeChild(element.firstChild);
    if (!pattern) {
      element.appendChild(document.createTextNode(text));
      return;
    }
    var last = 0;
    text.replace(pattern, function (match, offset) {
      if (offset > last) element.appendChild(document.createTextNode(text.slice(last, offset)));
      var mark = document.createElement("mark");
      mark.textContent = match;
      element.appendChild(mark);
      last = offset + match.length;
      return match;
    });
    if (last < text.length) element.appendChild(document.createTextNode(text.slice(last)));
  }

  /* ---- Deep links: #t=1:23, ?t=83, #turn-N, #chapter-N ---------------- */

  /* ?t= only as the page loads: a link within the page (the bar's
     "Player", "Skip to content") changes the # alone, and must not send a
     listener back to the moment they came in at. */
  function linkedTime(onLoad) {
    var hash = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    var match = hash.match(/(?:^|&)t=([^&]+)/);
    if (match) return parseTime(match[1]);
    if (/^(turn|chapter)-\d+$/.test(hash)) {
      // A chapter's heading has its time; a turn's heading is in the turn.
      var target = document.getElementById(hash);
      var timed = target && target.closest("[data-start]");
      if (timed) return parseFloat(timed.getAttribute("data-start"));
    }
    var query = onLoad && new URLSearchParams(window.location.search).get("t");
    return query ? parseTime(query) : null;
  }

  /* A link to a moment (#t=0:14 from a Questions page or a search result)
     lands at the player with a "Play from 0:14" button in view. */
  function offerLinkedMoment(player, time) {
    player.offerResume(time, "Play from");
    var button = player.resumeBox && player.resumeBox.querySelector("[data-action='resume']");
    if (!button) return;
    var box = button.getBoundingClientRect();
    var view = window.innerHeight || document.documentElement.clientHeight;
    if (box.top < 0 || box.bottom > view) {
      var listen = document.getElementById("listen") || player.figure;
      listen.scrollIntoView({ block: "start" });
    }
  }

  function followLink(player, onLoad) {
    var time = linkedTime(onLoad);
    // Past the end (a link from before the audio was trimmed): not a moment.
    if (time === null || isNaN(time) || time >= player.length()) return false;
    var wasPlaying = !player.audio.paused;
    player.seek(time);
    if (wasPlaying) player.start();
    else player.announce("Ready to play from " + spoken(time));
    if (!wasPlaying && time > 0 && !/^#?(turn|chapter)-\d+$/.test(window.location.hash)) {
      offerLinkedMoment(player, time);
    }
    if (onLoad && player.transcript) {
      // Show the linked turn as current before playback starts.
      player.transcript.follow(time, false);
    }
    return true;
  }

  /* ---- Keyboard ------------------------------------------------------- */

  function typing(target) {
    // The position slider is not typed in: it takes the shortcuts but its arrows.
    return Boolean(target.isContentEditable ||
      (target.closest && target.closest("input:not([type=range]), textarea, select")));
  }

  function onKey(event, player) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (typing(target)) return;
    var key = event.key;
    if (target.type === "range" && /^Arrow/.test(key)) return;
    var activating = target.closest && target.closest("button, a, summary");
    var handled = true;
    if (key === "ArrowLeft") player.act("back");
    else if (key === "ArrowRight") player.act("forward");
    else if (!shortcutsOn()) handled = false;
    else if (key === " " || key === "Spacebar") {
      if (activating) return; // Space presses the focused button or link
      player.toggle();
    } else if (key === "k" || key === "K") player.toggle();
    else if (key === "j" || key === "J") player.act("back");
    else if (key === "l" || key === "L") player.act("forward");
    // The same keys on every story: where it has no chapters, they say so
    // (not "This is the last chapter").
    else if (/^[np]$/i.test(key) && !player.chapters.length) {
      player.announce("This story has no chapters");
    } else if (key === "n" || key === "N") player.nextChapter();
    else if (key === "p" || key === "P") player.previousChapter();
    else if (key === "<") player.stepRate(-1);
    else if (key === ">") player.stepRate(1);
    else if (key === "/" && player.transcript && player.transcript.searchBox) {
      player.transcript.searchBox.focus();
    } else handled = false;
    if (handled) event.preventDefault();
  }

  /* The shortcuts panel is shown only where there is likely a keyboard
     (a fine pointer: a mouse or trackpad); on touch screens it is noise.
     The keys work everywhere. */
  function likelyKeyboard() {
    return !window.matchMedia || window.matchMedia("(any-pointer: fine)").matches;
  }

  function setUpShortcuts(player) {
    var panel = document.querySelector("[data-shortcuts]");
    if (panel && likelyKeyboard()) {
      panel.hidden = false;
      var toggle = panel.querySelector("[data-shortcuts-toggle]");
      if (toggle) {
        toggle.checked = shortcutsOn();
        toggle.addEventListener("change", function () {
          save(SHORTCUTS_KEY, toggle.checked ? null : "off");
        });
      }
    }
    document.addEventListener("keydown", function (event) { onKey(event, player); });
  }

  /* The transcript stops following while the listener scrolls by hand. */
  function watchScrolling() {
    function mark() { lastUserScroll = Date.now(); }
    window.addEventListener("wheel", mark, { passive: true });
    window.addEventListener("touchmove", mark, { passive: true });
    window.addEventListener("keydown", function (event) {
      if (["PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown"].indexOf(event.key) >= 0) mark();
    });
  }

  /* ---- Copy buttons (the embed code) ----------------------------------- */

  function setUpCopyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy-box]"), function (box) {
      var button = box.querySelector("[data-copy]");
      var status = box.querySelector("[data-copy-status]");
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) return;
      box.hidden = false;
      button.addEventListener("click", function () {
        // Keys are named only where there is likely a keyboard: a phone is
        // told what its fingers do.
        function selected() {
          field.focus();
          field.select();
          status.textContent = document.execCommand("copy") ? "Copied"
            : likelyKeyboard() ? "Selected: press Ctrl+C (⌘C on a Mac) to copy"
              : "Selected: touch and hold it, then choose Copy";
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(field.value).then(function () {
            status.textContent = "Copied";
          }, selected);
        } else {
          selected();
        }
      });
    });
  }

  /* ---- Start ---------------------------------------------------------- */

  function init() {
    setUpCopyButtons();
    Array.prototype.forEach.call(document.querySelectorAll("figure[data-player]"), function (figure) {
      var player = new Player(figure);
      player.enhance();
      players.push(player);
    });
    if (!players.length) return;
    watchScrolling();
    // A page with one full player (a story, an embed) is about that story:
    // links and shortcuts drive it. Story cards only resume where left.
    var main = players.filter(function (player) {
      return player.figure.classList.contains("player--full");
    })[0] || null;
    players.forEach(function (player) {
      if (!(player === main && followLink(player, true))) player.resume();
    });
    if (main) {
      setUpShortcuts(main);
      window.addEventListener("hashchange", function () { followLink(main, false); });
    }
    window.addEventListener("pagehide", function () {
      players.forEach(function (player) { player.remember(true); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
