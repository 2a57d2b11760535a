/* "Is this really you?": the verification page (/verify/, /en/verify/, ...), in the reader's browser.
 *
 * The same steps as plugins/helpcenter/verify.py (class Verifier), method for method, on the same data
 * (verify.rules(), written into the page as the JSON block #hc-verify-data with the reader's words).
 * Nothing is sent anywhere: the page works offline. tests/verify_cases.yml is the table both must
 * answer alike (tests/test_verify.py for the CLI, tests/test_verify_page.py for this file, in Chromium).
 */
(function () {
  "use strict";
  var OFFICIAL = "official", NOT_OFFICIAL = "not-official", UNKNOWN = "unknown";

  function isAscii(s) { return /^[\x00-\x7f]*$/.test(s); }
  function squeeze(s) { return s.replace(/[^a-z0-9]/g, ""); }
  function has(list, item) { return list.indexOf(item) >= 0; }

  function distance(a, b) {  /* edits: insert, delete, substitute, swap two neighbours */
    a = Array.from(a); b = Array.from(b);
    var prev2 = [], prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      var cur = [i];
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
      }
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  function phoneDigits(text) {
    var t = text.replace(/\(0\)/g, "").replace(/[\s\-‐‑‒–—―−ー().・/]/g, "");
    if (!/^\+?[0-9]{5,15}$/.test(t)) return null;
    var prefixes = ["+81", "0081"];
    for (var i = 0; i < prefixes.length; i++) {
      if (t.indexOf(prefixes[i]) === 0) return "0" + t.slice(prefixes[i].length).replace(/^0+/, "");
    }
    return t;
  }

  function punycode(input) {  /* RFC 3492 decoding, as Python's "punycode" codec */
    var base = 36, n = 128, bias = 72, i = 0, out = [], k, w, t, digit, oldi;
    var basic = input.lastIndexOf("-");
    if (basic > 0) { for (k = 0; k < basic; k++) out.push(input.charCodeAt(k)); }
    for (var pos = basic > 0 ? basic + 1 : 0; pos < input.length;) {
      oldi = i; w = 1;
      for (k = base; ; k += base) {
        if (pos >= input.length) throw new Error("punycode");
        var c = input.charCodeAt(pos++);
        digit = c - 48 < 10 ? c - 22 : c - 65 < 26 ? c - 65 : c - 97 < 26 ? c - 97 : base;
        if (digit >= base) throw new Error("punycode");
        i += digit * w;
        t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (digit < t) break;
        w *= base - t;
      }
      var len = out.length + 1, delta = oldi === 0 ? Math.floor((i - oldi) / 700) : (i - oldi) >> 1;
      delta += Math.floor(delta / len);
      for (k = 0; delta > 455; k += base) delta = Math.floor(delta / 35);
      bias = k + Math.floor(36 * delta / (delta + 38));
      n += Math.floor(i / len); i %= len;
      out.splice(i++, 0, n);
    }
    return String.fromCodePoint.apply(null, out);
  }

  function decodeHost(host) {
    return host.split(".").map(function (label) {
      if (label.indexOf("xn--") !== 0) return label;
      try { return punycode(label.slice(4)).toLowerCase(); } catch (e) { return label; }
    }).join(".");
  }

  function Verifier(data) {
    this.data = data;
    this.channels = data.channels;
  }
  var V = Verifier.prototype;

  V.skel = function (text) {
    var table = this.data.confusables, out = "";
    for (var c of text.normalize("NFD")) { if (!/\p{Mn}/u.test(c)) out += table[c] !== undefined ? table[c] : c; }
    out = out.toLowerCase();
    this.data.sequences.forEach(function (p) { out = out.split(p[0]).join(p[1]); });
    return out;
  };
  V.ofKind = function (kind) { return this.channels.filter(function (c) { return c.kind === kind; }); };
  /* Edits from `text` to `official` as a reader sees them (skeletons) or as typed, whichever is fewer
   * (an edit can make a lookalike sequence, rn for m, that puts the skeletons further apart) */
  V.apart = function (text, official) {
    return Math.min(distance(this.skel(text), this.skel(official)), distance(text.toLowerCase(), official.toLowerCase()));
  };
  V.closest = function (kind, text, field) {
    var self = this, best = null, bestD = Infinity;
    this.ofKind(kind).forEach(function (c) { var d = self.apart(text, c[field]); if (d < bestD) { best = c; bestD = d; } });
    return best ? best.key : null;
  };
  V.neverUsed = function (host) {
    var spec = this.data.never_used;
    for (var kind in spec) {
      if (spec[kind].hosts.some(function (h) { return host === h || host.endsWith("." + h); })) return kind;
    }
    return null;
  };

  function result(input, verdict, kind, reason, extra) {
    var r = {input: input, verdict: verdict, kind: kind, reason: reason, channel: null, channels: [], lookalike_of: null, never_used: null};
    return Object.assign(r, extra || {});
  }
  function official(input, kind, keys) { return result(input, OFFICIAL, kind, OFFICIAL, {channel: keys[0], channels: keys}); }

  V.verify = function (text) {
    var hidden = /\p{Cf}/u.test(text);
    var s = text.replace(/\p{Cf}/gu, "").normalize("NFKC");
    var named = /<([^<>\s]+@[^<>\s]+)>/.exec(s);
    s = named ? named[1] : s.trim().replace(/^[<>"'「」『』]+|[<>"'「」『』]+$/g, "").replace(/[。、,;!?]+$/, "").trim();
    var r = this.classify(s, text);
    if (hidden && r.verdict === OFFICIAL) return result(text, NOT_OFFICIAL, r.kind, "hidden", {lookalike_of: r.channel});
    return r;
  };

  V.classify = function (s, original) {
    var low = s.toLowerCase();
    var scheme = /^(mailto|tel|sms):/.exec(low);
    if (scheme) { s = s.slice(scheme[0].length); low = low.slice(scheme[0].length); }
    var digits = phoneDigits(s);
    if (digits) return this.phone(original, digits);
    var disguised = this.disguisedNumber(s);
    if (disguised) {
      var near = this.ofKind("phone").filter(function (c) { return distance(disguised, c.digits) <= 2; });
      var why = isAscii(s) ? "spelling" : "script";
      return result(original, NOT_OFFICIAL, "phone", near.length ? why : "other", {lookalike_of: near.length ? near[0].key : null});
    }
    if (/^@[^\s@/]+$/.test(s)) return this.handle(original, s.slice(1));
    if (/^[^\s@/:]+@[^\s@/]+$/.test(s)) {
      var at = s.lastIndexOf("@");
      return this.email(original, s.slice(0, at).toLowerCase(), decodeHost(s.slice(at + 1).toLowerCase().replace(/\.+$/, "")));
    }
    var url = /^([a-z][a-z0-9+.-]*):\/\//.exec(low);
    if (url && url[1] !== "http" && url[1] !== "https") return result(original, UNKNOWN, "text", "not-a-channel");
    if (url || /^[^\s/?#]+\.[^\s/?#.]/.test(s)) {
      var r = this.url(original, url ? s.slice(url[0].length) : s);
      if (r) return r;
    }
    return this.app(original, s);
  };

  V.disguisedNumber = function (s) {
    var table = this.data.confusables, mapped = "";
    for (var c of s) mapped += table[c] !== undefined ? table[c] : c;
    mapped = mapped.split("o").join("0").split("l").join("1");
    var real = (s.match(/[0-9]/g) || []).length, all = (mapped.match(/[0-9]/g) || []).length;
    return real * 2 >= all && all > real ? phoneDigits(mapped) : null;
  };

  V.phone = function (original, digits) {
    var phones = this.ofKind("phone");
    var same = phones.filter(function (c) { return c.digits === digits; });
    if (same.length) return official(original, "phone", [same[0].key]);
    var near = phones.filter(function (c) { return distance(digits, c.digits) <= 2; });
    if (near.length) return result(original, NOT_OFFICIAL, "phone", "number", {lookalike_of: near[0].key});
    return result(original, NOT_OFFICIAL, "phone", "other");
  };

  V.handle = function (original, name) {
    var self = this, low = name.toLowerCase();
    var matches = this.ofKind("handle").filter(function (c) { return c.handle === low; }).map(function (c) { return c.key; });
    if (matches.length) return official(original, "handle", matches);
    var sk = this.skel(name);
    var brands = this.data.domains.map(function (d) { return squeeze(self.skel(d.split(".")[0])); });
    var officials = this.ofKind("handle").map(function (c) { return c.handle; });
    var alike = officials.some(function (o) { return self.apart(name, o) <= 2 || squeeze(sk).indexOf(squeeze(self.skel(o))) >= 0; }) ||
      brands.some(function (b) { return squeeze(sk).indexOf(b) >= 0; });
    if (alike) {
      return result(original, NOT_OFFICIAL, "handle", isAscii(name) ? "spelling" : "script", {lookalike_of: this.closest("handle", name, "handle")});
    }
    return result(original, NOT_OFFICIAL, "handle", "other");
  };

  V.hostLookalike = function (host, userinfo) {
    var self = this, domains = this.data.domains;
    if (domains.some(function (d) { return host === d || host.endsWith("." + d); })) return "unlisted";
    if (userinfo && domains.some(function (d) { return squeeze(self.skel(userinfo)).indexOf(squeeze(self.skel(d.split(".")[0]))) >= 0; })) return "userinfo";
    var sk = this.skel(host), labels = sk.split(".");
    for (var i = 0; i < domains.length; i++) {
      var skd = this.skel(domains[i]), brand = this.skel(domains[i].split(".")[0]), found = null;
      if (sk === skd || this.ofKind("url").some(function (c) { return sk === self.skel(c.host); })) found = "spelling";
      else if (("." + sk + ".").indexOf("." + skd + ".") >= 0) found = "subdomain";
      else if (has(labels, brand)) found = labels.indexOf(brand) === labels.length - 2 ? "tld" : "subdomain";
      else if (labels.some(function (l) { return distance(l, brand) <= 2 || squeeze(l).indexOf(squeeze(brand)) >= 0; }) ||
               host.split(".").some(function (l) { return distance(l, domains[i].split(".")[0]) <= 2; })) found = "spelling";
      if (found) return isAscii(host) ? found : "script";
    }
    return null;
  };

  V.byPath = function (candidates, path) {
    var clean = path.split(/[?#]/)[0].replace(/\/+$/, "");
    var fits = candidates.filter(function (c) { return clean === c.path || clean.indexOf(c.path + "/") === 0; });
    var pool = fits.length ? fits : candidates, best = pool[0];
    pool.forEach(function (c) { if (c.path.length > best.path.length) best = c; });
    return best.key;
  };

  V.url = function (original, rest) {
    var self = this;
    var authority = rest.split(/[/?#\\]/)[0], path = rest.slice(authority.length);
    var at = authority.lastIndexOf("@");
    var userinfo = at >= 0 ? authority.slice(0, at) : "", hostport = authority.slice(at + 1);
    var host = decodeHost(hostport.replace(/:[0-9]*$/, "").toLowerCase().replace(/\.+$/, ""));
    if (!/^[^\s/?#@:\\]+\.[^\s/?#@:\\.]+$/.test(host)) return null;
    var bare = host.indexOf("www.") === 0 ? host.slice(4) : host;
    if (has(this.data.social_hosts, bare)) {
      var segment = path.replace(/^\/+/, "").split(/[/?#]/)[0];
      if (has(this.data.direct_message_paths, segment)) return result(original, NOT_OFFICIAL, "url", "never-used", {never_used: "direct-message"});
      return segment ? this.handle(original, segment.replace(/^@+/, "")) : null;
    }
    var urls = this.ofKind("url");
    var onHost = urls.filter(function (c) { return c.host === bare; });
    if (onHost.length) return official(original, "url", [this.byPath(onHost, path)]);
    var never = this.neverUsed(bare);
    if (never) return result(original, NOT_OFFICIAL, "url", "never-used", {never_used: never});
    var reason = this.hostLookalike(bare, userinfo);
    if (reason) {
      var far = {}, least = Infinity;
      urls.forEach(function (c) {
        far[c.key] = Math.min(self.apart(host, c.host), self.apart(host, c.written));
        least = Math.min(least, far[c.key]);
      });
      var key = urls.length ? this.byPath(urls.filter(function (c) { return far[c.key] === least; }), path) : null;
      return result(original, NOT_OFFICIAL, "url", reason, {lookalike_of: key});
    }
    return result(original, NOT_OFFICIAL, "url", "other");
  };

  V.email = function (original, local, domain) {
    var address = local + "@" + domain;
    var matches = this.ofKind("email").filter(function (c) { return c.address === address; }).map(function (c) { return c.key; });
    if (matches.length) return official(original, "email", matches);
    var never = this.neverUsed(domain);
    if (never === "personal-email") return result(original, NOT_OFFICIAL, "email", "never-used", {never_used: never});
    var reason = this.hostLookalike(domain.indexOf("www.") === 0 ? domain.slice(4) : domain, "");
    if (reason) return result(original, NOT_OFFICIAL, "email", reason, {lookalike_of: this.closest("email", address, "address")});
    return result(original, NOT_OFFICIAL, "email", "other");
  };

  V.app = function (original, s) {
    var low = s.split(/\s+/).filter(Boolean).join(" ").toLowerCase();
    var spec = this.data.never_used;
    for (var kind in spec) {
      if (spec[kind].words.some(function (w) { return low.indexOf(w) >= 0; }) || (kind === "line" && /\bLINE\b/.test(s))) {
        return result(original, NOT_OFFICIAL, "text", "never-used", {never_used: kind});
      }
    }
    var apps = this.ofKind("app");
    var matches = apps.filter(function (c) { return c.name === low; }).map(function (c) { return c.key; });
    if (matches.length) return official(original, "app", matches);
    var sk = this.skel(low);
    for (var i = 0; i < apps.length; i++) {
      var base = apps[i].name.split(" (")[0];
      if (low === base) return result(original, UNKNOWN, "app", "name-only");
      var off = this.skel(apps[i].name);
      if (sk === off || this.apart(low, apps[i].name) <= 3 || squeeze(sk).indexOf(squeeze(this.skel(base))) >= 0) {
        return result(original, NOT_OFFICIAL, "app", isAscii(low) ? "spelling" : "script", {lookalike_of: apps[i].key});
      }
    }
    return result(original, UNKNOWN, "text", "not-a-channel");
  };

  /* --- the page ---------------------------------------------------------------------------------- */

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, name) { return values[name] !== undefined ? values[name] : m; });
  }

  function para(cls, text) { var p = document.createElement("p"); p.className = cls; p.textContent = text; return p; }

  function show(box, r, page) {
    var words = page.strings, key = r.channel || r.lookalike_of, ch = key ? page.labels[key] : null;
    var values = {label: ch ? ch.label : "", value: ch ? ch.value : "", use: ch ? ch.use : "", kind: words["verify_kind_" + r.never_used] || ""};
    box.setAttribute("data-verdict", r.verdict);
    ["kind", "reason", "channel", "lookalike_of", "never_used"].forEach(function (name) {
      var attr = "data-" + name.replace(/_/g, "-");
      if (r[name]) box.setAttribute(attr, r[name]); else box.removeAttribute(attr);
    });
    box.replaceChildren(
      para("hc-verify__verdict", words["verify_" + r.verdict.replace("-", "_")]),
      para("hc-verify__detail", fill(r.verdict === OFFICIAL ? words.verify_official_detail : words["verify_reason_" + r.reason.replace(/-/g, "_")], values))
    );
    if (r.verdict === NOT_OFFICIAL) {
      box.appendChild(para("hc-verify__next", words.verify_next));
      var list = document.createElement("ul");
      page.next.forEach(function (link) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = link.href; a.textContent = link.text; li.appendChild(a); list.appendChild(li);
      });
      box.appendChild(list);
    }
    box.hidden = false;
  }

  function start() {
    var data = document.getElementById("hc-verify-data");
    var form = document.getElementById("hc-verify-form");
    if (!data || !form) return;
    var page = JSON.parse(data.textContent);
    var verifier = new Verifier(page.rules);
    var input = document.getElementById("hc-verify-input"), box = document.getElementById("hc-verify-result");
    function check() {
      if (!input.value.trim()) { box.hidden = true; box.setAttribute("data-verdict", ""); return; }
      show(box, verifier.verify(input.value), page);
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); check(); });
    input.addEventListener("input", check);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
