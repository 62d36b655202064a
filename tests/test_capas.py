"""The layering: reclama.cli is the only code that knows typer and rich, and no module cycles.

The library (every reclama module outside reclama.cli) must be usable by a program that is
not a terminal: importing it must not load typer or rich, and it must never import the
command-line layer back. Imports inside functions count: a cycle hidden in a function is
still a cycle, and a function-level `import rich` still ties the library to a terminal.
"""

from __future__ import annotations

import ast
import graphlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
TERMINAL = ("typer", "rich", "click")  # click: what typer is built on (vendored or not)


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / "reclama").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()
LIBRARY = sorted(
    m
    for m in MODULES
    if not (m == "reclama.cli" or m.startswith(("reclama.cli.", "reclama.__main__")))
)


def _is_type_checking(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:` blocks never run, so their imports make no dependency."""
    return isinstance(node, ast.If) and ast.unparse(node.test) in (
        "TYPE_CHECKING",
        "typing.TYPE_CHECKING",
    )


def _imports(path: Path, module: str) -> set[str]:
    """Every module name imported anywhere in the file (functions included, TYPE_CHECKING not)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    todo: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while todo:
        node = todo.pop()
        if _is_type_checking(node):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            for a in node.names:  # `from reclama import caso` imports the module reclama.caso
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base)
    return found


GRAPH = {m: {t for t in _imports(p, m) if t in MODULES and t != m} for m, p in MODULES.items()}

# None left: caso (the model) imports neither timeline nor casefile; timeline folds the
# events of a caso; casefile reads files and builds a caso with both (issue 10).
KNOWN_BACK_EDGES: set[tuple[str, str]] = set()


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as e:
        return e.args[1]
    return None


def test_the_library_imports_without_typer_or_rich():
    code = (
        "import importlib, json, sys\n"
        f"for m in {LIBRARY!r}:\n"
        "    importlib.import_module(m)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {TERMINAL!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


@pytest.mark.parametrize("module", LIBRARY)
def test_no_library_module_imports_the_terminal_or_the_cli(module):
    imported = _imports(MODULES[module], module)
    wrong = sorted(
        m
        for m in imported
        if m.split(".")[0] in TERMINAL or m == "reclama.cli" or m.startswith("reclama.cli.")
    )
    assert wrong == [], f"{module} imports {wrong}: that belongs in reclama.cli"


def test_the_cycle_check_sees_imports_inside_functions():
    # casefile imports reclama.facts only inside a function: the graph must still have that edge.
    assert "reclama.facts" in GRAPH["reclama.casefile"]
    assert _cycle({"a": {"b"}, "b": {"a"}}) is not None


def test_no_import_cycles_between_reclama_modules():
    graph = {m: {t for t in ts if (m, t) not in KNOWN_BACK_EDGES} for m, ts in GRAPH.items()}
    assert _cycle(graph) is None


def test_caso_and_timeline_do_not_import_each_other():
    assert "reclama.timeline" not in GRAPH["reclama.caso"]
    assert "reclama.casefile" not in GRAPH["reclama.caso"]
    assert _cycle(GRAPH) is None


def test_only_render_imports_weasyprint():
    # render imports WeasyPrint only inside functions, so finding render here also shows the
    # function-level imports are counted; doctor asks render.motor_pdf() instead.
    importers = sorted(
        m
        for m, p in MODULES.items()
        if any(n.split(".")[0] == "weasyprint" for n in _imports(p, m))
    )
    assert importers == ["reclama.render"]


def _makes_jinja_environment(path: Path) -> bool:
    """A call to `...Environment(...)` or `Template(...)` (which makes one), or a subclass of one."""

    def name(node: ast.AST) -> str:
        return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and (
            name(node.func).endswith("Environment") or name(node.func) == "Template"
        ):
            return True
        if isinstance(node, ast.ClassDef) and any(
            name(b).endswith("Environment") for b in node.bases
        ):
            return True
    return False


def test_only_render_imports_jinja_and_makes_its_environments():
    # Why: every template (letters, lawsuits, social drafts) must run in render's immutable
    # sandbox, with its budget and its loader restricted to the template folders.
    importers = sorted(
        m for m, p in MODULES.items() if any(n.split(".")[0] == "jinja2" for n in _imports(p, m))
    )
    assert importers == ["reclama.render"]
    makers = sorted(m for m, p in MODULES.items() if _makes_jinja_environment(p))
    assert makers == ["reclama.render"]


@pytest.mark.parametrize("module", ["reclama.letter", "reclama.render", "reclama.formatos"])
def test_the_letter_is_worded_from_the_engine_answers_and_never_runs_the_engine(module):
    # The second run (the case once the seller has the letter) is reclama.evaluation's,
    # done once by whoever asks for the letter; wording and layout only read its answer.
    assert "reclama.evaluation" not in GRAPH[module]
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    engine_names = {
        a.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "reclama.engine"
        for a in node.names
    }
    assert "evaluate" not in engine_names


# Issue 10: the library names the fact at fault (`reclamacion.aviso`, `carta.formato`), never
# a flag; reclama.cli.campos turns it into the flag typed. The errors of reclama and the
# `campo=` a caller passes down (write_atomic, check_target) are where a flag would creep in.
_ERRORS = {"InputError", "RowError", "EventoError", "PlantillaError", "TextoRechazado", "named"}


def _flag_literal(node: ast.AST) -> bool:
    """A string that starts with `-` (`"--aviso"`, `f"--{flag}"`, `"-o"`)."""
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value[:1] == "-"


def _flags_named(source: str) -> list[str]:
    """`InputError("--aviso", ...)` and the like, as `line: call`; docstrings and comments
    are no calls, and a flag inside a message (`use --forzar`) is prose the user reads."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        named = node.args[:2] if name in _ERRORS else []
        named += [k.value for k in node.keywords if k.arg in ("campo", "clave")]
        if any(_flag_literal(a) for a in named):
            out.append(f"{node.lineno}: {ast.unparse(node)[:80]}")
    return out


def test_the_flag_check_sees_every_way_of_naming_a_flag():
    source = (
        '"""InputError("--aviso", "in a docstring")"""\n'
        "# InputError('--aviso', 'in a comment')\n"
        'InputError("reclamacion.aviso", "use --forzar")\n'
        'InputError("--aviso", "x")\n'
        'raise RowError(fila, f"--{col}", "x")\n'
        'write_atomic(path, data, campo="-o")\n'
        'e.named("--fecha")\n'
    )
    assert [f.split(":")[0] for f in _flags_named(source)] == ["4", "5", "6", "7"]


@pytest.mark.parametrize("module", LIBRARY)
def test_library_errors_name_facts_not_flags(module):
    found = _flags_named(MODULES[module].read_text(encoding="utf-8"))
    assert found == [], f"{module} names a flag; name the fact and map it in reclama.cli.campos"


# Inside messages the library names a case fact with `dato("compra.digital")`, never by its
# option: the command line writes `--digital`, a batch «la columna digital». The options of a
# command itself (`--forzar`, `--formato`) are the command's words and may appear; so may the
# tables that document template placeholders for template authors (VALORES, CONDICIONES).
_DOC_TABLES = {"VALORES", "CONDICIONES", "VALORES_SUCESO"}


def _fact_flags_in_strings(tree: ast.AST) -> list[tuple[int, str]]:
    import re

    from reclama.caso import FLAG_FIELDS

    flag = re.compile(r"(?<![\w-])--([a-z][a-z-]*)")
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))  # docstrings
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in _DOC_TABLES for t in node.targets
        ):
            skip.update(id(m) for m in ast.walk(node.value))
    return [
        (node.lineno, f"--{name}")
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        for name in flag.findall(node.value)
        if name in FLAG_FIELDS
    ]


@pytest.mark.parametrize("module", LIBRARY)
def test_library_messages_name_case_facts_by_key_not_by_option(module):
    path = MODULES[module]
    found = _fact_flags_in_strings(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, f"{path.name}: use reclama.errors.dato(clave) en vez de {found}"


def test_the_fact_flag_check_catches_a_planted_flag():
    tree = ast.parse(
        'def f():\n    """Docstring: --digital is fine here."""\n    return "añada --digital"\n'
    )
    assert _fact_flags_in_strings(tree) == [(3, "--digital")]
