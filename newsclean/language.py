"""Language identification with langdetect, made deterministic and safe to call from many workers.

With the `fast` extra (``pip install "newsclean[fast]"``) the detection runs in langdetect-rs, a Rust
port of langdetect that gives the same answers, bit for bit, with the same seed, about 50 times
faster; without it, langdetect itself. `BACKEND` says which one this process uses; the environment
variable ``NEWSCLEAN_LANGDETECT=langdetect`` forces langdetect even when langdetect-rs is installed
(to compare the two, or to rule the port out).
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Iterator, Mapping
from importlib.util import find_spec
from types import ModuleType

#: How much text to read: the language is settled long before the end of an article. On the dev
#: sets (974 gold article bodies and the same pages' raw text, `benchmarks/language.py --sweep`),
#: every answer at 1200 characters or more is the answer on the whole text; 1500 keeps a margin.
MAX_CHARS = 1500

_MODULES = {"langdetect": "langdetect", "langdetect-rs": "langdetect_rs"}

#: The ISO 639-1 codes `detect_language` may give: langdetect's languages, its "zh-cn" and "zh-tw" as "zh".
LANGUAGES = frozenset({
    "af", "ar", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr", "gu", "he", "hi",
    "hr", "hu", "id", "it", "ja", "kn", "ko", "lt", "lv", "mk", "ml", "mr", "ne", "nl", "no", "pa", "pl", "pt", "ro",
    "ru", "sk", "sl", "so", "sq", "sv", "sw", "ta", "te", "th", "tl", "tr", "uk", "ur", "vi", "zh"})


class _Backends(Mapping[str, ModuleType]):
    """Backend name -> its module, for those installed. Both have langdetect's API. A backend is
    imported, and its language profiles loaded, when first asked for: a process that uses
    langdetect-rs never pays the 0.3 s langdetect takes to load its profiles."""

    def __init__(self) -> None:
        self._names = [name for name, module in _MODULES.items() if find_spec(module) is not None]
        self._loaded: dict[str, ModuleType] = {}
        # The profiles of a backend whose first calls come from several threads at once race ("Need
        # to load profiles"): they are loaded once, under the lock, before any detection.
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> ModuleType:
        if name not in self._loaded:
            if name not in self._names:
                raise KeyError(name)
            with self._lock:
                if name not in self._loaded:
                    module = importlib.import_module(_MODULES[name])
                    # langdetect samples at random: a fixed seed gives one page one answer, every time.
                    module.DetectorFactory.seed = 0
                    module.detector_factory.init_factory()
                    self._loaded[name] = module
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:  # without importing it
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


#: Backend name -> its module, for those installed (langdetect is a dependency; langdetect-rs the
#: `fast` extra).
BACKENDS: Mapping[str, ModuleType] = _Backends()

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
