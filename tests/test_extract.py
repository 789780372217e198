"""The HTML path's blocks: trafilatura's output tree read into blocks of the right kind, words kept apart."""

import re

import pytest
from lxml import etree, html

from newsclean import NotAnArticle, Page, clean_page
from newsclean.extract import _blocks, from_html, page_text
from newsclean.htmlmeta import _AUTHOR_WORDS, may_name_author


def blocks(xml):
    return [(b.kind, b.text) for b in _blocks(etree.fromstring(xml))]


@pytest.mark.parametrize("xml, expected", [
    pytest.param(  # as trafilatura gives an event list: date, then a heading and paragraphs inside each item
        "<body><list><item>March 16, 2026<head>FABCON</head><p>Atlanta, United States</p>"
        "<p>The largest conference on the subject.</p></item></list></body>",
        [("li", "March 16, 2026"), ("h", "FABCON"), ("li", "Atlanta, United States"),
         ("li", "The largest conference on the subject.")],
        id="a block nested in an item splits it"),
    pytest.param(
        "<body><head>Title</head>Loose text after it.<p>Before <hi>bold</hi> after</p>tail</body>",
        [("h", "Title"), ("p", "Loose text after it."), ("p", "Before bold after"), ("p", "tail")],
        id="text around a nested block stays with its element"),
    pytest.param(
        "<body><p>Add <code>_Float16</code> support for jit</p><code>let x = 1;<lb/>let y = 2;</code>"
        "<list><item><p>Use <code>cargo</code> here</p></item></list></body>",
        [("p", "Add _Float16 support for jit"), ("p", "let x = 1;"), ("p", "let y = 2;"), ("li", "Use cargo here")],
        id="inline code stays in its paragraph, a code block is a block"),
    pytest.param(
        "<body><p>First line<lb/>second line</p><table><row><cell>a <hi>b</hi></cell>"
        "<cell><p>c</p><p>d</p></cell></row></table></body>",
        [("p", "First line"), ("p", "second line"), ("cell", "a b"), ("cell", "c"), ("cell", "d")],
        id="line breaks and cells"),
])
def test_trafilaturas_tree_becomes_blocks(xml, expected):
    assert blocks(xml) == expected


# Some sites close the document after the header and print the article behind it, which browsers show.
PARAGRAPHS = [f"Paragraph {i} of the story tells what happened there, in a full sentence or two that run on "
              f"as an article's paragraphs do." for i in range(8)]
ARTICLE = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
HEADER = ("<!DOCTYPE html><html><head><title>A story</title></head><body><header><nav><ul>"
          "<li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav></header></body></html>")


def printed_after_html(after: str) -> list[str]:
    doc = from_html("https://example.com/a-story", HEADER + after)
    assert doc is not None
    return [b.text for b in doc.blocks]


def test_an_article_printed_after_the_closing_html_tag_is_found():
    texts = printed_after_html(f"<div class='post'><h1>A story</h1><article>{ARTICLE}</article></div>"
                               "<footer>Contact us</footer>")
    assert [t for t in texts if t.startswith("Paragraph")] == PARAGRAPHS


def test_text_loose_after_the_closing_html_tag_is_kept_too():
    lead = "The story opens with loose text after the page closed, a sentence that browsers show all the same."
    texts = printed_after_html(lead + ARTICLE)
    assert lead in texts and [t for t in texts if t.startswith("Paragraph")] == PARAGRAPHS



@pytest.mark.parametrize("nesting", [
    "<div>" * 255 + "Top" + "</div>" * 255,  # closed, but deeper than libxml2 reads by default
    "<font>" * 300,  # never closed: the article stands inside them
    "<div><span>" * 900,  # the most libxml2 reads at all is 2,048
    "<ul><li>" * 500,  # lists nested so deep that trafilatura's recursion would overflow
    "<table><tr><td>" * 400,
])
def test_an_article_after_deep_nesting_is_read_whole(nesting):
    page = f"<html><head><title>A story</title></head><body>{nesting}<h1>A story</h1><article>{ARTICLE}</article></body></html>"
    doc = from_html("https://example.com/a-story", page)
    assert doc is not None and [b.text for b in doc.blocks if b.text.startswith("Paragraph")] == PARAGRAPHS
    assert [line for line in page_text(page).splitlines() if line.startswith("Paragraph")] == PARAGRAPHS


