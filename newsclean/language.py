"""Language identification with langdetect, made deterministic and safe to call from many workers.

With the `fast` extra (``pip install "newsclean[fast]"``) the detection runs in langdetect-rs, a Rust
port of langdetect that gives the same answers, bit for bit, with the same seed, about 50 times
faster; without it, langdetect itself. `BACKEND` says which one this process uses; the environment
variable ``NEWSCLEAN_LANGDETECT=langdetect`` forces langdetect even when langdetect-rs is installed
(to compare the two, or to rule the port out).
"""

from __future__ import annotations

import os
from types import ModuleType

import langdetect

try:
    import langdetect_rs
except ImportError:  # the `fast` extra is not installed
    langdetect_rs = None

#: How much text to read: the language is settled long before the end of an article. On the dev
#: sets (974 gold article bodies and the same pages' raw text, `benchmarks/language.py --sweep`),
#: every answer at 1200 characters or more is the answer on the whole text; 1500 keeps a margin.
MAX_CHARS = 1500

#: Backend name -> its module, for those installed. Both have langdetect's API.
BACKENDS: dict[str, ModuleType] = {"langdetect": langdetect}
if langdetect_rs is not None:
    BACKENDS["langdetect-rs"] = langdetect_rs

for _module in BACKENDS.values():
    # langdetect samples at random: a fixed seed gives one page one answer, every time.
    _module.DetectorFactory.seed = 0
    # Its profiles load lazily, and the first calls from several threads race ("Need to load
    # profiles"): load them once, now.
    _module.detector_factory.init_factory()

#: The backend `detect_language` uses by default.
BACKEND = ("langdetect-rs" if "langdetect-rs" in BACKENDS and os.environ.get("NEWSCLEAN_LANGDETECT") != "langdetect"
           else "langdetect")


def detect_language(text: str, backend: str | None = None) -> str | None:
    """The ISO 639-1 code of the text's language, or None when langdetect cannot tell.

    `backend` ("langdetect" or "langdetect-rs", when installed) overrides `BACKEND`."""
    module = BACKENDS[backend or BACKEND]
    sample = text[:MAX_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    try:
        best = module.detect_langs(sample)[0]
    except module.LangDetectException:
        return None
    return best.lang.split("-")[0]  # zh-cn, zh-tw -> zh
