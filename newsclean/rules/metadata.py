"""Metadata lines: labelled fields ("Date: …", "Source: …", "Author: …"), bylines ("By …") and lines
that are only a date. Each is parsed into the article's fields, then taken out of the body."""

from __future__ import annotations

import datetime as dt
import re

from ..blocks import Doc
from ..dates import date_line, find_date
from ..phrases import phrases
from ..text import ends_sentence, word_count
from .base import rule

# How far below the article's last paragraph a date line may still be its own ("Published 12.05.2024").
_DATE_BELOW = 3
_LABELLED_RE = re.compile(r"^\s*(?P<label>[^:：]{1,30}?)\s*[:：]\s*(?P<value>.+?)\s*$")


@rule("metadata.labelled")
def labelled(doc: Doc) -> None:
    """`Label: value` lines whose label is a date, source or author label in the phrase data."""
    p = phrases()
    for index, block in enumerate(doc.blocks):
        if block.removed_by is not None or block.kind == "cell":
            continue  # the lines the line rules look at (Doc.lines), with their index for the date
        if ":" not in block.text and "：" not in block.text:
            continue  # most lines: no label (a test for its colon is many times quicker than the pattern)
        m = _LABELLED_RE.match(block.text)
        if not m or word_count(m["value"]) > 10:
            continue
        label, value = m["label"], m["value"]
        if p.line_is("date_labels", label):
            found = find_date(value)
            if found and doc.source == "html" and doc.date and found.iso != doc.date:
                continue  # the page's metadata dates it: another date in its text is the story's own (an event's)
            if found:
                doc.labelled_dates.append((index, found.iso))  # pick_date chooses, once the article's end is known
                doc.remove(block, labelled.rule_name)
        elif p.line_is("source_labels", label):
            doc.sitename = doc.sitename or value
            doc.remove(block, labelled.rule_name)
        elif p.line_is("author_labels", label):
            doc.author = doc.author or value
            doc.remove(block, labelled.rule_name)


@rule("metadata.byline")
def byline(doc: Doc) -> None:
    """A short line that opens with a byline word and goes on with a name: "By Jane Doe"."""
    p = phrases()
    for block in doc.lines():
        text = block.text
        if block.words > 9 or ends_sentence(text) and not text.rstrip().endswith(")"):
            continue
        word = p.line_opening("byline", text)
        if word is not None:
            name = text.split(None, len(word.split()))[-1].strip(" ,|")
            if name[:1].isupper():
                doc.author = doc.author or name
                doc.remove(block, byline.rule_name)


@rule("metadata.credits")
def credits(doc: Doc) -> None:
    """A bracketed credits line: "(Reporting by Jane Doe; Editing by John Roe)"."""
    p = phrases()
    for block in doc.lines():
        text = block.text.strip()
        if text.startswith("(") and text.endswith(")") and block.words <= 60 and p.line_opening("byline", text):
            doc.remove(block, credits.rule_name)


@rule("metadata.date_line")
def date_lines(doc: Doc) -> None:
    """Lines that are only a date (a weekday, a time, a label aside); the dates become candidates
    for the publication date, chosen once the headline is known (see `pick_date`). Not table cells or
    list items the HTML marks: dates there are a table's or a timeline's."""
    candidates = doc.date_candidates
    for index, block in enumerate(doc.blocks):
        if block.kept and block.kind not in ("cell", "li"):
            found = date_line(block.text)
            if found:
                candidates.append((index, found.iso))
                doc.remove(block, date_lines.rule_name)


def pick_date(doc: Doc) -> None:
    """The publication date: the first labelled one, else the first date line after the headline,
    else the one nearest before it (a date above the masthead is usually the day of the crawl). Not
    one printed well below the article: that dates a teaser or a comment."""
    if doc.date:
        return  # the HTML's metadata
    end = doc.main_span[1] + _DATE_BELOW if doc.main_span else len(doc.blocks)
    # Nothing was published after today (a day ahead for time zones): a later date is an event's.
    latest = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    # A labelled date is the article's, the first one near the article before any other (one below it
    # may date a teaser), but even far below it before any unlabelled one ("Published on:" under a last
    # paragraph the boundary took for a promotion).
    labelled = [(index, iso) for index, iso in doc.labelled_dates if iso <= latest]
    labelled = [iso for index, iso in labelled if index <= end] or [iso for _, iso in labelled]
    if labelled:
        doc.date = labelled[0]
        return
    candidates = [(index, iso) for index, iso in doc.date_candidates if index <= end and iso <= latest]
    if not candidates:
        return
    anchor = doc.title_index if doc.title_index is not None else -1
    after = [iso for index, iso in candidates if index > anchor]
    doc.date = after[0] if after else candidates[-1][1]
