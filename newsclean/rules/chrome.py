"""Page chrome that stands as lines of its own: widget residue, read-time, share and follow bars,
newsletter and cookie prompts, copyright lines, "Advertisement" and the like; on HTML, what only a
browser without JavaScript shows."""

from __future__ import annotations

from ..blocks import Block, Doc
from ..dates import date_line
from ..phrases import phrases
from ..text import ends_statement, letter_count, word_count
from .base import rule

# Short lines only: in a long line these words are the article's own.
_SHORT = 12
# Newsletter prompts run to a sentence or two: "Get the latest news in your inbox. Subscribe to our newsletter."
_PROMPT = 30
_LINE_KEYS = ("read_time", "share", "chrome", "newsletter")
_KEYS = frozenset({"cookie", "copyright", "newsletter", "share", *_LINE_KEYS})


@rule("chrome.noscript")
def noscript(doc: Doc) -> None:
    """HTML path: text the page shows only without JavaScript ("Please enable JavaScript to read this
    article"), as newsclean.htmlblocks found it: a script renders the article, if any, elsewhere."""
    for block in doc.blocks:
        if block.noscript:
            doc.remove(block, noscript.rule_name)


@rule("chrome.fragment")
def fragment(doc: Doc) -> None:
    """Lines with next to no letters ("TT", "20", "|", "•••"): residue of icons, counters and widgets.
    Not list items the HTML marks: "1", "2" may be what a list holds; nor a word closed like a
    sentence: "No." is an answer; nor a date ("14.05.2024", "May 14, 2024") while the page's date is
    unknown: the date rule reads it (the HTML path's metadata gives most pages theirs)."""
    for block in doc.lines():
        text = block.text
        if block.kind == "li" or len(text) > 12:
            continue
        letters = letter_count(text)
        if letters > 3 or (letters >= 2 and ends_statement(text)):
            continue
        if not (doc.date is None and date_line(text)):
            doc.remove(block, fragment.rule_name)


@rule("chrome.phrase")
def phrase(doc: Doc) -> None:
    """Short lines that are a chrome phrase from the phrase data, in any language."""
    p = phrases()
    for block in doc.lines():
        text, n = block.text, block.words
        if n > 60 or ("©" not in text and p.lists_in(text).isdisjoint(_KEYS)):
            continue  # most lines hold none of the phrases
        if (p.contains("cookie", text, multiword=n > _SHORT)
                or names_copyright(text, n)
                or (n <= _PROMPT and p.contains("newsletter", text, multiword=True))
                or (n <= _PROMPT and p.line_opening("share", text) and p.count("social", text) >= 2)
                or (n <= _SHORT and any(p.line_starts(key, text) for key in _LINE_KEYS)
                    and not _opens_with_a_labels_word(p, block))):
            doc.remove(block, phrase.rule_name)


def names_copyright(text: str, words: int) -> bool:
    """The line holds a copyright notice: the sign, or a copyright phrase; in a line of more than six
    words (`words`), a phrase of several ("all rights reserved"): "copyright" alone may be the text's."""
    return "©" in text or phrases().contains("copyright", text, multiword=words > 6)


def _opens_with_a_labels_word(p, block: Block) -> bool:
    """Text of three words or more that opens with a label's one word: a short sentence closed by a full
    stop ("Search continues tonight.", "Home prices fell again."), where labels end bare, in "!" or
    "..." ("Share it!") or hold a colon ("Lesezeit: 3 Min."); or a heading the HTML marks inside the
    article ("Follow the money", "Close race in Ohio")."""
    text = block.text.rstrip()
    if ":" in text or word_count(text) < 3:
        return False
    if block.kind != "h" and (not text.endswith(".") or text.endswith("..")):
        return False
    openings = [p.line_opening(key, text) for key in _LINE_KEYS]
    return any(openings) and all(opening is None or " " not in opening for opening in openings)
