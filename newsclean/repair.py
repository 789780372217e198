"""Paragraphs a page broke in two mid-sentence ("… Khamis and Syrian" / "Foreign Minister …") are joined."""

from __future__ import annotations

import unicodedata

from .blocks import Block
from .phrases import phrases
from .text import NO_SPACE_RE, ends_sentence, is_prose, word_count

# A line this long that does not close like a sentence is a sentence cut short, not a subhead.
_MIN_BROKEN_WORDS = 10


def join_broken(blocks: list[Block]) -> list[str]:
    """The kept blocks' texts, a paragraph each, with paragraphs broken mid-sentence joined again.

    Read from the end: whether a line goes on in the next depends on the next as it stands once joined
    to what follows it, for a line too short to count as prose alone may be the middle of a sentence
    broken over three lines. So such a sentence is joined whole, and the paragraphs come out the same
    when their own text is cleaned again."""
    paragraphs: list[tuple[Block, str]] = []  # (its first block, its text), the last paragraph first
    for block in reversed(blocks):
        if paragraphs and _joins(block, *paragraphs[-1]):
            paragraphs[-1] = (block, _join(block.text, paragraphs[-1][1]))
        else:
            paragraphs.append((block, block.text))
    return [text for _, text in reversed(paragraphs)]


def _joins(block: Block, first: Block, text: str) -> bool:
    if block.element is not None or first.element is not None:
        # HTML: its paragraphs are the page's own; only the lines a <br> parted may be one sentence.
        return block.element == first.element and _is_broken_by_br(block, text)
    return _is_broken(block) and _goes_on(block.text, first, text)


def _join(text: str, rest: str) -> str:
    # Chinese and Japanese run on without a space.
    if NO_SPACE_RE.match(text[-1:]) and NO_SPACE_RE.match(rest[:1]):
        return text + rest
    return f"{text} {rest}"


def _goes_on(line: str, first: Block, text: str) -> bool:
    """A paragraph that can carry on the sentence `line` leaves unfinished: running text opening in lower
    case (or in a script without case), after a word no sentence ends with ("of", "the": the phrase data's
    `dangling` words), or a name the break cut in two. Otherwise a paragraph opening with a capital
    letter is a new one after a line that lacks its stop, a heading or a list item: of such pairs
    the dev pages' gold texts hold, they part 675 of 690 (and a list's number opens a new item)."""
    if first.kind != "p" or not is_prose(text):
        return False
    opening = text[:1]
    if opening.isalpha() and not opening.isupper():
        return True
    if _dangles(line):
        return opening.isalnum()  # "a crowd of" / "15,000 people"
    return opening.isupper() and _name_runs_on(line, text)


def _dangles(line: str) -> bool:
    """The line ends on a word no sentence ends with, written in lower case ("… the storms of"; not
    "… in Serie A", where "a" would be the Italian word)."""
    last = line.rsplit(None, 1)[-1]
    return last.islower() and last.rstrip(",") in phrases().dangling


def _name_runs_on(line: str, rest: str) -> bool:
    """A clause (it holds a comma) ending on a capitalised word after a lower-case one, and a paragraph
    opening with two capitalised words: a name or title cut at the break ("… Imad Khamis and Syrian" /
    "Foreign Minister Walid al-Moallem, who …")."""
    words, after = line.split(), rest.split()
    return ("," in line and len(words) >= 2 and words[-1][:1].isupper() and words[-2][:1].islower()
            and len(after) >= 2 and after[0][:1].isupper() and after[1][:1].isupper())


def _is_broken_by_br(block: Block, rest: str) -> bool:
    """A <br> in mid-sentence: the line goes on in lower case, or is long and unfinished (`_is_broken`)."""
    if ends_sentence(block.text) or not _ends_in_a_word(block.text):
        return False
    return rest[:1].islower() or (_is_broken(block) and is_prose(rest) and rest[:1].isalnum())


def _is_broken(block: Block) -> bool:
    # Headings and list items are whole as they are, whatever their punctuation; so is a line in a
    # script that ends its sentences with none (Thai, Lao: a space parts them).
    text = block.text
    return block.kind == "p" and word_count(text) >= _MIN_BROKEN_WORDS and not ends_sentence(text) \
        and _ends_in_a_word(text) and not "\u0e00" <= text[-1] <= "\u0eff"  # Thai, Lao


def _ends_in_a_word(text: str) -> bool:
    """The last character is a letter or digit, or a vowel sign (most Hindi words end in one)."""
    return text[-1:].isalnum() or unicodedata.category(text[-1:] or " ").startswith("M")
