"""The `articles` spider in real `scrapy crawl` processes, against a real HTTP server on 127.0.0.1:
page URLs, a URL file, a sitemap index leading to a news sitemap, robots.txt, non-HTML responses, and
pages in legacy encodings declared only in <meta charset> or only in the Content-Type header. Plus
the library decoding HTML bytes the way Scrapy does."""

from __future__ import annotations

import subprocess

import pytest
from helpers import ROOT, SAMPLES, expected, mismatches
from http_site import Site, run_crawl, scrapy_command, stats

from newsclean import Page, clean_page

HTML_SAMPLES = sorted(SAMPLES.glob("*.html"))
assert len(HTML_SAMPLES) >= 3, "the HTML samples are missing"

# Two small pages to serve in legacy encodings, each with its expected record (see gold()).
GERMAN = {
    "title": "Neue Fußgängerbrücke über die Lauter öffnet im März",
    "date": "2024-02-12",
    "paragraphs": [
        "Nach gut zwei Jahren Bauzeit ist die neue Fußgängerbrücke über die Lauter fast fertig. Die Stadt "
        "rechnet mit der Eröffnung Ende März, teilte Baudezernentin Jutta Schäfer am Montag mit.",
        "Die Kosten für das 48 Meter lange Bauwerk liegen bei rund 3,2 Millionen € und damit etwa 400.000 € "
        "über der ursprünglichen Schätzung. Grund seien vor allem gestiegene Preise für Stahl und Beton.",
        "„Wir sind froh, dass die Brücke trotz aller Verzögerungen noch vor dem Sommer für alle Bürgerinnen "
        "und Bürger begehbar ist“, sagte Schäfer. Die alte Holzbrücke war 2021 wegen Fäulnis gesperrt worden.",
        "Bis zur Eröffnung müssen noch das Geländer montiert und die Beleuchtung angeschlossen werden. "
        "Radfahrer dürfen die Brücke künftig nur schiebend überqueren – darüber hatte es im Stadtrat lange "
        "Diskussionen gegeben.",
    ],
    "nav": ["Startseite", "Lokales", "Sport", "Kultur"],
    "site": "Lautertaler Bote",
    "lang": "de",
}

RUSSIAN = {  # no «», — : KOI8-R has none of them
    "title": "В центре города открылась обновлённая библиотека",
    "date": "2024-05-18",
    "paragraphs": [
        "В субботу в центре города после трёх лет ремонта открылась обновлённая городская библиотека. "
        "На церемонии открытия присутствовали около двухсот жителей.",
        "Фонд библиотеки насчитывает более восьмидесяти тысяч книг, а также большую коллекцию старых газет "
        "и журналов. Читальный зал теперь работает до десяти часов вечера.",
        "\"Мы хотели создать место, куда люди будут приходить не только за книгами\", - сказала директор "
        "библиотеки Анна Сергеевна Волкова. По её словам, в здании появились детская комната и лекторий.",
        "Ремонт обошёлся городскому бюджету в сто двадцать миллионов рублей. Следующим этапом станет "
        "реконструкция здания музея на соседней улице.",
    ],
    "nav": ["Главная", "Новости", "Спорт", "Культура"],
    "site": "Городские вести",
    "lang": "ru",
}


def page_html(article: dict, meta_charset: str | None) -> str:
    """The page as text, its charset declared in a <meta charset> (None: declared nowhere)."""
    meta = f'<meta charset="{meta_charset}">\n' if meta_charset else ""
    nav = "".join(f'<li><a href="/{i}">{item}</a></li>' for i, item in enumerate(article["nav"]))
    paragraphs = "\n".join(f"<p>{p}</p>" for p in article["paragraphs"])
    return f"""<!DOCTYPE html>
<html lang="{article['lang']}">
<head>
{meta}<title>{article['title']} | {article['site']}</title>
<meta property="og:title" content="{article['title']}">
<meta property="og:site_name" content="{article['site']}">
<meta property="article:published_time" content="{article['date']}T08:00:00+01:00">
</head>
<body>
<header><div class="logo">{article['site']}</div><nav><ul>{nav}</ul></nav></header>
<main>
<article>
<h1>{article['title']}</h1>
{paragraphs}
</article>
</main>
<footer><p>© 2024 {article['site']}</p></footer>
</body>
</html>
"""


def gold(article: dict) -> dict:
    """The page's expected record, as helpers.mismatches() reads it."""
    return {
        "title": article["title"],
        "date": article["date"],
        "paragraphs": article["paragraphs"],
        "optional": [],
        "must_drop": [{"category": "navigation", "text": item} for item in article["nav"]]
        + [{"category": "title", "text": article["title"]}],
    }


