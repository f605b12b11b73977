/* The search page: Pagefind's JS API (self-hosted bundle) and our own results.
 *
 * Results show the story and who is in it; a match in the transcript shows
 * who said the words and when, with a button that plays that moment here
 * (moments.js) and links to the story at that second; matching chapters
 * are listed under it. The query and the filters live
 * in the address (?q=...&topic=...), so a search can be shared or bookmarked
 * and the header's search box (a plain GET form) lands here.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-search]");
  if (!root) return;

  var FILTERS = [
    // [Pagefind filter, legend, how choices combine]
    ["topic", "Topic", "any"],
    ["state", "State", "any"],
    ["year", "Year recorded", "any"],
    ["relationship", "Relationship", "any"],
    ["featured", "Featured", "all"],
  ];
  // The filters are values of one Pagefind filter ("topic:guns",
  // "year:2024": partials/search_fields.html), so each part of the index has
  // one filter file for a search to fetch, not one a filter.
  var FACET = "facet";
  var VOCABULARY = "kind:vocabulary";
  var PAGE_SIZE = 10;

  var form = root.querySelector("[data-search-form]");
  var input = root.querySelector("[data-search-input]");
  var ui = root.querySelector("[data-search-ui]");
  var filtersBox = root.querySelector("[data-search-filters]");
  var clearButton = root.querySelector("[data-search-clear]");
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var failure = root.querySelector("[data-search-error]");
  var panel = root.querySelector("[data-search-panel]");
  var chosenCount = root.querySelector("[data-search-chosen]");
  // Ways in before anything is typed (topics, questions, places): out of
  // the way while a search shows its results.
  var suggestions = root.querySelector("[data-search-suggestions]");
  var wide = window.matchMedia("(min-width: 56rem)");

  var pagefind = null;
  var chosen = {}; // filter -> [values]
  var results = [];
  var shown = 0;
  var searchNumber = 0;
  var pageTitle = document.title;

  function siteRootPath() {
    return new URL(root.getAttribute("data-site-root"), document.baseURI).pathname;
  }

  function readAddress() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    chosen = {};
    FILTERS.forEach(function (filter) {
      var values = params.getAll(filter[0]);
      if (values.length) chosen[filter[0]] = values;
    });
  }

  function writeAddress() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    FILTERS.forEach(function (filter) {
      (chosen[filter[0]] || []).forEach(function (value) {
        params.append(filter[0], value);
      });
    });
    var query = params.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    // The tab, the history list and a bookmark name what was searched.
    var named = input.value.trim() ? ["\u201c" + input.value.trim() + "\u201d"] : [];
    FILTERS.forEach(function (filter) {
      (chosen[filter[0]] || []).forEach(function (value) {
        named.push(filter[0] === "topic" ? topicName(value) : value);
      });
    });
    document.title = named.length ? named.join(", ") + " \u00b7 " + pageTitle : pageTitle;
  }

  /* What is chosen, as Pagefind's filters: within a filter the choices
     combine as it says (any or all), and the filters all apply. */
  function pagefindFilters() {
    var groups = [];
    FILTERS.forEach(function (filter) {
      var values = chosen[filter[0]];
      if (values && values.length) {
        var combined = {};
        combined[filter[2]] = values.map(function (value) {
          return filter[0] + ":" + value;
        });
        var group = {};
        group[FACET] = combined;
        groups.push(group);
      }
    });
    return groups.length ? { all: groups } : {};
  }

  /* Pagefind's counts ({facet: {"topic:guns": 3}}) by filter and value
     ({topic: {guns: 3}}). */
  function byFilter(counts) {
    var out = {};
    var values = (counts || {})[FACET] || {};
    Object.keys(values).forEach(function (key) {
      var at = key.indexOf(":");
      if (at < 1) return;
      var name = key.slice(0, at);
      out[name] = out[name] || {};
      out[name][key.slice(at + 1)] = values[key];
    });
    return out;
  }

  /* A site indexed in parts (plugins/site_search/parts.py) has in every
     part a hidden page holding the site's vocabulary: never a result. And
     the parts indexed before some words came (leftOut) are left out. */
  function searchFilters(behind) {
    var filters = pagefindFilters();
    var vocabularyPage = {};
    vocabularyPage[FACET] = VOCABULARY;
    var hidden = [vocabularyPage].concat(behind.map(function (known) {
      return { words: String(known) };
    }));
    filters.not = hidden.length === 1 ? hidden[0] : { any: hidden };
    return filters;
  }

  /* The parts of the index that are behind (parts.json's "behind": how
     many of the site's words each knows) have no page with a word they do
     not know, but would answer a term that finds only such words with
     loose matches (Pagefind falls back to a shorter word). The index of
     the whole vocabulary says which words a term finds, by their places
     on its one page (the words' order): a part that knows none of them is
     left out. Resolves to the word counts of the parts to leave out. */
  var vocabulary = null;
  var behindCounts = [];

  function leftOut(term) {
    if (!vocabulary || !term || /^\s*".+"\s*$/.test(term)) return Promise.resolve([]);
    return Promise.all(term.split(/\s+/).map(function (word) {
      return vocabulary.search(word).then(function (found) {
        var places = found.results.length ? found.results[0].words : [];
        return places.length ? Math.min.apply(null, places) : -1;
      });
    })).then(function (firsts) {
      return behindCounts.filter(function (known) {
        return firsts.some(function (first) { return first >= known; });
      });
    });
  }

  function hasFilters() {
    return Object.keys(pagefindFilters()).length > 0;
  }

  /* Pagefind's excerpts are text with <mark> around the words found. Build
     them as DOM nodes: text stays text, only <mark> becomes an element. */
  function decode(html) {
    // A detached textarea decodes character references and never makes
    // elements: its content is text, whatever it holds.
    var box = document.createElement("textarea");
    box.innerHTML = html;
    return box.value;
  }

  /* Pagefind's excerpt (HTML: text and the <mark>s around the words
     found) as its runs of text, decoded, each marked or not. */
  function excerptParts(excerpt) {
    var parts = [];
    String(excerpt || "")
      .split(/(<mark>[\s\S]*?<\/mark>)/)
      .filter(Boolean)
      .forEach(function (part) {
        var marked = /^<mark>([\s\S]*)<\/mark>$/.exec(part);
        var text = decode(marked ? marked[1] : part);
        if (!marked) {
          parts.push({ text: text, marked: false });
          return;
        }
        // Pagefind marks a word with the punctuation around it ("Family."
        // or "“Yes,"): the mark covers the word alone, as in the title.
        var edges = wordEdges(text);
        if (edges[0]) parts.push({ text: edges[0], marked: false });
        parts.push({ text: edges[1], marked: true });
        if (edges[2]) parts.push({ text: edges[2], marked: false });
      });
    return parts;
  }

  /* ``text`` as [what comes before its first letter or digit, the rest up
     to its last, what follows]; all of it in the middle when it has none,
     or when this browser's regular expressions know no Unicode classes. */
  function wordEdges(text) {
    var found;
    try {
      found = new RegExp("^([^\\p{L}\\p{N}]*)([\\s\\S]*?)([^\\p{L}\\p{N}]*)$", "u").exec(text);
    } catch (error) {
      found = null;
    }
    if (!found || !found[2]) return ["", text, ""];
    return [found[1], found[2], found[3]];
  }

  function excerptNodes(parts) {
    var fragment = document.createDocumentFragment();
    parts.forEach(function (part) {
      if (part.marked) {
        fragment.appendChild(element("mark", null, part.text));
      } else {
        fragment.appendChild(document.createTextNode(part.text));
      }
    });
    return fragment;
  }

  /* The excerpt's parts without ``lead`` at their start (marked or not)
     and the full stop and spaces after it; null when they do not start
     with it, it ends inside a word, or nothing follows it. */
  function withoutLead(parts, lead) {
    var rest = parts.map(function (part) {
      return { text: part.text, marked: part.marked };
    });
    var matched = 0;
    while (matched < lead.length && rest.length) {
      var text = rest[0].text;
      var at = 0;
      while (at < text.length && text.charAt(at) === lead.charAt(matched)) {
        at += 1;
        matched += 1;
      }
      if (at < text.length && matched < lead.length) return null;
      rest[0].text = text.slice(at);
      if (!rest[0].text) rest.shift();
    }
    if (matched < lead.length) return null;
    if (rest.length && !/^[.\s]/.test(rest[0].text)) return null;
    while (rest.length) {
      rest[0].text = rest[0].text.replace(/^[.\s]+/, "");
      if (rest[0].text) break;
      rest.shift();
    }
    return rest.length ? rest : null;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* "0:13" or "1:02:03" -> seconds. */
  function seconds(clock) {
    return clock.split(":").reduce(function (total, part) {
      return total * 60 + parseInt(part, 10);
    }, 0);
  }

  var TIME_AT_END = /\s*(\d+(?::\d\d){1,2})$/;
  var TIME_AT_START = /^(\d+(?::\d\d){1,2})\s+/;

  /* What was said, where the words were found: each speaker turn has a
     heading (id "turn-N", titled "Naomi Castellanos 0:13") and so is a
     sub-result of its story; chapters ("chapter-N", "0:13 The mountains")
     are sub-results too. The turn's own time names the moment. */
  function moments(data) {
    var said = [];
    var chapters = [];
    (data.sub_results || []).forEach(function (sub) {
      var anchor = (/#([\w-]+)$/.exec(sub.url) || [])[1] || "";
      var title = String(sub.title || "");
      if (/^turn-\d+$/.test(anchor)) {
        var time = TIME_AT_END.exec(title);
        if (!time) return;
        said.push({
          speaker: title.replace(TIME_AT_END, ""),
          clock: time[1],
          start: seconds(time[1]),
          page: sub.url.replace(/#.*$/, ""),
          excerpt: sub.excerpt
        });
      } else if (/^chapter-\d+$/.test(anchor)) {
        var at = TIME_AT_START.exec(title);
        chapters.push({
          title: title.replace(TIME_AT_START, ""),
          clock: at ? at[1] : "",
          start: at ? seconds(at[1]) : 0,
          page: sub.url.replace(/#.*$/, "")
        });
      }
    });
    return { said: said.slice(0, 3), chapters: chapters.slice(0, 3) };
  }

  /* Play here (moments.js) or, without it or by a new tab, open the story
     at that second. */
  function momentLink(moment, meta, className, label) {
    var link = element("a", className);
    link.href = moment.page + "#t=" + moment.clock;
    if (meta.audio) {
      link.setAttribute("data-play-moment", "");
      link.setAttribute("data-audio", meta.audio);
      link.setAttribute("data-start", String(moment.start));
      link.setAttribute("data-title", meta.title || "");
      link.setAttribute("data-label", label);
    }
    var words = element("span", "visually-hidden", label);
    words.setAttribute("data-moment-label", "");
    link.appendChild(words);
    link.appendChild(document.createTextNode(" " + moment.clock));
    return link;
  }

  /* The excerpt may begin with the turn's heading ("Denise Harlow 0:15."),
     which the quote's speaker and play link already show: leave it out,
     with the <mark>s Pagefind put in it when the words searched for are
     the speaker's name. */
  function withoutHeading(moment) {
    var parts = excerptParts(moment.excerpt);
    return withoutLead(parts, moment.speaker + " " + moment.clock) || parts;
  }

  /* An excerpt cut from the middle of a sentence says so, as quotes do:
     "…of them. The Rockefeller Foundation. … Present…". ``content``: the
     page's indexed text, which the excerpt's words are a run of. */
  function withEllipses(parts, content) {
    var text = parts.map(function (part) { return part.text; }).join("");
    var squeeze = function (value) { return String(value || "").replace(/\s+/g, " ").trim(); };
    var whole = squeeze(content);
    var run = squeeze(text);
    var at = run ? whole.indexOf(run) : -1;
    if (at < 0) return parts;
    var ends = /[.!?:…”’)]$/;
    var out = parts.slice();
    if (at > 0 && !ends.test(whole.slice(0, at).trim())) {
      out.unshift({ text: "…", marked: false });
    }
    if (at + run.length < whole.length && !ends.test(run)) {
      out.push({ text: "…", marked: false });
    }
    return out;
  }

  /* A page's excerpt begins at its top when the words were found there:
     its title, or the end of it ("up politics… Denise Harlow, night-shift
     nurse, Dayton, Ohio."), which the result shows just above. It starts
     after the title instead, with the people, or the page's first words. */
  function withoutTitle(excerpt, title) {
    var parts = excerptParts(excerpt);
    var words = String(title || "").split(" ");
    for (var first = 0; first < words.length; first += 1) {
      var rest = withoutLead(parts, words.slice(first).join(" "));
      if (rest) return rest;
    }
    return parts;
  }

  function renderMoments(found, meta, item) {
    if (found.said.length) {
      var list = element("ul", "search-result__moments");
      found.said.forEach(function (moment) {
        var entry = element("li", "search-moment");
        entry.appendChild(momentLink(moment, meta, "search-moment__play", "Play from"));
        var quote = element("p", "search-moment__said");
        quote.appendChild(element("strong", "search-moment__speaker", moment.speaker));
        quote.appendChild(document.createTextNode(": "));
        var words = element("q", "search-moment__excerpt");
        words.appendChild(excerptNodes(withoutHeading(moment)));
        quote.appendChild(words);
        entry.appendChild(quote);
        list.appendChild(entry);
      });
      item.appendChild(list);
    }
    if (found.chapters.length) {
      var chapters = element("ul", "search-result__chapters");
      found.chapters.forEach(function (chapter) {
        var entry = element("li", "search-chapter");
        entry.appendChild(element("span", "search-chapter__label", "Chapter"));
        entry.appendChild(document.createTextNode(" "));
        var link = element("a", "search-chapter__link", chapter.clock + " " + chapter.title);
        link.href = chapter.page + "#t=" + chapter.clock;
        entry.appendChild(link);
        chapters.appendChild(entry);
      });
      item.appendChild(chapters);
    }
  }

  /* The words a search found in a result, as Pagefind marked them in its
     excerpts (the page's and its sub-results'): one pattern that finds
     them as whole words, in any case, in the result's other text (its
     title, people, place, summary). Null when none were marked. */
  function foundWords(data) {
    var excerpts = [data.excerpt].concat((data.sub_results || []).map(function (sub) {
      return sub.excerpt;
    }));
    try {
      // Built here, not written as literals: a browser without Unicode
      // classes or lookbehind keeps plain text, and the rest of search.
      var edges = new RegExp("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$", "gu");
      var words = [];
      excerpts.forEach(function (excerpt) {
        String(excerpt || "").replace(/<mark>([\s\S]*?)<\/mark>/g, function (all, word) {
          word = decode(word).replace(edges, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          if (word && words.indexOf(word) === -1) words.push(word);
          return all;
        });
      });
      if (!words.length) return null;
      return new RegExp(
        "(?<![\\p{L}\\p{N}])(" + words.join("|") + ")(?![\\p{L}\\p{N}])", "giu"
      );
    } catch (error) {
      return null;
    }
  }

  /* ``text`` as nodes, the words ``found`` (foundWords) marked: text stays
     text, whatever it holds ("<b>" or "&amp;" in a title). Null when none
     of the words is in it. */
  function marked(text, found) {
    if (!text || !found) return null;
    var parts = String(text).split(found);
    if (parts.length < 2) return null;
    var fragment = document.createDocumentFragment();
    parts.forEach(function (part, index) {
      if (!part) return;
      fragment.appendChild(
        index % 2 ? element("mark", null, part) : document.createTextNode(part)
      );
    });
    return fragment;
  }

  /* An element of the result holding ``text``, the words found marked. */
  function markedElement(tag, className, text, found) {
    var node = element(tag, className);
    node.appendChild(marked(text, found) || document.createTextNode(text));
    return node;
  }

  function renderResult(data, term) {
    var meta = data.meta || {};
    // Marked where the result shows them, and so a visitor sees why it
    // came: found by its title, a person's name or its place only, it
    // showed no marked word at all (the excerpt starts after the title).
    var words = term ? foundWords(data) : null;
    var item = element("li", "search-result");
    var heading = element("h3", "search-result__title");
    var link = markedElement("a", null, meta.title || data.url, words);
    link.href = data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    if (meta.participants) {
      item.appendChild(markedElement("p", "search-result__people", meta.participants, words));
    }
    var details = [[meta.place, words], [meta.recorded, null], [meta.duration, null]]
      .filter(function (detail) { return detail[0]; });
    if (details.length) {
      var line = element("p", "search-result__meta");
      details.forEach(function (detail) {
        line.appendChild(markedElement("span", null, detail[0], detail[1]));
      });
      item.appendChild(line);
    } else if (!meta.participants) {
      item.appendChild(element("p", "search-result__meta", "About the campaign"));
    }
    var found = term ? moments(data) : { said: [], chapters: [] };
    if (found.said.length || found.chapters.length) {
      renderMoments(found, meta, item);
    } else if (term || !meta.summary) {
      // A story found by words of its summary: the summary, those words
      // marked, rather than Pagefind's excerpt of the page's top, which
      // runs its title, people and place together ("Chance. Carol Benning
      // retired sheriff's deputy, Hoover, Alabama. Andre..."). Where the
      // words are not in the summary (a place, a job, a topic), the
      // excerpt shows where they are.
      var excerpt = element("p", "search-result__excerpt");
      excerpt.appendChild(
        marked(meta.summary, words) ||
          excerptNodes(withEllipses(withoutTitle(data.excerpt, meta.title), data.content))
      );
      item.appendChild(excerpt);
    } else {
      item.appendChild(element("p", "search-result__excerpt", meta.summary));
    }
    return item;
  }

  /* A count as the pages print it (theme_helpers' "count"): "10,000". */
  function number(count) {
    return count.toLocaleString("en-US");
  }

  function describe(count, term) {
    var words = count === 1 ? "1 conversation or page" : number(count) + " conversations and pages";
    if (!count) {
      return term
        ? "Nothing found for “" + term + "”" + (hasFilters() ? " with these filters." : ".")
        : "Nothing matches these filters.";
    }
    if (!term) {
      // Filters alone: only conversations have them.
      return count === 1
        ? "1 conversation matches these filters."
        : number(count) + " conversations match these filters.";
    }
    return words + " found for “" + term + "”" + (hasFilters() ? " with these filters." : ".");
  }

  /* What the search found; where it found nothing, a way on: the browse
     pages, linked (the suggestions are put away while a search shows). */
  function tell(count, term) {
    status.textContent = describe(count, term);
    if (count || !term) return;
    var browse = element("a", null, "browse every conversation");
    browse.href = root.getAttribute("data-browse");
    status.append(" Try another word, or ", browse, ".");
  }

  function showMore() {
    var term = input.value.trim();
    var batch = results.slice(shown, shown + PAGE_SIZE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    var number = searchNumber;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(
      function (pages) {
        // A newer search has started meanwhile: its results, not these.
        if (number !== searchNumber) return;
        pages.forEach(function (data) { list.appendChild(renderResult(data, term)); });
      }
    );
  }

  function updateCounts(available) {
    filtersBox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var counts = (available || {})[box.name] || {};
      var count = counts[box.value] || 0;
      var label = box.parentNode.querySelector(".search-filter__count");
      if (label) showCount(label, count);
      box.parentNode.classList.toggle("search-filter--empty", !count && !box.checked);
    });
  }

  var lastSearch = null;

  function searchKey() {
    return JSON.stringify([input.value.trim(), pagefindFilters()]);
  }

  /* Typing pauses search for what is typed, unless that was searched already. */
  function runIfChanged() {
    if (searchKey() !== lastSearch) run();
  }

  function run() {
    var term = input.value.trim();
    var number = ++searchNumber;
    lastSearch = searchKey();
    writeAddress();
    clearButton.hidden = !hasFilters();
    var count = Object.keys(chosen).reduce(function (sum, name) {
      return sum + chosen[name].length;
    }, 0);
    chosenCount.textContent = count ? "(" + count + " chosen)" : "";
    if (suggestions) suggestions.hidden = Boolean(term || hasFilters());
    if (!term && !hasFilters()) {
      list.replaceChildren();
      more.hidden = true;
      results = [];
      status.textContent = "Type a word or choose a filter to search.";
      return pagefind.filters().then(function (counts) { updateCounts(byFilter(counts)); });
    }
    status.textContent = "Searching…";
    return leftOut(term).then(function (behind) {
      if (number !== searchNumber) return null;
      return pagefind.search(term || null, { filters: searchFilters(behind) });
    }).then(function (search) {
      if (number !== searchNumber || !search) return;
      results = search.results;
      shown = 0;
      list.replaceChildren();
      updateCounts(byFilter(search.filters));
      return showMore().then(function () {
        if (number === searchNumber) tell(results.length, term);
      });
    });
  }

  /* A topic as its chips show it (partials/topic_name.html): a capital
     first letter, the rest as written. The filter's value, and so the
     address (?topic=rural+life), stays the tag's own. */
  function topicName(value) {
    return value.charAt(0).toUpperCase() + value.slice(1);
  }

  function valueName(name, value) {
    if (name === "featured") return "Featured conversations only";
    return name === "topic" ? topicName(value) : value;
  }

  /* A filter's count: the number shows, and screen readers hear what it
     counts ("Guns 1 conversation"), as on the topic chips
     (partials/chip_count.html). Only conversations have filters. */
  function showCount(label, count) {
    label.replaceChildren(
      document.createTextNode(number(count)),
      element("span", "visually-hidden", count === 1 ? " conversation" : " conversations")
    );
  }

  function renderFilters(available) {
    filtersBox.replaceChildren();
    FILTERS.forEach(function (filter) {
      var name = filter[0];
      var values = Object.keys(available[name] || {}).sort(function (a, b) {
        return name === "year" ? b.localeCompare(a) : a.localeCompare(b);
      });
      if (!values.length) return;
      var group = element("fieldset", "search-filter");
      group.appendChild(element("legend", "search-filter__legend", filter[1]));
      values.forEach(function (value) {
        var label = element("label", "search-filter__choice");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.checked = (chosen[name] || []).indexOf(value) !== -1;
        label.appendChild(box);
        label.appendChild(element("span", "search-filter__value", valueName(name, value)));
        var count = element("span", "search-filter__count");
        showCount(count, available[name][value]);
        label.appendChild(count);
        group.appendChild(label);
      });
      filtersBox.appendChild(group);
    });
  }

  function onFilterChange(event) {
    var box = event.target;
    if (box.type !== "checkbox") return;
    var values = chosen[box.name] || [];
    values = values.filter(function (value) { return value !== box.value; });
    if (box.checked) values.push(box.value);
    chosen[box.name] = values;
    run();
  }

  /* Which bundle to load and which to merge into it: one bundle, or the
     parts of a large site's index (plugins/site_search/parts.py). */
  function readParts(bundle) {
    return fetch(new URL("parts.json", bundle).href).then(function (response) {
      if (!response.ok) throw new Error("parts.json: HTTP " + response.status);
      return response.json();
    });
  }

  function mergeParts(bundle, manifest) {
    var behind = manifest.behind || {};
    if (manifest.words) {
      // On the page's own thread: Pagefind's shared worker, asked for two
      // indexes at once, could fail ("unreachable"); this one is tiny.
      vocabulary = pagefind.createInstance({
        basePath: new URL(manifest.words, bundle).href,
        noWorker: true,
      });
      behindCounts = Object.keys(behind).map(function (part) { return behind[part]; })
        .filter(function (known, index, all) { return all.indexOf(known) === index; });
    }
    return Promise.all((manifest.merge || []).map(function (part) {
      var options = { baseUrl: siteRootPath(), excerptLength: 24 };
      if (part in behind) options.mergeFilter = { words: String(behind[part]) };
      return pagefind.mergeIndex(new URL(part, bundle).href, options);
    }));
  }

  function start(module, bundle, manifest) {
    pagefind = module;
    return pagefind
      .options({ baseUrl: siteRootPath(), excerptLength: 24 })
      .then(function () { return mergeParts(bundle, manifest); })
      .then(function () { return pagefind.filters(); })
      .then(function (available) {
        renderFilters(byFilter(available));
        // Filters start open beside the results on wide screens, folded
        // above them on phones (or open when the address chose some).
        panel.open = wide.matches || hasFilters();
        ui.hidden = false;
        var typing = null;
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          clearTimeout(typing);
          run();
        });
        input.addEventListener("input", function () {
          clearTimeout(typing);
          typing = setTimeout(runIfChanged, 250);
        });
        filtersBox.addEventListener("change", onFilterChange);
        clearButton.addEventListener("click", function () {
          chosen = {};
          filtersBox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
            box.checked = false;
          });
          run();
        });
        more.addEventListener("click", function () { showMore(); });
        // On a phone the results are below the open panel: fold it and
        // go to them, their count first.
        root.querySelector("[data-search-show]").addEventListener("click", function () {
          panel.open = false;
          status.focus();
        });
        root.querySelector("[data-search-skip]").addEventListener("click", function () {
          status.focus();
        });
        return run().then(settled, function (error) { settled(); throw error; });
      });
  }

  /* The first results are shown (or search failed): the page's own layout
     again (search-early.js kept it still until now). */
  function settled() {
    document.documentElement.classList.remove("search-pending");
  }

  readAddress();
  var bundle = new URL(root.getAttribute("data-bundle"), document.baseURI);
  readParts(bundle)
    .then(function (manifest) {
      var main = new URL(manifest.main || "", bundle);
      return import(new URL("pagefind.js", main).href).then(function (module) {
        return start(module, bundle, manifest);
      });
    })
    .catch(function (error) {
      settled();
      failure.hidden = false;
      ui.hidden = true;
      if (window.console) console.error("Search could not start:", error);
    });
})();
