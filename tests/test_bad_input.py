"""Bad input in a real crawl: every item is cleaned or dropped with a precise, counted reason, none
crashes anything, and every item is accounted for. Then the input step itself (`read_input`), case by
case."""

from __future__ import annotations

import json
import os
import tracemalloc
import zlib

import pytest
from helpers import SAMPLES, crawl_items, expected, mismatches
from scrapy.utils.defer import deferred_f_from_coro_f

from newsclean import NotAnArticle, Page, clean_page
from newsclean.decode import MAX_PAGE_CHARS, decode_html, decode_text, is_markup, read_input
from newsclean.page import page_from_fields

# Articles in three languages and scripts, as a basic scraper gets their pages: menu, headline,
# byline, body, share bar, copyright.
GERMAN = """\
Startseite
Politik
Wirtschaft
Sport
Stadtrat beschließt Sanierung der Rheinbrücke
Von Katrin Albers
12. März 2024
Der Stadtrat hat am Dienstagabend nach mehr als vierstündiger Debatte die Sanierung der alten Rheinbrücke beschlossen. Die Arbeiten sollen im Frühjahr beginnen und nach Angaben der Verwaltung rund drei Jahre dauern.
Die Kosten werden auf knapp 48 Millionen Euro geschätzt. Etwa die Hälfte davon übernimmt das Land, den Rest muss die Stadt aus eigenen Mitteln und über zusätzliche Kredite aufbringen.
Oberbürgermeisterin Sabine Kranz sprach von einer „Entscheidung für die nächste Generation“. Ohne die Sanierung hätte die Brücke in wenigen Jahren für den Schwerlastverkehr gesperrt werden müssen, sagte sie.
Die Opposition kritisierte vor allem den Zeitplan. Während der Bauzeit soll der Verkehr nur einspurig über die Brücke geführt werden, was nach Ansicht vieler Händler in der Innenstadt zu erheblichen Umsatzeinbußen führen wird.
Für Radfahrer und Fußgänger will die Stadt eine provisorische Fähre einrichten. Sie soll zwischen sechs Uhr morgens und zehn Uhr abends im Halbstundentakt verkehren und für Pendler kostenlos sein.
Eine Bürgerversammlung zu den Plänen ist für den kommenden Donnerstag im Rathaus geplant.
Artikel teilen
© 2024 Rheinische Nachrichten
"""

ARABIC = """\
الرئيسية
أخبار
اقتصاد
رياضة
افتتاح أكبر محطة لتحلية المياه على ساحل البحر الأحمر
افتتحت الحكومة يوم الأحد أكبر محطة لتحلية مياه البحر على ساحل البحر الأحمر، بطاقة إنتاجية تصل إلى ستمئة ألف متر مكعب يوميا، وذلك بعد أربع سنوات من أعمال البناء.
وقال وزير المياه في كلمة خلال حفل الافتتاح إن المحطة ستوفر مياه الشرب لأكثر من مليوني نسمة في المدن الساحلية، وستخفف الضغط على المياه الجوفية التي تراجع منسوبها بشكل كبير خلال العقد الماضي.
وأوضح الوزير أن المحطة تعمل جزئيا بالطاقة الشمسية، مما يقلل من استهلاك الوقود والانبعاثات مقارنة بالمحطات القديمة، مشيرا إلى أن تكلفة المشروع بلغت نحو مليار ونصف مليار دولار.
من جهتهم، رحب سكان المناطق المجاورة بالمشروع، لكن بعضهم أبدى قلقه من تأثير المياه شديدة الملوحة التي تعاد إلى البحر على الشعاب المرجانية والثروة السمكية.
وأكدت الشركة المشغلة أنها ستجري دراسات بيئية دورية، وأنها تستخدم تقنيات حديثة لتوزيع المياه المالحة على مساحة واسعة للحد من أثرها على الحياة البحرية.
شارك المقال
جميع الحقوق محفوظة
"""

CHINESE = """\
首页
新闻
财经
体育
城市地铁新线路今日正式开通运营
本报记者 李明
今天上午九时，城市地铁五号线正式开通运营。新线路全长三十二公里，共设二十四座车站，连接城市东部的新区与老城区的主要商业中心。
据地铁公司介绍，五号线开通初期的行车间隔为四分钟，高峰时段将缩短至三分钟。预计每天可运送乘客约四十万人次，将明显缓解东部地区的交通压力。
在开通仪式上，市长表示，五号线的建设历时五年，总投资超过两百亿元。他说，这条线路不仅方便市民出行，也将带动沿线地区的经济发展和城市更新。
不少市民一早就来到车站体验新线路。一位在新区工作的乘客说，过去每天上下班需要在路上花费近两个小时，现在乘坐地铁只需要四十分钟左右。
地铁公司同时提醒乘客，开通首周部分车站的出入口仍在进行收尾施工，请乘客留意站内指引标识，合理安排出行时间。
分享到
版权所有
"""