def sample_path(sample) -> str:
    return f"/news/{sample.stem}.html"


GERMAN_PATH = "/archive/bruecke.html"  # listed only in a urls_file
RUSSIAN_PATH = "/legacy/biblioteka.html"
PRIVATE_PATH = "/private/secret.html"  # robots.txt disallows it
PDF_PATH = "/files/annual-report.pdf"

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{entries}
</urlset>
"""

NEWS_ENTRY = """  <url>
    <loc>{loc}</loc>
    <news:news>
      <news:publication><news:name>Test Courier</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-03-14T06:30:00+00:00</news:publication_date>
      <news:title>{title}</news:title>
    </news:news>
  </url>"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{loc}</loc><lastmod>2024-06-10</lastmod></sitemap>
</sitemapindex>
"""


@pytest.fixture
def site():
    pages: dict[str, tuple[str, bytes]] = {
        "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n"),
        PDF_PATH: ("application/pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n%%EOF\n"),
        # windows-1252, declared only in <meta charset>: the header names no charset.
        GERMAN_PATH: ("text/html", page_html(GERMAN, "windows-1252").encode("cp1252")),
        # KOI8-R, declared only in the Content-Type header: no <meta charset>, no BOM.
        RUSSIAN_PATH: ("text/html; charset=koi8-r", page_html(RUSSIAN, None).encode("koi8-r")),
        PRIVATE_PATH: ("text/html; charset=utf-8", page_html(GERMAN, "utf-8").encode("utf-8")),
    }
    content_types = ["text/html; charset=utf-8", "text/html", "text/html; charset=UTF-8"]
    for i, sample in enumerate(HTML_SAMPLES):
        pages[sample_path(sample)] = (content_types[i % len(content_types)], sample.read_bytes())
    with Site(pages) as site:
        entries = [NEWS_ENTRY.format(loc=site.url(sample_path(s)), title=expected(s)["title"]) for s in HTML_SAMPLES]
        entries.append(NEWS_ENTRY.format(loc=site.url(PDF_PATH), title="Annual report"))
        site.pages["/sitemaps/news-2024.xml"] = (
            "application/xml", NEWS_SITEMAP.format(entries="\n".join(entries)).encode("utf-8"))
        site.pages["/sitemap_index.xml"] = (
            "application/xml", SITEMAP_INDEX.format(loc=site.url("/sitemaps/news-2024.xml")).encode("utf-8"))
        yield site


def check_record(record: dict, site: Site) -> None:
    """The record matches what a perfect clean of the page at its URL holds."""
    path = record["url"].removeprefix(site.base)
    if path == GERMAN_PATH:
        want = gold(GERMAN)
    elif path == RUSSIAN_PATH:
        want = gold(RUSSIAN)
    else:
        [sample] = [s for s in HTML_SAMPLES if sample_path(s) == path]
        want = expected(sample)
    assert mismatches(record, want) == [], path
    assert "\ufffd" not in record["text"]
    assert set(record) == {"url", "title", "text", "date", "author", "sitename", "language"}


def check_stats(log: str, articles: int) -> dict:
    found = stats(log)
    assert found["newsclean/items"] == articles
    assert found["newsclean/cleaned"] == articles
    assert found["newsclean/source/html"] == articles
    assert not [name for name in found if name.startswith("newsclean/dropped/")]
    return found


def urls(records: list[dict], site: Site) -> list[str]:
    return sorted(r["url"].removeprefix(site.base) for r in records)


def test_sitemap_index_leads_to_the_news_sitemap_and_its_articles(site, tmp_path):
    feed = tmp_path / "feed.jsonl"
    records, log = run_crawl(ROOT, feed, "-a", f"sitemap={site.url('/sitemap_index.xml')}")
    assert urls(records, site) == sorted(sample_path(s) for s in HTML_SAMPLES)
    for record in records:
        check_record(record, site)
    found = check_stats(log, len(HTML_SAMPLES))
    # The PDF the sitemap lists was fetched, and skipped as not HTML.
    assert site.served(PDF_PATH)
    assert found["newsclean/skipped/not_html"] == 1
    assert f"Skipping {site.url(PDF_PATH)}: not HTML (Content-Type: application/pdf)" in log
    # robots.txt was read (ROBOTSTXT_OBEY from the bundled project) before anything else.
    assert site.requested[0] == "/robots.txt"
    # Non-ASCII is written as itself in the feed, not as \\u escapes.
    raw = feed.read_text(encoding="utf-8")
    assert "Größter Gewinner" in raw and "\\u00" not in raw


def test_urls_including_a_header_declared_koi8r_page_and_one_robots_forbids(site, tmp_path):
    given = [sample_path(HTML_SAMPLES[0]), RUSSIAN_PATH, PRIVATE_PATH]
    records, log = run_crawl(ROOT, tmp_path / "feed.jsonl", "-a", "urls=" + ",".join(site.url(p) for p in given))
    assert urls(records, site) == sorted([sample_path(HTML_SAMPLES[0]), RUSSIAN_PATH])
    for record in records:
        check_record(record, site)
    [russian] = [r for r in records if r["url"].endswith(RUSSIAN_PATH)]
    assert russian["language"] == "ru"
    assert "обновлённая городская библиотека" in russian["text"]
    found = check_stats(log, 2)
    assert not site.served(PRIVATE_PATH)
    assert found["robotstxt/forbidden"] == 1


def test_urls_file_with_comments_and_a_meta_declared_windows_1252_page(site, tmp_path):
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text(
        "# articles to fetch\n\n"
        f"  {site.url(GERMAN_PATH)}  \n"
        f"# {site.url(PRIVATE_PATH)}\n"
        "\n"
        f"{site.url(sample_path(HTML_SAMPLES[1]))}\n",
        encoding="utf-8")
    records, log = run_crawl(ROOT, tmp_path / "feed.jsonl", "-a", f"urls_file={urls_file}")
    assert urls(records, site) == sorted([GERMAN_PATH, sample_path(HTML_SAMPLES[1])])
    for record in records:
        check_record(record, site)
    [german] = [r for r in records if r["url"].endswith(GERMAN_PATH)]
    assert german["language"] == "de"
    assert "3,2 Millionen € und damit etwa 400.000 €" in german["text"]
    assert "„Wir sind froh" in german["text"]
    check_stats(log, 2)


def test_all_inputs_together_fetch_each_page_once(site, tmp_path):
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text(f"{site.url(GERMAN_PATH)}\n{site.url(sample_path(HTML_SAMPLES[0]))}\n", encoding="utf-8")
    given = [site.url(RUSSIAN_PATH), site.url(sample_path(HTML_SAMPLES[0]))]
    records, log = run_crawl(ROOT, tmp_path / "feed.jsonl", "-a", "urls=" + ",".join(given),
                             "-a", f"urls_file={urls_file}", "-a", f"sitemap={site.url('/sitemap_index.xml')}")
    assert urls(records, site) == sorted([GERMAN_PATH, RUSSIAN_PATH] + [sample_path(s) for s in HTML_SAMPLES])
    for record in records:
        check_record(record, site)
    check_stats(log, len(HTML_SAMPLES) + 2)
    assert site.requested.count(sample_path(HTML_SAMPLES[0])) == 1


def test_no_input_is_a_clear_error(tmp_path):
    done = subprocess.run(scrapy_command(ROOT, tmp_path / "feed.jsonl"), cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    assert "the articles spider needs pages to fetch: -a urls=URL,URL" in done.stderr


# The library on its own: HTML bytes are decoded as Scrapy decodes a response.

def _sample_102() -> str:
    [sample] = [s for s in HTML_SAMPLES if s.stem.startswith("102_")]
    return sample.read_text(encoding="utf-8")


def _german_sample_gold() -> dict:
    [sample] = [s for s in HTML_SAMPLES if s.stem.startswith("102_")]
    return expected(sample)


UTF8_META = '<meta charset="utf-8">'

DECODING_CASES = {
    # A BOM wins over a <meta charset> that says otherwise.
    "utf-8 with BOM": lambda: (b"\xef\xbb\xbf" + _sample_102().replace(UTF8_META, '<meta charset="windows-1252">')
                               .encode("utf-8"), _german_sample_gold()),
    "utf-16 with BOM": lambda: (_sample_102().encode("utf-16"), _german_sample_gold()),
    "windows-1252 via meta": lambda: (page_html(GERMAN, "windows-1252").encode("cp1252"), gold(GERMAN)),
    # windows-1251 is no guess a decoder falls back to: only the <meta charset> gets it right.
    "windows-1251 via meta": lambda: (page_html(RUSSIAN, "windows-1251").encode("cp1251"), gold(RUSSIAN)),
    "undeclared utf-8": lambda: (_sample_102().replace(UTF8_META, "").encode("utf-8"), _german_sample_gold()),
}


@pytest.mark.parametrize("case", list(DECODING_CASES))
def test_library_decodes_html_bytes(case):
    body, want = DECODING_CASES[case]()
    assert UTF8_META.encode() not in body or case == "utf-16 with BOM"
    article = clean_page(Page(url="https://example.com/news/a", html=body))
    assert article.source == "html"
    assert mismatches(article.record(), want) == []
    assert "\ufffd" not in article.text
