"""No network at build or test time: ``scripts/offline.sh`` really cuts it, and no code reaches for it.

``make test`` runs pytest and the book build through ``scripts/offline.sh``, which gives them a
network namespace with only loopback. These tests check that the namespace stops a connection
to a public address, that loopback still works inside it (Jupyter kernels need it), that the
script passes exit codes through and falls back loudly, and that no module, script or notebook
names a way to fetch something from the network.
"""

from __future__ import annotations

import ast
import json
import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from proxylens.paths import repo_root

OFFLINE = repo_root() / "scripts" / "offline.sh"
CANNOT_ISOLATE = "cannot isolate"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def run_offline(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run Python ``code`` through ``scripts/offline.sh``; never raises on a non-zero exit."""
    return subprocess.run([str(OFFLINE), sys.executable, "-c", textwrap.dedent(code)], check=False,
                          capture_output=True, text=True, timeout=60, env=env)


def require_isolation(result: subprocess.CompletedProcess) -> None:
    """Skip (fail in CI) when the script said it could not isolate: the check would prove nothing."""
    if CANNOT_ISOLATE in result.stderr:
        message = f"scripts/offline.sh cannot isolate the network on this machine: {result.stderr.strip()}"
        if in_ci():
            pytest.fail(f"{message} (CI=true: the offline guarantee must be checked)")
        pytest.skip(message)


# ---------------------------------------------------------------- the script isolates


CONNECT_OUT = """
    import errno, os, socket
    print(os.environ.get("PROXYLENS_OFFLINE"))
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=2).close()
        print("connected")
    except OSError as err:
        print("unreachable" if err.errno == errno.ENETUNREACH else f"other error: {err!r}")
"""


def test_a_public_address_is_unreachable_inside():
    result = run_offline(CONNECT_OUT)
    require_isolation(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["isolated", "unreachable"], result.stdout


def test_name_lookup_fails_inside():
    result = run_offline("""
        import socket
        try:
            socket.getaddrinfo("example.com", 443)
            print("resolved")
        except OSError:
            print("no lookup")
    """)
    require_isolation(result)
    assert result.stdout.strip() == "no lookup"


def test_loopback_works_inside():
    """A server on 127.0.0.1 inside the namespace answers a client inside the same namespace."""
    result = run_offline("""
        import threading, urllib.request
        from http.server import BaseHTTPRequestHandler, HTTPServer

        class Hello(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"hello from loopback")

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", 0), Hello)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}/", timeout=5) as r:
            print(r.read().decode())
        server.shutdown()
    """)
    require_isolation(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "hello from loopback"


def test_exit_code_is_passed_through():
    assert run_offline("raise SystemExit(7)").returncode == 7
    assert subprocess.run([str(OFFLINE)], check=False, capture_output=True, timeout=30).returncode == 2


def test_falls_back_with_one_line_when_it_cannot_isolate(tmp_path):
    """With an ``unshare`` that is refused, the command still runs, unisolated, after one line saying so."""
    fake = tmp_path / "unshare"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = run_offline("import os; print(os.environ['PROXYLENS_OFFLINE']); raise SystemExit(5)", env=env)
    assert result.returncode == 5
    assert result.stdout.strip() == "not-isolated"
    assert len(result.stderr.splitlines()) == 1 and CANNOT_ISOLATE in result.stderr


# ---------------------------------------------------------------- no code fetches anything

# Modules whose only use here would be talking to another host.
NETWORK_MODULES = {
    "aiohttp", "ftplib", "http.client", "httplib2", "httpx", "pycurl", "requests", "smtplib", "socket",
    "telnetlib", "urllib.request", "urllib3", "websocket", "websockets", "wget", "xmlrpc.client",
}
# Calls that fetch when given a URL (pandas' read_*, urlopen, ...) or that download models or data.
FETCHING_CALLS = re.compile(r"^(?:read_\w+|urlopen|urlretrieve|open|load|get|post|request|Request)$")
DOWNLOAD_CALLS = re.compile(r"^(?:download|hf_hub_download|snapshot_download|load_dataset|fetch_\w+)$")
URL = re.compile(r"^\s*(?:https?|ftp|wss?)://", re.IGNORECASE)
SHELL_FETCH = re.compile(r"^\s*(?:%%?(?:pip|conda|mamba)\b.*|(?:!|%%?(?:bash|sh|system|load|run)\b).*?"
                         r"(?:\b(?:curl|wget|pip|conda|mamba|apt(?:-get)?|git\s+clone)\b|https?://).*)",
                         re.IGNORECASE | re.MULTILINE)
SHELL_CELL = re.compile(r"^\s*%%(?:bash|sh|script|system)\b", re.IGNORECASE)
SHELL_FETCH_WORDS = re.compile(r"\b(?:curl|wget|pip|conda|mamba|apt(?:-get)?|git\s+clone)\b|https?://",
                               re.IGNORECASE)
# A stored output that makes the reader's browser load something from another host.
REMOTE_ASSET = re.compile(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)\s*=\s*[\"']?"
                          r"(?:https?:)?//", re.IGNORECASE)


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def network_uses(source: str) -> list[str]:
    """Ways Python ``source`` could reach the network: imports of network modules, URL fetches, downloads.

    Notebook magics and shell escapes (``!curl``, ``%pip install``) are reported too; the rest of the
    cell is parsed as Python. Each finding is ``"line N: what"``.
    """
    found = [f"line {source[:m.start()].count(chr(10)) + 1}: shell/magic {m.group(0).strip()[:60]!r}"
             for m in SHELL_FETCH.finditer(source)]
    if SHELL_CELL.match(source):
        return found + [f"shell cell: {m.group(0)!r}" for m in SHELL_FETCH_WORDS.finditer(source)]
    python = "\n".join("" if line.lstrip().startswith(("!", "%")) else line for line in source.splitlines())
    try:
        tree = ast.parse(python)
    except SyntaxError as err:
        return found + [f"line {err.lineno}: not valid Python, so it cannot be checked"]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            literals = [a.value for a in [*node.args, *(k.value for k in node.keywords)]
                        if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if DOWNLOAD_CALLS.match(name):
                found.append(f"line {node.lineno}: download call {name}()")
            elif FETCHING_CALLS.match(name) and any(URL.match(v) for v in literals):
                found.append(f"line {node.lineno}: {name}() of a URL")
            continue
        else:
            continue
        # ``http`` and ``urllib`` themselves are harmless (HTTPStatus, urllib.parse): match full names,
        # or the top-level package of a module that is network-only.
        hits = sorted(n for n in names if n in NETWORK_MODULES or n.split(".")[0] in NETWORK_MODULES)
        found += [f"line {node.lineno}: imports {n}" for n in hits]
    return found


def notebook_findings(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for number, cell in enumerate(nb["cells"], start=1):
        if cell["cell_type"] != "code":
            continue
        found += [f"cell {number} {f}" for f in network_uses("".join(cell["source"]))]
        for out in cell.get("outputs", []):
            for mime, data in out.get("data", {}).items():
                text = "".join(data) if isinstance(data, list) else str(data)
                if ("html" in mime or "javascript" in mime) and REMOTE_ASSET.search(text):
                    found.append(f"cell {number}: output {mime} loads {REMOTE_ASSET.search(text).group(0)!r}")
    return found


def code_files() -> list[Path]:
    """The package, the scripts and the book's own Python, and every notebook: what build and tests run."""
    root = repo_root()
    files = [*root.glob("proxylens/**/*.py"), *root.glob("scripts/**/*.py"), *root.glob("book/**/*.py"),
             *root.glob("notebooks/**/*.ipynb")]
    return sorted(f for f in files if ".ipynb_checkpoints" not in f.parts)