TEXT_SAMPLE = SAMPLES / "000_a0327a28f4ed3cdd.txt"
HTML_SAMPLE = SAMPLES / "101_html_tech_layoffs.html"
NAV_ONLY = "\n".join(["Home", "World", "Business", "Sport", "Contact us", "© 2024 Example Media"])


def png(size: int) -> bytes:
    """A PNG header and an IDAT chunk of incompressible bytes, as an image downloaded by mistake."""
    return (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02\x00\x00\x00"
            + zlib.compress(os.urandom(size), 0))


def huge_page(chars: int) -> str:
    """An article page padded past `chars` with an inline data blob, as pages with inlined images are."""
    blob = "A" * chars
    return (f"<html><head><title>Budget agreed</title><script>var img = '{blob}';</script></head><body>"
            f"<article><h1>Budget agreed</h1><p>The council agreed the budget on Tuesday.</p></article></body></html>")


def with_controls(text: str) -> str:
    """Text as a broken scraper or a file in UTF-16 read as UTF-8 leaves it: NULs and control characters."""
    return text.replace("the ", "the\x00 ").replace("Iran", "\x02Iran\x03").replace("\n", "\x07\n", 3)


# case name -> (item fields, what must come of it: "cleaned", or (drop reason, words the reason says))
CASES: dict[str, tuple[dict, object]] = {
    "no fields": ({}, ("no_input", "both are missing or blank")),
    "url only": ({"url": "https://example.com/url-only"}, ("no_input", "both are missing or blank")),
    "empty html": ({"html": ""}, ("no_input", "both are missing or blank")),
    "blank raw_text": ({"raw_text": " \n\t\r\n "}, ("no_input", "both are missing or blank")),
    "empty bytes": ({"html": b"", "raw_text": b"   "}, ("no_input", "both are missing or blank")),
    "None fields": ({"html": None, "raw_text": None}, ("no_input", "both are missing or blank")),
    "numbers": ({"url": 42, "html": 3.5, "raw_text": 7}, ("no_input", "html is a float, not text; raw_text is a int")),
    "list and dict": ({"html": ["<p>", "text"], "raw_text": {"text": "x"}},
                      ("no_input", "html is a list, not text; raw_text is a dict, not text")),
    "only control characters": ({"raw_text": "\x00" * 50 + " \n"}, ("no_input", "nothing but white space and control")),
    "random bytes as html": ({"html": os.urandom(20_000)}, ("binary", "html is binary data, not text")),
    "a PNG as raw_text": ({"raw_text": png(20_000)}, ("binary", "raw_text is binary data, not text")),
    "random bytes read as latin-1": ({"raw_text": os.urandom(20_000).decode("latin-1")},
                                     ("binary", "raw_text is binary data, not text")),
    "nested 60,000 deep": ({"html": "<div>" * 60_000}, ("empty", "no text could be read from the page")),
    "a 15 MB page": ({"html": huge_page(15_000_000)}, ("too_large", "more than the 10,000,000 characters")),
    "a 15 MB page as bytes": ({"html": huge_page(15_000_000).encode()}, ("too_large", "more than the 10,000,000")),
    "only navigation": ({"raw_text": NAV_ONLY}, ("empty", "the rules removed all 6 lines")),
    "a 5 MB line": ({"raw_text": "The council met on Tuesday and agreed a new budget, said the mayor " * 75_000},
                    "cleaned"),
    "NULs and control characters": ({"raw_text": with_controls(TEXT_SAMPLE.read_text(encoding="utf-8"))}, "cleaned"),
    "a lone surrogate": ({"raw_text": GERMAN.replace("Stadtrat hat", "Stadtrat \ud800hat")}, "cleaned"),
    "HTML as raw_text": ({"raw_text": HTML_SAMPLE.read_text(encoding="utf-8")}, "cleaned"),
    "text as html": ({"html": TEXT_SAMPLE.read_text(encoding="utf-8")}, "cleaned"),
    "mojibake": ({"raw_text": GERMAN.encode("utf-8").decode("cp1252")}, "cleaned"),
    "Arabic as cp1256 bytes": ({"raw_text": ARABIC.encode("cp1256")}, "cleaned"),
    "Chinese as GBK bytes": ({"raw_text": CHINESE.encode("gbk")}, "cleaned"),
    "German": ({"raw_text": GERMAN}, "cleaned"),
    "Arabic": ({"raw_text": ARABIC}, "cleaned"),
    "Chinese": ({"raw_text": CHINESE}, "cleaned"),
}


