"""What a user can tune about cleaning, in one place (the Scrapy settings and the CLI map onto it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .rules import RULE_NAMES, family


@dataclass(frozen=True)
class Options:
    #: ISO 639-1 codes an article may be in; empty means any language.
    languages: frozenset[str] = frozenset()
    #: Names of rules (or whole families, e.g. "navigation") not to run.
    disabled_rules: frozenset[str] = frozenset()
    #: Fewest characters of body text an article must keep.
    min_length: int = 1

    @classmethod
    def from_user(cls, languages: Iterable[str] = (), disabled_rules: Iterable[str] = (),
                  min_length: int = 1) -> Options:
        """Options as a user writes them, in a setting or on the command line: language codes in any
        case, several to a value ("de, EN"); rule names checked, so that a typo is an error rather than
        a rule left running. Raises ValueError naming what is wrong."""
        codes = {code.strip().lower() for value in languages for code in str(value).split(",") if code.strip()}
        names = {name.strip() for name in disabled_rules if name.strip()}
        known = set(RULE_NAMES) | {family(name) for name in RULE_NAMES}
        unknown = sorted(names - known)
        if unknown:
            raise ValueError(f"no rule or family of rules named {', '.join(map(repr, unknown))} "
                             f"(rules: {', '.join(RULE_NAMES)})")
        return cls(languages=frozenset(codes), disabled_rules=frozenset(names), min_length=min_length)
