"""The HTML path's recovery of article paragraphs trafilatura left out (newsclean/htmlblocks.py)."""

from lxml import html as lxml_html

from newsclean.blocks import Block, Doc
from newsclean.htmlblocks import recover
from newsclean.rules.boundary import below_article

SENTENCE = "Paragraph {} of the article runs on for a while, as paragraphs do."


def page(body):
    return lxml_html.document_fromstring(f"<html><body>{body}</body></html>")


def chunk(first, count):
    return "<div class='chunk'>" + "".join(f"<p>{SENTENCE.format(i)}</p>" for i in range(first, first + count)) + "</div>"


def kept(first, count):
    return [Block(SENTENCE.format(i), i, "p") for i in range(first, first + count)]


def texts(blocks):
    return [b.text for b in blocks]


def test_the_chunks_beside_the_one_kept_come_back_in_page_order():
    tree = page("<main>" + chunk(0, 5) + chunk(5, 10) + chunk(15, 10) + "</main>")
    blocks = recover(tree, kept(0, 5))
    assert texts(blocks) == [SENTENCE.format(i) for i in range(25)]
    assert [b.line for b in blocks] == list(range(1, 26))  # numbered in their new order


def test_a_few_lines_left_out_stay_out():
    # trafilatura prunes some lines on purpose: too little is missing to doubt it
    tree = page("<main>" + chunk(0, 20) + "</main>")
    blocks = kept(0, 18)
    assert recover(tree, blocks) is blocks


def test_comments_links_and_blurbs_are_not_recovered():
    tree = page("<main>" + chunk(0, 3) + chunk(3, 1)
                + "<div class='comments'>" + "".join(f"<p>{SENTENCE.format(i)}</p>" for i in range(50, 70)) + "</div>"
                + "".join(f"<div class='chunk'><p><a href='/x'>Another story headline number {i}</a> and its "
                          f"blurb that goes on for a few more words here.</p></div>" for i in range(20))
                + "".join(f"<div class='chunk'><p>A teaser blurb without a full stop, number {i} of them all here</p>"
                          "</div>" for i in range(20))
                + "</main>")
    assert texts(recover(tree, kept(0, 3))) == texts(kept(0, 3))


def test_blocks_taken_from_after_the_article_go_and_those_before_it_stay():
    # trafilatura keeps the headline above the article and a related story below it: the story goes
    related = "A related story that is told at some length here, in a sentence of its own."
    tree = page("<h1>The headline of the article</h1><main>" + chunk(0, 10) + "</main>"
                f"<div class='more'><p>{related}</p></div>")
    blocks = [Block("The headline of the article", 0, "h"), *kept(0, 10), Block(related, 11, "p")]
    recovered = recover(tree, blocks)
    assert [b.text for b in recovered if b.below_article] == [related]
    doc = Doc(url="https://example.com/a", blocks=recovered, source="html")
    below_article(doc)  # the rule that removes them, so they are reported as any removed line
    assert texts(doc.kept()) == ["The headline of the article", *texts(kept(0, 10))]
    assert [(r.text, r.rule) for r in doc.removed()] == [(related, "boundary.below_article")]
