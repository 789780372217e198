"""The HTML path's blocks: trafilatura's output tree read into blocks of the right kind, words kept apart."""

from lxml import etree

from newsclean.extract import _blocks, from_html


def blocks(xml):
    return [(b.kind, b.text) for b in _blocks(etree.fromstring(xml))]


def test_a_block_nested_in_an_item_splits_it():
    # as trafilatura gives an event list: date, then a heading and paragraphs inside each item
    xml = ("<body><list><item>March 16, 2026<head>FABCON</head><p>Atlanta, United States</p>"
           "<p>The largest conference on the subject.</p></item></list></body>")
    assert blocks(xml) == [("li", "March 16, 2026"), ("h", "FABCON"), ("li", "Atlanta, United States"),
                           ("li", "The largest conference on the subject.")]


def test_text_around_a_nested_block_stays_with_its_element():
    xml = "<body><head>Title</head>Loose text after it.<p>Before <hi>bold</hi> after</p>tail</body>"
    assert blocks(xml) == [("h", "Title"), ("p", "Loose text after it."), ("p", "Before bold after"), ("p", "tail")]


def test_inline_code_stays_in_its_paragraph_and_a_code_block_is_a_block():
    xml = ("<body><p>Add <code>_Float16</code> support for jit</p><code>let x = 1;<lb/>let y = 2;</code>"
           "<list><item><p>Use <code>cargo</code> here</p></item></list></body>")
    assert blocks(xml) == [("p", "Add _Float16 support for jit"), ("p", "let x = 1;"), ("p", "let y = 2;"),
                           ("li", "Use cargo here")]


def test_line_breaks_and_cells():
    xml = ("<body><p>First line<lb/>second line</p><table><row><cell>a <hi>b</hi></cell>"
           "<cell><p>c</p><p>d</p></cell></row></table></body>")
    assert blocks(xml) == [("p", "First line"), ("p", "second line"), ("cell", "a b"), ("cell", "c"), ("cell", "d")]


def test_an_article_printed_after_the_closing_html_tag_is_found():
    # some sites close the document after the header and print the article behind it, which browsers show
    paragraphs = "".join(f"<p>Paragraph {i} of the story tells what happened there, in a full sentence or two "
                         f"that run on as an article's paragraphs do.</p>" for i in range(8))
    html = ("<!DOCTYPE html><html><head><title>A story</title></head><body><header><nav><ul>"
            "<li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav></header></body></html>"
            f"<div class='post'><h1>A story</h1><article>{paragraphs}</article></div><footer>Contact us</footer>")
    doc = from_html("https://example.com/a-story", html)
    assert doc is not None
    assert [b.text for b in doc.blocks if b.text.startswith("Paragraph")] == [
        f"Paragraph {i} of the story tells what happened there, in a full sentence or two that run on as an "
        f"article's paragraphs do." for i in range(8)]



def test_text_loose_after_the_closing_html_tag_is_kept_too():
    lead = "The story opens with loose text after the page closed, a sentence that browsers show all the same."
    paragraphs = "".join(f"<p>Paragraph {i} of the story tells what happened there, in a full sentence or two "
                         f"that run on as an article's paragraphs do.</p>" for i in range(8))
    html = ("<!DOCTYPE html><html><head><title>A story</title></head><body><header><nav><ul>"
            f"<li><a href='/'>Home</a></li></ul></nav></header></body></html>{lead}{paragraphs}")
    doc = from_html("https://example.com/a-story", html)
    assert doc is not None
    texts = [b.text for b in doc.blocks]
    assert lead in texts and sum(t.startswith("Paragraph") for t in texts) == 8