def story(above_article: str):
    """The Doc of a story page with `above_article` between its headline and its paragraphs."""
    doc = from_html("https://example.com/a-story",
                    f"<html><head><title>A story</title></head><body><h1>A story</h1>{above_article}"
                    f"<article>{ARTICLE}</article></body></html>")
    assert doc is not None
    return doc


def test_a_date_htmldates_patterns_miss_is_read_without_dateparser():
    # htmldate hands "Thu, 09/25/2025 - 11:38" to its last-resort parser, dateparser, which would compile
    # a pattern for each of its locales first (seconds of CPU per worker): newsclean's reader answers.
    import htmldate.extractors

    assert story("<span class='date'>Thu, 09/25/2025 - 11:38</span>").date == "2025-09-25"
    assert htmldate.extractors.get_external_parser.cache_info().currsize == 0  # dateparser never built


def test_an_author_in_the_pages_body_is_found_and_the_search_skipped_where_none_can_be():
    byline = "<div class='article-byline'>By Jane Doe</div>"
    assert story(byline).author == "Jane Doe"
    assert may_name_author(html.fromstring(byline))
    plain = "<div class='meta'>By Jane Doe</div>"  # trafilatura's search finds no author here: skipped
    assert story(plain).author is None and not may_name_author(html.fromstring(plain))


def test_the_author_words_cover_every_condition_of_trafilaturas_author_search():
    # newsclean skips trafilatura's author search on a page whose attributes hold none of _AUTHOR_WORDS:
    # each word trafilatura's expressions ask for must be one of ours (a trafilatura release that asks
    # for a new one fails here).
    from trafilatura.xpaths import AUTHOR_XPATHS

    literals = [literal for xpath in AUTHOR_XPATHS for literal in re.findall(r"'([^']*)'", xpath.path)]
    assert literals
    for literal in literals:
        for alternative in literal.split("|"):
            word = re.sub(r"\[(.)[^]]*\]", r"\1", alternative).replace("-?", "-")  # a string it matches
            if word != "me":  # rel='me' asks for a <rel> element, which newsclean looks for too
                assert _AUTHOR_WORDS.search(word), f"{word!r} ({literal!r}) is not among newsclean's author words"


def test_html_paragraphs_stay_apart_and_a_br_in_mid_sentence_joins():
    teaser = "The plan as first published in 2019 and revised twice since by the transport committee"
    page = ("<html><head><title>Bike plan</title></head><body><article><h1>Bike plan</h1>"
            f"<p>{PARAGRAPHS[0]}</p><p>{teaser}</p><p>{PARAGRAPHS[1]}</p>"
            "<p>Under the new schedule, the main branch<br>will open at nine in the morning on weekdays and at ten "
            "on weekends, the library said.</p>"
            "<p>Address:<br>12 Harbour Road<br>Riverside</p>"
            f"<p>{PARAGRAPHS[2]}</p></article></body></html>")
    lines = clean_page(Page(url="https://example.com/bike-plan", html=page)).text.split("\n")
    assert teaser in lines and PARAGRAPHS[1] in lines  # two <p>s, not one sentence
    assert ("Under the new schedule, the main branch will open at nine in the morning on weekdays and at ten on "
            "weekends, the library said.") in lines
    assert "12 Harbour Road" in lines  # a line of an address is no broken sentence