def items():
    for case, (fields, _) in CASES.items():
        item = {"case": case}
        if fields and "url" not in fields:
            item["url"] = f"https://example.com/{case.replace(' ', '-')}"
        item.update(fields)
        yield item


@deferred_f_from_coro_f
async def test_every_bad_input_is_cleaned_or_dropped_with_its_reason(tmp_path):
    feed = tmp_path / "feed.jsonl"
    result = await crawl_items(items(), NEWSCLEAN_WORKERS=2, FEEDS={str(feed): {"format": "jsonlines"}})
    stats = result.stats
    # Every item is accounted for.
    dropped = {k.removeprefix("newsclean/dropped/"): v for k, v in stats.items() if k.startswith("newsclean/dropped/")}
    assert stats["newsclean/items"] == len(CASES) == stats["newsclean/cleaned"] + sum(dropped.values())
    assert "log_count/ERROR" not in stats
    outcomes = {item["case"]: "cleaned" for item in result.items}
    outcomes |= {item["case"]: str(exc) for item, exc in result.dropped}
    assert set(outcomes) == set(CASES)
    for case, (_, want) in CASES.items():
        if want == "cleaned":
            assert outcomes[case] == "cleaned", case
        else:
            assert want[1] in outcomes[case], (case, outcomes[case])
    want_dropped = {}
    for _, want in CASES.values():
        if want != "cleaned":
            want_dropped[want[0]] = want_dropped.get(want[0], 0) + 1
    assert dropped == want_dropped

    records = {item["case"]: item for item in result.items}
    line = records["a 5 MB line"]["text"]
    assert "\n" not in line and len(line) > 4_900_000
    # Control characters are gone, and the article is what it is without them.
    clean = records["NULs and control characters"]
    assert not any(ch < " " and ch != "\n" for ch in clean["text"] + clean["title"])
    assert mismatches(clean, expected(TEXT_SAMPLE)) == []
    # A lone surrogate becomes U+FFFD: the feed can write it.
    assert "Stadtrat \ufffdhat" in records["a lone surrogate"]["text"]
    # Each input read as what it is.
    assert mismatches(records["HTML as raw_text"], expected(HTML_SAMPLE)) == []
    assert mismatches(records["text as html"], expected(TEXT_SAMPLE)) == []
    assert stats["newsclean/source/html"] == 1
    # Mojibake is read again: the same article as the German one.
    german = records["German"]
    assert records["mojibake"]["text"] == german["text"] and records["mojibake"]["title"] == german["title"]
    assert "Rheinbrücke" in german["title"] and "Umsatzeinbußen" in german["text"]
    # Bytes in a legacy charset of another script are read in it: the same article as the Unicode one.
    for case, same_as in (("Arabic as cp1256 bytes", "Arabic"), ("Chinese as GBK bytes", "Chinese")):
        assert records[case]["text"] == records[same_as]["text"], case
    for case, language, first_words in (("German", "de", "Der Stadtrat hat"), ("mojibake", "de", "Der Stadtrat"),
                                        ("Arabic", "ar", "افتتحت الحكومة"), ("Chinese", "zh", "今天上午九时"),
                                        ("Arabic as cp1256 bytes", "ar", "افتتحت"),
                                        ("Chinese as GBK bytes", "zh", "今天上午九时")):
        record = records[case]
        assert record["language"] == language, case
        assert record["text"].startswith(first_words) and record["text"].count("\n") >= 4, case
        assert not {"Startseite", "الرئيسية", "首页", "Artikel teilen", "分享到"} & set(record["text"].split("\n"))

    # The feed: one valid JSON record a line, one per article, valid UTF-8 throughout.
    lines = feed.read_bytes().decode("utf-8").splitlines()
    assert len(lines) == stats["newsclean/cleaned"]
    feed_records = {r["case"]: r for r in map(json.loads, lines)}
    assert feed_records["a lone surrogate"]["text"] == records["a lone surrogate"]["text"]
    assert feed_records["Chinese"]["text"] == records["Chinese"]["text"]


# The input step, case by case -------------------------------------------------------------------------

