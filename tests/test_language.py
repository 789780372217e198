"""Language detection: langdetect and langdetect-rs (the `fast` extra) give the same answers, the
sample read (MAX_CHARS) gives the whole text's answer, and the answer is the same every time."""

from __future__ import annotations

import gzip
import os
import json
import subprocess
import sys

import pytest

from helpers import ROOT, SAMPLE_FILES
from newsclean import Page, clean_page, language
from newsclean.language import BACKENDS, MAX_CHARS, detect_language

DEVSET = ROOT.parent / "shared" / "devset"
DEVSET_FILES = ["scrapinghub.jsonl.gz", "wcxb-dev-articles.jsonl.gz"]
DEVSET_PAGES = 300  # gold texts compared, taken evenly from both sets

needs_rs = pytest.mark.skipif("langdetect-rs" not in BACKENDS,
                              reason="langdetect-rs is not installed (pip install -e '.[test]' or '.[fast]')")

# Short texts in the languages newsclean has phrase lists for (and a few it has not), written for
# this test: short texts are where a random walk is most likely to wander.
SENTENCES = [
    "The government announced on Tuesday that it would raise taxes on imported steel.",
    "Die Bundesregierung hat am Dienstag neue Regeln für den Import von Stahl angekündigt.",
    "Le gouvernement a annoncé mardi une hausse des taxes sur l'acier importé.",
    "El gobierno anunció el martes que subirá los impuestos al acero importado.",
    "Il governo ha annunciato martedì un aumento delle tasse sull'acciaio importato.",
    "O governo anunciou na terça-feira que vai aumentar os impostos sobre o aço importado.",
    "De regering heeft dinsdag aangekondigd dat de belasting op geïmporteerd staal omhoog gaat.",
    "Правительство во вторник объявило о повышении пошлин на импортную сталь.",
    "أعلنت الحكومة يوم الثلاثاء أنها سترفع الضرائب على الصلب المستورد.",
    "Hükümet salı günü ithal çeliğe uygulanan vergileri artıracağını açıkladı.",
    "政府は火曜日、輸入鋼材への関税を引き上げると発表した。",
    "Rząd ogłosił we wtorek, że podniesie podatki na importowaną stal.",
    "Ein, zwei, drei",
    "OK",
]


def _probabilities(backend: str, text: str) -> list[tuple[str, float]] | None:
    """Every language's probability, as the backend's detect_langs gives them (None: no features)."""
    module = BACKENDS[backend]
    try:
        return [(found.lang, found.prob) for found in module.detect_langs(text)]
    except module.LangDetectException:
        return None


def _sample_texts() -> list[tuple[str, str]]:
    texts = []
    for sample in SAMPLE_FILES:
        page = (Page(url=sample.as_uri(), html=sample.read_bytes()) if sample.suffix == ".html"
                else Page(url=sample.as_uri(), raw_text=sample.read_text(encoding="utf-8")))
        texts.append((sample.name, clean_page(page).text))
    return texts


def test_the_default_backend_is_the_fast_one_when_installed():
    assert language.BACKEND == ("langdetect-rs" if "langdetect-rs" in BACKENDS else "langdetect")
    assert detect_language(SENTENCES[1]) == "de"
    assert detect_language("1234 5678 !!!") is None
    assert detect_language("") is None


def test_the_environment_can_force_langdetect():
    code = "from newsclean.language import BACKEND, detect_language; print(BACKEND, detect_language('Ein, zwei, drei'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NEWSCLEAN_LANGDETECT": "langdetect"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["langdetect", "de"]


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_the_same_text_gets_the_same_answer_every_time(backend):
    for text in SENTENCES:
        answers = {detect_language(text, backend) for _ in range(5)}
        assert len(answers) == 1, (text, answers)


@needs_rs
def test_both_backends_agree_to_the_last_bit_on_short_texts():
    for text in SENTENCES:
        assert _probabilities("langdetect-rs", text) == _probabilities("langdetect", text), text


@needs_rs
def test_both_backends_agree_on_the_samples_cleaned():
    for name, text in _sample_texts():
        sample = text[:MAX_CHARS]
        assert _probabilities("langdetect-rs", sample) == _probabilities("langdetect", sample), name
        assert detect_language(text, "langdetect-rs") == detect_language(text, "langdetect"), name


def test_reading_max_chars_gives_the_whole_texts_answer(monkeypatch):
    texts = _sample_texts()
    bounded = [detect_language(text) for _, text in texts]
    monkeypatch.setattr(language, "MAX_CHARS", 10**9)
    assert [detect_language(text) for _, text in texts] == bounded
    assert "de" in bounded and "en" in bounded


def _devset_gold_texts() -> list[str]:
    per_set = DEVSET_PAGES // len(DEVSET_FILES)
    texts = []
    for name in DEVSET_FILES:
        with gzip.open(DEVSET / name, "rt", encoding="utf-8") as f:
            pages = [json.loads(line) for line in f]
        step = max(1, len(pages) // per_set)
        texts += [page["gold_text"] for page in pages[::step][:per_set]]
    return texts


@needs_rs
@pytest.mark.skipif(not all((DEVSET / name).is_file() for name in DEVSET_FILES),
                    reason=f"the dev sets are not in {DEVSET} (the shared folder beside the repo)")
def test_both_backends_agree_on_the_dev_sets_gold_texts():
    texts = _devset_gold_texts()
    assert len(texts) == DEVSET_PAGES
    differ = [(i, text[:60]) for i, text in enumerate(texts)
              if _probabilities("langdetect-rs", text[:MAX_CHARS]) != _probabilities("langdetect", text[:MAX_CHARS])]
    assert differ == []


def test_the_language_codes_settings_accept_are_those_the_backends_give():
    from importlib.resources import files

    profiles = {p.name for p in files("langdetect").joinpath("profiles").iterdir()}
    assert language.LANGUAGES == {name.split("-")[0] for name in profiles}