def test_chinese_broken_mid_sentence_is_joined_without_a_space():
    text = ("城市地铁新线路今日正式开通运营\n"
            "今天上午九时，城市地铁五号线正式开通运营。新线路全长三十二公里，共设二十四座车站，连接城市东部的新区\n"
            "与老城区的主要商业中心。据地铁公司介绍，五号线开通初期的行车间隔为四分钟，高峰时段将缩短至三分钟。\n"
            "在开通仪式上，市长表示，五号线的建设历时五年，总投资超过两百亿元。他说，这条线路方便市民出行。\n")
    article = clean_page(Page(url="https://example.com/metro", raw_text=text))
    assert "连接城市东部的新区与老城区的主要商业中心。" in article.text


def test_a_short_first_and_last_paragraph_closed_like_sentences_stay():
    page = ("<html><head><title>The night the river rose</title></head><body><article><h1>The night the river rose</h1>"
            "<p>Then the water came.</p>" + ARTICLE + "<p>“Of course,” she said.</p><p>Tags: floods</p>"
            "</article></body></html>")
    lines = clean_page(Page(url="https://example.com/river", html=page)).text.split("\n")
    assert lines == ["Then the water came.", *PARAGRAPHS, "“Of course,” she said."]


@pytest.mark.parametrize("head, title, author", [
    # og:title as Yoast and others print it: the site's name after the headline, or before it
    ("<meta property='og:title' content='Firefighters contain warehouse blaze - Eastside Herald'>"
     "<meta property='og:site_name' content='Eastside Herald'>", "Firefighters contain warehouse blaze", None),
    ("<meta property='og:title' content='Eastside Herald | Firefighters contain warehouse blaze'>"
     "<meta property='og:site_name' content='Eastside Herald'>", "Firefighters contain warehouse blaze", None),
    # with any separator a <title> line has
    ("<meta property='og:title' content='Firefighters contain warehouse blaze » Eastside Herald'>"
     "<meta property='og:site_name' content='Eastside Herald'>", "Firefighters contain warehouse blaze", None),
    ("<meta property='og:title' content='Firefighters contain warehouse blaze • Eastside Herald'>"
     "<meta property='og:site_name' content='Eastside Herald'>", "Firefighters contain warehouse blaze", None),
    # a name in a script written without spaces is one word, and a name
    ("<title>北京发布新能源汽车补贴新政</title><meta name='author' content='李明'>", "北京发布新能源汽车补贴新政", "李明"),
    ("<title>A story</title><meta name='author' content='newsdesk'>", "A story", None),  # a handle is no name
    ("<title>서울 버스요금 인상</title><meta name='author' content='김민수'>", "서울 버스요금 인상", "김민수"),  # Korean
    # a dash without spaces is the headline's own
    ("<meta property='og:title' content='Reuters-Ipsos poll shows a tight race in Ohio'>"
     "<meta property='og:site_name' content='Reuters'>", "Reuters-Ipsos poll shows a tight race in Ohio", None),
    # the site named as the author is no author
    ("<title>北京发布新能源汽车补贴新政</title><meta name='author' content='新华社'>"
     "<meta property='og:site_name' content='新华社'>", "北京发布新能源汽车补贴新政", None),
])
def test_metadata_title_without_the_site_name_and_authors_in_any_script(head, title, author):
    doc = from_html("https://example.com/a-story", f"<html><head>{head}</head><body><article>{ARTICLE}</article></body></html>")
    assert (doc.title, doc.author) == (title, author)


@pytest.mark.parametrize("url, head, sitename, author", [
    # without a site name in its metadata, the name the <title> prints beside the headline, when the domain has it
    ("https://www.coastaltimes.com/blaze", "<title>Firefighters contain warehouse blaze | Coastal Times</title>",
     "Coastal Times", None),
    # not a section's name, nor the author's: the domain
    ("https://example.com/blaze", "<title>Firefighters contain warehouse blaze - Politics</title>", "example.com", None),
    ("https://example.com/blaze", "<title>Firefighters contain warehouse blaze – Jane Doe</title>"
     "<meta name='author' content='Jane Doe'>", "example.com", "Jane Doe"),
])
def test_a_site_name_beside_the_headline_in_the_title(url, head, sitename, author):
    page = f"<html><head>{head}</head><body><h1>Firefighters contain warehouse blaze</h1><article>{ARTICLE}</article></body></html>"
    doc = from_html(url, page)
    assert (doc.title, doc.sitename, doc.author) == ("Firefighters contain warehouse blaze", sitename, author)


