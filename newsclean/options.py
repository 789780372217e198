"""What a user can tune about cleaning, in one place (the Scrapy settings and the CLI map onto it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    #: ISO 639-1 codes an article may be in; empty means any language.
    languages: frozenset[str] = frozenset()
    #: Names of rules (or whole families, e.g. "navigation") not to run.
    disabled_rules: frozenset[str] = frozenset()
    #: Fewest characters of body text an article must keep.
    min_length: int = 1
