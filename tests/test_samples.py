"""The saved samples through the library: each comes out as its expected record."""

import pytest
from helpers import SAMPLE_FILES, expected, mismatches

from newsclean import Page, clean_page
from newsclean.rules import RULE_NAMES


def _page(path):
    if path.suffix == ".txt":
        return Page(url=path.as_uri(), raw_text=path.read_text(encoding="utf-8"))
    return Page(url=path.as_uri(), html=path.read_bytes())


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_sample_comes_out_as_expected(sample):
    gold = expected(sample)
    article = clean_page(_page(sample))
    assert mismatches(article.record(), gold) == []
    assert article.language == gold["language"]
    if gold.get("sitename"):
        assert article.sitename == gold["sitename"]


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_removed_line_names_its_rule(sample):
    article = clean_page(_page(sample))
    assert all(r.rule in RULE_NAMES for r in article.removed)
    kept = set(article.text.split("\n"))
    assert not any(r.text in kept for r in article.removed if len(r.text) > 25)


def test_same_page_same_record():
    sample = SAMPLE_FILES[0]
    assert clean_page(_page(sample)) == clean_page(_page(sample))
