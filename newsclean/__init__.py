"""newsclean: boilerplate-free news articles from HTML or raw page text, as a library and a Scrapy add-on."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .addon import Addon
    from .clean import clean_page
    from .options import Options
    from .page import Article, NotAnArticle, Page, Removed

#: Public name -> the module that defines it.
_EXPORTS = {"Addon": ".addon", "Article": ".page", "NotAnArticle": ".page", "Options": ".options",
            "Page": ".page", "Removed": ".page", "clean_page": ".clean"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    # Each name loads its module when first asked for. A crawl's own process needs the page types, not
    # the cleaner (trafilatura and langdetect take a second or more to import) that only its workers
    # run; and the add-on imports Scrapy, which the library does not need.
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'newsclean' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
