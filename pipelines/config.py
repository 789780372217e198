"""Every NEWSCLEAN_* setting with its default, read once per crawl."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.settings import BaseSettings

from newsclean.options import InvalidOption, Options
from newsclean.pool import DEFAULT_TIMEOUT, default_workers, time_limit

DEFAULTS: dict[str, object] = {
    "NEWSCLEAN_ENABLED": True,
    "NEWSCLEAN_URL_FIELD": "url",
    "NEWSCLEAN_HTML_FIELD": "html",
    "NEWSCLEAN_RAW_TEXT_FIELD": "raw_text",
    "NEWSCLEAN_KEEP_INPUT": False,
    "NEWSCLEAN_EXPLAIN": False,
    "NEWSCLEAN_LANGUAGES": [],
    "NEWSCLEAN_MIN_LENGTH": Options.min_length,
    "NEWSCLEAN_DISABLED_RULES": [],
    "NEWSCLEAN_WORKERS": None,  # None: one per CPU
    "NEWSCLEAN_TIMEOUT": DEFAULT_TIMEOUT,  # seconds a page may take to clean; 0: no limit
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
        """The settings, read and checked: a value newsclean cannot use stops the crawl before it
        starts, with the setting's name, rather than dropping every item."""
        def get(name: str):
            return settings.get(name, DEFAULTS[name])

        min_length = _whole_number(settings, "NEWSCLEAN_MIN_LENGTH")
        try:
            options = Options.from_user(
                languages=settings.getlist("NEWSCLEAN_LANGUAGES", DEFAULTS["NEWSCLEAN_LANGUAGES"]),
                disabled_rules=settings.getlist("NEWSCLEAN_DISABLED_RULES", DEFAULTS["NEWSCLEAN_DISABLED_RULES"]),
                min_length=min_length,
            )
        except InvalidOption as exc:
            raise ValueError(f"NEWSCLEAN_{exc.option.upper()}: {exc}") from None
        try:
            timeout = float(get("NEWSCLEAN_TIMEOUT"))
        except (TypeError, ValueError):
            raise ValueError(f"NEWSCLEAN_TIMEOUT is seconds, not {get('NEWSCLEAN_TIMEOUT')!r}") from None
        return cls(
            enabled=settings.getbool("NEWSCLEAN_ENABLED", DEFAULTS["NEWSCLEAN_ENABLED"]),
            url_field=get("NEWSCLEAN_URL_FIELD"),
            html_field=get("NEWSCLEAN_HTML_FIELD"),
            raw_text_field=get("NEWSCLEAN_RAW_TEXT_FIELD"),
            keep_input=settings.getbool("NEWSCLEAN_KEEP_INPUT", DEFAULTS["NEWSCLEAN_KEEP_INPUT"]),
            explain=settings.getbool("NEWSCLEAN_EXPLAIN", DEFAULTS["NEWSCLEAN_EXPLAIN"]),
            workers=worker_count(settings),
            timeout=time_limit(timeout),
            gc_freeze=settings.getbool("NEWSCLEAN_GC_FREEZE", DEFAULTS["NEWSCLEAN_GC_FREEZE"]),
            options=options,
        )


def worker_count(settings: BaseSettings) -> int:
    """NEWSCLEAN_WORKERS, or one per CPU the crawl may use when unset."""
    if settings.get("NEWSCLEAN_WORKERS", DEFAULTS["NEWSCLEAN_WORKERS"]) in (None, ""):
        return default_workers()
    return _whole_number(settings, "NEWSCLEAN_WORKERS")


def _whole_number(settings: BaseSettings, name: str) -> int:
    """A setting that is a count: 0 or more ("4" from the command line, 4 or 4.0 in settings.py)."""
    value = settings.get(name, DEFAULTS[name])
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if isinstance(value, bool) or not number.is_integer() or number < 0:
        raise ValueError(f"{name} is a whole number, 0 or more, not {value!r}")
    return int(number)

