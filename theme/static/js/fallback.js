/* Runs right after player.js, whatever became of it. Both are deferred, so
   they run in the page's order once it is parsed: a player.js that fails to
   load (blocked, dropped, gone after a deploy) fires an error and this runs
   next; a slow one holds this back, so slowness is never taken for failure.
   A player player.js has not set up (it marks one is-enhanced only once its
   setup has worked) is marked is-native: listening.css then stops keeping
   room for the controls, and shows it as a visitor without scripts sees it.
   A file of its own, named unlike player.js (which a blocker may match): the
   site's policy refuses inline scripts and onerror attributes. */
document.querySelectorAll(".player:not(.is-enhanced)").forEach(function (player) {
  player.classList.add("is-native");
});
