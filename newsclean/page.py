"""What goes into the cleaner (a Page) and what comes out (an Article)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    """A news page as scraped: its URL and its HTML, its raw text, or both."""

    url: str
    html: str | bytes | None = None
    raw_text: str | bytes | None = None


@dataclass(frozen=True)
class Removed:
    """A line the cleaner took out of the page, and the rule that took it."""

    text: str
    rule: str


@dataclass
class Article:
    """A clean article: the body one paragraph per line, plus its metadata."""

    url: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO 8601 YYYY-MM-DD
    author: str | None = None
    sitename: str | None = None
    language: str | None = None  # ISO 639-1, from langdetect
    source: str = "text"  # which path produced it: "html" or "text"
    removed: list[Removed] = field(default_factory=list)

    #: The fields an article adds to an item, in the order they are written.
    FIELDS = ("title", "text", "date", "author", "sitename", "language")

    def record(self, explain: bool = False) -> dict:
        """The article as the fields it adds to an item (plus `removed` when explaining)."""
        out = {name: getattr(self, name) for name in self.FIELDS}
        if explain:
            out["removed"] = [{"text": r.text, "rule": r.rule} for r in self.removed]
        return out


class NotAnArticle(Exception):
    """The page cannot become an article; `reason` is a short stable code for stats."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __reduce__(self):  # keep both arguments when crossing a process boundary
        return (type(self), (self.reason, self.message))


def page_from_fields(url: object, html: object, raw_text: object) -> Page:
    """A Page from untrusted item fields; NotAnArticle("no_input") says what was wrong with them."""
    problems = []
    fields = {"html": html, "raw_text": raw_text}
    for name, value in fields.items():
        value = _plain(value)
        if value is not None and not isinstance(value, (str, bytes)):
            problems.append(f"{name} is a {type(value).__name__}, not text")
            value = None
        fields[name] = value if value is not None and value.strip() else None
    if fields["html"] is None and fields["raw_text"] is None:
        detail = "; ".join(problems) or "both are missing or blank"
        raise NotAnArticle("no_input", f"the item has no html or raw_text to clean ({detail})")
    url = _plain(url)
    return Page(url=url if isinstance(url, str) else "", **fields)


def _plain(value: object) -> object:
    """str and bytes subclasses as plain str and bytes (a subclass may not cross to a worker process),
    bytearray and memoryview as bytes; anything else as it is."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return value
