"""The built wheel: one top-level package, `newsclean`, with the pipelines, spiders and phrase data
inside it, importable the same way as from the source tree."""

import os
import subprocess
import sys
import zipfile

from helpers import ROOT


def test_wheel_holds_only_newsclean(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    [wheel] = tmp_path.glob("newsclean-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"newsclean", wheel.name.split("-py")[0] + ".dist-info"}
    for required in ("newsclean/pipelines/__init__.py", "newsclean/spiders/samples.py",
                     "newsclean/phrases/en.json", "newsclean/rules/caption.py"):
        assert required in names

    # Import from the wheel itself (pure Python, so importable as a zip), not from the source tree.
    probe = ("import newsclean.pipelines, newsclean.spiders.samples, newsclean;"
             "from newsclean.phrases import phrases;"
             "assert phrases().months['september'] == 9;"
             "print(newsclean.pipelines.__file__)")
    env = {**os.environ, "PYTHONPATH": str(wheel)}
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert str(wheel) in done.stdout
