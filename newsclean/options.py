"""What a user can tune about cleaning, in one place (the Scrapy settings and the CLI map onto it)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .language import LANGUAGES
from .rules import RULE_NAMES, family

_KNOWN_RULES = frozenset(RULE_NAMES) | {family(name) for name in RULE_NAMES}
_LANGUAGE_TAG_RE = re.compile(r"[-_]")


class InvalidOption(ValueError):
    """A value an option cannot take; `option` names which ("languages", "disabled_rules")."""

    def __init__(self, option: str, message: str):
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class Options:
    """Language codes in any case; a language code langdetect never gives, or a rule name that is neither
    a rule nor a family, raises InvalidOption (a ValueError), so that a typo is an error rather than every
    article dropped or a rule left running."""

    #: ISO 639-1 codes an article may be in; empty means any language.
    languages: frozenset[str] = frozenset()
    #: Names of rules (or whole families, e.g. "navigation") not to run.
    disabled_rules: frozenset[str] = frozenset()
    #: Fewest characters of body text an article must keep.
    min_length: int = 1

    def __post_init__(self) -> None:
        # A region or script says nothing langdetect tells apart: "en-US" is "en", "zh-TW" is "zh".
        codes = frozenset(_LANGUAGE_TAG_RE.split(c.strip().lower())[0] for c in self.languages if c.strip())
        object.__setattr__(self, "languages", codes)
        object.__setattr__(self, "disabled_rules", frozenset(n.strip() for n in self.disabled_rules if n.strip()))
        unknown = sorted(self.disabled_rules - _KNOWN_RULES)
        if unknown:
            raise InvalidOption("disabled_rules", f"no rule or family of rules named {', '.join(map(repr, unknown))} "
                                                  f"(rules: {', '.join(RULE_NAMES)})")
        unknown = sorted(self.languages - LANGUAGES)
        if unknown:
            raise InvalidOption("languages", f"{', '.join(map(repr, unknown))}: no language code langdetect "
                                             f"gives (ISO 639-1: {', '.join(sorted(LANGUAGES))})")

    @classmethod
    def from_user(cls, languages: Iterable[str] = (), disabled_rules: Iterable[str] = (),
                  min_length: int = 1) -> Options:
        """Options as a user writes them, in a setting or on the command line: several language codes to
        a value ("de, EN")."""
        codes = frozenset(code for value in languages for code in str(value).split(","))
        return cls(languages=codes, disabled_rules=frozenset(disabled_rules), min_length=min_length)
