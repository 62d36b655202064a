"""Scenario files under tests/scenarios/: the law's worked examples, run through the engine and the CLI."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import pytest

from reclama.batch.rows import exit_code as batch_exit_code
from reclama.cli.commands.comprobar import exit_code
from reclama.engine import evaluate
from reclama.facts import Hechos

SCENARIOS = Path(__file__).parent / "scenarios"
NULO = "nulo"


def _cases():
    for path in sorted(SCENARIOS.glob("*.toml")):
        with path.open("rb") as f:
            for case in tomllib.load(f)["case"]:
                yield pytest.param(case, id=f"{path.stem}: {case['name']}")


def _json(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return None if value == NULO else value


def _assert_subset(expected, actual, path="resultado"):
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: se esperaba un objeto y hay {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} no está en la respuesta"
            _assert_subset(value, actual[key], f"{path}.{key}")
    else:
        assert actual == expected, f"{path}: se esperaba {expected!r} y la respuesta da {actual!r}"


@pytest.mark.parametrize("case", list(_cases()))
def test_scenario(case):
    result = evaluate(Hechos(**case["input"]), case["hoy"])
    actual = json.loads(result.model_dump_json())
    actual["exit_code"] = exit_code(result)
    # The batch summary records the same code from the same predicate.
    assert batch_exit_code(result) == actual["exit_code"]
    _assert_subset(_json(case["expected"]), actual)
