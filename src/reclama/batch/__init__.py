"""Batches of claims from a spreadsheet: rows in, one letter per row and a summary out.

One job per module, in pipeline order:

- `columns`: the columns, their aliases (data/columnas.toml), the firm's `--columnas`
  map, the header check and the example batch (`--plantilla`);
- `reader`: a CSV, .xlsx or JSON Lines file (or standard input) as `Row`s, bounded;
- `rows`: a row -> its case and verdict, every problem at once (`RowError`); row hashes;
- `despacho`: the firm profile (`--despacho`): who signs, where replies go, the reference;
- `naming`: the letter's file name, confined to the output folder;
- `summary`: resumen.jsonl / resumen.csv, the resumable record of the batch;
- `pool`: the worker processes that render letters;
- `run`: the letter batch (`run_letters`) and `validate`;
- `solo_plazos`: `--solo-plazos`, deadlines only, streamed in input order.

The names below are the package's interface (`from reclama.batch import Entrada`).
Importing it loads neither typer nor rich, nor any renderer.
"""

from __future__ import annotations

from reclama.batch import despacho
from reclama.batch.columns import (
    ALIASES_FILE,
    BOOL_COLUMNS,
    COLUMNS,
    DATE_COLUMNS,
    EXAMPLE_ROWS,
    FACT_COLUMNS,
    LIST_COLUMNS,
    REQUIRED_COLUMNS,
    WORD_COLUMNS,
    Header,
    _key,
    aliases,
    check_columns,
    describe_unknown,
    known_columns,
    load_mapa,
    normalize_column,
    template_csv,
)
from reclama.batch.despacho import Despacho
from reclama.batch.naming import inside, output_name, remove_stale_temps, slug
from reclama.batch.pool import RECYCLE_AFTER, _render_one, _RenderPool
from reclama.batch.reader import MAX_CELL, MAX_LINE, STDIN, Entrada, Row
from reclama.batch.rows import (
    EXTENSIONS,
    Prepared,
    Preparer,
    RowError,
    error_line,
    evaluate_row,
    plazos_line,
    plazos_parts,
    row_case,
    row_hash,
    row_hoy,
    verdict,
)
from reclama.batch.run import Counts, Event, Salidas, run_letters, validate
from reclama.batch.solo_plazos import (
    PLAZOS_CHUNK,
    PLAZOS_DEFAULT_JOBS,
    PLAZOS_PARALLEL_MIN,
    plazos_chunk,
    run_plazos,
)
from reclama.batch.summary import (
    CSV_FIELDS,
    ERROR,
    OK,
    PENDING,
    PLAZOS,
    SUMMARY_CSV,
    SUMMARY_JSONL,
    Previous,
    Summary,
    csv_record,
    neutralize_formula,
    summary_entry,
)

__all__ = [
    "ALIASES_FILE",
    "BOOL_COLUMNS",
    "COLUMNS",
    "CSV_FIELDS",
    "DATE_COLUMNS",
    "ERROR",
    "EXAMPLE_ROWS",
    "EXTENSIONS",
    "FACT_COLUMNS",
    "LIST_COLUMNS",
    "MAX_CELL",
    "MAX_LINE",
    "OK",
    "PENDING",
    "PLAZOS",
    "PLAZOS_CHUNK",
    "PLAZOS_DEFAULT_JOBS",
    "PLAZOS_PARALLEL_MIN",
    "RECYCLE_AFTER",
    "REQUIRED_COLUMNS",
    "STDIN",
    "SUMMARY_CSV",
    "SUMMARY_JSONL",
    "WORD_COLUMNS",
    "Counts",
    "Despacho",
    "Entrada",
    "Event",
    "Header",
    "Prepared",
    "Preparer",
    "Previous",
    "Row",
    "RowError",
    "Salidas",
    "Summary",
    "_RenderPool",
    "_key",
    "_render_one",
    "aliases",
    "check_columns",
    "csv_record",
    "describe_unknown",
    "despacho",
    "error_line",
    "evaluate_row",
    "inside",
    "known_columns",
    "load_mapa",
    "neutralize_formula",
    "normalize_column",
    "output_name",
    "plazos_chunk",
    "plazos_line",
    "plazos_parts",
    "remove_stale_temps",
    "row_case",
    "row_hash",
    "row_hoy",
    "run_letters",
    "run_plazos",
    "slug",
    "summary_entry",
    "template_csv",
    "validate",
    "verdict",
]  # fmt: skip
