"""Deploy readiness without a Docker engine: the Dockerfile's own command serves the app, the files hosts read are sane.

The container test copies the Docker build context (the repo minus .dockerignore) to a temporary folder,
runs the Dockerfile's ENTRYPOINT/CMD there as written (only the port swapped for a free one and the address
for 127.0.0.1; `python -m streamlit` from this interpreter when `streamlit` is not on PATH), waits for
/_stcore/health, loads the page, runs the HEALTHCHECK command against it, and stops the server by its PID.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from tests.e2e.conftest import free_port, stop_server

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
RUNTIME_FILES = ("app.py", "requirements.txt", ".streamlit/config.toml", "packages.txt")
RUNTIME_DIRS = ("ui", "scenarios", "data")
# What Streamlit Community Cloud forces, whatever config.toml says (docs/HOSTING.md).
CLOUD_FORCED = {("runner", "fastReruns"): True, ("server", "enableXsrfProtection"): True,
                ("client", "showErrorDetails"): False}


# ----------------------------------------------------------------------------- Dockerfile and .dockerignore


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    out: list[tuple[str, str]] = []
    buf = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        keyword, _, args = buf.partition(" ")
        out.append((keyword.upper(), args.strip()))
        buf = ""
    return out


def instruction(name: str) -> list[str]:
    return [args for kw, args in dockerfile_instructions(DOCKERFILE.read_text()) if kw == name]


def exec_form(args: str) -> list[str]:
    """A CMD/ENTRYPOINT in exec (JSON) form; shell form is refused (signals would not reach streamlit)."""
    assert args.startswith("["), f"use the exec form (JSON array) so that streamlit is PID 1: {args}"
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(a, str) for a in value)
    return value


def container_command() -> list[str]:
    """ENTRYPOINT + CMD as Docker would run them (the last of each counts)."""
    entry, cmd = instruction("ENTRYPOINT"), instruction("CMD")
    argv = (exec_form(entry[-1]) if entry else []) + (exec_form(cmd[-1]) if cmd else [])
    assert argv, "the Dockerfile has neither ENTRYPOINT nor CMD"
    return argv


def glob_regex(pattern: str) -> re.Pattern:
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(f"^{out}$")


def dockerignore_rules() -> list[tuple[bool, re.Pattern]]:
    rules = []
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keep = line.startswith("!")
        line = os.path.normpath(line.lstrip("!").strip()).lstrip("/")
        rules.append((keep, glob_regex(line)))
    return rules


def ignored(rel: str, rules) -> bool:
    """Docker's rule: a path is left out when it or a parent folder matches; the last matching line wins."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[:k]) for k in range(1, len(parts) + 1)]
    out = False
    for keep, rx in rules:
        if any(rx.match(p) for p in prefixes):
            out = not keep
    return out


def build_context() -> list[str]:
    """Every file `docker build .` would send, as paths relative to the repo root."""
    rules, files = dockerignore_rules(), []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        rel_dir = Path(dirpath).relative_to(ROOT).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = sorted(d for d in dirnames if not ignored(rel_dir + d, rules))
        files += [rel_dir + f for f in sorted(filenames) if not ignored(rel_dir + f, rules)]
    return files


def test_dockerfile_builds_the_app_on_python_311_slim_with_cjk_fonts():
    assert instruction("FROM")[0] == "python:3.11-slim"
    runs = " ".join(instruction("RUN"))
    for pkg in (ROOT / "packages.txt").read_text().split():
        assert re.search(rf"apt-get install[^&;]*\b{re.escape(pkg)}\b", runs), f"{pkg} (packages.txt) not installed"
    assert re.search(r"pip install (?:[^&;]* )?-r requirements\.txt", runs)
    assert instruction("EXPOSE") == ["8501"]
    health = instruction("HEALTHCHECK")
    assert len(health) == 1 and " CMD " in f" {health[0]} "
    assert "http://127.0.0.1:8501/_stcore/health" in health[0]
    argv = container_command()
    i = argv.index("run")
    assert argv[:i] == ["streamlit"] and argv[i + 1] == "app.py"
    flags = argv[i + 2:]
    for flag, value in (("--server.port", "8501"), ("--server.address", "0.0.0.0"), ("--server.headless", "true")):
        assert flags[flags.index(flag) + 1] == value


