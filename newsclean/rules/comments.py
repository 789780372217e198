"""Comment sections and forms: their headings and prompts ("Comments (0)", "Add your comment",
"Post a Comment", captcha text), in any language of the phrase data, and the form residue after them."""

from __future__ import annotations

from ..blocks import Doc
from ..phrases import phrases
from .base import rule

_SHORT = 10


@rule("comments.section")
def section(doc: Doc) -> None:
    """A comment heading or prompt, and the short lines of form residue that follow it."""
    p = phrases()
    in_form = False
    for block in doc.kept():
        text = block.text
        short = block.words <= _SHORT
        if p.line_is("comment", text) or short and p.line_starts("comment", text, extra_words=2):
            doc.remove(block, section.rule_name)
            in_form = True
        elif in_form and short and not block.prose and not p.line_starts("related", text):
            doc.remove(block, section.rule_name)  # field labels, buttons, captcha hints
        else:
            in_form = False
