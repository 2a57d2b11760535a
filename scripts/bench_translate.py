"""Benchmark `helpcenter translate` on a synthetic help center against tests/deepl_server.py.

Generates 250 articles of realistic Japanese (about 16 units each, varied lengths, with bold, links
and inline code) in a temporary project, starts the DeepL-compatible test server in-process with a
fixed latency per request, and runs the real command three times:

1. the first run, for three languages: requests made against the minimum ceil(units / 50) per
   language, wall time and characters billed;
2. a rerun: nothing changed, so no request at all;
3. one edited paragraph: billed characters against that unit's characters x languages.

Exits non-zero when the rerun made a request or the edit did not bill exactly the edited paragraph.

    .venv/bin/python scripts/bench_translate.py [--articles 250] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from deepl_server import DeepLServer  # noqa: E402
from helpcenter import cli, inline, translate  # noqa: E402
from helpcenter.corpus import load_corpus  # noqa: E402
from helpcenter.glossary import load as load_glossary  # noqa: E402
from helpcenter.project import load as load_project  # noqa: E402
from sitekit import seed_site_words  # noqa: E402

LANGUAGES = {"en": "EN-US", "zh": "ZH-HANS", "ko": "KO"}
CATEGORIES = {
    "security": "アカウントのセキュリティ",
    "phishing": "フィッシング対策",
    "assets": "資産の保護と不正流出",
    "outage": "システム障害・取引停止",
    "trading": "取引の誤操作",
    "support": "お問い合わせ",
}
TOPICS = [
    "二段階認証",
    "出金の申請",
    "入金の反映",
    "ログイン通知",
    "パスワードの変更",
    "本人確認の書類",
    "出金先アドレスの登録",
    "指値注文",
    "成行注文",
    "注文の取り消し",
    "コールドウォレット",
    "システムメンテナンス",
    "取引停止中の注文",
    "不審なメール",
    "偽のSMS",
    "サポート窓口への連絡",
    "補償の手続き",
    "お知らせの配信",
]
PREDICATES = [
    "は、通常数分以内に完了します",
    "について、画面の表示に沿って手順をご案内します",
    "が完了するまでの間、出金はご利用いただけません",
    "を行う前に、登録メールアドレスと電話番号が最新であることをご確認ください",
    "の状況は、公式ウェブサイトのお知らせとアプリの通知でお伝えします",
    "に関するお問い合わせは、お問い合わせフォームから二十四時間受け付けています",
    "の履歴は、アプリの「取引履歴」画面からいつでも確認できます",
    "が遅れている場合でも、お客様の資産はコールドウォレットで安全に保管されています",
    "に心当たりがない場合は、すぐにパスワードを変更し、サポート窓口へご連絡ください",
    "は、当社の担当者が内容を確認したうえで、順番に対応いたします",
    "を第三者に教えることは、どのような理由があっても絶対におやめください",
    "の受付は、システムの復旧後に再開し、再開の時刻は事前にお知らせします",
]
OPENERS = ["なお、", "また、", "ただし、", "念のため、", "", "", "", "通常、", "障害の発生中は、"]
CODES = ["HX-2FA-01", "withdraw --confirm", "ORDER-CANCEL", "KYC-ID", "API_KEY", "v2/orders"]
GLOSSARY = """\
terms:
  二段階認証: {en: two-factor authentication, zh: 双重验证, ko: 2단계 인증}
  出金: {en: withdrawal, zh: 提币, ko: 출금}
  入金: {en: deposit, zh: 充值, ko: 입금}
  コールドウォレット: {en: cold wallet, zh: 冷钱包, ko: 콜드월렛}
  指値注文: {en: limit order, zh: 限价单, ko: 지정가 주문}
  成行注文: {en: market order, zh: 市价单, ko: 시장가 주문}
do_not_translate:
  - BTC
  - ETH
"""


class Corpus:
    """Deterministic realistic Japanese: sentences from topics and predicates, with inline markup."""

    def __init__(self, seed: int, slugs: list[str]) -> None:
        self.rnd = random.Random(seed)
        self.slugs = slugs
        self.serial = 0

    def sentence(self, markup: bool = True) -> str:
        rnd = self.rnd
        self.serial += 1
        topic = rnd.choice(TOPICS)
        text = rnd.choice(OPENERS) + topic + rnd.choice(PREDICATES)
        roll = rnd.random() if markup else 1.0
        if roll < 0.15:
            text = text.replace(topic, f"**{topic}**", 1)
        elif roll < 0.3:
            target = rnd.choice(self.slugs)
            text += f"。詳しくは[{rnd.choice(TOPICS)}の手順](../{target}.md#steps)をご覧ください"
        elif roll < 0.4:
            text += f"。設定画面では`{rnd.choice(CODES)}`と入力します"
        elif roll < 0.5:
            text += f"（受付番号{self.serial}番、BTCとETHが対象）"
        return text + "。"

    def paragraph(self, low: int, high: int) -> str:
        return "".join(self.sentence() for _ in range(self.rnd.randint(low, high)))

    def article(self, number: int, category: str) -> str:
        rnd = self.rnd
        topic = rnd.choice(TOPICS)
        lines = [
            "---",
            f"title: {topic}について（{number}）",
            f"description: {topic}の手順と、うまくいかない場合の対応をご案内します（記事{number}）。",
            f"category: {category}",
            "last_reviewed: 2026-11-20",
            "---",
            "",
            self.paragraph(2, 4),
            "",
        ]
        for section in range(3):  # 3 x (heading + 2 paragraphs) + a list + an admonition: ~16 units
            anchor = " { #steps }" if section == 0 else ""
            lines += [f"## {rnd.choice(TOPICS)}の確認{'' if section else '方法'}（{number}-{section}）{anchor}", ""]
            lines += [self.paragraph(1, 5), "", self.paragraph(1, 2), ""]
            if section == 1:
                lines += [f"- {self.sentence(markup=False)}" for _ in range(2)] + [""]
        lines += ['!!! warning "ご注意ください"', "", f"    {self.paragraph(1, 3)}", ""]
        return "\n".join(lines)


def write_project(root: Path, articles: int, seed: int) -> list[str]:
    cats = list(CATEGORIES)
    pages = [f"{cats[i % len(cats)]}/article-{i:03d}.md" for i in range(articles)]
    corpus = Corpus(seed, [p[:-3] for p in pages])
    for cat, title in CATEGORIES.items():
        (root / "docs" / cat).mkdir(parents=True, exist_ok=True)
        (root / "docs" / cat / "index.md").write_text(f"---\ntitle: {title}\n---\n", encoding="utf-8")
    for i, page in enumerate(pages):
        (root / "docs" / page).write_text(corpus.article(i, page.split("/")[0]), encoding="utf-8")
    (root / "translations").mkdir()
    (root / "translations" / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    seed_site_words(root, LANGUAGES)  # the site's own words are reviewed, as in the repository: not sent
    langs = "\n".join(f"        {code}: {{deepl: {deepl}}}" for code, deepl in LANGUAGES.items())
    i18n = "\n".join(f"        - {{locale: {code}, name: {code}, build: true}}" for code in LANGUAGES)
    (root / "mkdocs.yml").write_text(
        f"""site_name: ベンチマーク
