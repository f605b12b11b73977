/*
 * One Small Step: play a moment of a story in place.
 *
 * Questions pages and search results list moments ("0:13, Naomi: ...").
 * Each one is a link to the story page at that time (#t=0:13), which works
 * without this file; with it, pressing the moment plays the story's audio
 * from that second right here, and pressing it again pauses. One moment
 * plays at a time. Controls: any element with data-play-moment,
 * data-audio (the story's audio URL) and data-start (seconds); search.js
 * adds them to results after the page has loaded, so clicks are caught on
 * the document.
 */
(function () {
  "use strict";

  var audio = null;
  var current = null; // the control whose moment is loaded
  var status = null;

  function clock(seconds) {
    var total = Math.max(0, Math.floor(seconds || 0));
    var minutes = Math.floor(total / 60);
    var hours = Math.floor(minutes / 60);
    var secs = String(total % 60).padStart(2, "0");
    if (hours) return hours + ":" + String(minutes % 60).padStart(2, "0") + ":" + secs;
    return minutes + ":" + secs;
  }

  function announce(text) {
    if (!status) {
      status = document.createElement("p");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    status.textContent = text;
  }

  function show(control, playing) {
    control.classList.toggle("is-playing", playing);
    control.setAttribute("data-state", playing ? "playing" : "paused");
    var label = control.querySelector("[data-moment-label]");
    if (label) {
      label.textContent = playing ? "Pause" : control.getAttribute("data-label") || "Play";
    }
  }

  function player() {
    if (audio) return audio;
    // In the document (hidden, no controls: the moments are the controls),
    // so it is one of the page's players like any other.
    audio = document.createElement("audio");
    audio.preload = "none";
    audio.hidden = true;
    audio.setAttribute("data-moment-player", "");
    document.body.appendChild(audio);
    audio.addEventListener("play", function () { if (current) show(current, true); });
    audio.addEventListener("pause", function () { if (current) show(current, false); });
    audio.addEventListener("ended", function () { if (current) show(current, false); });
    // Another player on the page (a story card) stops this one, and back.
    document.addEventListener("play", function (event) {
      if (event.target !== audio && !audio.paused) audio.pause();
    }, true);
    return audio;
  }

  function play(control) {
    var sound = player();
    if (control === current) {
      if (sound.paused) sound.play();
      else sound.pause();
      return;
    }
    if (current) show(current, false);
    current = control;
    var start = parseFloat(control.getAttribute("data-start")) || 0;
    var source = new URL(control.getAttribute("data-audio"), document.baseURI);
    // A media fragment: the browser fetches and starts at that second.
    source.hash = "t=" + start;
    sound.src = source.href;
    var title = control.getAttribute("data-title") || "the story";
    var promise = sound.play();
    announce("Playing " + title + " from " + clock(start));
    if (promise && promise.catch) {
      promise.catch(function () { show(control, false); });
    }
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey ||
        event.ctrlKey || event.shiftKey || event.altKey) return;
    var control = event.target.closest && event.target.closest("[data-play-moment]");
    if (!control || !control.getAttribute("data-audio")) return;
    event.preventDefault();
    play(control);
  });

  window.addEventListener("pagehide", function () { if (audio) audio.pause(); });
})();
