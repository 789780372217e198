"""The `newsclean` command, run as the installed console script (`pip install -e .` puts it next to
the interpreter): `clean` on files, folders, JSONL and stdin, its progress bar, summary and atomic
output; `explain` on raw text, HTML and JSONL."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import time
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from helpers import RAW_TEXT_SAMPLES, SAMPLE_FILES, SAMPLES, crawl_items, expected, mismatches
from scrapy.utils.defer import deferred_f_from_coro_f

from newsclean import Page, clean_page
from newsclean.cli import build_parser, main
from newsclean.rules import RULE_NAMES

NEWSCLEAN = Path(sys.executable).with_name("newsclean")
OUTPUT_FIELDS = ["title", "text", "date", "author", "sitename", "language"]
APPENDED = SAMPLES / "004_e0df5a808a47a71b.txt"  # an article with an unrelated story appended
GERMAN = SAMPLES / "102_html_wahl_kommune.html"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
MARKED = re.compile(r"^(?:\+ (?P<kept>.*)|- \[(?P<rule>[^\]]+)\] (?P<removed>.*))$")


def newsclean(*args, input: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(NEWSCLEAN), *map(str, args)], input=input, cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def on_terminal(*args, stream: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run with `stream` ("stdout" or "stderr") on a real terminal (a pty) and the other piped:
    the exit code, what the terminal showed, and what went down the pipe."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: slave}
    process = subprocess.Popen([str(NEWSCLEAN), *map(str, args)], stdin=subprocess.DEVNULL, cwd=cwd, **streams)
    os.close(slave)
    piped = process.stderr if stream == "stdout" else process.stdout
    shown = b""
    while True:  # read as it comes: a full terminal would block the command
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the command closed its end
            break
        if not data:
            break
        shown += data
    os.close(master)
    rest = piped.read()
    return process.wait(timeout=120), shown.decode("utf-8", errors="replace"), rest.decode("utf-8")


def jsonl(path: Path, items: list[dict | str]) -> Path:
    path.write_text("".join((i if isinstance(i, str) else json.dumps(i, ensure_ascii=False)) + "\n" for i in items),
                    encoding="utf-8")
    return path


def sample_item(sample: Path, **extra) -> dict:
    field = "raw_text" if sample.suffix == ".txt" else "html"
    return {"id": sample.stem, "url": sample.as_uri(), field: sample.read_text(encoding="utf-8"), **extra}


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def library_record(sample: Path) -> dict:
    """The record of a page file: its url, then the article's fields (as the pipeline makes of a
    samples-spider item)."""
    page = Page(url=sample.as_uri(), raw_text=sample.read_text(encoding="utf-8")) if sample.suffix == ".txt" \
        else Page(url=sample.as_uri(), html=sample.read_bytes())
    return {"url": sample.as_uri(), **clean_page(page).record()}


def marked_lines(stdout: str) -> list[re.Match]:
    return [m for m in map(MARKED.match, stdout.splitlines()) if m]


def explained_record(stdout: str) -> dict:
    return json.loads(stdout[stdout.index("\n{\n") + 1:])


def test_the_console_script_is_installed():
    assert NEWSCLEAN.exists(), f"no {NEWSCLEAN}: install the project first (pip install -e .)"
    [script] = entry_points(group="console_scripts", name="newsclean")
    assert script.value == "newsclean.cli:main"
    help_text = build_parser().format_help()
    assert "clean" in help_text and "explain" in help_text


# --- newsclean clean -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory):
    """`newsclean clean samples -o out.jsonl` with its default worker pool, stderr piped."""
    out = tmp_path_factory.mktemp("samples") / "out.jsonl"
    done = newsclean("clean", SAMPLES, "-o", out, cwd=out.parent)
    return done, out


def test_clean_writes_the_expected_record_of_every_sample_in_order(samples_run):
    done, out = samples_run
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    written = records(out.read_text(encoding="utf-8"))
    assert [r["url"] for r in written] == [p.as_uri() for p in SAMPLE_FILES]  # input order
    for sample, record in zip(SAMPLE_FILES, written):
        assert list(record) == ["url", *OUTPUT_FIELDS], sample.name
        assert mismatches(record, expected(sample)) == [], sample.name
        assert record["language"] == expected(sample)["language"]


def test_clean_writes_the_url_and_the_articles_fields_of_each_page_file(samples_run):
    _, out = samples_run
    assert records(out.read_text(encoding="utf-8")) == [library_record(p) for p in SAMPLE_FILES]
    assert "’" in out.read_text(encoding="utf-8")  # UTF-8, not \u escapes, as the add-on's feeds


@deferred_f_from_coro_f
async def test_clean_writes_the_records_a_crawl_writes_with_explain_and_kept_input():
    # The same items through `newsclean clean` and through a real crawl with the pipeline.
    items = [sample_item(p, meta={"crawl": 7}) for p in SAMPLE_FILES]
    done = newsclean("clean", "-", "--workers", "0", "--explain", "--keep-input",
                     input="".join(json.dumps(item) + "\n" for item in items))
    assert done.returncode == 0, done.stderr
    crawled = await crawl_items([dict(item) for item in items], NEWSCLEAN_EXPLAIN=True, NEWSCLEAN_KEEP_INPUT=True)
    assert len(crawled.items) == len(items)
    assert records(done.stdout) == sorted(crawled.items, key=lambda item: [i["id"] for i in items].index(item["id"]))


def test_clean_piped_shows_no_progress_bar_and_a_one_line_summary(samples_run):
    done, _ = samples_run
    assert re.fullmatch(r"newsclean: 8 pages read, 8 articles written to \S*out\.jsonl in [\d.]+ s\n", done.stderr)
    assert "\r" not in done.stderr and "page/s" not in done.stderr


def test_clean_shows_a_progress_bar_on_a_terminal(tmp_path):
    code, shown, _ = on_terminal("clean", SAMPLES, "-o", tmp_path / "out.jsonl", "--workers", "0",
                                 stream="stderr", cwd=tmp_path)
    assert code == 0, shown
    assert re.search(r"cleaning: +\d+%\|.*\| \d/8 \[", shown), shown  # tqdm's bar, counting pages
    assert "page/s" in shown
    assert "\r" in shown  # redrawn in place
    assert "8 pages read, 8 articles written" in shown
    assert len(records((tmp_path / "out.jsonl").read_text(encoding="utf-8"))) == 8


def test_clean_jsonl_keeps_item_fields_and_counts_bad_lines(tmp_path):
    lines = [sample_item(p, meta={"crawl": 7}) for p in SAMPLE_FILES]
    lines[3:3] = ["{not json", "", "[1, 2]", {"id": "blank", "url": "https://example.com/b", "raw_text": "  \n "}]
    source = jsonl(tmp_path / "in.jsonl", lines)
    done = newsclean("clean", source, "-o", tmp_path / "out.jsonl", "--workers", "0", "-v")
    assert done.returncode == 0, done.stderr
    written = records((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert [r["id"] for r in written] == [p.stem for p in SAMPLE_FILES]
    for sample, record in zip(SAMPLE_FILES, written):
        assert list(record) == ["id", "url", "meta", *OUTPUT_FIELDS]  # html/raw_text gone, the rest kept
        assert record["meta"] == {"crawl": 7}
        assert mismatches(record, expected(sample)) == [], sample.name
    stderr = done.stderr.splitlines()
    assert stderr[-1].startswith("newsclean: 11 pages read, 8 articles written to ")
    assert "3 dropped (2 bad_json, 1 no_input)" in stderr[-1]
    # -v names each dropped line, by its line number in the file
    assert [line.split(": ")[1:3] for line in stderr[:-1]] == [
        [f"dropped {source}:4", "bad_json"], [f"dropped {source}:6", "bad_json"], [f"dropped {source}:7", "no_input"]]


def test_clean_writes_an_item_whose_own_fields_hold_lone_surrogates(tmp_path):
    item = sample_item(RAW_TEXT_SAMPLES[0], meta={"note": "\udc80"})
    item["url"] += "?q=\ud800"
    source = jsonl(tmp_path / "in.jsonl", [json.dumps(item), sample_item(RAW_TEXT_SAMPLES[1])])  # as "\\udc80"
    done = newsclean("clean", source, "-o", tmp_path / "out.jsonl", "--workers", "0")
    assert done.returncode == 0, done.stderr
    first, second = records((tmp_path / "out.jsonl").read_bytes().decode("utf-8"))
    assert first["meta"] == {"note": "\ufffd"} and first["url"].endswith("?q=\ufffd")
    assert mismatches(second, expected(RAW_TEXT_SAMPLES[1])) == []


def test_clean_reads_jsonl_on_stdin_and_writes_stdout_with_explain_and_keep_input():
    items = [sample_item(p) for p in RAW_TEXT_SAMPLES]
    feed = "".join(json.dumps(item) + "\n" for item in items)
    done = newsclean("clean", "-", "--workers", "0", "--explain", "--keep-input", input=feed)  # -o - is the default
    assert done.returncode == 0, done.stderr
    written = records(done.stdout)
    assert [r["id"] for r in written] == [p.stem for p in RAW_TEXT_SAMPLES]
    for sample, item, record in zip(RAW_TEXT_SAMPLES, items, written):
        assert mismatches(record, expected(sample)) == [], sample.name
        assert list(record) == ["id", "url", "raw_text", *OUTPUT_FIELDS, "removed"]
        assert record["raw_text"] == item["raw_text"]
        assert record["removed"] and {r["rule"] for r in record["removed"]} <= set(RULE_NAMES)
    [appended] = [r for r in written if r["id"] == APPENDED.stem]
    assert "appended.story" in {r["rule"] for r in appended["removed"]}
    assert re.fullmatch(r"newsclean: 5 pages read, 5 articles written to stdout in [\d.]+ s\n", done.stderr)


def test_clean_disable_rule_and_languages(tmp_path):
    source = jsonl(tmp_path / "two.jsonl", [sample_item(APPENDED), sample_item(GERMAN)])
    done = newsclean("clean", source, "--workers", "0", "--disable-rule", "appended", "--languages", "en,fr")
    assert done.returncode == 0, done.stderr
    [record] = records(done.stdout)  # the German page is dropped
    assert record["id"] == APPENDED.stem
    assert "Türkiye is training and advising Syria's armed forces" in record["text"]  # the story stays
    assert "2 pages read, 1 article written to stdout, 1 dropped (1 language)" in done.stderr


def test_a_missing_path_is_one_line_and_exit_code_2(tmp_path):
    done = newsclean("clean", "/no/such/path", "-o", "x.jsonl", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "newsclean: error: no such file: /no/such/path\n"
    assert done.stdout == "" and list(tmp_path.iterdir()) == []



def in_shell(command: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, NEWSCLEAN=str(NEWSCLEAN), SAMPLES=str(SAMPLES)))


def test_a_closed_stdin_or_stdout_is_one_line_and_exit_code_2(tmp_path):
    for command, closed in (('"$NEWSCLEAN" clean - <&-', "stdin"), ('"$NEWSCLEAN" explain - <&-', "stdin"),
                            ('"$NEWSCLEAN" clean "$SAMPLES" >&-', "stdout")):
        done = in_shell(command, tmp_path)
        assert done.returncode == 2, (command, done.stderr)
        assert done.stderr.startswith(f"newsclean: error: {closed} is closed") and done.stderr.count("\n") == 1
    # With no stderr, a run still writes its output.
    done = in_shell('"$NEWSCLEAN" clean "$SAMPLES" -o out.jsonl 2>&-', tmp_path)
    assert done.returncode == 0 and len((tmp_path / "out.jsonl").read_text().splitlines()) == len(SAMPLE_FILES)


def test_the_output_replaces_the_file_a_link_names_and_keeps_its_permissions(tmp_path):
    (tmp_path / "real.jsonl").write_text("old\n")
    (tmp_path / "real.jsonl").chmod(0o640)
    (tmp_path / "link.jsonl").symlink_to("real.jsonl")
    done = newsclean("clean", RAW_TEXT_SAMPLES[0], "-o", tmp_path / "link.jsonl")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "link.jsonl").is_symlink()
    assert (tmp_path / "real.jsonl").stat().st_mode & 0o777 == 0o640
    [record] = records((tmp_path / "real.jsonl").read_text(encoding="utf-8"))
    assert mismatches(record, expected(RAW_TEXT_SAMPLES[0])) == []


def test_explain_a_missing_path_is_one_line_and_exit_code_2(capsys):
    assert main(["explain", "/no/such/path"]) == 2  # in-process: the same code, without the start-up
    assert capsys.readouterr() == ("", "newsclean: error: no such file: /no/such/path\n")


@pytest.fixture(scope="module")
def big_input(tmp_path_factory):
    """Every sample 200 times over (1,600 pages): a run long enough to interrupt."""
    items = [json.dumps(sample_item(p)) for p in SAMPLE_FILES]
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    path.write_text("\n".join(items * 200) + "\n", encoding="utf-8")
    return path


def start_and_stop(big_input: Path, out: Path, signum: int, workers: int) -> tuple[subprocess.Popen, Path]:
    """Start cleaning into `out`, send `signum` once records are being written, wait for the end."""
    process = subprocess.Popen([str(NEWSCLEAN), "clean", str(big_input), "-o", str(out), "--workers", str(workers)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # its own process group, to clean up after it
    temp = out.parent / f".{out.name}.tmp-{process.pid}"  # named to be recognised, should one stay
    try:
        deadline = time.monotonic() + 60
        while not (temp.exists() and temp.stat().st_size > 0):
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "no records written within 60 s"
            time.sleep(0.02)
        assert process.poll() is None  # still running: stopped mid-run
        process.send_signal(signum)
        process.wait(timeout=60)
    finally:
        try:  # a SIGKILLed process cannot stop its workers: end them, they are in its group
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return process, temp


def test_a_killed_run_leaves_no_output(tmp_path, big_input):
    out = tmp_path / "out.jsonl"
    process, temp = start_and_stop(big_input, out, signal.SIGKILL, workers=0)
    assert process.returncode == -signal.SIGKILL
    assert not out.exists()
    assert temp.exists()  # the only trace, recognisable by its name


@pytest.mark.parametrize("signum, workers", [(signal.SIGINT, 1), (signal.SIGTERM, 0)], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_run_keeps_the_old_output_and_removes_its_temp_file(tmp_path, big_input, signum, workers):
    out = tmp_path / "out.jsonl"
    out.write_text('{"old": true}\n', encoding="utf-8")
    process, temp = start_and_stop(big_input, out, signum, workers)
    assert process.returncode == 128 + signum
    # one line, even with pages queued in the worker pool
    assert process.stderr.read() == ("newsclean: interrupted\n" if signum == signal.SIGINT
                                     else "newsclean: terminated\n")
    assert out.read_text(encoding="utf-8") == '{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


# --- newsclean explain -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def explained():
    return newsclean("explain", APPENDED)


def test_explain_marks_the_appended_story_as_removed_by_its_rule(explained):
    assert explained.returncode == 0, explained.stderr
    removed = {(m["rule"], m["removed"]) for m in marked_lines(explained.stdout) if m["rule"]}
    story = [d["text"] for d in expected(APPENDED)["must_drop"] if d["category"] == "appended-story"]
    assert story
    for line in story:
        assert ("appended.story", line) in removed, line


def test_explain_shows_every_line_of_raw_text_in_order_then_the_record(explained):
    assert not ANSI.search(explained.stdout)  # piped: plain markers, no colour
    lines = marked_lines(explained.stdout)
    page = [line.strip() for line in APPENDED.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [m["kept"] or m["removed"] for m in lines] == page
    assert all(m["rule"] in RULE_NAMES for m in lines if m["rule"])
    record = explained_record(explained.stdout)
    assert record == library_record(APPENDED)
    assert [m["kept"] for m in lines if m["kept"] is not None] == record["text"].split("\n")


def test_explain_colours_on_a_terminal_unless_told_not_to():
    code, text, _ = on_terminal("explain", APPENDED, stream="stdout")
    assert code == 0
    assert "\x1b[31m- [appended.story]\x1b[0m" in text  # removed: red, with the rule
    assert ANSI.sub("", text).replace("\r\n", "\n").count("\n- [appended.story] ") >= 10

    _, text, _ = on_terminal("explain", APPENDED, "--no-color", stream="stdout")
    assert "- [appended.story] " in text and not ANSI.search(text)


def test_explain_html_shows_the_blocks_and_text_forces_raw_text():
    sample = SAMPLES / "100_html_harbour_bridge.html"  # its shortcode is removed on the HTML path
    done = newsclean("explain", sample)
    assert done.returncode == 0, done.stderr
    lines = marked_lines(done.stdout)
    record = explained_record(done.stdout)
    assert record == library_record(sample)
    assert [m["kept"] for m in lines if m["kept"] is not None] == record["text"].split("\n")
    assert any(m["rule"] for m in lines)
    assert "read as HTML" in done.stdout

    # --text hands the file over as raw_text; markup sent as raw text is still read as HTML, as the
    # pipeline reads it, and the header says so.
    as_text = newsclean("explain", sample, "--text")
    assert as_text.returncode == 0, as_text.stderr
    assert "read as HTML" in as_text.stdout
    assert explained_record(as_text.stdout)["text"] == record["text"]


def test_explain_a_one_line_jsonl_file(tmp_path, explained):
    source = jsonl(tmp_path / "one.jsonl", [sample_item(APPENDED, meta="kept")])
    done = newsclean("explain", source)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert [m.group(0) for m in marked_lines(done.stdout)] == [m.group(0) for m in marked_lines(explained.stdout)]
    record = explained_record(done.stdout)
    assert record == {"id": APPENDED.stem, "meta": "kept", **library_record(APPENDED)}
    assert list(record)[:3] == ["id", "url", "meta"]