def test_docker_context_holds_what_the_app_needs_and_nothing_local():
    files = set(build_context())
    for f in RUNTIME_FILES:
        assert f in files, f"{f} is left out of the image by .dockerignore"
    for d in RUNTIME_DIRS:
        shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / d).rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}
        assert shipped <= files, f"left out of the image: {sorted(shipped - files)[:5]}"
    for local in (".venv/", ".git/", "tests/", ".pytest_cache/", ".hypothesis/", "bench/"):
        assert not any(f.startswith(local) for f in files), f"{local} would be sent to docker build"


def http_get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.status, resp.read().decode("utf-8", "replace")


def test_container_command_serves_health_and_page(tmp_path):
    app_dir = tmp_path / "app"   # WORKDIR /app, filled like `COPY . .`
    for rel in build_context():
        dest = app_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest)

    port = free_port()
    argv = container_command()
    for flag, value in (("--server.port", str(port)), ("--server.address", "127.0.0.1")):
        argv[argv.index(flag) + 1] = value
    if argv[0] == "streamlit" and shutil.which("streamlit") is None:
        argv[:1] = [sys.executable, "-m", "streamlit"]
    log = tmp_path / "server.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(argv, cwd=app_dir, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        health = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and health != "ok":
            assert proc.poll() is None, f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
            try:
                health = http_get(f"{base}/_stcore/health")[1].strip()
            except OSError:
                time.sleep(0.25)
        assert health == "ok", f"/_stcore/health never said ok:\n{log.read_text()[-3000:]}"

        status, html = http_get(base + "/")
        assert status == 200
        assert '<div id="root">' in html and "<script" in html

        # The HEALTHCHECK command itself, with the container's port swapped for this server's.
        check = instruction("HEALTHCHECK")[0].split(" CMD ", 1)[1].replace(":8501/", f":{port}/")
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        done = subprocess.run(["/bin/sh", "-c", check], env=env, capture_output=True, timeout=30)
        assert done.returncode == 0, done.stderr.decode()
    finally:
        stop_server(proc)
    assert proc.returncode is not None
    assert "Traceback" not in log.read_text()


# ----------------------------------------------------------------------------- files hosts read


def requirement_lines() -> list[str]:
    lines = []
    for raw in (ROOT / "requirements.txt").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def test_requirements_pins_every_package_with_double_equals():
    lines = requirement_lines()
    assert lines, "requirements.txt is empty"
    names = set()
    for line in lines:
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[A-Za-z0-9,._-]+\])?==([A-Za-z0-9.+!_-]+)", line)
        assert m, f"not pinned with ==: {line!r}"
        assert m.group(1).lower() not in names, f"listed twice: {m.group(1)}"
        names.add(m.group(1).lower())
    assert "streamlit" in names


def test_pinned_versions_are_the_ones_tested_here():
    for line in requirement_lines():
        name, pinned = line.split("==")
        name = name.split("[")[0]
        try:
            installed = version(name)
        except PackageNotFoundError:
            pytest.fail(f"{name} is pinned in requirements.txt but not installed in this environment")
        assert installed == pinned, f"{name}: requirements.txt pins {pinned}, the tests run {installed}"


def test_one_streamlit_config_at_the_repo_root_agrees_with_community_cloud():
    skip = {".venv", ".git", "node_modules"}
    found = []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in skip]
        if Path(dirpath).name == ".streamlit" and "config.toml" in filenames:
            found.append(Path(dirpath, "config.toml"))
    assert found == [ROOT / ".streamlit" / "config.toml"]
    config = tomllib.loads(found[0].read_text())
    for (section, key), forced in CLOUD_FORCED.items():
        value = config.get(section, {}).get(key, forced)   # unset: nothing contradicts the forced value
        if key == "showErrorDetails" and value == "none":
            value = False
        assert value == forced, f"[{section}] {key} = {value!r}, but Community Cloud forces {forced!r}"


def test_packages_txt_lists_apt_packages_for_korean_charts():
    lines = [ln.strip() for ln in (ROOT / "packages.txt").read_text().splitlines() if ln.strip()]
    assert "fonts-noto-cjk" in lines
    for ln in lines:
        assert re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", ln), f"not an apt package name: {ln!r}"
