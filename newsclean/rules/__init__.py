"""The rules, in the order they run. Each is named "family.rule"; options can switch off a rule or a
whole family by name. Order matters where one rule reads what another marked: what the HTML path
found below the article's element goes first, then the line rules, then the headline the page vouches
for, then the boundary (which weighs what they removed, and menus, anchors the article under the
headline, and ends it where a second page appended to the text starts),
then a headline printed once above the run, then the rules that name the menus the boundary left out,
then a comment thread inside the article's run (from its first comment header), then the
appended-story rule (which names that second page, and cuts a story appended inside the run
by the story headers the line rules marked).

Some rules judge a line by the lines around it, and lines removed after they ran change that: two
copies of a caption with a comment prompt between them are in a row once the prompt is gone, and a
line left just above an appended story that was cut stands at the end of the article. So once all
rules ran, those rules run again over the lines still kept, as they would on the article's own text,
until they remove nothing more: cleaning an article's own text then changes nothing."""

from __future__ import annotations

from ..blocks import Doc
from . import appended, boundary, caption, chrome, comments, metadata, navigation, shortcode, title
from .base import RuleFunc, family

RULES: tuple[RuleFunc, ...] = (
    boundary.below_article,
    chrome.noscript,
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

# The rules that read the lines kept around a line, run again over what is left (see above).
SETTLE: tuple[RuleFunc, ...] = (caption.repeated, boundary.trim_run)
# Each round removes lines or ends it; a line removed may bring two copies together or leave a
# stray line at an edge, so a few rounds at most.
_SETTLE_ROUNDS = 4


def run_rules(doc: Doc, disabled: frozenset[str] = frozenset()) -> None:
    for func in RULES:
        if _enabled(func, disabled):
            func(doc)
    settle(doc, [func for func in SETTLE if _enabled(func, disabled)])
    metadata.pick_date(doc)


def settle(doc: Doc, rules: list[RuleFunc]) -> None:
    """Run `rules` over the lines still kept, as a page of their own, until they remove nothing."""
    if not rules:
        return
    for _ in range(_SETTLE_ROUNDS):
        kept = doc.kept()
        if not kept:
            return
        view = Doc(url=doc.url, blocks=kept, source=doc.source)
        for func in rules:
            func(view)
        if all(block.kept for block in kept):
            return


def _enabled(func: RuleFunc, disabled: frozenset[str]) -> bool:
    name = func.rule_name  # type: ignore[attr-defined]
    return name not in disabled and family(name) not in disabled
