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
 * language (helpcenter/search.py says why a bundle per language). A page shown in Japanese under /en/
 * etc. (no published translation) is found through the Japanese bundle, where its Japanese page
 * carries the filter shown:en: that bundle is merged into English searches, which are limited to
 * that filter (English pages all have it, from mergeFilter), and its results go to the /en/ URL
 * (pagefind/helpcenter.json lists them), with a language tag and lang="ja".
 *
 * Pagefind (~45 KB JS, ~41 KB worker, ~70 KB wasm before gzip) loads when the search box gets
 * focus or on the first query, not on every page view. */
(function () {
  "use strict";
  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  var SHOWN = "shown";  /* helpcenter/search.py SHOWN */
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

  /* Pagefind and its manifest, once per page. A language with no bundle of its own (nothing of it
   * translated yet) searches the Japanese bundle, limited to the pages it shows. */
  var loading = null;
  function load() {
    if (!loading) {
      var manifest = fetch(new URL("pagefind/helpcenter.json", root))
        .then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; });
      var bundle = function (l) { return new URL("pagefind/" + (l || "und") + "/", root).href; };
      var own = import(bundle(lang) + "pagefind.js").then(function (pf) { return { pf: pf, own: true }; }, function () {
        return manifest.then(function (m) {
          return import(bundle(m["default"]) + "pagefind.js").then(function (pf) { return { pf: pf, own: false }; });
        });
      });
      loading = Promise.all([own, manifest])
        .then(function (both) {
          var pf = both[0].pf, m = both[1] || {}, fb = (m.fallback || {})[lang];
          var spacedLangs = m.spaced || [], source = m["default"] || "";
          var state = { pf: pf, fallback: {}, original: {}, filters: {}, tag: m.name || source, source: source,
                        lex: lexicon((m.vocabulary || {})[lang.split("-")[0]] || {}),
                        spaced: spacedLangs.indexOf(lang.split("-")[0]) >= 0 || (!!fb && spacedLangs.indexOf(source) >= 0) };
          var excerpt = function (l) { return spacedLangs.indexOf(l) >= 0 ? EXCERPT_CHARS : EXCERPT_WORDS; };
          return Promise.resolve(pf.options({ excerptLength: excerpt(both[0].own ? lang.split("-")[0] : source) }))
            .then(function () { return pf.init(); })
            .then(function () {
              if (!fb) return;
              var abs = function (u) { return new URL(u.replace(/^\//, ""), root).href; };
              Object.keys(fb.pages).forEach(function (u) {
                state.fallback[abs(u)] = true;
                state.original[abs(fb.pages[u])] = abs(u);
              });
              var shown = {};
              shown[SHOWN] = lang;
              state.filters = { filters: shown };
              if (!both[0].own) return;
              return Promise.all([pf.options({ mergeFilter: shown }),
                                  pf.mergeIndex(bundle(source), { language: source, excerptLength: excerpt(source) })]);
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
  function toGroup(d, state, terms, needle) {
    var href = new URL(d.url, location.href).href;
    var page = href.split("#")[0];
    var ja = state.fallback[page] ? state.source : "";
    /* the page's own text: the Japanese page's (from the merged bundle), or the reader's words */
    var wrap = function (html) { return ja && d.shown ? '<span lang="' + ja + '">' + html + "</span>" : html; };
    var tag = ja ? '<span class="hc-search-lang" lang="' + ja + '">' + escapeHTML(state.tag) + "</span> " : "";
    var clean = state.spaced ? unspace : String;
    var title = (d.meta && d.meta.title) || d.url;
    var heading = tag + (ja ? '<span lang="' + ja + '">' + clean(escapeHTML(title)) + "</span>" : clean(escapeHTML(title)));
    var sections = (d.sub_results || []).filter(function (s) { return s.url.indexOf("#") >= 0 && s.title !== title; });
    var item = function (s, text) {
      return { location: new URL(s.url, location.href).href, title: wrap(clean(escapeHTML(s.title))),
               text: wrap(text), score: 1, terms: terms };
    };
    if (state.spaced && HAS_CJK.test(needle)) {
      /* Pagefind marks every matching character, wherever it is: show where the query itself is
       * instead (or, for a page with all its characters apart, the excerpt unmarked), and the first
       * section that has it, marked the same way (Material shows a section's text, not the page's) */
      var text = snippet(d.content, needle) || unspace(d.excerpt).replace(/<\/?mark>/g, "");
      var best = sections.filter(function (s) { return snippet(plain(s.excerpt), needle); });
      return [{ location: href, title: heading, text: wrap(text), score: 1, terms: terms }]
        .concat(best.slice(0, 1).map(function (s) { return item(s, snippet(plain(s.excerpt), needle)); }));
    }
    return [{ location: href, title: heading, text: wrap(clean(d.excerpt)), score: 1, terms: terms }]
      .concat(sections.slice(0, MAX_SECTIONS).map(function (s) { return item(s, clean(s.excerpt)); }));
  }

  /* The query's words, for Material's ?h= highlighting on the page a result opens */
  function termsOf(q) {
    var terms = {};
    q.split(/\s+/).forEach(function (w) { if (w) terms[w] = true; });
    return terms;
  }

  /* Chinese and Japanese are indexed character by character (helpcenter/search.py says why), so a
   * query's kana and Han characters are searched one by one too, and a page counts as containing a
   * word only where the word itself is in its text (as Ctrl+F finds it); pages with its characters
   * apart count for little. */
  var CJK = "\u3005-\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var PAIR = new RegExp("([" + CJK + "])(?=[" + CJK + "])", "g");
  var SPACE = new RegExp("([" + CJK + "]) (?=[" + CJK + "])", "g");
  var JOINED = new RegExp("([" + CJK + "])((?:</?mark>)*) ((?:</?mark>)*)(?=[" + CJK + "])", "g");
  function unspace(html) { return String(html || "").replace(JOINED, "$1$2$3"); }
  /* The text of a Pagefind excerpt (escaped HTML with <mark>s) */
  function plain(html) {
    return unspace(html).replace(/<\/?mark>/g, "").replace(/&(lt|gt|quot|#39|amp);/g, function (m, e) {
      return { lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" }[e];
    });
  }
  var HAS_CJK = new RegExp("[" + CJK + "]");
  var SNIPPET_BEFORE = 20, SNIPPET_AFTER = 60;
  /* The page text around the first place it contains `needle`, marked; null if it does not */
  function snippet(content, needle) {
    var text = String(content || "").replace(/\s+/g, " ").replace(SPACE, "$1");
    needle = normal(needle);
    var at = text.toLowerCase().indexOf(needle);
    if (!needle || at < 0) return null;
    var from = Math.max(0, at - SNIPPET_BEFORE), end = at + needle.length;
    var to = Math.min(text.length, end + SNIPPET_AFTER);
    return (from > 0 ? "… " : "") + escapeHTML(text.slice(from, at)) + "<mark>" + escapeHTML(text.slice(at, end)) +
      "</mark>" + escapeHTML(text.slice(end, to)) + (to < text.length ? " …" : "");
  }
  /* How text is compared: NFKC (２ＦＡ = 2fa), lower case, single spaces, none between CJK characters
   * (helpcenter/vocabulary.py normalises the vocabulary the same way) */
  function normal(text) {
    return String(text || "").normalize("NFKC").replace(/\s+/g, " ").replace(SPACE, "$1").toLowerCase().trim();
  }

  /* Readers' words (data/search.yml, helpcenter/vocabulary.py): a query becomes terms, each standing
   * for the words of the vocabulary groups it belongs to; question words and particles are dropped,
   * Korean endings cut (인증을 -> 인증), Japanese split at a particle after a kanji or katakana. */
  var WORDCHAR = /[0-9a-z\uac00-\ud7af]/;
  var HIRAGANA = /^[\u3041-\u309f]+$/;
  var JA_PARTICLE = /([^\u3041-\u309f\s])[はがをにのでともへやか](?=[^\u3041-\u309f\s]|$)/g;
  var JA_OKURIGANA = /^(.*[^\u3041-\u309f].*?)[\u3041-\u309f]+$/;
  var JA_LEADING = /^[はがをにのでともへやか](?=[^\u3041-\u309f])/;
  function lexicon(vocab) {
    var words = {};
    (vocab.groups || []).forEach(function (group) {
      group.forEach(function (w) { (words[w] = words[w] || []).push(group); });
    });
    (vocab.stop || []).forEach(function (w) { if (!words[w]) words[w] = null; });
    return { words: words, sorted: Object.keys(words).sort(function (a, b) { return b.length - a.length; }),
             stop: vocab.stop || [], endings: vocab.endings || [] };
  }
  /* How many characters of `s` from `i` the vocabulary word `w` takes: 0 where it is not there as a
   * word (Latin and Hangul words start at a word start; a Latin word ends at a non-letter or a plural
   * s; Korean endings may follow a word: 고객센터에) */
  function matchAt(s, i, w) {
    if (s.substr(i, w.length) !== w) return 0;
    if (i > 0 && WORDCHAR.test(s.charAt(i - 1)) && WORDCHAR.test(w.charAt(0))) return 0;
    var end = i + w.length, latin = /[0-9a-z]/;
    if (!latin.test(w.charAt(w.length - 1)) || !latin.test(s.charAt(end))) return w.length;
    return w.length > 2 && s.charAt(end) === "s" && !WORDCHAR.test(s.charAt(end + 1)) ? w.length + 1 : 0;
  }
  function rest(text, lex, terms) {
    text.split(/[\s,.;:!?、。？！，；：「」『』（）()"'\/]+/).forEach(function (word) {
      if (!word) return;
      var parts = /[\u3041-\u309f]/.test(word) ? word.replace(JA_PARTICLE, "$1 ").split(" ") : [word];
      parts.forEach(function (part) {
        if (lex.endings.indexOf(part) >= 0) return;  /* a particle or ending alone */
        part = part.replace(JA_LEADING, "");
        lex.endings.some(function (e) {
          var min = e.length > 1 ? 1 : 2;
          if (part.length - e.length >= min && part.slice(-e.length) === e) { part = part.slice(0, -e.length); return true; }
          return false;
        });
        var stem = part.match(JA_OKURIGANA);
        if (stem && stem[1].length >= 2) part = stem[1];
        if (!part || lex.stop.indexOf(part) >= 0 || (HIRAGANA.test(part) && part.length < 2)) return;
        terms.push({ typed: part, alts: [part], weak: HIRAGANA.test(part) || (HAS_CJK.test(part) && part.length < 2) });
      });
    });
  }
  function parse(q, lex) {
    var s = normal(q.replace(/^"(.*)"$/, "$1")), terms = [], plain = "", i = 0;
    while (i < s.length) {
      var hit = null, taken = 0;
      for (var k = 0; k < lex.sorted.length && !hit; k++) {
        taken = matchAt(s, i, lex.sorted[k]);
        if (taken) hit = lex.sorted[k];
      }
      if (!hit) { plain += s.charAt(i++); continue; }
      rest(plain, lex, terms);
      plain = " ";
      i += taken;
      if (!lex.words[hit]) continue;  /* a stopword */
      var alts = [hit];
      lex.words[hit].forEach(function (g) { g.forEach(function (w) { if (alts.indexOf(w) < 0) alts.push(w); }); });
      terms.push({ typed: hit, alts: alts, weak: false });
    }
    rest(plain, lex, terms);
    return terms.length ? terms : [{ typed: s, alts: [s], weak: false }];
  }

  /* Search each word a query may stand for, then rank the pages found: a page with all of the
   * query's terms first (and, when none has them all, the best partial match: never nothing for a
   * query whose words are on the site); a term in the title counts more than in a heading, more than
   * in the text, a rare term more than a common one (as in BM25), the query's own words more than
   * their synonyms; the query as typed, found on the page, adds to that: a little for words typed
   * apart (keywords: 주문 취소), as much as a title for a run of Chinese or Japanese characters (what
   * a reader copies: any piece of a page finds it, as Ctrl+F would); Pagefind's order breaks ties.
   * The pages with all the terms (Pagefind's own search of them together) are looked at first. */
  var PER_WORD = 30, CANDIDATES = 60;
  var TITLE = 3, HEADING = 2, TEXT = 1, APART = 0.3, SYNONYM = 0.9, WEAK = 0.5, ALL_TERMS = 4;
  var PHRASE = 0.5, RUN = 1;
  function find(state, q) {
    var terms = parse(q, state.lex);
    var whole = terms.map(function (t) { return t.typed; }).join(" ");
    var alts = terms.length > 1 ? [whole] : [];
    terms.forEach(function (t) { t.alts.forEach(function (a) { if (alts.indexOf(a) < 0) alts.push(a); }); });
    return Promise.all(alts.map(function (a) {
      return state.pf.search(state.spaced ? a.replace(PAIR, "$1 ") : a, state.filters).then(function (res) {
        return (res ? res.results : []).slice(0, PER_WORD);
      });
    })).then(function (lists) {
      var pages = {}, order = [];
      lists.forEach(function (results, ai) {
        results.forEach(function (r, rank) {
          var p = pages[r.id];
          if (!p) { p = pages[r.id] = { result: r, rank: rank, alts: {}, all: false }; order.push(p); }
          p.alts[alts[ai]] = true;
          p.rank = Math.min(p.rank, rank);
          if (alts[ai] === whole && terms.length > 1) p.all = true;
        });
      });
      terms.forEach(function (t) {  /* how rare the term is among the pages found: its weight */
        var df = order.filter(function (p) { return t.alts.some(function (a) { return p.alts[a]; }); }).length;
        t.weight = (t.weak ? WEAK : 1) * Math.log(1 + order.length / Math.max(df, 1));
      });
      order.sort(function (a, b) { return (b.all - a.all) || (a.rank - b.rank); });
      order = order.slice(0, CANDIDATES);
      return Promise.all(order.map(function (p) { return p.result.data(); })).then(function (docs) {
        var phrase = normal(q.replace(/^"(.*)"$/, "$1"));
        var ranked = order.map(function (p, i) { return score(p, shownAt(docs[i], state), terms, phrase, state.spaced); });
        ranked.sort(function (a, b) { return b.score - a.score; });
        var seen = {};  /* a page shown in Japanese is in both bundles: its best result */
        return ranked.filter(function (r) {
          var at = new URL(r.data.url, location.href).href.split("#")[0];
          return seen[at] ? false : (seen[at] = true);
        });
      });
    });
  }
  /* A result of the merged Japanese bundle, at the URL of the page that shows it in the reader's language */
  function shownAt(d, state) {
    var href = new URL(d.url, location.href).href, at = href.split("#")[0], to = state.original[at];
    if (!to) return d;
    var move = function (u) { return to + new URL(u, location.href).hash; };
    return Object.assign({}, d, { url: move(d.url), shown: true, sub_results: (d.sub_results || []).map(function (s) {
      return Object.assign({}, s, { url: move(s.url) });
    }) });
  }
  function stem(word) { return /^[a-z]{4,}s$/.test(word) ? word.slice(0, -1) : word; }
  function score(p, d, terms, phrase, spaced) {
    var title = normal(d.meta && d.meta.title), text = normal(d.content);
    var headings = (d.anchors || []).filter(function (a) { return /^h[1-6]$/.test(a.element); })
      .map(function (a) { return normal(a.text); });
    var total = 0, most = 0, matched = 0, needle = "";
    terms.forEach(function (t) {
      var best = 0;
      t.alts.forEach(function (a) {
        if (!p.alts[a]) return;
        var w = stem(normal(a)), v;
        if (spaced && HAS_CJK.test(w) && text.indexOf(w) < 0 && title.indexOf(w) < 0) v = APART;
        else if (title.indexOf(w) >= 0) v = TITLE;
        else if (headings.some(function (h) { return h.indexOf(w) >= 0; })) v = HEADING;
        else v = TEXT;
        if (a !== t.typed) v *= SYNONYM;
        if (v > best) { best = v; if (!needle || v > APART) needle = a; }
      });
      total += best * t.weight;
      most += TITLE * t.weight;
      if (best > APART && !t.weak) matched++;
    });
    var strong = terms.filter(function (t) { return !t.weak; }).length;
    var s = total / most + (matched >= strong ? ALL_TERMS : ALL_TERMS * matched / strong / 2);
    if (terms.length > 1 || phrase !== terms[0].typed || /\s/.test(phrase)) {  /* the query as typed, in one piece */
      var bonus = spaced && !/\s/.test(phrase) ? RUN : PHRASE;
      if (title.indexOf(phrase) >= 0) s += 2 * bonus;
      else if (text.indexOf(phrase) >= 0) s += bonus;
    }
    return { data: d, score: s + 0.1 / (1 + p.rank), needle: needle || terms[0].typed };
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
        return find(state, q).then(function (ranked) {
          return { ranked: ranked.slice(0, MAX_RESULTS), state: state };
        });
      })
      .then(function (found) {
        if (!found || id !== self.seq) return;
        var terms = termsOf(q);
        self.emit({ type: RESULT, data: { items: found.ranked.map(function (r) {
          return toGroup(r.data, found.state, terms, r.needle);
        }) } });
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
