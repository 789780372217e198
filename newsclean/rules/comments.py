"""Comment sections and forms: their headings and prompts ("Comments (0)", "Add your comment",
"Post a Comment", captcha text), in any language of the phrase data, and the form residue after them."""

from __future__ import annotations

import re

from ..blocks import Doc
from ..dates import find_date
from ..phrases import phrases
from .base import rule
from .metadata import date_lines

_SHORT = 10
# A comment header is a name, perhaps a date, and a verb: "Olivia (GiveWell) on October 4, 2018 at 10:58 am said:"
_HEADER_WORDS = 16
# The article must have begun before a comment thread can.
_MIN_PARAGRAPHS = 2
# A comment's time stamp: "at 10:58 am".
_TIME_RE = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
# A line opening with one of these is a quotation ("“We are working…", "— Nous sommes…", "「…」").
_QUOTE_OPENERS = frozenset("\"'“”„‘’‚«»‹›「『—–-")


@rule("comments.section")
def section(doc: Doc) -> None:
    """A comment heading or prompt, and the short lines of form residue that follow it. A heading or
    list item the HTML marks is the article's own ("Comments from landowners" and what they said)."""
    p = phrases()
    in_form = False
    for block in doc.kept():
        text = block.text
        short = block.words <= _SHORT
        if p.line_is("comment", text) or short and block.kind != "h" and p.line_starts("comment", text, extra_words=2):
            doc.remove(block, section.rule_name)
            in_form = True
        elif in_form and short and not block.prose and block.kind not in ("h", "li") and not p.line_starts("related", text):
            doc.remove(block, section.rule_name)  # field labels, buttons, captcha hints
        else:
            in_form = False


@rule("comments.thread")
def thread(doc: Doc) -> None:
    """A comment thread inside the article's run: from the first comment header after the article
    began ("Jane says:", "Olivia on October 4, 2018 at 10:58 am said:") to the end of the run."""
    if doc.main_span is None:
        return
    first, last = doc.main_span
    paragraphs, headers = 0, []
    for i in range(first, last + 1):
        block = doc.blocks[i]
        dated = i < last and doc.blocks[i + 1].removed_by == date_lines.rule_name
        if paragraphs >= _MIN_PARAGRAPHS and _is_comment_header(block, dated) \
                and (dated or _TIME_RE.search(block.text) or not _quote_follows(doc, i, last)):
            # A quotation after "The mayor said:" is the article's; not after a comment's time stamp.
            headers.append(i)
        elif block.kept and block.prose:
            paragraphs += 1
    # One "… writes:" may introduce a quote; a thread has two comments, or its header a date.
    if len(headers) >= 2 or headers and find_date(doc.blocks[headers[0]].text):
        for block in doc.blocks[headers[0]:last + 1]:
            doc.remove(block, thread.rule_name)


def _quote_follows(doc: Doc, index: int, last: int) -> bool:
    """The next kept line is a quotation: what follows "The minister said:" in an article."""
    following = next((b.text for b in doc.blocks[index + 1:last + 1] if b.kept), "")
    return following[:1] in _QUOTE_OPENERS


def _is_comment_header(block, dated: bool) -> bool:
    """"Jane says:", or "Jane says" over the comment's date line (WordPress prints them so)."""
    text = block.text.rstrip()
    return block.words <= _HEADER_WORDS and (text.endswith(":") or dated) \
        and phrases().line_ends("comment_header", text)
