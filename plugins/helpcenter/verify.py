"""Is this really the exchange? A link, address, number, account or app name checked against the
official channels of data/channels.yml.

Phishing defeats comparison by eye (`hoshi-exchange.example.login-help.net`, a Cyrillic `о`, one
changed digit), so the comparison is done here, for `helpcenter verify` and, through `rules()` (plain
JSON) and templates/helpcenter/verify.js (the same steps in the browser), for the page /verify/.
tests/verify_cases.yml holds the cases both must agree on.

Every input is normalised as a browser or a phone would read it (NFKC: full-width digits and letters;
lower case for domains and addresses; trailing dots, `www.`, paths, ports; punycode) and then either
matches an official value exactly (**official**), resembles one or uses a kind of channel the exchange
never uses (**not-official**, with the reason), or is not a channel at all (**unknown**). Resemblance
is judged on Unicode skeletons (UTS #39 confusables, from the `confusable-homoglyphs` package's copy
of Unicode's data), never by a hand-made list of lookalike characters.
"""

from __future__ import annotations

import contextlib
import re
import string
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import idna
from confusable_homoglyphs.confusables import confusables_data

from .placeholders import Channel

OFFICIAL, NOT_OFFICIAL, UNKNOWN = "official", "not-official", "unknown"
#: Kinds of channel the exchange never uses: hosts (and their subdomains) and words that name them.
NEVER_USED: dict[str, dict[str, list[str]]] = {
    "telegram": {"hosts": ["t.me", "telegram.me", "telegram.org", "telegram.dog"], "words": ["telegram", "テレグラム"]},
    "whatsapp": {"hosts": ["wa.me", "whatsapp.com"], "words": ["whatsapp"]},
    "line": {"hosts": ["line.me", "lin.ee"], "words": []},
    "discord": {"hosts": ["discord.gg", "discord.com", "discordapp.com"], "words": ["discord"]},
    "other-social": {
        "hosts": [
            "instagram.com",
            "facebook.com",
            "fb.com",
            "m.me",
            "tiktok.com",
            "youtube.com",
            "youtu.be",
            "threads.net",
            "open.kakao.com",
            "weixin.qq.com",
        ],
        "words": ["wechat", "微信", "kakaotalk", "카카오톡"],
    },
    "personal-email": {
        "hosts": [
            "gmail.com",
            "googlemail.com",
            "yahoo.com",
            "yahoo.co.jp",
            "ymail.com",
            "outlook.com",
            "outlook.jp",
            "hotmail.com",
            "hotmail.co.jp",
            "live.com",
            "live.jp",
            "msn.com",
            "icloud.com",
            "me.com",
            "mac.com",
            "aol.com",
            "proton.me",
            "protonmail.com",
            "gmx.com",
            "mail.ru",
            "yandex.ru",
            "qq.com",
            "163.com",
            "126.com",
            "naver.com",
            "daum.net",
            "hanmail.net",
            "kakao.com",
            "docomo.ne.jp",
            "ezweb.ne.jp",
            "au.com",
            "softbank.ne.jp",
            "i.softbank.jp",
        ],
        "words": [],
    },
}
#: Where the official handles live (X), and the paths of its private messages.
SOCIAL_HOSTS = ["x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"]
DIRECT_MESSAGE_PATHS = ["messages", "i"]
_SKELETON_ASCII = set(string.ascii_letters + string.digits + "-._")
#: ASCII characters Unicode lists as confusable with each other, by the one both become.
_ASCII_CLASSES = {"0": "o", "O": "o", "1": "l", "I": "l", "|": "l"}


@dataclass(frozen=True)
class Result:
    """The verdict on one input; the same fields as the data attributes of the page's result."""

    input: str
    verdict: str  # official | not-official | unknown
    kind: str  # url | email | phone | handle | app | text
    #: official; script, spelling, subdomain, tld, userinfo, hidden, unlisted, number (lookalikes); never-used;
    #: other (not ours, resembling nothing); not-a-channel, name-only (unknown). strings.yml: verify_reason_*
    reason: str
    channel: str | None = None  # official: the channel's key
    channels: list[str] = field(default_factory=list)  # official: every channel with this value
    lookalike_of: str | None = None  # not-official lookalike: the key of the channel it imitates
    never_used: str | None = None  # not-official: the kind of channel never used (telegram, ...)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@cache
def confusables() -> tuple[dict[str, str], list[list[str]]]:
    """Unicode's confusables (UTS #39) that look like a character of a domain, address or handle:
    single characters -> the ASCII one, and ASCII sequences that look like one letter (rn -> m)."""
    single: dict[str, str] = {}
    sequences: list[list[str]] = []
    for ascii_char in sorted(_SKELETON_ASCII):
        target = _ASCII_CLASSES.get(ascii_char, ascii_char).lower()
        for glyph in confusables_data.get(ascii_char, []):
            c = glyph["c"].replace("\u200e", "")  # the data marks right-to-left characters
            if len(c) == 1 and not c.isascii():
                single[c] = target
            elif len(c) > 1 and c.isascii():
                sequences.append([c.lower(), target])
    single.update(_ASCII_CLASSES)
    return single, sequences


