"""CMS shortcodes and template residue left in the text: `[aesop_image img=… caption=…]`,
`[caption id=…]…[/caption]`, `[embed]…[/embed]`, `{{template}}`, `{% tag %}`."""

from __future__ import annotations

import re

from ..blocks import Doc
from ..text import letter_count
from .base import rule

_SHORTCODE_RE = re.compile(
    r"\[(?P<name>[a-z][\w-]*)(?:\s[^\[\]]*)?\].*?\[/(?P=name)\]"  # enclosing: [caption …]…[/caption]
    r"|\[[a-z][\w-]*(?:\s+[\w-]+\s*=\s*[^\]]*)+\]"  # with attributes: [aesop_image img=…]
    r"|\[/[a-z][\w-]*\]"  # a stray closing tag
    r"|\{\{.*?\}\}|\{%.*?%\}",  # wiki and template-engine residue
    re.IGNORECASE | re.DOTALL,
)


@rule("shortcode.residue")
def residue(doc: Doc) -> None:
    """Remove blocks that are only shortcodes; cut shortcodes out of blocks that also hold text."""
    for block in doc.kept():
        if "[" not in block.text and "{" not in block.text:
            continue
        rest = _SHORTCODE_RE.sub(" ", block.text)
        if rest == block.text:
            continue
        if letter_count(rest) < 3:
            doc.remove(block, residue.rule_name)
        else:
            for m in _SHORTCODE_RE.finditer(block.text):
                doc.trimmed(m.group(0), residue.rule_name)
            block.set_text(" ".join(rest.split()))
