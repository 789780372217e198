"""newsclean: boilerplate-free news articles from HTML or raw page text, as a library and a Scrapy add-on."""

from .clean import clean_page
from .options import Options
from .page import Article, NotAnArticle, Page, Removed

__all__ = ["Addon", "Article", "NotAnArticle", "Options", "Page", "Removed", "clean_page"]


def __getattr__(name: str):
    # The add-on imports Scrapy; load it only when asked for, so the library stays Scrapy-free.
    if name == "Addon":
        from .addon import Addon

        return Addon
    raise AttributeError(f"module 'newsclean' has no attribute {name!r}")
