/* Ways on from every page (helpcenter plugin, wayfinding.py), as a file: the pages' Content-Security-
 * Policy allows no inline script.
 *
 * - The language switcher keeps the section: the same page in another language opens at the same
 *   heading (heading ids are the same in every language), not at its top.
 * - A wrong address under /en/, /zh/, /ko/ gets that language's 404 page: a static host serves the
 *   root 404.html (the default language's) for every missing path; it lists the other languages,
 *   and this sends the reader to the 404 page of the one the address is in. */
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var link = ev.target && ev.target.closest ? ev.target.closest("a.md-select__link[hreflang]") : null;
    if (link && location.hash && !link.hash) link.hash = location.hash;
  }, true);

  var languages = document.querySelectorAll(".hc-not-found-languages a[hreflang]");
  for (var i = 0; i < languages.length; i++) {
    var home = new URL(languages[i].getAttribute("href"), location.href);
    if (location.pathname.indexOf(home.pathname) === 0) {
      location.replace(new URL("404.html", home).href);
      return;
    }
  }
})();