def test_control_characters_go_and_line_separators_become_newlines():
    assert read_input("a\x00b\x01c\x7fd\x9fe\ufefff\tg\r\nh", "raw_text") == "abcdef\tg\r\nh"
    assert read_input("one\u2028two\x0bthree\x0cfour\x1cfive\x85six", "raw_text") == "one\ntwo\nthree\nfour\nfive\nsix"


def test_surrogates_become_the_character_they_pair_into_or_u_fffd():
    assert read_input("a \ud83d\ude00 b \ud800 c \udfff", "raw_text") == "a \U0001F600 b \ufffd c \ufffd"


def test_utf16_read_as_utf8_is_text_once_its_nuls_go():
    text = "The council agreed the budget on Tuesday.\n"
    assert read_input(text.encode("utf-16-le"), "raw_text") == text


def test_mojibake_is_read_again_line_by_line_where_it_reads_whole():
    text = "Die Brücke „bleibt“ – sagt Müller.\nCafé crème"
    assert read_input(text.encode("utf-8").decode("cp1252"), "raw_text") == text
    assert read_input(text.encode("utf-8").decode("latin-1"), "raw_text") == text  # C1 characters too
    mixed = "Ã¼ber the bridge\nnaïve Ã¼ber"  # the second line is not all mojibake: it stays
    assert read_input(mixed, "raw_text") == "über the bridge\nnaïve Ã¼ber"
    for real in ("Café Ã la carte", "naïve façade", "Preis: 5 €, Größe: 10 m²"):
        assert read_input(real, "raw_text") == real


# Text in legacy charsets, as bytes with nothing to say which: the first paragraph of a news story.
LEGACY = {
    "cp1251": "Городской совет во вторник вечером проголосовал за повышение налога на имущество.",
    "koi8_r": "Городской совет во вторник вечером проголосовал за повышение налога на имущество.",
    "cp1253": "Το δημοτικό συμβούλιο ψήφισε την Τρίτη αύξηση του φόρου ακινήτων, δήλωσε ο δήμαρχος.",
    "gbk": "市议会星期二晚上投票通过提高房产税。市长说，这是一个艰难的决定，并提到了继承下来的债务问题。",
    "shift_jis": "市議会は火曜日の夜、固定資産税の引き上げを可決した。市長は難しい決断だと述べた。",
    "euc_kr": "시의회는 화요일 밤 재산세 인상안을 통과시켰다. 시장은 어려운 결정이라고 말했다.",
    # Western European text stays cp1252, which a charset detector alone takes for cp1250 or hp_roman8.
    "cp1252": "El ayuntamiento aprobó el martes una subida del impuesto. «Es una decisión difícil», dijo.",
    "cp1252 ": "Kaupunginvaltuusto päätti tiistai-iltana nostaa kiinteistöveroa, sanoi pormestari.",
}


@pytest.mark.parametrize("charset", LEGACY)
def test_legacy_charsets_are_detected_in_text_and_html_bytes(charset):
    text = LEGACY[charset]
    body = (text + "\n") * 3
    assert decode_text(body.encode(charset.strip())) == body
    html = f"<html><body><script>var page = {{id: 1}};</script><p>{text}</p></body></html>"
    assert decode_html(html.encode(charset.strip())) == html
    # after more script than the detector samples
    html = f"<html><head><script>{'var x = 1; ' * 15_000}</script></head><body><p>{text}</p></body></html>"
    assert decode_html(html.encode(charset.strip())) == html


@pytest.mark.parametrize("text", [
    "Cet été.",  # a word or two with accents says nothing of the charset
    "El ayuntamiento aprobó el presupuesto del año próximo\x81, según dijo la alcaldesa.",  # a byte cp1252 lacks
])
def test_western_text_with_little_to_go_on_stays_cp1252(text):
    body = text.encode("cp1252", errors="surrogateescape") if "\x81" not in text else \
        text.replace("\x81", "").encode("cp1252").replace(b"pr\xf3ximo", b"pr\xf3ximo\x81")
    assert decode_text(body).replace("\ufffd", "") == text.replace("\x81", "")


