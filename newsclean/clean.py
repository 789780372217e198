"""The one function everything calls: a page goes in, an article comes out (or NotAnArticle says why)."""

from __future__ import annotations

from .blocks import Doc, from_text
from .decode import decode_html, decode_text
from .extract import from_html, from_page_text
from .language import detect_language
from .options import Options
from .page import Article, NotAnArticle, Page
from .repair import join_broken
from .rules import run_rules

DEFAULT_OPTIONS = Options()


def clean_page(page: Page, options: Options = DEFAULT_OPTIONS) -> Article:
    """Clean one page. Raises NotAnArticle (with a short `reason`) when no article can come of it."""
    return article_from_doc(clean_doc(page, options), options)


def clean_doc(page: Page, options: Options = DEFAULT_OPTIONS) -> Doc:
    """The page as blocks after the rules ran: every block in page order, each kept or marked with the
    rule that removed it (`removed_by`), and the metadata the rules found. Raises NotAnArticle("no_input")
    when the page has nothing to read. `newsclean explain` shows this."""
    doc = _read(page)
    run_rules(doc, options.disabled_rules)
    return doc


def article_from_doc(doc: Doc, options: Options = DEFAULT_OPTIONS) -> Article:
    """The article the kept blocks of a cleaned Doc make. Raises NotAnArticle when they make none."""
    text = "\n".join(join_broken(doc.kept()))
    if not text:
        raise NotAnArticle("empty", "nothing was left after cleaning")
    if len(text) < options.min_length:
        raise NotAnArticle("too_short", f"{len(text)} characters left after cleaning, fewer than {options.min_length}")
    language = detect_language(text)
    if options.languages and language not in options.languages:
        raise NotAnArticle("language", f"language {language!r} is not one of {', '.join(sorted(options.languages))}")
    return Article(url=doc.url, text=text, title=doc.title, date=doc.date, author=doc.author,
                   sitename=doc.sitename, language=language, source=doc.source, removed=doc.removed())


def _read(page: Page) -> Doc:
    """Blocks from the HTML when trafilatura finds an article in it, else from the raw text, else
    from the HTML's visible text."""
    html = decode_html(page.html) if isinstance(page.html, bytes) else page.html
    raw_text = decode_text(page.raw_text) if isinstance(page.raw_text, bytes) else page.raw_text
    if html and html.strip():
        doc = from_html(page.url, html)
        if doc is not None:
            return doc
    if raw_text and raw_text.strip():
        return from_text(page.url, raw_text)
    if html and html.strip():
        return from_page_text(page.url, html)
    raise NotAnArticle("no_input", "the page has neither html nor raw_text to clean")
