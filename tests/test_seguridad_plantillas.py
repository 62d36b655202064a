"""Hostile --plantillas folders (issue 9): each attack must end in the safe outcome, through the real CLI.

A letterhead pack is something a firm downloads or a colleague sends: its templates must not run
code, read files outside the folder, hang, or crash with a traceback. Each row of the tables below
is one attack; the test asserts what must happen instead: no marker file created, no secret in
the output, exit 2 with «Error en la plantilla FICHERO[, línea N]: ...» in Spanish, no letter left.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from reclama import batch
from reclama.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"
HOY = "2026-11-22"
SECRETO = "SECRETO-DEL-USUARIO-7f3a"
NOTA = "mi abogado dice que aceptemos 200 €"


def _pickle(marca: Path) -> str:
    """pickle (protocol 0, plain text) of os.system('touch MARCA'): it runs if anything unpickles it."""
    return f"cposix\\nsystem\\np0\\n(Vtouch {marca}\\np1\\ntp2\\nRp3\\n."


# --- the attacks -----------------------------------------------------------------------------
# (attack, files of the template folder, format, file named in the error, line or None, words of
# the message). A file's content may use {marca}, {secreto}, {secreto_json}, {pickle}; ("->", x)
# makes it a symlink to x, where "FUERA" is a folder outside the template folder.

ATAQUES = [
    (
        "pickle por caso.parse_raw (ejecuta código)",
        {
            "_membrete.j2.html": "{{{{ caso.parse_raw(\"{pickle}\", content_type='application/pickle', allow_pickle=True) }}}}"
        },
        "html",
        "_membrete.j2.html",
        1,
        "no existe el dato «caso»",
    ),
    (
        "pickle por consumidor.parse_raw",
        {
            "_membrete.j2.html": "{{{{ consumidor.parse_raw(\"{pickle}\", content_type='application/pickle', allow_pickle=True) }}}}"
        },
        "html",
        "_membrete.j2.html",
        1,
        "no existe el dato «parse_raw»",
    ),
    (
        "parse_file lee un fichero cualquiera",
        {"_membrete.j2.html": "{{{{ consumidor.parse_file('{secreto_json}') }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "no existe el dato «parse_file»",
    ),
    (
        "el objeto del motor ya no está en la plantilla",
        {"_membrete.j2.html": "{{{{ resultado.model_dump_json() }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "no existe el dato «resultado»",
    ),
    (
        "__class__.__mro__ de un dato",
        {"_membrete.j2.html": "{{{{ vendedor.__class__.__mro__[1].__subclasses__() }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "no está permitido",
    ),
    (
        "__globals__ de una función de Jinja",
        {
            "_membrete.j2.html": "\n{{{{ cycler.__init__.__globals__.os.popen('touch {marca}').read() }}}}"
        },
        "html",
        "_membrete.j2.html",
        2,
        "no está permitido",
    ),
    (
        "lipsum.__globals__ (el ataque clásico): lipsum no existe",
        {"_membrete.j2.html": "{{{{ lipsum.__globals__['os'].popen('touch {marca}').read() }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "no existe el dato «lipsum»",
    ),
    (
        "|attr para llegar a __class__",
        {"_membrete.j2.html": "{{{{ hoy|attr('__class__') }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "no está permitido",
    ),
    (
        "mutar los datos de la carta",
        {"_membrete.j2.html": "{{{{ citas.append(1) }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "no está permitido",
    ),
    # symlinks that lead out of the folder
    (
        "include de un enlace a un fichero de fuera",
        {
            "_membrete.j2.html": '{{% include "cabecera.j2.html" %}}',
            "cabecera.j2.html": ("->", "FUERA/secreto.txt"),
        },
        "html",
        "cabecera.j2.html",
        None,
        "fuera de las carpetas de plantillas",
    ),
    (
        "import desde una subcarpeta que es un enlace afuera",
        {
            "_membrete.j2.html": '{{% import "piezas/secreto.txt" as s %}}',
            "piezas": ("->", "FUERA"),
        },
        "html",
        "secreto.txt",
        None,
        "fuera de las carpetas de plantillas",
    ),
    (
        "include con ../ para salir de la carpeta",
        {"_membrete.j2.html": '{{% include "../FUERA/secreto.txt" %}}'},
        "html",
        "_membrete.j2.html",
        1,
        "no existe la plantilla",
    ),
    (
        "_membrete.j2.html es un enlace afuera",
        {"_membrete.j2.html": ("->", "FUERA/secreto.txt")},
        "html",
        "_membrete.j2.html",
        None,
        "fuera de las carpetas de plantillas",
    ),
    (
        "carta.css es un enlace afuera (HTML)",
        {"carta.css": ("->", "FUERA/secreto.txt")},
        "html",
        "carta.css",
        None,
        "fuera de las carpetas de plantillas",
    ),
    (
        "carta.css es un enlace afuera (PDF)",
        {"carta.css": ("->", "FUERA/secreto.txt")},
        "pdf",
        "carta.css",
        None,
        "fuera de las carpetas de plantillas",
    ),
    (
        "carta.toml es un enlace afuera",
        {"carta.toml": ("->", "FUERA/secreto.toml")},
        "txt",
        "carta.toml",
        None,
        "fuera de las carpetas de plantillas",
    ),
    (
        "excusas.toml es un enlace afuera",
        {"excusas.toml": ("->", "FUERA/secreto.toml")},
        "txt",
        "excusas.toml",
        None,
        "fuera de las carpetas de plantillas",
    ),
    (
        "una imagen que es un enlace afuera",
        {"_membrete.j2.html": '<img src="logo.png">', "logo.png": ("->", "FUERA/secreto.txt")},
        "pdf",
        "carta.j2.html",
        None,
        "recurso bloqueado",
    ),
    (
        "una imagen con ruta absoluta fuera de la carpeta",
        {"_membrete.j2.html": '<img src="file://{secreto}">'},
        "pdf",
        "carta.j2.html",
        None,
        "recurso bloqueado",
    ),
    (
        "una fuente @font-face que es un enlace afuera",
        {
            "carta.css": "@font-face {{ font-family: X; src: url(fuente.ttf); }} html {{ font-family: X; }}",
            "fuente.ttf": ("->", "FUERA/secreto.txt"),
        },
        "pdf",
        "carta.css",
        None,
        "recurso bloqueado",
    ),
    # a logo that is not there or cannot be read: an error, not a letter without it
    (
        "un logo que no existe",
        {"_membrete.j2.html": '<img src="logo.png">'},
        "pdf",
        "carta.j2.html",
        None,
        "no existe",
    ),
    (
        "un logo que es una carpeta",
        {"_membrete.j2.html": '<img src="logo.png">', "logo.png/": ""},
        "pdf",
        "carta.j2.html",
        None,
        "es una carpeta",
    ),
    (
        "un logo que no es una imagen",
        {"_membrete.j2.html": '<img src="logo.png">', "logo.png": "esto no es un PNG"},
        "pdf",
        "carta.j2.html",
        None,
        "logo.png: su contenido no es válido",
    ),
    (
        "una fuente que no es una fuente",
        {
            "carta.css": "@font-face {{ font-family: Despacho; src: url(fuente.ttf); }} html {{ font-family: Despacho; }}",
            "fuente.ttf": "esto no es una fuente",
        },
        "pdf",
        "carta.css",
        None,
        "la fuente «Despacho»: su contenido no es válido",
    ),
    # loops, strings and numbers without end
    (
        "bucles range(100000) anidados",
        {
            "_membrete.j2.html": "{{% for i in range(100000) %}}{{% for j in range(100000) %}}{{% endfor %}}{{% endfor %}}"
        },
        "html",
        "_membrete.j2.html",
        1,
        "límite de 1.000.000 pasos",
    ),
    (
        "bucles anidados sobre listas escritas en la plantilla",
        {
            "_membrete.j2.html": "{{% set l = [0,1,2,3,4,5,6,7,8,9] %}}\n"
            + "".join(f"{{{{% for x{i} in l %}}}}" for i in range(8))
            + "{{% endfor %}}" * 8
        },
        "html",
        "_membrete.j2.html",
        2,
        "límite de 1.000.000 pasos",
    ),
    (
        "una macro que duplica un texto 60 veces",
        {
            "_membrete.j2.html": "{{% macro f(s, n) %}}{{% if n %}}{{{{ f(s ~ s, n - 1) }}}}{{% endif %}}{{% endmacro %}}"
            "{{{{ f('ab', 60) }}}}"
        },
        "html",
        "_membrete.j2.html",
        1,
        "más de 2.000.000 caracteres",
    ),
    (
        "multiplicar un texto por mil millones",
        {"_membrete.j2.html": "{{{{ 'a' * 1000000000 }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "demasiado larga",
    ),
    (
        "una potencia gigantesca",
        {"_membrete.j2.html": "{{{{ 10 ** 100000000 }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "número demasiado grande",
    ),
    (
        "un formato con anchura de mil millones",
        {"_membrete.j2.html": "{{{{ '%0999999999d' % 1 }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "anchura demasiado grande",
    ),
    (
        "el filtro format con anchura de mil millones",
        {"_membrete.j2.html": "{{{{ '%0999999999d'|format(1) }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "anchura demasiado grande",
    ),
    (
        "un filtro con anchura de mil millones",
        {"_membrete.j2.html": "{{{{ 'x'|center(999999999) }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "número demasiado grande",
    ),
    (
        "una macro que se llama a sí misma",
        {"_membrete.j2.html": "{{% macro f() %}}{{{{ f() }}}}{{% endmacro %}}{{{{ f() }}}}"},
        "html",
        "_membrete.j2.html",
        1,
        "llamadas anidadas",
    ),
    # plain mistakes in a template
    (
        "división por cero",
        {
            "_membrete.j2.html": "<header>\n<p>{{{{ consumidor.nombre }}}}</p>\n{{{{ 1/0 }}}}\n</header>"
        },
        "html",
        "_membrete.j2.html",
        3,
        "división por cero",
    ),
    (
        "error de sintaxis",
        {"carta.j2.txt": "Asunto\n{{% if %}}\n"},
        "txt",
        "carta.j2.txt",
        2,
        "sintaxis de plantilla no válida",
    ),
    (
        "un dato que no existe",
        {"_firma.j2.html": "\n\n{{{{ consumidor.apodo }}}}"},
        "html",
        "_firma.j2.html",
        3,
        "no existe el dato «apodo»",
    ),
    (
        "un include que no existe",
        {"_membrete.j2.html": '{{% include "no-existe.j2.html" %}}'},
        "html",
        "_membrete.j2.html",
        1,
        "no existe la plantilla «no-existe.j2.html»",
    ),
    (
        "plantilla que no está en UTF-8",
        {"_membrete.j2.html": b"<p>Despacho</p>\n<p>Se\xf1ores</p>"},
        "html",
        "_membrete.j2.html",
        2,
        "no está en UTF-8",
    ),
    (
        "excusas.toml con un número donde va un texto",
        {"excusas.toml": "[marca]\nalegacion = 5\n"},
        "txt",
        "excusas.toml",
        2,
        "«marca.alegacion» debe ser un texto",
    ),
    (
        "excusas.toml con párrafos que no son textos",
        {"excusas.toml": "[marca]\ntitulo = 'Sobre la marca'\n[marca.2022]\nparrafos = [3]\n"},
        "txt",
        "excusas.toml",
        4,
        "cada párrafo es un texto",
    ),
    (
        "carta.toml que no es TOML",
        {"carta.toml": "[asunto]\nparte = \n"},
        "txt",
        "carta.toml",
        2,
        "TOML no válido",
    ),
    (
        "carta.toml con párrafos que no son una lista",
        {"carta.toml": "[asunto]\nparte = 'asunto'\n[asunto.todos]\nparrafos = 'Asunto'\n"},
        "txt",
        "carta.toml",
        4,
        "debe ser una lista de párrafos",
    ),
    (
        "carta.toml que no está en UTF-8",
        {"carta.toml": b"[asunto]\n# Se\xf1ores\nparte = 'asunto'\n"},
        "txt",
        "carta.toml",
        2,
        "no está en UTF-8",
    ),
]


def build_folder(tmp_path: Path, files: dict) -> tuple[Path, dict[str, str]]:
    """The hostile template folder, a secret folder outside it, and the paths the attacks name."""
    fuera = tmp_path / "fuera"
    fuera.mkdir()
    (fuera / "secreto.txt").write_text(f"<p>{SECRETO}</p>", encoding="utf-8")
    (fuera / "secreto.toml").write_text(
        f'[asunto]\nparte = "asunto"\n[asunto.todos]\nparrafos = ["{SECRETO}"]\n', encoding="utf-8"
    )
    (fuera / "secreto.json").write_text(json.dumps({"nombre": SECRETO}), encoding="utf-8")
    marca = tmp_path / "MARCA"
    names = {
        "marca": str(marca),
        "secreto": str(fuera / "secreto.txt"),
        "secreto_json": str(fuera / "secreto.json"),
        "pickle": _pickle(marca),
    }
    folder = tmp_path / "plantillas"
    folder.mkdir()
    for name, content in files.items():
        path = folder / name
        if name.endswith("/"):
            path.mkdir()
        elif isinstance(content, tuple):
            path.symlink_to(Path(content[1].replace("FUERA", str(fuera))))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content.format(**names), encoding="utf-8")
    return folder, names


@pytest.mark.parametrize(
    ("files", "formato", "fichero", "linea", "mensaje"),
    [a[1:] for a in ATAQUES],
    ids=[a[0] for a in ATAQUES],
)
def test_a_hostile_template_folder_gets_no_letter_and_a_spanish_error(
    tmp_path, capsys, monkeypatch, files, formato, fichero, linea, mensaje
):
    folder, names = build_folder(tmp_path, files)
    salida = tmp_path / "salida"
    salida.mkdir()
    monkeypatch.chdir(salida)
    code = main(
        [
            "carta",
            "--caso",
            str(DEMO),
            "--hoy",
            HOY,
            "--plantillas",
            str(folder),
            "--formato",
            formato,
            "-o",
            f"carta.{formato}",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2, err
    error = next(line for line in err.splitlines() if line.startswith("Error en "))
    assert error.startswith("Error en la plantilla ") and fichero in error, error
    if linea is not None:
        assert f"{fichero}, línea {linea}: " in error, error
    assert mensaje in error, error
    assert "Traceback" not in err and SECRETO not in err and SECRETO not in out
    assert list(salida.iterdir()) == []  # no letter, no temp file
    assert not Path(names["marca"]).exists()  # nothing ran


def test_the_same_folder_without_the_attack_gives_a_letter(tmp_path, capsys, monkeypatch):
    """The control row: a legitimate letterhead with a logo and its own stylesheet still works."""
    folder, _ = build_folder(
        tmp_path,
        {
            "_membrete.j2.html": '<header><img src="logo.svg"><p>DESPACHO EJEMPLO</p>'
            "<p>{{{{ consumidor.nombre }}}} · {{{{ hoy|fecha_larga }}}}</p></header>",
            "logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
            "carta.css": "@import url(extra.css); html {{ font-size: 11pt; }}",
            "extra.css": "p {{ margin: 0; }}",
        },
    )
    monkeypatch.chdir(tmp_path)
    code = main(
        ["carta", "--caso", str(DEMO), "--hoy", HOY, "--plantillas", str(folder), "-o", "carta.pdf"]
    )
    assert code == 0, capsys.readouterr().err
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "carta.pdf").pages).replace(
        "\xa0", " "
    )
    assert "DESPACHO EJEMPLO" in text and "Fundamentos de derecho" in text and "TRLGDCU" in text


# --- the same attacks in `reclama lote`: each worker refuses them, the batch goes on ---------------


LOTE = {
    "compra": "2026-05-04",
    "entrega": "2026-05-06",
    "canal": "distancia",
    "producto": "Teléfono móvil Nexo X12",
    "precio": "899,00",
    "descubrimiento": "2026-09-14",
    "defecto": "El micrófono dejó de funcionar.",
    "remedio": "sustitucion",
    "respuesta": "marca",
    "nombre": "Lucía Martín Ortega",
    "dni": "12345678Z",
    "domicilio": "Calle del Prado 14, 28014 Madrid",
    "cif": "B12345674",
    "lugar": "Madrid",
}


def _lote(tmp_path: Path, folder: Path) -> tuple[int, list[dict], list[str]]:
    src = tmp_path / "casos.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        rows = [{"id": f"R{i}", **LOTE, "vendedor": f"Vendedor {i}, S.L."} for i in (1, 2, 3)]
        writer = csv.DictWriter(f, list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "cartas"
    code = main(
        [
            "lote",
            str(src),
            "--salida",
            str(out),
            "--formato",
            "html",
            "--hoy",
            HOY,
            "--plantillas",
            str(folder),
            "--jobs",
            "2",
        ]
    )
    lines = (out / batch.SUMMARY_JSONL).read_text(encoding="utf-8").splitlines()
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith(("resumen.", ".")))
    return code, sorted((json.loads(x) for x in lines), key=lambda e: e["fila"]), written


def test_lote_workers_do_not_unpickle_a_template_payload(tmp_path, capsys):
    folder, names = build_folder(
        tmp_path, {"_membrete.j2.html": ATAQUES[0][1]["_membrete.j2.html"]}
    )
    code, entries, written = _lote(tmp_path, folder)
    assert not Path(names["marca"]).exists()
    assert code == 1 and written == []
    assert [e["estado"] for e in entries] == [batch.ERROR] * 3
    for e in entries:
        assert (
            "la plantilla" in e["error"]
            and "_membrete.j2.html, línea 1: no existe el dato «caso»" in e["error"]
        )
    assert "Traceback" not in capsys.readouterr().err


def test_lote_reports_a_template_error_on_its_row_and_writes_the_others(tmp_path, capsys):
    folder, _ = build_folder(
        tmp_path,
        {
            "_membrete.j2.html": "<header>{{{{ vendedor.nombre }}}}\n"
            "{{% if vendedor.nombre == 'Vendedor 2, S.L.' %}}{{{{ 1/0 }}}}{{% endif %}}</header>",
        },
    )
    code, entries, written = _lote(tmp_path, folder)
    assert code == 1
    assert [e["estado"] for e in entries] == [batch.OK, batch.ERROR, batch.OK]
    assert "_membrete.j2.html, línea 2: división por cero" in entries[1]["error"]
    assert len(written) == 2 and all("vendedor-2" not in name for name in written)
    assert "Traceback" not in capsys.readouterr().err


# --- --pdf-a: the attachment carries what the letter states, never the case's private notes -------


def test_pdf_a_never_embeds_timeline_notes_or_data_the_letter_does_not_state(
    tmp_path, capsys, monkeypatch
):
    caso = tmp_path / "caso.toml"
    caso.write_text(
        DEMO.read_text(encoding="utf-8")
        + f'\n[[eventos]]\ntipo = "respuesta"\nfecha = 2026-10-20\nrespuestas = ["marca"]\nnota = "{NOTA}"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["carta", "--caso", str(caso), "--hoy", HOY, "--pdf-a", "-o", "a.pdf"]) == 0, (
        capsys.readouterr().err
    )
    reader = PdfReader(tmp_path / "a.pdf")
    (attached,) = reader.attachments["reclama-caso.json"]
    text = attached.decode("utf-8")
    data = json.loads(text)
    assert NOTA not in text and "abogado" not in text and "eventos" not in text
    letter = "\n".join(p.extract_text() for p in reader.pages)
    # what it does carry is in the letter: the parties and the rule versions it quotes
    assert (
        data["caso"]["consumidor"]["nombre"] in letter and data["caso"]["vendedor"]["cif"] in letter
    )
    assert {c["regla"] for c in data["citas"]} >= {"trlgdcu.garantia_plazo"}
    assert all(c["valido_desde"] for c in data["citas"])
    assert NOTA not in letter
