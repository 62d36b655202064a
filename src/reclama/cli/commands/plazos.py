"""`reclama plazos`: deadlines due or passed across many case files, for a script or a calendar."""

from __future__ import annotations

import errno
import hashlib
import json as _json
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from reclama.cli import options as o
from reclama.cli.commands._common import user_errors
from reclama.errors import InputError, visible


def register(app: typer.Typer) -> None:
    app.command("plazos")(plazos)


@user_errors
def plazos(
    rutas: Annotated[
        list[Path],
        typer.Argument(
            help="Carpetas (se buscan *.toml dentro, también en subcarpetas) o ficheros de caso.",
            show_default=False,
        ),
    ],
    dentro_de: Annotated[
        int,
        typer.Option(
            "--dentro-de", min=0, help="Días vista: plazos que vencen de aquí a DIAS días."
        ),
    ] = 30,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", help="Escribir también los plazos en este fichero iCalendar (.ics)."),
    ] = None,
    forzar: Annotated[
        bool,
        typer.Option(
            "--forzar",
            help="Sobrescribir con --ics un calendario que no exportó reclama "
            "(nunca un fichero que no sea un calendario).",
        ),
    ] = False,
    hoy: o.HoyOpt = None,
    json: o.JsonOpt = False,
) -> None:
    """Lista los plazos de los casos abiertos que vencen en DIAS días o ya vencieron, por fecha.

    También el reembolso que debe el vendedor tras un desistimiento y el fin de la
    presunción (desde ese día un defecto nuevo lo prueba el consumidor). Un plazo vencido
    solo se lista mientras pide hacer algo: la prescripción, la respuesta del vendedor a la
    última reclamación sin contestar, el aviso del régimen de 2007 no enviado y el reembolso
    del desistimiento; nunca un desistimiento ya enviado o fuera de plazo. Los casos
    resueltos no se vigilan. Los ficheros erróneos se indican en la salida de errores.

    Código de salida: 0 = nada vence; 1 = algo vence o ha vencido; 2 = algún fichero erróneo.

    Ejemplo:

        reclama plazos ~/casos --dentro-de 15 --ics ~/plazos.ics
    """
    from reclama.casefile import build_case, check, read_case_data
    from reclama.caso import parece_caso, relabel
    from reclama.engine import evaluate
    from reclama.seguimiento import vigilados
    from reclama.timeline import etiqueta

    today = o.parse_hoy(hoy)
    rows: list[dict[str, Any]] = []
    errores: list[tuple[Path, InputError]] = []
    ficheros = _case_files(rutas, errores)
    vistos = 0
    for path, nombrado in ficheros.items():
        caso = None
        try:
            data, text = read_case_data(path)
            if not nombrado and not parece_caso(data):
                continue  # a firm profile or a column map kept beside the cases
            vistos += 1
            caso = build_case(data, source=path, text=text)
            check(caso, today)
            resultado = evaluate(caso.hechos(), today)
        except InputError as e:  # named in the file, never by a flag not typed
            errores.append((path, relabel(e, caso._origen if caso else None)))
            continue
        via = resultado.via_judicial
        desde = via.puede_demandar_desde if via is not None else None
        for x in vigilados(caso, resultado, today, dentro_de):
            p = x.plazo
            rows.append(
                {
                    "fichero": str(path),
                    "caso": etiqueta(caso),
                    "plazo": x.clave,
                    "vence": p.vence.isoformat(),
                    "dias_restantes": p.dias_restantes,
                    "articulo": p.articulo,
                    "estado": x.estado,
                    "descripcion": p.descripcion,
                    "actuar_antes_de": p.actuar_antes_de.isoformat() if p.actuar_antes_de else None,
                    # LO 1/2025: the day the prior claim lets the consumer sue (null: not yet known)
                    "puede_demandar_desde": desde.isoformat() if desde else None,
                }
            )
    rows.sort(key=lambda r: (r["vence"], r["fichero"], r["plazo"]))

    for path, e in errores:
        for p in e.errores:
            where = p.campo if str(path) in p.campo else f"{path}: {p.campo}"
            sys.stderr.write(visible(f"Error en {where}: {p.mensaje}") + "\n")
    if not vistos and not errores:
        sys.stderr.write("Aviso: no se encontró ningún fichero de caso (*.toml).\n")
    if ics is not None:
        _write_ics(ics, rows, today, forzar)
    if json:
        sys.stdout.write(_json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_table(rows, today, dentro_de)
    raise typer.Exit(2 if errores else 1 if rows else 0)


def _case_files(rutas: list[Path], errores: list[tuple[Path, InputError]]) -> dict[Path, bool]:
    """The .toml files under the given folders (hidden ones skipped) and the files named, each
    once, with whether it was named (a named file is read as a case whatever it holds).

    A subfolder that cannot be read is an error, not a silent gap: a cron job watching
    the deadlines must hear that some cases were not looked at.
    """
    seen: dict[Path, bool] = {}
    for ruta in rutas:
        if ruta.is_dir():
            found: list[Path] = []

            def unreadable(e: OSError, ruta: Path = ruta) -> None:
                where = Path(e.filename) if e.filename else ruta
                errores.append(
                    (where, InputError(str(where), f"no se puede leer la carpeta: {_why(e)}"))
                )

            for folder, dirs, files in os.walk(ruta, onerror=unreadable):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                base = Path(folder)
                found += (base / f for f in files if f.endswith(".toml") and not f.startswith("."))
            for path in sorted(found):
                if path.is_file():
                    seen.setdefault(path, False)
        elif ruta.is_file():
            seen[ruta] = True
        else:
            errores.append((ruta, InputError(str(ruta), "no existe esa carpeta ni ese fichero")))
    return seen


def _why(e: OSError) -> str:
    if e.errno in (errno.EACCES, errno.EPERM):
        return "no tiene permiso de lectura"
    return "error del sistema de ficheros"


def _print_table(rows: list[dict[str, Any]], today: date, dentro_de: int) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from reclama.cli.vistas import PLAZO_TITULO

    console = Console()
    if not rows:
        console.print(
            f"Ningún plazo vence en los próximos {dentro_de} días ni está vencido pendiente."
        )
        return
    table = Table(
        title=f"Plazos a {today:%d/%m/%Y} (próximos {dentro_de} días y vencidos)",
        title_justify="left",
    )
    for col in ("Vence", "Días", "Plazo", "Caso", "Artículo", "Fichero"):
        table.add_column(col, justify="right" if col == "Días" else "left")
    for r in rows:
        vence = f"{date.fromisoformat(r['vence']):%d/%m/%Y}"
        if r["actuar_antes_de"] and r["estado"] == "proximo":
            vence += f" (actúe antes del {date.fromisoformat(r['actuar_antes_de']):%d/%m})"
        style = "red" if r["estado"] == "vencido" else ""
        table.add_row(
            Text(vence, style=style),
            Text(str(r["dias_restantes"]), style=style),
            PLAZO_TITULO.get(r["plazo"], r["plazo"])
            + (
                f" (puede demandar desde el {date.fromisoformat(r['puede_demandar_desde']):%d/%m/%Y})"
                if r["plazo"] == "demanda" and r["puede_demandar_desde"]
                else ""
            ),
            r["caso"],
            r["articulo"],
            r["fichero"],
        )
    console.print(table)


def ics_calendar(rows: list[dict[str, Any]], today: date) -> bytes:
    """The deadlines as iCalendar: one all-day event each, with a UID stable across exports."""
    from icalendar import Alarm, Calendar, Event

    from reclama.cli.vistas import PLAZO_TITULO

    cal = Calendar()
    cal.add("prodid", ICS_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Plazos de reclama")
    stamp = datetime.combine(today, time(0), tzinfo=UTC)
    for r in rows:
        vence = date.fromisoformat(r["vence"])
        key = f"{Path(r['fichero']).resolve()}#{r['plazo']}"
        titulo = PLAZO_TITULO.get(r["plazo"], r["plazo"])
        ev = Event()
        ev.add("uid", f"{hashlib.sha1(key.encode()).hexdigest()[:24]}@reclama")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", vence)
        ev.add("dtend", vence + timedelta(days=1))
        ev.add("summary", f"{titulo}: {r['caso']}")
        descripcion = f"{r['descripcion']} ({r['articulo']}).\nFichero: {r['fichero']}"
        if r["actuar_antes_de"]:
            antes = date.fromisoformat(r["actuar_antes_de"])
            descripcion += (
                f"\nCae en fin de semana y no se prorroga: actúe antes del {antes:%d/%m/%Y}."
            )
        ev.add("description", descripcion)
        ev.add("transp", "TRANSPARENT")
        if r["estado"] == "proximo":
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{titulo}: {r['caso']}")
            alarm.add("trigger", timedelta(days=-3))
            ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()


ICS_PRODID = "-//reclama//plazos//ES"


def _write_ics(path: Path, rows: list[dict[str, Any]], today: date, forzar: bool) -> None:
    """Replace reclama's own earlier export; another calendar only with --forzar; never a
    file that is not a calendar (a case file, say), a link or a folder.

    A device or named pipe (`--ics /dev/stdout`) is written into.
    """
    from reclama.files import check_target, os_error_es, write_atomic

    if check_target(path, forzar=True, campo="--ics", streams=True) == "replace":
        try:
            with path.open("rb") as f:
                head = f.read(512)
        except OSError as e:
            raise InputError("--ics", f"no se puede leer {path}: {os_error_es(e)}") from None
        if not head.startswith(b"BEGIN:VCALENDAR"):
            raise InputError(
                "--ics", f"{path} ya existe y no es un calendario iCalendar; no se sobrescribe"
            )
        if b"PRODID:" + ICS_PRODID.encode() + b"\r\n" not in head and not forzar:
            raise InputError(
                "--ics",
                f"{path} es un calendario que no exportó reclama; use --forzar para sustituirlo",
            )
    write_atomic(path, ics_calendar(rows, today), forzar=True, campo="--ics", streams=True)
