"""The one function everything calls: a page goes in, an article comes out (or NotAnArticle says why)."""

from __future__ import annotations

from collections import Counter

from .blocks import Doc, from_text
from .decode import has_markup, is_markup, read_input
from .extract import from_html, from_page_text, page_text
from .language import detect_language
from .options import Options
from .page import Article, NotAnArticle, Page
from .repair import join_broken
from .rules import run_rules
from .text import forget_long_lines

DEFAULT_OPTIONS = Options()
# One or two blocks, one of them this long: a page's text run together, not an article's paragraphs.
_DUMP_BLOCKS = 2
_DUMP_CHARS = 2000


def clean_page(page: Page, options: Options = DEFAULT_OPTIONS) -> Article:
    """Clean one page. Raises NotAnArticle (with a short `reason`) when no article can come of it."""
    return article_from_doc(clean_doc(page, options), options)


def clean_doc(page: Page, options: Options = DEFAULT_OPTIONS) -> Doc:
    """The page as blocks after the rules ran: every block in page order, each kept or marked with the
    rule that removed it (`removed_by`), and the metadata the rules found. Raises NotAnArticle when the
    page has nothing to read ("no_input", "binary", "too_large"). `newsclean explain` shows this."""
    forget_long_lines()  # the page before's: the line caches keep long lines for one page only
    html, raw_text = _inputs(page)
    doc = _read(page.url, html, raw_text)
    dump = doc.source == "html" and _is_dump(doc)
    run_rules(doc, options.disabled_rules)
    if doc.source == "html" and (dump or not _has_prose(doc)):
        # What trafilatura took for the article was chrome (a consent wall, a menu, a script-rendered
        # page's <noscript> line), or all of a page's text in one block: the raw text beside it, or the
        # page's own text a block per line, may hold the article, or show there is none (not where the
        # block may be the article). The HTML's metadata stays where the text's lines name none.
        text_doc = from_text(page.url, raw_text) if raw_text is not None else from_page_text(page.url, html)
        run_rules(text_doc, options.disabled_rules)
        if _has_prose(text_doc) or not (dump or any(block.kept for block in text_doc.blocks)):
            for name in ("title", "date", "author", "sitename"):
                setattr(text_doc, name, getattr(text_doc, name) or getattr(doc, name))
            doc = text_doc
    return doc


def _is_dump(doc: Doc) -> bool:
    """trafilatura's last resort: an element's whole text, or the page's, as one block (headings,
    paragraphs, share bar and all), where it found no article's structure."""
    return 0 < len(doc.blocks) <= _DUMP_BLOCKS and max(len(block.text) for block in doc.blocks) >= _DUMP_CHARS


def _has_prose(doc: Doc) -> bool:
    """A sentence of running text kept: without one, what is left is no article."""
    return any(block.removed_by is None and block.prose for block in doc.blocks)


def article_from_doc(doc: Doc, options: Options = DEFAULT_OPTIONS) -> Article:
    """The article the kept blocks of a cleaned Doc make. Raises NotAnArticle when they make none."""
    text = "\n".join(join_broken(doc.kept()))
    if not text:
        raise NotAnArticle("empty", f"nothing was left after cleaning: {_nothing_left(doc)}")
    if len(text) < options.min_length:
        raise NotAnArticle("too_short", f"{len(text)} characters left after cleaning, fewer than {options.min_length}")
    language = detect_language(text)
    if options.languages and language not in options.languages:
        raise NotAnArticle("language", f"language {language!r} is not one of {', '.join(sorted(options.languages))}")
    return Article(url=doc.url, text=text, title=doc.title, date=doc.date, author=doc.author,
                   sitename=doc.sitename, language=language, source=doc.source, removed=doc.removed())


def _nothing_left(doc: Doc) -> str:
    if not doc.blocks:
        return "no text could be read from the page"
    rules = Counter(block.removed_by for block in doc.blocks if block.removed_by)
    lines = f"{len(doc.blocks)} line{'s' * (len(doc.blocks) != 1)}"
    return f"the rules removed all {lines} (" + ", ".join(f"{rule}: {n}" for rule, n in rules.most_common()) + ")"


def _read(url: str, html: str | None, raw_text: str | None) -> Doc:
    """Blocks from the HTML when trafilatura finds an article in it, else from the raw text, else
    from the HTML's visible text."""
    if html is not None:
        doc = from_html(url, html)
        if doc is not None:
            return doc
    if raw_text is not None:
        return from_text(url, raw_text)
    return from_page_text(url, html)


def _inputs(page: Page) -> tuple[str | None, str | None]:
    """The page's html and raw_text as text fit to clean (`read_input`), each read as what it is: raw
    text that is a page's HTML is read as its HTML (or, beside the HTML, as the text it shows), and
    HTML without a single tag as raw text. Raises NotAnArticle when neither is fit to clean."""
    fields: dict[str, str | None] = {}
    problems: list[NotAnArticle] = []
    for name, value in (("html", page.html), ("raw_text", page.raw_text)):
        if value is not None:
            try:
                fields[name] = read_input(value, name)
            except NotAnArticle as exc:
                problems.append(exc)
    html, raw_text = fields.get("html"), fields.get("raw_text")
    if raw_text is not None and is_markup(raw_text):
        html, raw_text = (raw_text, None) if html is None else (html, page_text(raw_text))
    if html is not None and raw_text is None and not has_markup(html):
        html, raw_text = None, html
    if html is None and raw_text is None:
        if problems:
            raise NotAnArticle(problems[0].reason, "; ".join(p.message for p in problems))
        if fields:  # read, but nothing was left once the control characters went
            raise NotAnArticle("no_input", f"{' and '.join(fields)}: nothing but white space and control characters")
        raise NotAnArticle("no_input", "the page has neither html nor raw_text to clean")
    return html, raw_text
