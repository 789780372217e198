"""The `newsclean` command: clean page files and JSONL outside Scrapy, and explain what was removed.

    newsclean clean PATH... [-o OUT.jsonl]    pages in, one clean record per line out
    newsclean explain FILE                    one page, every removed line marked with its rule

`clean` writes the records the Scrapy pipeline writes (the item's fields, minus html/raw_text, plus
title, text, date, author, sitename, language), in input order, through the same worker pool.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import shutil
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from . import inputs
from .decode import as_kept, mend_surrogates
from .options import Options
from .page import Article, NotAnArticle
from .pool import CleanerPool, default_workers
from .rules import RULE_NAMES

PROG = "newsclean"
#: Pages in flight per worker: enough to keep every worker busy, few enough that memory stays flat.
IN_FLIGHT_PER_WORKER = 4
INPUT_FIELDS = ("html", "raw_text")


class UsageError(Exception):
    """Something on the command line or in the input that stops the run: one line, exit code 2."""


class Terminated(BaseException):
    """SIGTERM or SIGHUP, turned into an exception so the output is cleaned up as on Ctrl-C."""


# ---------------------------------------------------------------------------------------------------
# The command line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Clean news articles out of scraped pages (HTML or raw page text), outside Scrapy.",
        epilog="Run 'newsclean clean -h' or 'newsclean explain -h' for the options of each command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    cleaning = argparse.ArgumentParser(add_help=False)
    group = cleaning.add_argument_group("cleaning (the NEWSCLEAN_* settings of the Scrapy add-on)")
    group.add_argument("--languages", metavar="CODES", action="append", default=[],
                       help="keep only articles in these languages (ISO 639-1, comma-separated, e.g. en,de); "
                            "others are dropped as 'language'. Default: any")
    group.add_argument("--disable-rule", metavar="NAME", action="append", default=[], dest="disabled_rules",
                       help="do not run this rule ('caption.repeated') or family of rules ('caption'); "
                            "repeatable. Rules: " + ", ".join(RULE_NAMES))
    group.add_argument("--min-length", metavar="N", type=_non_negative, default=Options.min_length,
                       help="fewest characters of body text an article must keep; shorter ones are dropped "
                            f"as 'too_short'. Default: {Options.min_length}")

    clean = commands.add_parser(
        "clean", parents=[cleaning], formatter_class=argparse.RawDescriptionHelpFormatter,
        help="clean pages into a JSONL file of articles",
        description="Clean pages into JSONL, one article per line, in input order.",
        epilog="""inputs:
  page.html, page.htm   a page's HTML; the record's url is the file's file:// URI
  page.txt              a page's raw text, as scraped
  FOLDER                its .html, .htm and .txt files, recursively (hidden ones skipped)
  data.jsonl            one item per line with "url" and "html" and/or "raw_text"; the record keeps
                        the item's other fields (.jl and .ndjson too)
  -                     JSONL on stdin
  A named file with another suffix is read as what it starts with: '{' JSONL, '<' HTML, else text.

A page that cannot become an article is dropped and counted by reason in the closing summary on
stderr (-v names each one); pages that could not be read count as 'unreadable', lines that are not
JSON objects as 'bad_json'. OUT is written to a temporary file beside it (.OUT.tmp-PID) and put in
place at the end, so an interrupted run leaves any earlier OUT as it was.

