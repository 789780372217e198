"""The rules, in the order they run. Each is named "family.rule"; options can switch off a rule or a
whole family by name. Order matters where one rule reads what another marked: the line rules first,
then the headline the page vouches for, then the boundary (which weighs what they removed, and menus,
anchors the article under the headline, and ends it where a second page appended to the text starts),
then a headline printed once above the run, then the rules that name the menus the boundary left out,
then the appended-story rule (which names that second page, and cuts a story appended inside the run
by the story headers the line rules marked)."""

from __future__ import annotations

from ..blocks import Doc
from . import appended, boundary, caption, chrome, comments, metadata, navigation, shortcode, title
from .base import RuleFunc, family

RULES: tuple[RuleFunc, ...] = (
    shortcode.residue,
    chrome.fragment,
    chrome.phrase,
    metadata.labelled,
    metadata.byline,
    metadata.credits,
    metadata.date_lines,
    caption.credit,
    caption.repeated,
    comments.section,
    navigation.related,
    title.headline,
    boundary.main_run,
    title.above_run,
    navigation.link_list,
    navigation.repeated,
    comments.thread,
    appended.story,
)

RULE_NAMES: tuple[str, ...] = tuple(r.rule_name for r in RULES)  # type: ignore[attr-defined]


def run_rules(doc: Doc, disabled: frozenset[str] = frozenset()) -> None:
    for func in RULES:
        name = func.rule_name  # type: ignore[attr-defined]
        if name not in disabled and family(name) not in disabled:
            func(doc)
    metadata.pick_date(doc)
