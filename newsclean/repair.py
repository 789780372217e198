"""Paragraphs a page broke in two mid-sentence ("… Khamis and Syrian" / "Foreign Minister …") are joined."""

from __future__ import annotations

from .text import ends_sentence, is_prose, word_count

# A line this long that does not close like a sentence is a sentence cut short, not a subhead.
_MIN_BROKEN_WORDS = 10


def join_broken(paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    for text in paragraphs:
        if out and _is_broken(out[-1]) and is_prose(text) and text[:1].isalnum():
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return out


def _is_broken(text: str) -> bool:
    return word_count(text) >= _MIN_BROKEN_WORDS and not ends_sentence(text) and text[-1:].isalnum()
