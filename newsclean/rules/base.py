"""What a rule is: a named function that looks at a Doc's blocks and marks the ones it removes."""

from __future__ import annotations

from typing import Callable

from ..blocks import Doc

RuleFunc = Callable[[Doc], None]


def rule(name: str) -> Callable[[RuleFunc], RuleFunc]:
    """Name a rule "family.rule"; the name is the reason recorded on every block it removes."""

    def register(func: RuleFunc) -> RuleFunc:
        func.rule_name = name  # type: ignore[attr-defined]
        return func

    return register


def family(name: str) -> str:
    return name.split(".", 1)[0]
