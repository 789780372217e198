"""Bytes to text the way Scrapy decodes a response: BOM, then a declared charset, then detection; and
the input step every page's html and raw_text go through before anything reads them (`read_input`)."""

from __future__ import annotations

import codecs
import re

import charset_normalizer
from w3lib.encoding import html_to_unicode, read_bom, resolve_encoding

from .page import NotAnArticle


# A Western European text read as cp1252 has accented letters here and there in its words ("décision",
# "Größe"); a Cyrillic, Greek, Arabic or CJK one read so has words of nothing but ("Ãîðîäñêîé"). Past this
# share of such words among those with an accented letter, cp1252 is the wrong guess. Counted in words,
# not letters, so that the ASCII of an HTML page's tags and scripts does not hide it.
_MAX_FOREIGN_WORDS = 0.5
_MIN_FOREIGN_WORDS = 3
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_SAMPLE_CHARS = 100_000
_NON_ASCII_RE = re.compile(rb"[\x80-\xff]")


def _auto_detect(body: bytes) -> str | None:
    """UTF-8 when the bytes read as UTF-8 (Scrapy's first guess too). Otherwise cp1252, Scrapy's second
    guess, unless it reads them as words of accented letters: then a legacy charset of another script
    (cp1251, koi8-r, GBK, Shift_JIS...), which charset_normalizer tells. It is not asked first: it takes
    Spanish or Finnish in cp1252 for cp1250 or hp_roman8."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeError:
        pass
    # Read from the first byte past ASCII (a page's text may follow 100 kB of script), as cp1252; a stray
    # byte cp1252 leaves undefined (0x81, 0x8D...) is no reason to doubt it: read as U+FFFD.
    first = _NON_ASCII_RE.search(body)
    start = first.start() if first else 0
    sample = body[start:start + _SAMPLE_CHARS]
    if not _foreign(sample.decode("cp1252", errors="replace")):
        return resolve_encoding("cp1252")
    best = charset_normalizer.from_bytes(sample).best()  # what it reads of the text, not of the markup
    return best.encoding if best is not None else resolve_encoding("cp1252")


def _foreign(text: str) -> bool:
    """Most of the words with a non-ASCII letter are mostly non-ASCII letters, and there are a few of them
    ("Cet été." alone says nothing)."""
    words = [word for word in _WORD_RE.findall(text) if not word.isascii()]
    foreign = sum(2 * sum(not ch.isascii() for ch in word) > len(word) for word in words)
    return foreign >= _MIN_FOREIGN_WORDS and foreign > _MAX_FOREIGN_WORDS * len(words)


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """HTML bytes as text: BOM, then the Content-Type header, then <meta charset>, then detection."""
    _, text = html_to_unicode(content_type, body, auto_detect_fun=_auto_detect)
    return text


def decode_text(body: bytes) -> str:
    """Raw page text as bytes: BOM, then UTF-8, then detection (`_auto_detect`); undecodable bytes
    become U+FFFD."""
    encoding, bom = read_bom(body)
    if encoding:
        return body[len(bom):].decode(encoding, errors="replace")
    return body.decode(_auto_detect(body) or "utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------------
# The input step: every html and raw_text goes through `read_input` once, before anything reads it.

#: The most characters of html or raw_text newsclean reads; a longer one is dropped as "too_large".
#: Well past any news page (a heavy one is 1-3 MB of HTML), and about where libxml2 (under lxml and
#: trafilatura) stops reading: it silently cuts a text node at 10 MB. Below it, cleaning time can
#: still grow faster than the page (trafilatura on 4.5 MB of short paragraphs: 15 s here), and
#: NEWSCLEAN_TIMEOUT bounds that.
MAX_PAGE_CHARS = 10_000_000

# Share of the text, past which it is binary data, not text: control characters (not NUL, which
# UTF-16 read as UTF-8 is full of, nor white space); or undecodable bytes and lone surrogates (U+FFFD).
# Random bytes are about 10 % control characters and, as UTF-8, about 50 % U+FFFD; real text, even
# decoded with the wrong charset, has next to no control characters, and in the worst case (a page
# in a Central European charset read as UTF-8) one U+FFFD in ten characters.
_MAX_CONTROL_SHARE = 0.05
_MAX_UNDECODABLE_SHARE = 0.25
_MIN_BINARY_CHARS = 8  # a handful of stray characters in a short text is no reason to call it binary
_CONTROL_CHARS = "\x01-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f"
_CONTROL_RE = re.compile(f"[{_CONTROL_CHARS}]")

# Taken out: C0 and C1 control characters but tab, CR and the line breaks; BOMs (U+FEFF) and the
# noncharacters U+FFFE, U+FFFF. Made "\n": the other characters Python splits lines at (vertical tab,
# form feed, file/group/record separators, NEL, line and paragraph separators), so that a line of the
# input is a line of the output, whoever splits it.
_STRIP_CHARS = "\x00-\x08\x0e-\x1b\x1f\x7f\x80-\x84\x86-\x9f\ufeff\ufffe\uffff"
_STRIP_RE = re.compile(f"[{_STRIP_CHARS}]+")
_BREAK_CHARS = "\x0b\x0c\x1c-\x1e\x85\u2028\u2029"
_BREAK_RE = re.compile(f"[{_BREAK_CHARS}]")
_SURROGATES = "\ud800-\udfff"
_SURROGATE_RE = re.compile(f"[{_SURROGATES}]")
# Every character the steps after the mojibake repair look for. Most texts hold none: one scan
# (a few ms for a large page) spares them the five the steps take.
_UNUSUAL_RE = re.compile(f"[{_CONTROL_CHARS}{_STRIP_CHARS}{_BREAK_CHARS}{_SURROGATES}\ufffd]")

# Mojibake: UTF-8 read as cp1252 (or latin-1) turns every non-ASCII character into a lead character
# (Â..ô for bytes C2..F4) followed by characters standing for continuation bytes (80..BF).
_CONTINUATIONS = "".join(sorted({chr(b) for b in range(0x80, 0xC0)}
                                | {bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xC0)} - {""}))
_MOJIBAKE_RE = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATIONS)}]")

# A numeric character reference: "&#8217;", "&#x1b;" (the semicolon is optional in HTML).
_REFERENCE_RE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")

# Markup: tags, comments and doctypes, to tell HTML from text.
_TAG_RE = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<![^<>]*>")
#: Share of raw text in tags past which it is HTML, not the page's text.
MARKUP_SHARE = 0.3
# An HTML document's start, perhaps after an XML declaration and comments (a CMS's signature).
_HTML_START_RE = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                            re.IGNORECASE | re.DOTALL)


def _c1_as_bytes(error: UnicodeError) -> tuple[bytes, int]:
    # Encoding back to the bytes a latin-1 reading came from: C1 characters are those bytes.
    chunk = error.object[error.start:error.end]
    if isinstance(error, UnicodeEncodeError) and all("\x80" <= ch <= "\x9f" for ch in chunk):
        return chunk.encode("latin-1"), error.end
    raise error


codecs.register_error("newsclean.c1", _c1_as_bytes)


def read_input(value: str | bytes, field: str) -> str | None:
    """One input field (`field` is "html" or "raw_text", for messages) as text fit to clean, or None
    when there is nothing in it. Bytes are decoded (`decode_html`, `decode_text`); then

    - more than MAX_PAGE_CHARS characters: NotAnArticle("too_large");
    - mojibake (UTF-8 read as cp1252 or latin-1) is read again, a line at a time, where it reads whole;
    - lone surrogates (which UTF-8 cannot write) become U+FFFD; pairs of them, the character they make;
    - binary data, not text: NotAnArticle("binary");
    - control characters and NULs are taken out, other line separators made "\\n".
    """
    if isinstance(value, bytes):
        if len(value) > 4 * MAX_PAGE_CHARS:  # more than the most characters it could decode to: don't decode it
            raise _too_large(field, len(value), "bytes")
        value = decode_html(value) if field == "html" else decode_text(value)
    if len(value) > MAX_PAGE_CHARS:
        raise _too_large(field, len(value), "characters")
    text = _fix_mojibake(value)
    if _UNUSUAL_RE.search(text):
        text = mend_surrogates(text)
        _check_text(text, field)
        if _STRIP_RE.search(text):
            text = _STRIP_RE.sub("", text)
        if _BREAK_RE.search(text):
            text = _BREAK_RE.sub("\n", text)
    return text if text.strip() else None


def drop_unreadable_references(html: str) -> str:
    """HTML without its numeric character references to what XML cannot hold (C0 controls but tab
    and line breaks, surrogates, U+FFFE and U+FFFF, past U+10FFFF): lxml puts them in the tree
    ("&#1;"), where trafilatura and html_text then fail on the page."""
    return _REFERENCE_RE.sub(_readable_reference, html) if "&#" in html else html


def _readable_reference(match: re.Match) -> str:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    return match[0] if _xml_char(code) else ""


def _xml_char(code: int) -> bool:
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def as_kept(value: object, field: str) -> object:
    """An input field kept on a cleaned item (`field` is "html" or "raw_text") as a feed can write it:
    bytes decoded as `read_input` decodes them, lone surrogates as U+FFFD; other values as they are."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = decode_html(bytes(value)) if field == "html" else decode_text(bytes(value))
    return mend_surrogates(value) if isinstance(value, str) else value


