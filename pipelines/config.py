"""Every NEWSCLEAN_* setting with its default, read once per crawl."""

from __future__ import annotations

import os
from dataclasses import dataclass

from scrapy.settings import BaseSettings

from newsclean.options import Options
from newsclean.pool import time_limit

DEFAULTS: dict[str, object] = {
    "NEWSCLEAN_ENABLED": True,
    "NEWSCLEAN_URL_FIELD": "url",
    "NEWSCLEAN_HTML_FIELD": "html",
    "NEWSCLEAN_RAW_TEXT_FIELD": "raw_text",
    "NEWSCLEAN_KEEP_INPUT": False,
    "NEWSCLEAN_EXPLAIN": False,
    "NEWSCLEAN_LANGUAGES": [],
    "NEWSCLEAN_MIN_LENGTH": 1,
    "NEWSCLEAN_DISABLED_RULES": [],
    "NEWSCLEAN_WORKERS": None,  # None: one per CPU
    "NEWSCLEAN_TIMEOUT": 60,  # seconds a page may take to clean; 0: no limit
    "NEWSCLEAN_GC_FREEZE": True,  # freeze the start-up's objects out of the garbage collector's view
}


@dataclass(frozen=True)
class Config:
    enabled: bool
    url_field: str
    html_field: str
    raw_text_field: str
    keep_input: bool
    explain: bool
    workers: int
    timeout: float
    gc_freeze: bool
    options: Options

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Config:
        def get(name: str):
            return settings.get(name, DEFAULTS[name])

        return cls(
            enabled=settings.getbool("NEWSCLEAN_ENABLED", DEFAULTS["NEWSCLEAN_ENABLED"]),
            url_field=get("NEWSCLEAN_URL_FIELD"),
            html_field=get("NEWSCLEAN_HTML_FIELD"),
            raw_text_field=get("NEWSCLEAN_RAW_TEXT_FIELD"),
            keep_input=settings.getbool("NEWSCLEAN_KEEP_INPUT", DEFAULTS["NEWSCLEAN_KEEP_INPUT"]),
            explain=settings.getbool("NEWSCLEAN_EXPLAIN", DEFAULTS["NEWSCLEAN_EXPLAIN"]),
            workers=worker_count(settings),
            timeout=time_limit(settings.getfloat("NEWSCLEAN_TIMEOUT", DEFAULTS["NEWSCLEAN_TIMEOUT"])),
            gc_freeze=settings.getbool("NEWSCLEAN_GC_FREEZE", DEFAULTS["NEWSCLEAN_GC_FREEZE"]),
            options=Options.from_user(
                languages=settings.getlist("NEWSCLEAN_LANGUAGES", DEFAULTS["NEWSCLEAN_LANGUAGES"]),
                disabled_rules=settings.getlist("NEWSCLEAN_DISABLED_RULES", DEFAULTS["NEWSCLEAN_DISABLED_RULES"]),
                min_length=settings.getint("NEWSCLEAN_MIN_LENGTH", DEFAULTS["NEWSCLEAN_MIN_LENGTH"]),
            ),
        )


def worker_count(settings: BaseSettings) -> int:
    """NEWSCLEAN_WORKERS, or one per CPU when unset."""
    workers = settings.get("NEWSCLEAN_WORKERS", DEFAULTS["NEWSCLEAN_WORKERS"])
    return (os.cpu_count() or 1) if workers in (None, "") else int(workers)