examples:
  newsclean clean samples -o clean.jsonl
  newsclean clean crawl.jsonl --languages en,de --workers 8 -o articles.jsonl
  zcat pages.jsonl.gz | newsclean clean - --explain | jq -r .title
  newsclean clean page.html --disable-rule boundary -o -""")
    clean.add_argument("paths", nargs="+", metavar="PATH", help="page files, folders of them, JSONL files, or -")
    clean.add_argument("-o", "--output", metavar="OUT", default="-",
                       help="the JSONL file to write; - for stdout (the default)")
    clean.add_argument("--workers", metavar="N", type=_non_negative, default=default_workers(),
                       help="worker processes that clean pages; 0 cleans inline, in this process "
                            "(for debugging). Default: the number of CPUs it may use (%(default)s)")
    clean.add_argument("--explain", action="store_true",
                       help="add 'removed' to each record: every removed line and the rule that removed it")
    clean.add_argument("--keep-input", action="store_true",
                       help="keep the html/raw_text fields on the records (for files: the file's content)")
    clean.add_argument("-v", "--verbose", action="store_true",
                       help="name every dropped page and why, on stderr")
    clean.add_argument("-q", "--quiet", action="store_true",
                       help="no progress bar and no summary; only errors")
    clean.set_defaults(run=run_clean)

    explain = commands.add_parser(
        "explain", parents=[cleaning], formatter_class=argparse.RawDescriptionHelpFormatter,
        help="show what cleaning removes from one page, and why",
        description="Show one page as it came, every removed line marked with the rule that removed it,\n"
                    "then the record 'clean' writes for it.",
        epilog="""output:
  + text             a line (raw text) or block (HTML) that stays in the article
  - [rule] text      one that was removed, and the rule that removed it
  Colours on a terminal: kept lines green, removed ones dim red. Then the record, as JSON.

examples:
  newsclean explain samples/004_e0df5a808a47a71b.txt
  newsclean explain page.php --html --disable-rule boundary
  newsclean explain crawl.jsonl --line 17 | less -R""")
    explain.add_argument("file", metavar="FILE", help="a page file (.html, .htm, .txt), a JSONL file, or - for stdin")
    forced = explain.add_mutually_exclusive_group()
    forced.add_argument("--html", dest="kind", action="store_const", const=inputs.HTML,
                        help="FILE is the page's HTML, whatever its name (read as the pipeline reads the html field)")
    forced.add_argument("--text", dest="kind", action="store_const", const=inputs.TEXT,
                        help="FILE is raw page text, whatever its name (read as the pipeline reads raw_text)")
    explain.add_argument("--line", metavar="N", type=_positive,
                         help="for JSONL: the line to explain (default: the first record)")
    explain.add_argument("-n", "--number", action="store_true",
                         help="show each line's number in the raw text (or each block's place in the HTML)")
    explain.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                         help="colour the output: auto (on a terminal, unless NO_COLOR is set), always, never")
    explain.add_argument("--no-color", dest="color", action="store_const", const="never",
                         help="plain output, same as --color=never")
    explain.set_defaults(run=run_explain)
    return parser


def main(argv: list[str] | None = None) -> int:
    """The console script: parse the command line, run the command, return the exit code."""
    if sys.stderr is None:  # started without one (2>&-): nowhere to report to, so report nowhere
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    args = build_parser().parse_args(argv)
    _log_to_stderr()
    try:
        _check_streams(args)
        return args.run(args)
    except (UsageError, inputs.InputError) as exc:
        _error(str(exc))
        return 2
    except KeyboardInterrupt:
        _error("interrupted", label="")
        return 130
    except Terminated:
        _error("terminated", label="")
        return 143
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _check_streams(args: argparse.Namespace) -> None:
    """Python sets a standard stream the process was started without (<&-, >&-) to None."""
    reads_stdin = inputs.STDIN in getattr(args, "paths", ()) or getattr(args, "file", None) == inputs.STDIN
    if sys.stdin is None and reads_stdin:
        raise UsageError("stdin is closed: there is nothing to read from -")
    if sys.stdout is None and getattr(args, "output", inputs.STDIN) == inputs.STDIN:
        raise UsageError("stdout is closed: write the output to a file with -o FILE")


def _log_to_stderr() -> None:
    """newsclean's warnings (a worker that died, …) as `newsclean: …` lines, clear of the progress bar."""
    logger = logging.getLogger("newsclean")
    if not any(isinstance(h, _TqdmHandler) for h in logger.handlers):
        handler = _TqdmHandler(logging.WARNING)
        handler.setFormatter(logging.Formatter(f"{PROG}: %(message)s"))
        logger.addHandler(handler)


class _TqdmHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        from tqdm import tqdm

        try:
            tqdm.write(self.format(record), file=sys.stderr)
        except Exception:  # noqa: BLE001 - logging must never stop the run
            self.handleError(record)