def skeleton(text: str, table: dict[str, str], sequences: list[list[str]]) -> str:
    """What `text` looks like: confusables replaced, accents dropped, lower case (UTS #39 skeleton)."""
    chars = (table.get(c, c) for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    out = "".join(chars).lower()
    for seq, target in sequences:
        out = out.replace(seq, target)
    return out


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from a to b."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def _squeeze(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text)


def phone_digits(text: str) -> str | None:
    """A phone number in national form (0120000123), whatever its notation; None if it is not one."""
    t = re.sub(r"\(0\)", "", text)
    t = re.sub(r"[\s\-‐‑‒–—―−ー().・/]", "", t)
    if not re.fullmatch(r"\+?[0-9]{5,15}", t):
        return None
    for prefix in ("+81", "0081"):
        if t.startswith(prefix):
            return "0" + t[len(prefix) :].lstrip("0")
    return t


def decode_host(host: str) -> str:
    """Punycode labels (xn--) as the Unicode a browser's address bar may show."""
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = idna.decode(label)
            except (idna.IDNAError, UnicodeError):
                with contextlib.suppress(UnicodeError):
                    label = label[4:].encode("ascii").decode("punycode").lower()
        labels.append(label)
    return ".".join(labels)


def _kind(value: str) -> str:
    if value.startswith("https://"):
        return "url"
    if value.startswith("@"):
        return "handle"
    if "@" in value:
        return "email"
    return "phone" if phone_digits(value) else "app"


def rules(channels: dict[str, Channel]) -> dict[str, Any]:
    """Everything the matching needs, as JSON for the browser: the official values in the forms they
    are compared in, what the exchange never uses, and the confusables table."""
    out = []
    for key, channel in channels.items():
        kind = _kind(channel.value)
        entry: dict[str, Any] = {"key": key, "kind": kind, "value": channel.value}
        if kind == "url":
            rest = channel.value.removeprefix("https://")
            host, _, path = rest.partition("/")
            host = host.lower()
            entry |= {"host": host.removeprefix("www."), "written": host, "path": ("/" + path).rstrip("/")}
        elif kind == "email":
            entry["address"] = channel.value.lower()
        elif kind == "phone":
            entry["digits"] = phone_digits(channel.value)
        elif kind == "handle":
            entry["handle"] = channel.value[1:].lower()
        else:
            entry["name"] = " ".join(channel.value.split()).lower()
        out.append(entry)
    hosts = {e.get("host") or e.get("address", "").split("@")[-1] for e in out if e["kind"] in ("url", "email")}
    domains = sorted({".".join(h.split(".")[-2:]) for h in hosts if h})
    table, sequences = confusables()
    return {
        "channels": out,
        "domains": domains,  # the exchange's own registrable domains
        "never_used": NEVER_USED,
        "social_hosts": SOCIAL_HOSTS,
        "direct_message_paths": DIRECT_MESSAGE_PATHS,
        "confusables": table,
        "sequences": sequences,
    }


class Verifier:
    """The rules of `rules()` applied to one input at a time (verify.js mirrors each method)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.channels: list[dict[str, Any]] = data["channels"]

    def skel(self, text: str) -> str:
        return skeleton(text, self.data["confusables"], self.data["sequences"])

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [c for c in self.channels if c["kind"] == kind]

    def apart(self, text: str, official: str) -> int:
        """Edits from `text` to `official` as a reader sees them (skeletons) or as they are typed,
        whichever is fewer: an edit can make a lookalike sequence (rn for m: `exchrnge`) that puts
        the skeletons further apart than the letters."""
        return min(distance(self.skel(text), self.skel(official)), distance(text.lower(), official.lower()))

    def closest(self, kind: str, text: str, field_name: str) -> str | None:
        """The key of the channel of `kind` that `text` looks most like (the first one on a tie)."""
        best = min(self.of_kind(kind), key=lambda c: self.apart(text, c[field_name]), default=None)
        return str(best["key"]) if best else None

    def never_used(self, host: str) -> str | None:
        for kind, spec in self.data["never_used"].items():
            if any(host == h or host.endswith("." + h) for h in spec["hosts"]):
                return str(kind)
        return None

    def verify(self, text: str) -> Result:
        hidden = any(unicodedata.category(c) == "Cf" for c in text)
        s = unicodedata.normalize("NFKC", "".join(c for c in text if unicodedata.category(c) != "Cf"))
        named = re.search(r"<([^<>\s]+@[^<>\s]+)>", s)  # Name <address>, as a mail program shows it
        s = named.group(1) if named else s.strip().strip("<>\"'「」『』").rstrip("。、,;!?").strip()
        result = self.classify(s, text)
        if hidden and result.verdict == OFFICIAL:  # invisible characters make it another string
            return Result(text, NOT_OFFICIAL, result.kind, "hidden", lookalike_of=result.channel)
        return result

    def classify(self, s: str, original: str) -> Result:
        low = s.lower()
        scheme = re.match(r"^(mailto|tel|sms):", low)
        if scheme:
            s, low = s[scheme.end() :], low[scheme.end() :]
        digits = phone_digits(s)
        if digits:
            return self.phone(original, digits)
        disguised = self.disguised_number(s)
        if disguised:
            near = [c for c in self.of_kind("phone") if distance(disguised, c["digits"]) <= 2]
            reason = "script" if not s.isascii() else "spelling"
            return Result(
                original,
                NOT_OFFICIAL,
                "phone",
                reason if near else "other",
                lookalike_of=next((c["key"] for c in near), None),
            )
        if re.fullmatch(r"@[^\s@/]+", s):
            return self.handle(original, s[1:])
        if re.fullmatch(r"[^\s@/:]+@[^\s@/]+", s):
            local, _, domain = s.rpartition("@")
            return self.email(original, local.lower(), decode_host(domain.lower().rstrip(".")))
        url = re.match(r"^([a-z][a-z0-9+.-]*):\/\/", low)
        if url and url.group(1) not in ("http", "https"):
            return Result(original, UNKNOWN, "text", "not-a-channel")
        if url or re.match(r"^[^\s/?#]+\.[^\s/?#.]", s):
            result = self.url(original, s[url.end() :] if url else s)
            if result:
                return result
        return self.app(original, s)

    def disguised_number(self, s: str) -> str | None:
        """A phone number written partly with lookalikes of digits (O for 0, l for 1, other scripts)."""
        table = self.data["confusables"]
        mapped = "".join(table.get(c, c) for c in s).replace("o", "0").replace("l", "1")
        real = len(re.findall(r"[0-9]", s))
        return phone_digits(mapped) if real * 2 >= len(re.findall(r"[0-9]", mapped)) > real else None

    def phone(self, original: str, digits: str) -> Result:
        for c in self.of_kind("phone"):
            if digits == c["digits"]:
                return Result(original, OFFICIAL, "phone", OFFICIAL, c["key"], [c["key"]])
        near = [c for c in self.of_kind("phone") if distance(digits, c["digits"]) <= 2]
        if near:
            return Result(original, NOT_OFFICIAL, "phone", "number", lookalike_of=near[0]["key"])
        return Result(original, NOT_OFFICIAL, "phone", "other")

    def handle(self, original: str, name: str) -> Result:
        low = name.lower()
        matches = [c["key"] for c in self.of_kind("handle") if c["handle"] == low]
        if matches:
            return Result(original, OFFICIAL, "handle", OFFICIAL, matches[0], matches)
        sk = self.skel(name)
        brands = [_squeeze(self.skel(d.split(".")[0])) for d in self.data["domains"]]
        officials = [c["handle"] for c in self.of_kind("handle")]
        if any(self.apart(name, o) <= 2 or _squeeze(self.skel(o)) in _squeeze(sk) for o in officials) or any(
            b in _squeeze(sk) for b in brands
        ):
            reason = "script" if not name.isascii() else "spelling"
            key = self.closest("handle", name, "handle")
            return Result(original, NOT_OFFICIAL, "handle", reason, lookalike_of=key)
        return Result(original, NOT_OFFICIAL, "handle", "other")

    def host_lookalike(self, host: str, userinfo: str) -> str | None:
        """Why `host` (lower case, decoded, without www.) imitates the exchange's, or None."""
        domains: list[str] = self.data["domains"]
        if any(host == d or host.endswith("." + d) for d in domains):
            return "unlisted"
        if userinfo and any(_squeeze(self.skel(d.split(".")[0])) in _squeeze(self.skel(userinfo)) for d in domains):
            return "userinfo"
        sk = self.skel(host)
        labels = sk.split(".")
        found = None
        for d in domains:
            skd, brand = self.skel(d), self.skel(d.split(".")[0])
            if sk == skd or any(sk == self.skel(c["host"]) for c in self.of_kind("url")):
                found = "spelling"
            elif ("." + skd + ".") in ("." + sk + "."):
                found = "subdomain"
            elif brand in labels:
                found = "tld" if labels.index(brand) == len(labels) - 2 else "subdomain"
            elif any(distance(label, brand) <= 2 or _squeeze(brand) in _squeeze(label) for label in labels) or any(
                distance(label, d.split(".")[0]) <= 2 for label in host.split(".")
            ):
                found = "spelling"
            if found:
                return "script" if not host.isascii() else found
        return None

    @staticmethod
    def by_path(candidates: list[dict[str, Any]], path: str) -> str:
        """The channel among those on one host whose path the input's path is in (the longest)."""
        clean = re.split(r"[?#]", path, maxsplit=1)[0].rstrip("/")
        fits = [c for c in candidates if clean == c["path"] or clean.startswith(c["path"] + "/")]
        return str(max(fits or candidates, key=lambda c: len(c["path"]))["key"])

    def url(self, original: str, rest: str) -> Result | None:
        authority = re.split(r"[/?#\\]", rest, maxsplit=1)[0]
        path = rest[len(authority) :]
        userinfo, _, hostport = authority.rpartition("@")
        host = decode_host(re.sub(r":[0-9]*$", "", hostport).lower().rstrip("."))
        if not re.fullmatch(r"[^\s/?#@:\\]+\.[^\s/?#@:\\.]+", host):
            return None
        bare = host.removeprefix("www.")
        if bare in self.data["social_hosts"]:
            segment = re.split(r"[/?#]", path.lstrip("/"), maxsplit=1)[0]
            if segment in self.data["direct_message_paths"]:
                return Result(original, NOT_OFFICIAL, "url", "never-used", never_used="direct-message")
            return self.handle(original, segment.lstrip("@")) if segment else None
        urls = self.of_kind("url")
        on_host = [c for c in urls if c["host"] == bare]
        if on_host:
            key = self.by_path(on_host, path)
            return Result(original, OFFICIAL, "url", OFFICIAL, key, [key])
        never = self.never_used(bare)
        if never:
            return Result(original, NOT_OFFICIAL, "url", "never-used", never_used=never)
        reason = self.host_lookalike(bare, userinfo)
        if reason:
            far = {c["key"]: min(self.apart(host, c["host"]), self.apart(host, c["written"])) for c in urls}
            near = [c for c in urls if far[c["key"]] == min(far.values())]
            return Result(
                original, NOT_OFFICIAL, "url", reason, lookalike_of=self.by_path(near, path) if near else None
            )
        return Result(original, NOT_OFFICIAL, "url", "other")

    def email(self, original: str, local: str, domain: str) -> Result:
        address = f"{local}@{domain}"
        matches = [c["key"] for c in self.of_kind("email") if c["address"] == address]
        if matches:
            return Result(original, OFFICIAL, "email", OFFICIAL, matches[0], matches)
        never = self.never_used(domain)
        if never == "personal-email":
            return Result(original, NOT_OFFICIAL, "email", "never-used", never_used=never)
        reason = self.host_lookalike(domain.removeprefix("www."), "")
        if reason:
            key = self.closest("email", address, "address")
            return Result(original, NOT_OFFICIAL, "email", reason, lookalike_of=key)
        return Result(original, NOT_OFFICIAL, "email", "other")

    def app(self, original: str, s: str) -> Result:
        low = " ".join(s.split()).lower()
        for kind, spec in self.data["never_used"].items():
            if any(w in low for w in spec["words"]) or (kind == "line" and re.search(r"\bLINE\b", s)):
                return Result(original, NOT_OFFICIAL, "text", "never-used", never_used=kind)
        apps = self.of_kind("app")
        matches = [c["key"] for c in apps if c["name"] == low]
        if matches:
            return Result(original, OFFICIAL, "app", OFFICIAL, matches[0], matches)
        sk = self.skel(low)
        for c in apps:
            base = c["name"].split(" (")[0]
            if low == base:
                return Result(original, UNKNOWN, "app", "name-only")
            official = self.skel(c["name"])
            if sk == official or self.apart(low, c["name"]) <= 3 or _squeeze(self.skel(base)) in _squeeze(sk):
                reason = "script" if not low.isascii() else "spelling"
                return Result(original, NOT_OFFICIAL, "app", reason, lookalike_of=c["key"])
        return Result(original, UNKNOWN, "text", "not-a-channel")


def verifier(channels: dict[str, Channel]) -> Verifier:
    return Verifier(rules(channels))


def explain(result: Result, channels: dict[str, Channel], words: dict[str, str], lang: str, default: str) -> str:
    """The verdict in a reader's words (strings.yml, verify_*), as the page shows it."""
    key = result.channel or result.lookalike_of
    channel = channels.get(key) if key else None
    fill = {
        "label": channel.label(lang, default) if channel else "",
        "value": channel.value if channel else "",
        "use": channel.use(lang, default) if channel else "",
        "kind": words.get(f"verify_kind_{result.never_used}", ""),
    }
    if result.verdict == OFFICIAL:
        return words["verify_official_detail"].format(**fill)
    return words[f"verify_reason_{result.reason.replace('-', '_')}"].format(**fill)
