"""The package works outside the repository: a wheel, installed into a fresh venv, extracts a folder.

No network: the wheel is built without build isolation and installed with ``--no-index
--no-deps``; the fresh venv sees the project venv's libraries through a ``.pth`` file (a plain
path line, so the project's own editable install is *not* activated there), and the command runs
from a folder outside the repository, so only the packaged registry and lexicons can serve it.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from proxylens.paths import repo_root

ARTICLE = (
    "Houthis claim strike on ship\n\n"
    "The Houthis said on Tuesday that they had attacked a cargo ship in the Red Sea. "
    "Treasury Under Secretary Brian Nelson said the attack would not go unanswered, and Nelson added that "
    "Iran was responsible.\n"
)


@pytest.mark.slow
def test_wheel_installs_and_extracts_outside_the_repo(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    root = repo_root()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(root / name, src / name)
    shutil.copytree(root / "proxylens", src / "proxylens", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "-w", str(wheels), str(src)], check=True, capture_output=True, cwd=tmp_path)
    wheel = next(wheels.glob("proxylens-*.whl"))

    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    fresh_python = env_dir / "bin" / "python"
    fresh_site = Path(subprocess.run(
        [fresh_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    (fresh_site / "project-libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(fresh_python), "install", "--quiet", "--no-index",
                    "--no-deps", str(wheel)], check=True, capture_output=True, cwd=tmp_path)

    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (docs / "sources.csv").write_text("file,published\na.txt,2024-01-12\n", encoding="utf-8")
    where = subprocess.run([fresh_python, "-c", "import proxylens; print(proxylens.__file__)"], check=True,
                           capture_output=True, text=True, cwd=tmp_path).stdout
    assert str(fresh_site) in where and str(root) not in where
    subprocess.run([env_dir / "bin" / "proxylens", "extract", str(docs), "--out", str(out), "--quiet"],
                   check=True, capture_output=True, cwd=tmp_path)
    with (out / "mentions.csv").open(encoding="utf-8") as fh:
        mentions = list(csv.DictReader(fh))
    assert {"ansar-allah", "iran"} <= {m["actor_id"] for m in mentions}  # the packaged registry served
    assert {m["cluster_id"] for m in mentions if "Nelson" in m["text"]} == {"new:brian-nelson"}
    with (out / "timexes.csv").open(encoding="utf-8") as fh:
        assert [(t["text"], t["value"]) for t in csv.DictReader(fh)] == [("Tuesday", "2024-01-09")]
