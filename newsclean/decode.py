"""Bytes to text the way Scrapy decodes a response: BOM, then a declared charset, then detection."""

from __future__ import annotations

from w3lib.encoding import html_to_unicode, read_bom, resolve_encoding


def _auto_detect(body: bytes) -> str | None:
    # Scrapy's own fallback order for undeclared bodies.
    for encoding in ("utf-8", "cp1252"):
        try:
            body.decode(encoding)
        except UnicodeError:
            continue
        return resolve_encoding(encoding)
    return None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """HTML bytes as text: BOM, then the Content-Type header, then <meta charset>, then detection."""
    _, text = html_to_unicode(content_type, body, auto_detect_fun=_auto_detect)
    return text


def decode_text(body: bytes) -> str:
    """Raw page text as bytes: BOM, then UTF-8, then detection; undecodable bytes become U+FFFD."""
    encoding, bom = read_bom(body)
    if encoding:
        return body[len(bom):].decode(encoding, errors="replace")
    return body.decode(_auto_detect(body) or "utf-8", errors="replace")
