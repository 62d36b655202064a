"""The JSON of `comprobar --json` is a published contract: docs/esquema-comprobar.json must match the code."""

import json
from pathlib import Path

from reclama.engine import SCHEMA_VERSION, Resultado

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "docs" / "esquema-comprobar.json"


def current_schema() -> dict:
    schema = Resultado.model_json_schema(mode="serialization")
    schema["$id"] = f"https://reclama.invalid/esquema-comprobar-v{SCHEMA_VERSION}.json"
    return schema


def test_published_schema_matches_the_code(request):
    if request.config.getoption("--update-golden", default=False):
        SCHEMA_FILE.write_text(
            json.dumps(current_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    published = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert published == current_schema(), (
        "El esquema JSON cambió: si es a propósito, suba SCHEMA_VERSION y regenere con --update-golden"
    )