def _options(args: argparse.Namespace) -> Options:
    try:
        return Options.from_user(args.languages, args.disabled_rules, args.min_length)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _non_negative(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


def _positive(value: str) -> int:
    number = _non_negative(value)
    if number == 0:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsclean")
    except PackageNotFoundError:
        return "(not installed)"


def _error(message: str, label: str = "error: ") -> None:
    print(f"{PROG}: {label}{message}", file=sys.stderr, flush=True)


def record(item: dict, article: Article, explain: bool = False, keep_input: bool = False) -> dict:
    """The record the Scrapy pipeline makes of an item: its fields, the article's fields set on it (in
    place where the item had them, else appended), and html/raw_text removed unless kept."""
    out = dict(item)
    out.update(article.record(explain=explain))
    for name in INPUT_FIELDS:
        if name not in out:
            continue
        if not keep_input:
            del out[name]
        else:  # as the feed can write it (an HTML file's bytes as text)
            out[name] = as_kept(out[name], name)
    return out


# ---------------------------------------------------------------------------------------------------
# newsclean clean


def run_clean(args: argparse.Namespace) -> int:
    options = _options(args)
    sources = inputs.expand(args.paths)
    for path in args.paths:
        if os.path.isdir(path) and not any(s.path.startswith(os.path.join(path, "")) for s in sources):
            _error(f"no .html, .htm or .txt files in {path}", label="warning: ")
    if inputs.STDIN in args.paths and sys.stdin.isatty() and not args.quiet:
        _error("reading JSONL from stdin (end it with Ctrl-D)", label="")
    show_progress = not args.quiet and sys.stderr.isatty()
    started = time.monotonic()
    output = Output(args.output)
    pool = CleanerPool(args.workers, options, removed=args.explain)
    interrupted = True
    try:
        with _signals_as_exceptions(), output:
            stats = _clean_all(sources, pool, args, output, show_progress)
            output.commit()
        interrupted = False
    finally:
        # After an interrupt the output is gone already (the with block above): only then wait for
        # the pages the workers are on.
        _shutdown(pool, interrupted)
    if not args.quiet:
        _error(_summary(stats, output.name, time.monotonic() - started), label="")
    return 0


def _clean_all(sources: list[inputs.Source], pool: CleanerPool, args: argparse.Namespace, out: Output,
               show_progress: bool) -> Counter:
    """Clean every page and write its record, in input order, with a bounded number of pages in flight."""
    stats: Counter = Counter()
    bar = _progress(inputs.count(sources) if show_progress else None, show_progress)
    try:
        window: deque[tuple[inputs.Entry, Future]] = deque()
        limit = max(1, IN_FLIGHT_PER_WORKER * args.workers)
        for entry in inputs.read(sources):
            stats["read"] += 1
            # Start the workers with Ctrl-C ignored: the terminal sends it to them too, and they should
            # not each print a traceback; a process started with SIGINT ignored keeps it ignored, and so
            # do the workers a forkserver forks. This process handles Ctrl-C and shuts them down.
            with _sigint_ignored(stats["read"] <= max(1, args.workers)):
                window.append((entry, _submit(pool, entry)))
            while len(window) >= limit:
                _write(*window.popleft(), out, args, stats, bar)
        while window:
            _write(*window.popleft(), out, args, stats, bar)
    finally:
        bar.close()
    return stats


def _shutdown(pool: CleanerPool, interrupted: bool) -> None:
    """Stop the workers: pages queued are cancelled, the workers finish the page they are on."""
    try:
        pool.shutdown()
    except (KeyboardInterrupt, Terminated):
        if not interrupted:
            raise
        # a second Ctrl-C while the workers finish: stop waiting for them


def _submit(pool: CleanerPool, entry: inputs.Entry) -> Future:
    if entry.problem is None:
        return pool.submit(entry.page)
    failed: Future = Future()
    failed.set_exception(entry.problem)
    return failed


def _write(entry: inputs.Entry, future: Future, out: Output, args: argparse.Namespace, stats: Counter,
           bar) -> None:
    try:
        article = future.result()
    except NotAnArticle as exc:
        stats[f"dropped/{exc.reason}"] += 1
        if args.verbose:
            bar.write(f"{PROG}: dropped {entry.where}: {exc.reason}: {exc.message}", file=sys.stderr)
        bar.set_postfix_str(f"{_dropped(stats)} dropped", refresh=False)
    else:
        out.write(json.dumps(record(entry.item, article, args.explain, args.keep_input), ensure_ascii=False))
        stats["written"] += 1
    bar.update(1)


def _dropped(stats: Counter) -> int:
    return sum(n for key, n in stats.items() if key.startswith("dropped/"))


def _summary(stats: Counter, output: str, seconds: float) -> str:
    pages = stats["read"]
    written = stats["written"]
    line = (f"{pages} page{'s' * (pages != 1)} read, "
            f"{written} article{'s' * (written != 1)} written to {output}")
    dropped = _dropped(stats)
    if dropped:
        reasons = sorted(((key.split("/", 1)[1], n) for key, n in stats.items() if key.startswith("dropped/")),
                         key=lambda pair: (-pair[1], pair[0]))
        line += f", {dropped} dropped (" + ", ".join(f"{n} {reason}" for reason, n in reasons) + ")"
    return f"{line} in {seconds:.1f} s"


def _progress(total: int | None, enabled: bool):
    if not enabled:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, unit="page", desc="cleaning", file=sys.stderr, dynamic_ncols=True, leave=False,
                smoothing=0.1)


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, text: str, refresh: bool = True) -> None:
        pass

    def write(self, text: str, file: TextIO = sys.stderr) -> None:
        print(text, file=file, flush=True)

    def close(self) -> None:
        pass


