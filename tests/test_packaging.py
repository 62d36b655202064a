"""The wheel carries legal_rules/ and templates/, and an install outside the repo finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"no se pudo construir la rueda: {proc.stderr[-2000:]}")
    (whl,) = out.glob("reclama-*.whl")
    return whl


def test_wheel_contains_every_rule_file_and_template(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "legal_rules").rglob("*.toml"):
        assert f"reclama/legal_rules/{path.relative_to(ROOT / 'legal_rules').as_posix()}" in names
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file():
            assert f"reclama/templates/{path.relative_to(ROOT / 'templates').as_posix()}" in names


def test_installed_wheel_outside_the_repo_finds_its_data(wheel, tmp_path):
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import reclama.paths as p, reclama.rules as r; "
        "print(p.rules_dir()); print(p.templates_dir()); print(len(r.load_rules().rules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    rules, templates, count = proc.stdout.split()
    assert Path(rules).is_relative_to(target) and Path(templates).is_relative_to(target)
    assert int(count) == len(list((ROOT / "legal_rules").rglob("*.toml")))
