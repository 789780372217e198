"""Scrapy's log formatter, with the page an item carries shortened where a dropped item is logged."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy.logformatter import LogFormatter as ScrapyLogFormatter

#: Longer strings (and bytes) of a dropped item are shortened to this in the log.
SHOWN_CHARS = 200


class LogFormatter(ScrapyLogFormatter):
    """Scrapy logs every dropped item whole: with the page still on it, one 12 MB page dropped as
    too_large wrote 12 MB of log, and a crawl keeping one language logged every other page in full.
    Here a field's text is cut to its first SHOWN_CHARS characters, with its length; the item itself,
    which the item_dropped signal hands on, is left whole."""

    def dropped(self, item: Any, *args: Any, **kwargs: Any):
        entry = super().dropped(item, *args, **kwargs)
        if is_item(item):
            entry["args"] = {**entry["args"], "item": _shortened(item)}
        return entry


def _shortened(item: Any) -> dict:
    return {name: _cut(value) for name, value in ItemAdapter(item).items()}


def _cut(value: Any) -> Any:
    """Long text cut, inside lists and dicts too (an ItemLoader's fields are lists of the page)."""
    if isinstance(value, (str, bytes)):
        return _Cut(value) if len(value) > SHOWN_CHARS else value
    if isinstance(value, (list, tuple)):
        return [_cut(inner) for inner in value]
    if isinstance(value, dict):
        return {key: _cut(inner) for key, inner in value.items()}
    return value


class _Cut:
    """A long value as the item's repr shows it: its start, quoted once, and its length."""

    def __init__(self, value: str | bytes):
        self.value = value

    def __repr__(self) -> str:
        unit = "characters" if isinstance(self.value, str) else "bytes"
        return f"{self.value[:SHOWN_CHARS]!r}… ({len(self.value):,} {unit})"
