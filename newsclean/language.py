"""Language identification with langdetect, made deterministic and safe to call from many workers."""

from __future__ import annotations

from langdetect import DetectorFactory, detect_langs
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

# langdetect samples at random: a fixed seed gives one page one answer, every time.
DetectorFactory.seed = 0
# Its profiles load lazily, and the first calls from several threads race ("Need to load profiles"):
# load them once, now.
init_factory()

#: How much text to read: the language is settled long before the end of an article.
MAX_CHARS = 3000


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when langdetect cannot tell."""
    sample = text[:MAX_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return None
    return best.lang.split("-")[0]  # zh-cn, zh-tw -> zh