@pytest.mark.parametrize("snippet", [
    "import requests\nrequests.get(x)",
    "from urllib.request import urlopen",
    "import urllib.request",
    "import socket",
    "import pandas as pd\npd.read_csv('https://example.org/data.csv')",
    "df = pd.read_html(url='http://example.org/table')",
    "import spacy.cli\nspacy.cli.download('en_core_web_sm')",
    "!curl -O https://example.org/a.txt",
    "%pip install rapidfuzz",
    "!wget http://example.org/model.bin",
    "%%bash\ncd /tmp\ncurl -O http://example.org/x",
    "import httpx as h",
    "from aiohttp import ClientSession",
    "from datasets import load_dataset\nload_dataset('x')",
])
def test_the_scanner_sees_a_fetch(snippet):
    assert network_uses(snippet), snippet


@pytest.mark.parametrize("snippet", [
    "import pandas as pd\npd.read_csv(data_dir / 'actors.csv')",
    "import urllib.parse\nurllib.parse.urlsplit(u)",
    "from http import HTTPStatus",
    "reference = 'Wikipedia, Iran, accessed 2026-11-21, https://en.wikipedia.org/wiki/Iran'",
    "print('see https://example.org')",
    "%matplotlib inline",
    "!ls data/curated",
    "%%bash\nls data",
])
def test_the_scanner_lets_local_code_pass(snippet):
    assert network_uses(snippet) == [], snippet


def test_the_scanner_sees_a_remote_script_in_an_output(tmp_path):
    output = {"output_type": "display_data",
              "data": {"text/html": ['<script src="https://cdn.example.org/plotly.min.js"></script>']}}
    nb = {"cells": [{"cell_type": "code", "source": "fig", "outputs": [output]}]}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert notebook_findings(path)


def test_no_code_fetches_from_the_network():
    files = code_files()
    assert any(f.suffix == ".py" for f in files) and any(f.suffix == ".ipynb" for f in files), files
    findings = []
    for path in files:
        found = notebook_findings(path) if path.suffix == ".ipynb" else network_uses(path.read_text("utf-8"))
        findings += [f"{path.relative_to(repo_root())}: {f}" for f in found]
    assert not findings, "\n".join(findings)