def test_a_headline_with_a_dot_in_it_is_no_site_name():
    # trafilatura takes a part of the <title> with a dot in it for the site's domain
    headline = "Rice prices climb as the government releases 200.000 tonnes of its reserve"
    page = (f"<html><head><title>{headline} | Kompas.com</title><meta property='og:title' content='{headline}'>"
            f"</head><body><article><h1>{headline}</h1>{ARTICLE}</article></body></html>")
    doc = from_html("https://money.kompas.com/read/2024/05/14/rice", page)
    assert (doc.title, doc.sitename) == (headline, "Kompas.com")


def test_html_headings_lists_and_dates_inside_the_article_are_its_own():
    page = ("<html><head><title>Pipeline hearing</title><meta property='article:published_time' "
            "content='2024-05-01T09:00:00Z'></head><body><article><h1>Pipeline hearing</h1>"
            f"<p>{PARAGRAPHS[0]}</p><h2>Follow the money</h2><p>{PARAGRAPHS[1]}</p>"
            f"<h2>Comments from landowners</h2><ul><li>We were never asked</li><li>Closes April 19</li></ul>"
            f"<ul><li>Date: June 15, 2024</li><li>March 3, 2023</li></ul><p>{PARAGRAPHS[2]}</p>"
            "</article></body></html>")
    article = clean_page(Page(url="https://example.com/pipeline", html=page))
    lines = article.text.split("\n")
    for line in ("Follow the money", "Comments from landowners", "We were never asked", "Closes April 19",
                 "Date: June 15, 2024", "March 3, 2023"):
        assert line in lines, line
    assert article.date == "2024-05-01"


def test_a_script_rendered_page_is_no_article_and_its_noscript_line_goes():
    shell = ("<html><head><title>Council delays vote</title></head><body><header><a href='/'>Metro Daily</a>"
             "<a href='/local'>Local</a><a href='/politics'>Politics</a></header><div id='root'></div>"
             "<noscript><p>Please enable JavaScript to read this article on our website.</p></noscript></body></html>")
    with pytest.raises(NotAnArticle) as failure:
        clean_page(Page(url="https://example.com/vote", html=shell))
    assert failure.value.reason == "empty"
    page = shell.replace("<div id='root'></div>", f"<article><h1>Council delays vote</h1>{ARTICLE}</article>")
    article = clean_page(Page(url="https://example.com/vote", html=page))
    assert article.text.split("\n") == PARAGRAPHS


def test_a_page_trafilatura_reads_as_one_block_comes_out_a_block_a_line():
    # The article sits inside the header's menu, whose dropdowns are never closed: trafilatura prunes
    # the menu, finds no article, and falls back to the whole <article>'s text as one paragraph.
    items = [f"Change {n}: the council will review the harbour fees, the bridge tolls and the market "
             f"permits for district {n} before the budget vote in spring." for n in range(1, 19)]
    menu = "".join(f"<li class='menu-item menu-item-has-children'><div class='dropdown'><a href='#'>{name}</a>"
                   for name in ("Life", "Work", "Money"))
    page = ("<html><head><title>What changes in 2026 | Eastside Herald</title></head><body><div class='layout'>"
            f"<header><nav><ul class='nav__list'>{menu}<main id='content'><article class='post'>"
            "<h1>What changes in 2026</h1><div class='share'>Share this: <a href='#'>Facebook</a> <a href='#'>X</a></div>"
            "<div class='entry__content'><ul class='wp-block-list'>" + "".join(f"<li>{item}</li>" for item in items)
            + "</ul></div></article></main><footer>© 2026 Eastside Herald</footer></div></body></html>")
    article = clean_page(Page(url="https://example.com/news/changes-2026", html=page))
    assert article.text.split("\n") == items
    assert article.title == "What changes in 2026"