site_url: https://help.example/  # names the DeepL glossaries (project_id)
docs_dir: docs
theme: {{name: material, language: ja}}
plugins:
  - search
  - helpcenter:
      exchange: Hoshi Exchange
      publish: machine
      languages:
{langs}
  - i18n:
      docs_structure: suffix
      languages:
        - {{locale: ja, name: 日本語, default: true, build: true}}
{i18n}
""",
        encoding="utf-8",
    )
    return pages


def helpcenter(*args: str) -> tuple[int, str]:
    """The real command line, in-process; its own output is kept out of the benchmark's table."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        code = cli.main(list(args))
    return code, buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=250)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request (default 0.05)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    failures: list[str] = []

    with tempfile.TemporaryDirectory(prefix="bench-translate-") as tmp, DeepLServer(latency=args.latency) as srv:
        root = Path(tmp)
        pages = write_project(root, args.articles, args.seed)
        os.chdir(root)
        os.environ.update(DEEPL_AUTH_KEY=srv.auth_key, DEEPL_SERVER_URL=srv.url)
        project = load_project(root / "mkdocs.yml")
        corpus = load_corpus(project)
        glossary = load_glossary(project.glossary_path)
        plans = {lang.code: translate.plan(corpus, lang, glossary) for lang in project.languages}
        units = sum(len(doc.units) for doc in corpus.docs.values())
        print(
            f"helpcenter translate: {len(pages)} articles, {units} units "
            f"({units / len(pages):.1f} per article; {len(plans['en'].jobs)} distinct texts), "
            f"{len(LANGUAGES)} languages, latency {args.latency:g} s/request"
        )
        row = "{:<22} {:<5} {:>6} {:>9} {:>8} {:>10} {:>8}"
        print(row.format("run", "lang", "units", "requests", "minimum", "billed", "wall"))

        started = time.monotonic()
        code, output = helpcenter("translate")
        wall = time.monotonic() - started
        if code:
            print(output)
            return 1
        requests = Counter(r["target_lang"] for r in srv.translate_requests)
        for code_, deepl in LANGUAGES.items():
            jobs = len(plans[code_].jobs)
            print(
                row.format(
                    "first run" if code_ == "en" else "",
                    code_,
                    jobs,
                    requests[deepl],
                    math.ceil(jobs / translate.MAX_TEXTS),
                    f"{srv.billed_by_target.get(deepl, 0):,}",
                    f"{wall:.1f} s" if code_ == "en" else "",
                )
            )

        before = len(srv.requests)
        started = time.monotonic()
        code, output = helpcenter("translate")
        wall = time.monotonic() - started
        rerun = len(srv.requests) - before
        print(row.format("rerun (no change)", "all", 0, rerun, 0, 0, f"{wall:.1f} s"))
        if code or rerun:
            failures.append(f"the rerun made {rerun} request(s) (exit {code})")

        doc = corpus.docs[pages[0]]
        old = next(u.text for u in doc.units if u.kind == "paragraph")
        new = old.replace("。", "。念のため、もう一度ご確認ください。", 1)
        source = root / "docs" / pages[0]
        source.write_text(source.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        expected = inline.encode(new).billable * len(LANGUAGES)
        billed, before = srv.billed_total, len(srv.translate_requests)
        started = time.monotonic()
        code, output = helpcenter("translate")
        wall = time.monotonic() - started
        billed = srv.billed_total - billed
        sent = len(srv.translate_requests) - before
        print(
            row.format("one edited paragraph", "all", 1, sent, len(LANGUAGES), f"{billed:,}", f"{wall:.1f} s")
            + f"   expected {inline.encode(new).billable} chars x {len(LANGUAGES)} = {expected:,}"
        )
        if code or billed != expected or sent != len(LANGUAGES):
            failures.append(
                f"the edit billed {billed} characters in {sent} request(s), expected {expected} (exit {code})"
            )
        os.chdir(ROOT)

    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