def test_size_limit_counts_characters():
    assert read_input("x" * MAX_PAGE_CHARS, "raw_text")
    with pytest.raises(NotAnArticle) as failure:
        read_input("x" * (MAX_PAGE_CHARS + 1), "raw_text")
    assert failure.value.reason == "too_large"
    assert read_input("ü".encode() * (MAX_PAGE_CHARS // 2), "raw_text")  # 10 MB of bytes, 5 M characters


def test_a_long_line_is_not_kept_in_memory_past_the_next_page():
    """The line caches would keep a page of one 1 MB line (its text, folded, reduced to its words) until
    16,384 other lines had pushed it out."""
    def page(seed: int) -> Page:
        words = [f"w{(seed * 7919 + i * 104729) % 100003:x}" for i in range(120_000)]
        return Page(url=f"https://example.com/{seed}", raw_text=" ".join(words) + ".")

    clean_page(page(0))  # warm up: the phrase data and the caches' own size
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        clean_page(page(1))
        clean_page(Page(url="https://example.com/short", raw_text="A short line of text that ends here."))
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 200_000, f"{kept:,} bytes kept of a 1 MB line"


def test_markup_and_text_told_apart():
    html = HTML_SAMPLE.read_text(encoding="utf-8")
    assert is_markup(html)
    assert is_markup("<!DOCTYPE html><title>x</title>" + "word " * 1000)
    # after a CMS's comment, with more script than tags
    script = "<script>var data = " + json.dumps({"items": ["word"] * 20_000}) + ";</script>"
    assert is_markup("<!-- generated by a CMS -->\n" + html.replace("</head>", script + "</head>"))
    assert not is_markup(TEXT_SAMPLE.read_text(encoding="utf-8"))
    assert not is_markup("Use <b> for bold and <i> for italics, the guide says, in a sentence or two of text.")


def test_the_library_reads_bad_input_the_way_the_pipeline_does():
    with pytest.raises(NotAnArticle) as failure:
        clean_page(Page(url="", html=png(5000)))
    assert failure.value.reason == "binary"
    article = clean_page(Page(url="", html=b"\xef\xbb\xbf" + GERMAN.encode("utf-8")))  # text, BOM, as html bytes
    assert article.language == "de" and article.source == "text"


def test_fields_of_kindred_types_are_read_as_str_and_bytes():
    class Tagged(str):
        def __reduce__(self):  # cannot cross to a worker process as itself
            raise TypeError("not picklable")

    page = page_from_fields(Tagged("https://example.com/a"), None, Tagged(GERMAN))
    assert type(page.url) is str and type(page.raw_text) is str and page.raw_text == GERMAN
    assert page_from_fields("u", bytearray(b"<p>x</p>"), None).html == b"<p>x</p>"
    assert page_from_fields("u", None, memoryview(GERMAN.encode())).raw_text == GERMAN.encode()


def test_references_to_characters_xml_cannot_hold_leave_the_html_path_working():
    # lxml puts "&#1;" in the tree as the character, where trafilatura and html_text fail on it.
    html = ("<html><head><title>Budget agreed &#x1b;</title><meta name='author' content='Jo &#1; Smith'></head>"
            "<body><article><h1>Budget agreed</h1><p>The council met on Tuesday and agreed a new budget for the "
            "coming year.<script>track()</script> The mayor said&#1; it was a good day&#65535;.</p><p>More text "
            "about the budget plan and what it means for the city, said the council&#8217;s clerk.</p></article>"
            "</body></html>")
    article = clean_page(Page(url="https://example.com/budget", html=html))
    assert article.source == "html" and article.title == "Budget agreed" and article.author == "Jo Smith"
    assert "The mayor said it was a good day." in article.text and "council’s clerk" in article.text


def test_raw_text_beside_html_is_cleaned_when_the_html_article_is_only_chrome():
    # trafilatura takes a consent wall for the article; the rules leave its heading, no sentence.
    wall = ("<html><head><title>Stadtrat beschließt Sanierung der Rheinbrücke</title>"
            "<meta name='author' content='Katrin Albers'></head><body><div><h2>Wir respektieren Ihre Privatsphäre"
            "</h2><p>Wir verwenden Cookies. Alle Cookies akzeptieren</p><p>Newsletter abonnieren</p></div></body></html>")
    with pytest.raises(NotAnArticle) as failure:  # alone, it is no article
        clean_page(Page(url="https://example.com/a", html=wall))
    assert failure.value.reason == "empty"
    article = clean_page(Page(url="https://example.com/a", html=wall, raw_text=GERMAN))
    assert article.source == "text" and article.language == "de"
    assert article.text == clean_page(Page(url="https://example.com/a", raw_text=GERMAN)).text
    assert article.title == "Stadtrat beschließt Sanierung der Rheinbrücke"
    assert article.author == "Katrin Albers"  # from the HTML: the raw text's byline is its own line
