/* Runs before the search page is first drawn (not deferred, on purpose: a
   few bytes, on this page only). When the address already asks for a search
   (?q=... or a filter), the suggestions for an empty search are not shown
   and the page keeps room for the results, so nothing jumps as search.js
   loads the index and shows them (a layout shift of 0.6 on a phone). */
(function () {
  if (/[?&](q|topic|state|year|relationship|featured)=[^&]/.test(window.location.search)) {
    document.documentElement.classList.add("search-pending");
  }
})();
