/* Site search: Pagefind behind Material for MkDocs' own header search box.
 *
 * Why this way: Material's box, keyboard handling, result list and highlighting stay native; only
 * the engine changes. Material creates its search "worker" with `new Worker(__config.search)` and
 * talks to it with four messages (SETUP=0, READY=1, QUERY=2, RESULT=3). This file, loaded before
 * Material's bundle (the helpcenter-search plugin puts it there), answers that worker URL with an
 * in-page object speaking the same protocol, backed by Pagefind's JS API. Every other worker is a
 * real one.
 *
 * Each language has its own Pagefind bundle, pagefind/<html lang>/, so readers get results in their
 * language (helpcenter/search.py says why a bundle per language). Pages shown in Japanese under /en/
 * etc. (no published translation) are indexed as Japanese in a bundle of their own per language
 * (pagefind/helpcenter.json lists them); it is merged into that language's searches and its results
 * carry a language tag and lang="ja".
 *
 * Pagefind (~45 KB JS, ~41 KB worker, ~70 KB wasm before gzip) loads when the search box gets
 * focus or on the first query, not on every page view. */
(function () {
  "use strict";
  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  var MAX_RESULTS = 20, MAX_SECTIONS = 3, EXCERPT_WORDS = 24, EXCERPT_CHARS = 60;
  var configEl = document.getElementById("__config");
  if (!configEl || !window.Worker) return;
  var config = JSON.parse(configEl.textContent);
  var NativeWorker = window.Worker;
  var root = new URL(String(config.base || ".").replace(/\/?$/, "/"), location.href);
  var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();

  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Pagefind and its manifest, once per page */
  var loading = null;
  function load() {
    if (!loading) {
      var manifest = fetch(new URL("pagefind/helpcenter.json", root))
        .then(function (r) { return r.ok ? r.json() : { fallback: {} }; })
        .catch(function () { return { fallback: {} }; });
      var code = new URL("pagefind/" + (lang || "und") + "/pagefind.js", root).href;
      loading = Promise.all([import(code), manifest])
        .then(function (both) {
          var pf = both[0], m = both[1] || {}, fb = (m.fallback || {})[lang];
          var spacedLangs = m.spaced || [];
          var state = { pf: pf, fallback: {}, tag: m.name || m["default"] || "", original: m["default"] || "",
                        spaced: spacedLangs.indexOf(lang.split("-")[0]) >= 0 || (!!fb && spacedLangs.indexOf(m["default"]) >= 0) };
          var excerpt = function (l) { return spacedLangs.indexOf(l) >= 0 ? EXCERPT_CHARS : EXCERPT_WORDS; };
          return Promise.resolve(pf.options({ excerptLength: excerpt(lang.split("-")[0]) }))
            .then(function () { return pf.init(); })
            .then(function () {
              if (!fb) return;
              fb.urls.forEach(function (u) { state.fallback[new URL(u.replace(/^\//, ""), root).href] = true; });
              return pf.mergeIndex(new URL("pagefind/" + fb.bundle, root).href,
                                   { language: state.original, excerptLength: excerpt(state.original) });
            })
            .then(function () { return state; });
        });
    }
    return loading;
  }
  document.addEventListener("focusin", function (ev) {
    var t = ev.target;
    if (t && t.matches && t.matches(".md-search__input")) load().catch(function () {});
  });

  /* A Pagefind result as Material's group: the page, then up to MAX_SECTIONS of its sections.
   * Locations are absolute; Material resolves them against __config.base, which keeps them. */
  function toGroup(d, state, terms, q) {
    var href = new URL(d.url, location.href).href;
    var page = href.split("#")[0];
    var ja = state.fallback[page] ? state.original : "";
    var wrap = function (html) { return ja ? '<span lang="' + ja + '">' + html + "</span>" : html; };
    var tag = ja ? '<span class="hc-search-lang" lang="' + ja + '">' + escapeHTML(state.tag) + "</span> " : "";
    var clean = state.spaced ? unspace : String;
    var title = (d.meta && d.meta.title) || d.url;
    var heading = tag + wrap(clean(escapeHTML(title)));
    if (state.spaced && HAS_CJK.test(q)) {
      /* Pagefind marks every matching character, wherever it is: show where the query itself is
       * instead (or, for a page with all its characters apart, the excerpt unmarked) */
      var text = snippet(d.content, q) || unspace(d.excerpt).replace(/<\/?mark>/g, "");
      return [{ location: href, title: heading, text: wrap(text), score: 1, terms: terms }];
    }
    var groups = [{ location: href, title: heading, text: wrap(clean(d.excerpt)), score: 1, terms: terms }];
    (d.sub_results || [])
      .filter(function (s) { return s.url.indexOf("#") >= 0 && s.title !== title; })
      .slice(0, MAX_SECTIONS)
      .forEach(function (s) {
        groups.push({ location: new URL(s.url, location.href).href, title: wrap(clean(escapeHTML(s.title))),
                      text: wrap(clean(s.excerpt)), score: 1, terms: terms });
      });
    return groups;
  }

  /* The query's words, for Material's ?h= highlighting on the page a result opens */
  function termsOf(q) {
    var terms = {};
    q.split(/\s+/).forEach(function (w) { if (w) terms[w] = true; });
    return terms;
  }

  /* Chinese and Japanese are indexed character by character (helpcenter/search.py says why), so a
   * query's kana and Han characters are searched one by one too: Pagefind finds the pages containing
   * all of them (every word of a query must match, as a prefix). Of the first VERIFY pages, those
   * that contain the query as typed (as Ctrl+F would find it; for several words, the exact phrase)
   * come first, in Pagefind's order (which weighs titles and headings). Pagefind's own exact-phrase
   * search ("...") misses pages where a character repeats, so the check is done on the page text. */
  var VERIFY = 30;
  var CJK = "\u3005-\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var PAIR = new RegExp("([" + CJK + "])(?=[" + CJK + "])", "g");
  var SPACE = new RegExp("([" + CJK + "]) (?=[" + CJK + "])", "g");
  var JOINED = new RegExp("([" + CJK + "])((?:</?mark>)*) ((?:</?mark>)*)(?=[" + CJK + "])", "g");
  function unspace(html) { return String(html || "").replace(JOINED, "$1$2$3"); }
  var HAS_CJK = new RegExp("[" + CJK + "]");
  var SNIPPET_BEFORE = 20, SNIPPET_AFTER = 60;
  /* The page text around the first place it contains the query, the query marked; null if it does not */
  function snippet(content, q) {
    var text = String(content || "").replace(/\s+/g, " ").replace(SPACE, "$1");
    var needle = normal(q.replace(/^"(.*)"$/, "$1"));
    var at = text.toLowerCase().indexOf(needle);
    if (!needle || at < 0) return null;
    var from = Math.max(0, at - SNIPPET_BEFORE), end = at + needle.length;
    var to = Math.min(text.length, end + SNIPPET_AFTER);
    return (from > 0 ? "… " : "") + escapeHTML(text.slice(from, at)) + "<mark>" + escapeHTML(text.slice(at, end)) +
      "</mark>" + escapeHTML(text.slice(end, to)) + (to < text.length ? " …" : "");
  }
  function normal(text) { return String(text || "").replace(/\s+/g, " ").replace(SPACE, "$1").toLowerCase().trim(); }

  function find(state, q) {
    var query = state.spaced ? q.replace(PAIR, "$1 ") : q;
    return state.pf.search(query).then(function (res) {
      var results = res ? res.results : [];
      if (query === q && !/\s/.test(q)) return results;  /* one word: nothing to check */
      var needle = normal(q.replace(/^"(.*)"$/, "$1"));
      var head = results.slice(0, VERIFY);
      return Promise.all(head.map(function (r) { return r.data(); })).then(function (docs) {
        var exact = head.filter(function (r, i) { return normal(docs[i].content).indexOf(needle) >= 0; });
        return exact.concat(results.filter(function (r) { return exact.indexOf(r) < 0; }));
      });
    });
  }

  function PagefindWorker() {
    this.target = new EventTarget();
    this.seq = 0;
  }
  PagefindWorker.prototype.addEventListener = function (t, f, o) { this.target.addEventListener(t, f, o); };
  PagefindWorker.prototype.removeEventListener = function (t, f, o) { this.target.removeEventListener(t, f, o); };
  PagefindWorker.prototype.dispatchEvent = function (e) { return this.target.dispatchEvent(e); };
  PagefindWorker.prototype.terminate = function () {};
  PagefindWorker.prototype.emit = function (data) {
    this.target.dispatchEvent(new MessageEvent("message", { data: data }));
  };
  PagefindWorker.prototype.postMessage = function (msg) {
    var self = this;
    if (msg.type === SETUP) {  /* Material's Lunr index (a stub on this site) is not used */
      setTimeout(function () { self.emit({ type: READY }); }, 0);
      return;
    }
    if (msg.type !== QUERY) return;
    var id = ++this.seq;
    var q = String(msg.data || "").trim();
    if (!q) { this.emit({ type: RESULT, data: { items: [] } }); return; }
    load()
      .then(function (state) {
        return find(state, q).then(function (results) {
          if (id !== self.seq) return null;
          return Promise.all(results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }))
            .then(function (docs) { return { docs: docs, state: state }; });
        });
      })
      .then(function (found) {
        if (!found || id !== self.seq) return;
        var terms = termsOf(q);
        self.emit({ type: RESULT, data: { items: found.docs.map(function (d) { return toGroup(d, found.state, terms, q); }) } });
      })
      .catch(function (err) {
        console.warn("Search failed:", err);
        if (id === self.seq) self.emit({ type: RESULT, data: { items: [] } });
      });
  };

  var workerUrl = config.search;
  window.Worker = function (url, options) {
    if (workerUrl && String(url) === String(workerUrl)) return new PagefindWorker();
    return new NativeWorker(url, options);
  };
  window.Worker.prototype = NativeWorker.prototype;
})();