@contextmanager
def _sigint_ignored(ignore: bool = True) -> Iterator[None]:
    if not ignore:
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _signals_as_exceptions() -> Iterator[None]:
    """SIGTERM and SIGHUP (the terminal closed) stop the run the way Ctrl-C does: output cleaned up."""

    def terminate(signum, frame):
        raise Terminated()

    signums = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {signum: signal.signal(signum, terminate) for signum in signums}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Output:
    """Lines to stdout, or to a file that appears whole or not at all: the lines go to a temporary file
    beside it (`.NAME.tmp-PID`, so a killed run's leftover is recognisable), which `commit()` renames
    over it, with the old file's permissions (and through a symbolic link, over the file it names).
    Leaving the block without a commit (an error, Ctrl-C) removes the temporary file."""

    def __init__(self, path: str):
        self.path = path
        self.name = "stdout" if path == "-" else path
        self._temp: Path | None = None
        self._file = None
        if path == "-":
            return
        target = Path(os.path.realpath(path))
        if target.is_dir():
            raise UsageError(f"the output is a folder: {path}")
        if not target.parent.is_dir():
            raise UsageError(f"no such folder for the output: {target.parent}")
        self._target = target
        self._temp = target.parent / f".{target.name}.tmp-{os.getpid()}"

    def __enter__(self) -> Output:
        if self._temp is None:
            self._file = sys.stdout.buffer
        else:
            try:
                self._file = open(self._temp, "xb")  # noqa: SIM115 - closed in commit() or __exit__
            except OSError as exc:
                raise UsageError(f"cannot write the output beside {self.path}: {exc.strerror or exc}") from None
        return self

    def write(self, line: str) -> None:
        # An item's own fields may hold lone surrogates (a JSON "\\udc80"), which UTF-8 cannot encode.
        self._file.write(mend_surrogates(line).encode("utf-8") + b"\n")

    def commit(self) -> None:
        self._file.flush()
        if self._temp is not None:
            os.fsync(self._file.fileno())
            self._file.close()
            if self._target.exists():
                shutil.copymode(self._target, self._temp)
            os.replace(self._temp, self._target)
            self._temp = None

    def __exit__(self, *exc_info) -> None:
        if self._temp is not None:  # not committed
            self._file.close()
            self._temp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------
# newsclean explain

_SOURCES = {
    "text": "raw text",
    "html": "HTML (the article trafilatura found in it)",
    "html-text": "the HTML's visible text (trafilatura found no article in it, or none that kept a sentence)",
}


