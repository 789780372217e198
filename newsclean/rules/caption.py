"""Photo captions and credits: lines that end in a credit ("… [Getty]", "… (Reuters)", "… AFP file photo"),
lines that open with one ("Photo: …", "Image credit: …"), figure captions the HTML marks, and captions
printed twice (the caption and the image's alt text, one after the other)."""

from __future__ import annotations

import re

from ..blocks import Doc
from ..phrases import phrases
from ..text import is_prose, word_count
from .base import rule

# A trailing credit in brackets: "[Getty]", "(AFP/Getty Images)", "(Photo: Jane Doe)".
_BRACKET_CREDIT_RE = re.compile(r"[\[(](?P<credit>[^\[\]()]{2,50})[\])]\s*$")
# The last sentence of a line: "Destruction in the province. AFP file photo" -> "AFP file photo".
_LAST_SEGMENT_RE = re.compile(r"[.!?]\s+(?P<tail>[^.!?]+)$")
# "Photo: …", "Image Credit – …": a caption prefix up to its colon or dash.
_PREFIX_RE = re.compile(r"^\s*(?P<prefix>[^:–—|]{1,30}?)\s*(?P<mark>[:–—|])\s*\S")
_CREDIT_LISTS = ("photo", "agencies")


def is_credit(text: str) -> bool:
    p = phrases()
    # Every test below looks for a photo word or an agency in part of the line: a line holding
    # neither (most lines; the phrase lookup is cached from the rules before) is no credit.
    if word_count(text) > 80 or p.lists_in(text).isdisjoint(_CREDIT_LISTS):
        return False
    m = _PREFIX_RE.match(text)
    if m and p.line_starts("photo", m["prefix"], extra_words=1) and (m["mark"] in ":|" or not is_prose(text)):
        return True  # in running text a dash is the sentence's own: "Video footage – shared widely – shows…"
    m = _BRACKET_CREDIT_RE.search(text)
    if m and m.start() > 0:
        credit = m["credit"].strip()
        words = credit.replace("/", " ").split()
        # "(Reuters)", "[Getty]", "(AFP/Getty Images)", "(Photo: Jane Doe)": an agency or a photo word;
        # any other bracket is the text's own ("Snake Plant (Sansevieria)", "… (Vinyl)", "… (CSCP)").
        if p.contains("photo", credit) or any(p.line_is("agencies", part) for part in credit.split("/")):
            return True
    m = _LAST_SEGMENT_RE.search(text.rstrip())
    if m and word_count(m["tail"]) <= 5 and p.contains("photo", m["tail"]):
        return True
    return False


@rule("caption.credit")
def credit(doc: Doc) -> None:
    """Lines carrying a photo credit, and blocks the HTML marks as figure captions."""
    for block in doc.lines():
        if block.kind == "caption" or is_credit(block.text):
            doc.remove(block, credit.rule_name)


@rule("caption.repeated")
def repeated(doc: Doc) -> None:
    """A line printed twice in a row (caption and alt text): both copies go. "In a row" among the
    lines still kept, so that cleaning a page's own output finds nothing new to remove."""
    previous = None
    for block in doc.lines():
        # A long paragraph pasted twice is a duplicate, not a caption: the repetition rules see to it.
        if previous is not None and block.key == previous.key and block.words <= 80:
            doc.remove(previous, repeated.rule_name)
            doc.remove(block, repeated.rule_name)
        previous = block