def as_url(value: object) -> object:
    """A url field as text a feed can write: bytes decoded as UTF-8 (what is not, as U+FFFD), lone
    surrogates as U+FFFD; other values as they are."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("utf-8", "replace")
    return mend_surrogates(value) if isinstance(value, str) else value


def mend_surrogates(text: str) -> str:
    """Surrogate pairs as the character they make, lone surrogates as U+FFFD: text UTF-8 can write."""
    if not _SURROGATE_RE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def is_markup(text: str) -> bool:
    """Raw text that is really a page's HTML: it opens like an HTML document, or is mostly tags."""
    if _HTML_START_RE.match(text):
        return True
    return sum(len(tag) for tag in _TAG_RE.findall(text)) >= MARKUP_SHARE * len(text.strip())


def has_markup(text: str) -> bool:
    """HTML with at least one tag; without any, it is plain text sent as HTML."""
    return _TAG_RE.search(text) is not None


def _too_large(field: str, size: int, unit: str) -> NotAnArticle:
    return NotAnArticle("too_large", f"{field} is {size:,} {unit} long, more than the {MAX_PAGE_CHARS:,} "
                                     f"characters newsclean reads")


def _check_text(text: str, field: str) -> None:
    size = len(text)
    controls = size - len(_CONTROL_RE.sub("", text)) if _CONTROL_RE.search(text) else 0
    undecodable = text.count("\ufffd")
    too_many_controls = controls >= _MIN_BINARY_CHARS and controls > _MAX_CONTROL_SHARE * size
    too_many_undecodable = undecodable >= _MIN_BINARY_CHARS and undecodable > _MAX_UNDECODABLE_SHARE * size
    if too_many_controls or too_many_undecodable:
        share = max(controls, undecodable) / size
        what = "control characters" if controls >= undecodable else "bytes that decode to no character"
        raise NotAnArticle("binary", f"{field} is binary data, not text: {share:.0%} of it is {what}")


def _fix_mojibake(text: str) -> str:
    if not _MOJIBAKE_RE.search(text):
        return text
    return "\n".join(_read_again(line) if _MOJIBAKE_RE.search(line) else line for line in text.split("\n"))


def _read_again(line: str) -> str:
    try:
        return line.encode("cp1252", errors="newsclean.c1").decode("utf-8")
    except UnicodeError:  # not all of it is mojibake: leave it as it is
        return line