def run_explain(args: argparse.Namespace) -> int:
    from .clean import article_from_doc, clean_doc  # here: the other commands clean in workers

    options = _options(args)
    entry = _explain_entry(args)
    style = _Style(_use_color(args.color))
    lines = [style.comment(f"# {entry.where}")]
    if entry.problem is not None:
        lines.append(style.removed_rule(f"→ not an article ({entry.problem.reason}): {entry.problem.message}"))
        print("\n".join(lines))
        return 0
    try:
        doc = clean_doc(entry.page, options)
    except NotAnArticle as exc:
        lines.append(style.removed_rule(f"→ not an article ({exc.reason}): {exc.message}"))
        print("\n".join(lines))
        return 0
    removed = sum(not b.kept for b in doc.blocks)
    unit = "lines" if doc.source != "html" else "blocks"
    lines.append(style.comment(f"# read as {_SOURCES.get(doc.source, doc.source)}: {len(doc.blocks)} {unit}, "
                               f"{len(doc.blocks) - removed} kept, {removed} removed"))
    width = len(str(max((b.line for b in doc.blocks), default=0)))
    for block in doc.blocks:
        number = style.comment(f"{block.line:>{width}} ") if args.number else ""
        if block.kept:
            lines.append(f"{number}{style.kept_mark('+')} {block.text}")
        else:
            lines.append(f"{number}{style.removed_rule(f'- [{block.removed_by}]')} {style.removed_text(block.text)}")
    if doc.trims:
        lines.append(style.comment("# cut out of lines that stay:"))
        pad = " " * (width + 1) if args.number else ""
        for trim in doc.trims:
            lines.append(f"{pad}{style.removed_rule(f'- [{trim.rule}]')} {style.removed_text(trim.text)}")
    lines.append("")
    try:
        article = article_from_doc(doc, options)
    except NotAnArticle as exc:
        lines.append(style.removed_rule(f"→ not an article ({exc.reason}): {exc.message}"))
    else:
        lines.append(json.dumps(record(entry.item, article), ensure_ascii=False, indent=2))
    print("\n".join(lines))
    return 0


def _explain_entry(args: argparse.Namespace) -> inputs.Entry:
    """The one page to explain, read as --html/--text say, else by its suffix, else by its first bytes."""
    path = args.file
    if path != inputs.STDIN and not os.path.exists(path):
        raise UsageError(f"no such file: {path}")
    if os.path.isdir(path):
        raise UsageError(f"{path} is a folder: explain takes one page (try: newsclean clean {path} --explain)")
    try:
        data = sys.stdin.buffer.read() if path == inputs.STDIN else Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    kind = args.kind or (inputs.kind_of(path) if path != inputs.STDIN else None) or inputs.sniff(data[:512])
    if kind != inputs.JSONL:
        if args.line:
            raise UsageError(f"--line is for JSONL input; {path} is read as {kind}")
        return inputs.file_entry(path, data, kind)
    name = "<stdin>" if path == inputs.STDIN else path
    records = [(n, line) for n, line in enumerate(data.splitlines(), start=1) if line.strip()]
    if not records:
        raise UsageError(f"{name} holds no JSONL records")
    if args.line:
        chosen = [(n, line) for n, line in records if n == args.line]
        if not chosen:
            raise UsageError(f"{name} has no record on line {args.line} "
                             f"(records are on lines {records[0][0]}-{records[-1][0]})")
        number, line = chosen[0]
    else:
        number, line = records[0]
        if len(records) > 1:
            _error(f"explaining line {number} of {name}, which holds {len(records)} records "
                   "(choose one with --line N)", label="")
    entry = inputs.jsonl_entry(line, f"{name}:{number}")
    if entry.problem is not None and entry.problem.reason == "bad_json":
        raise UsageError(f"{entry.where}: {entry.problem.message}")
    return entry


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


class _Style:
    RESET, BOLD, DIM, RED, GREEN, GREY = "\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[90m"

    def __init__(self, color: bool):
        self.color = color

    def _paint(self, text: str, *codes: str) -> str:
        return f"{''.join(codes)}{text}{self.RESET}" if self.color else text

    def comment(self, text: str) -> str:
        return self._paint(text, self.GREY)

    def kept_mark(self, text: str) -> str:
        return self._paint(text, self.BOLD, self.GREEN)

    def removed_rule(self, text: str) -> str:
        return self._paint(text, self.RED)

    def removed_text(self, text: str) -> str:
        return self._paint(text, self.DIM, self.RED)


if __name__ == "__main__":
    sys.exit(main())
