"""The `newsclean` command's inputs: page files, folders of them and JSONL, read into pages to clean.

Every input becomes a stream of `Entry`s in input order: one per page file, one per non-blank JSONL
line. An entry carries the item the page came in (the fields the output record keeps) and the Page to
clean, or, when it cannot become a page (a file that cannot be read, a line that is not a JSON object),
the NotAnArticle that says why, so that every input is either written or counted as dropped.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .decode import as_url, decode_text
from .page import NotAnArticle, Page, page_from_fields

HTML = "html"
TEXT = "text"
JSONL = "jsonl"

#: How a file is read, by its suffix. Files with other suffixes are read as what they look like when
#: named on the command line, and skipped inside folders.
SUFFIXES = {".html": HTML, ".htm": HTML, ".txt": TEXT, ".jsonl": JSONL, ".jl": JSONL, ".ndjson": JSONL}
#: What a folder contributes: its page files (JSONL inside folders is left alone, so an output written
#: into the folder being cleaned is not read back on the next run).
FOLDER_KINDS = {HTML, TEXT}

STDIN = "-"


class InputError(Exception):
    """A path on the command line that does not exist or cannot be read: the run cannot start."""


@dataclass(frozen=True)
class Source:
    """One input to read: a file (or stdin) and how to read it; `problem` when it cannot be read."""

    path: str
    kind: str | None  # HTML, TEXT, JSONL, or None: decide by looking at the first bytes
    problem: str | None = None


@dataclass
class Entry:
    """One page to clean, with the item it came in; or why the input could not become a page."""

    where: str  # for messages: the file, or file:line for JSONL
    item: dict
    page: Page | None = None
    problem: NotAnArticle | None = None


def kind_of(path: str) -> str | None:
    return SUFFIXES.get(Path(path).suffix.lower())


def sniff(head: bytes) -> str:
    """How to read data of unknown type, from its first bytes: JSONL, HTML or raw text."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return JSONL if start == b"{" else HTML if start == b"<" else TEXT


def expand(paths: Iterable[str]) -> list[Source]:
    """The sources the command-line paths name, in order: files as given, folders walked (sorted,
    recursively, hidden entries skipped) for their .html, .htm and .txt files, `-` for stdin.
    Raises InputError for a path that does not exist or cannot be read."""
    sources: list[Source] = []
    for path in paths:
        if path == STDIN:
            if any(s.path == STDIN for s in sources):
                raise InputError("- (stdin) can be read only once")
            sources.append(Source(STDIN, JSONL))
        elif os.path.isdir(path):
            if not os.access(path, os.R_OK | os.X_OK):
                raise InputError(f"cannot read folder: {path} (permission denied)")
            sources.extend(_walk(path))
        elif os.path.exists(path):
            if not os.access(path, os.R_OK):
                raise InputError(f"cannot read file: {path} (permission denied)")
            sources.append(Source(path, kind_of(path)))
        else:
            raise InputError(f"no such file: {path}")
    return sources


def _walk(folder: str) -> list[Source]:
    found: list[tuple[tuple[str, ...], Source]] = []

    def unreadable(error: OSError) -> None:
        where = error.filename or folder
        found.append((Path(os.path.relpath(where, folder)).parts, Source(where, None, _reason(error))))

    for top, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            kind = kind_of(name)
            if kind in FOLDER_KINDS and not name.startswith("."):
                path = os.path.join(top, name)
                found.append((Path(os.path.relpath(path, folder)).parts, Source(path, kind)))
    return [source for _, source in sorted(found, key=lambda pair: pair[0])]


def count(sources: list[Source]) -> int | None:
    """How many entries the sources will give (for a progress bar), or None when that cannot be known
    without reading them (stdin, pipes). JSONL lines are counted, blank ones too: a close estimate."""
    total = 0
    for source in sources:
        kind = source.kind
        if source.problem is not None:
            total += 1
            continue
        if source.path == STDIN or not os.path.isfile(source.path):
            return None
        if kind is None:
            try:
                with open(source.path, "rb") as f:
                    kind = sniff(f.read(512))
            except OSError:
                kind = TEXT
        total += _count_lines(source.path) if kind == JSONL else 1
    return total


def _count_lines(path: str) -> int:
    lines, last = 0, b"\n"
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 1
    return lines + (last != b"\n")


def read(sources: Iterable[Source]) -> Iterator[Entry]:
    """Every page of every source, in order; a source that cannot be read gives one dropped entry."""
    for source in sources:
        if source.problem is not None:
            yield _dropped(source.path, {}, "unreadable", source.problem)
        elif source.path == STDIN:
            yield from read_jsonl(sys.stdin.buffer, "<stdin>")
        else:
            yield from _read_file(source)


def _read_file(source: Source) -> Iterator[Entry]:
    path = source.path
    try:
        with open(path, "rb") as f:
            kind = source.kind
            if kind is None:
                kind = sniff(f.peek(512)[:512])  # peek: a pipe (<(cmd)) cannot be read twice
            if kind == JSONL:
                yield from read_jsonl(f, path)
                return
            data = f.read()
    except OSError as exc:
        yield _dropped(path, {}, "unreadable", _reason(exc))
        return
    yield file_entry(path, data, kind)


def file_entry(path: str, data: bytes, kind: str) -> Entry:
    """A page file as the item the samples spider would make of it: {"url": file URI, "html" | "raw_text"}.
    HTML stays bytes (decoded the way Scrapy decodes a response); raw text is decoded now."""
    url = Path(path).resolve().as_uri() if path != STDIN else ""
    item: dict = {"url": url}
    if kind == HTML:
        item["html"] = data
    else:
        item["raw_text"] = decode_text(data)
    return item_entry(path, item)


def read_jsonl(stream: BinaryIO, name: str) -> Iterator[Entry]:
    """An entry per non-blank line; a line that is not a JSON object is dropped as `bad_json`."""
    number = 0
    try:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield jsonl_entry(line, f"{name}:{number}")
    except OSError as exc:
        yield _dropped(f"{name}:{number + 1}", {}, "unreadable", _reason(exc))


def jsonl_entry(line: bytes | str, where: str) -> Entry:
    try:
        item = json.loads(line)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return _dropped(where, {}, "bad_json", f"not valid JSON: {exc}")
    if not isinstance(item, dict):
        return _dropped(where, {}, "bad_json", f"a JSON {type(item).__name__}, not an object")
    return item_entry(where, item)


def item_entry(where: str, item: dict) -> Entry:
    """The page an item carries, read from its fields exactly as the Scrapy pipeline reads them."""
    try:
        page = page_from_fields(as_url(item.get("url")), item.get("html"), item.get("raw_text"))
    except NotAnArticle as exc:
        return Entry(where, item, problem=exc)
    return Entry(where, item, page=page)


def _dropped(where: str, item: dict, reason: str, message: str) -> Entry:
    return Entry(where, item, problem=NotAnArticle(reason, message))


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
