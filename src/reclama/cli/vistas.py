"""Terminal rendering of an evaluation: verdict first, then deadlines, remedies and reasons."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from reclama.engine import REMEDIO_NOMBRE, Plazo, Resultado
from reclama.rules import Rule, RuleVersion

if TYPE_CHECKING:
    from reclama.remedio import Demanda

PLAZO_TITULO = {
    "garantia": "Garantía legal",
    "presuncion": "Presunción (carga de la prueba)",
    "aviso": "Aviso al vendedor",
    "prescripcion": "Prescripción de la acción",
    "respuesta_empresario": "Respuesta del vendedor",
    "resolucion_empresario": "Resolución (Ley 10/2025)",
    "demanda": "Demandar con la reclamación previa",
    "desistimiento": "Desistimiento",
    "reembolso_desistimiento": "Reembolso tras el desistimiento",
    "cobertura_reparacion": "Cobertura tras la reparación",
    "presuncion_sustituto": "Presunción del producto sustituto",
}
_NO_DISPONIBLE = {
    "todavia_no": "no puede exigirse todavía",
    "ya_no": "ya no puede exigirse",
    "no": "no puede exigirse",
}


def valor_nombre(key: object) -> str:
    """A rule value's key or value as words (`meses_bienes` -> «meses bienes»), lists joined."""
    if isinstance(key, list | tuple):
        return ", ".join(map(valor_nombre, key))
    return REMEDIO_NOMBRE.get(str(key), str(key).replace("_", " "))


def _f(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def verdict(r: Resultado) -> tuple[str, str]:
    """One line that answers 'can I claim?', and its colour.

    When another reading of an unsettled point changes the answer, the line says so
    instead of stating either answer as certain.
    """
    if r.otra_lectura is not None:
        return (
            "La respuesta depende de un punto no verificado: véase «Otra lectura» más abajo.",
            "yellow",
        )
    if not r.en_garantia:
        return "Fuera de la garantía legal: el defecto apareció después del plazo.", "red"
    if r.prescrita:
        return "En garantía, pero con los datos dados la acción estaría prescrita.", "red"
    if r.remedio is not None and not r.remedio.admisible:
        cuando = _NO_DISPONIBLE.get(r.remedio.disponible, "no puede exigirse")
        if r.remedio.solicitado == "desistimiento":
            cuando = cuando.replace("exigirse", "ejercerse")
        return (f"En garantía, pero {REMEDIO_NOMBRE[r.remedio.solicitado]} {cuando}.", "yellow")
    return "En garantía y en plazo: puede reclamar al vendedor.", "green"


def _withdrawal_asked(r: Resultado) -> bool:
    return (r.remedio is not None and r.remedio.solicitado == "desistimiento") or (
        r.plazos.get("reembolso_desistimiento") is not None
    )


def _sin_plazo_de_aviso(r: Resultado) -> bool:
    """The rule on notice to the seller applied and set no deadline (its data, not the regime)."""
    return r.plazos.get("aviso") is None and any(f.regla == "trlgdcu.aviso" for f in r.fundamentos)


def derivacion(p: Plazo) -> list[str]:
    """How a date was reached, one line per step: the base rule, then each adjustment."""
    out = []
    for n, paso in enumerate(p.derivacion):
        dias = f"+{paso.dias} días: " if paso.dias else ""
        out.append(f"{'' if n == 0 else '  '}{dias}{paso.texto} ({paso.articulo})")
    return out


def print_derivations(r: Resultado, console: Console) -> None:
    """The reasons behind every date an adjustment moved (repairs, agreements, claims, 2020)."""
    shown = [(k, p) for k, p in r.plazos.items() if p is not None and len(p.derivacion) > 1]
    if not shown:
        return
    console.print("[bold]Cómo se calculan las fechas[/bold]")
    for key, p in shown:
        console.print(f"• {PLAZO_TITULO.get(key, key)}: {_f(p.vence)}", highlight=False)
        for line in derivacion(p):
            console.print(f"    {line}", highlight=False)
    console.print()


def print_result(
    r: Resultado, console: Console | None = None, demanda: Demanda | None = None
) -> None:
    """The evaluation for a person; `demanda` (reclama.remedio) is what a letter would demand."""
    console = console or Console()
    text, colour = verdict(r)
    console.print(Text(text, style=f"bold {colour}"))
    regimen = f"Régimen aplicable: {r.regimen}"
    if r.regimen_incierto:
        regimen += " (incierto: véanse los avisos)"
    carga = "el vendedor" if r.carga_prueba == "empresario" else "usted (consumidor)"
    console.print(f"{regimen} · Debe probar el origen del defecto: {carga}")
    console.print()

    table = Table(title=f"Plazos a {_f(r.hoy)}", title_justify="left", show_lines=False)
    table.add_column("Plazo")
    table.add_column("Vence")
    table.add_column("Días", justify="right")
    table.add_column("Artículo")
    for key, p in r.plazos.items():
        if key == "desistimiento" and p is not None and p.vencido and not _withdrawal_asked(r):
            continue  # long past and not what the consumer asks about; the JSON keeps it
        if p is None:
            if key == "aviso" and _sin_plazo_de_aviso(r):
                table.add_row(PLAZO_TITULO[key], "—", "—", "sin plazo en la ley vigente")
            continue
        dias = Text(str(p.dias_restantes), style="red" if p.vencido else "")
        vence = _f(p.vence) + (" (sáb./dom.)" if p.fin_de_semana else "")
        if p.hipotetico:
            vence += " si reclama hoy"
        table.add_row(PLAZO_TITULO.get(key, key), vence, dias, p.articulo)
    console.print(table)

    console.print(f"[bold]Puede exigir ahora:[/bold] {exigible_ahora(r)}", highlight=False)
    if r.plazos.get("reembolso_desistimiento") is not None:
        console.print(
            f"[bold]Desistimiento ejercido[/bold] el {_f(r.plazos['reembolso_desistimiento'].desde)}: "
            "queda esperar el reembolso.",
            highlight=False,
        )
    if demanda is not None and demanda.pedido != (demanda.elegido,):
        console.print(
            f"[bold]Medida a exigir:[/bold] {demanda.nombre}. {demanda.motivo}", highlight=False
        )
    console.print()
    print_derivations(r, console)
    console.print("[bold]Por qué[/bold]")
    for c in r.conclusiones:
        suffix = f" [dim]({c.articulo})[/dim]" if c.articulo and c.articulo not in c.texto else ""
        console.print(f"• {c.texto}{escape(_indicar(c.indicar))}{suffix}", highlight=False)
    weekend = [
        p for p in r.plazos.values() if p is not None and p.actuar_antes_de and not p.vencido
    ]
    for p in weekend:
        cuando = (
            "hoy mismo" if p.actuar_antes_de == r.hoy else f"como tarde el {_f(p.actuar_antes_de)}"
        )
        console.print(
            f"• El plazo «{p.descripcion}» acaba en fin de semana ({_f(p.vence)}) y puede no "
            f"prorrogarse: actúe {cuando}.",
            highlight=False,
        )
    if r.otra_lectura is not None:
        console.print()
        console.print("[bold]Otra lectura[/bold]")
        console.print(Text(f"• {r.otra_lectura.texto}", style="yellow"))
    print_via_judicial(r, console)
    if r.avisos:
        console.print()
        console.print("[bold]Avisos[/bold]")
        for a in r.avisos:
            if a.codigo.startswith("otra_lectura_"):
                continue  # printed above, under «Otra lectura»
            style = "yellow" if a.no_verificado else ""
            console.print(Text(f"• {a.texto}{_indicar(a.indicar)}", style=style))


def exigible_ahora(r: Resultado) -> str:
    """What can be demanded now; never 'no remedy' as a fact when a reading decides it."""
    nombres = ", ".join(REMEDIO_NOMBRE[x] for x in r.remedios_admisibles)
    alt = r.otra_lectura
    if alt is not None and alt.remedios_admisibles != r.remedios_admisibles:
        otros = ", ".join(REMEDIO_NOMBRE[x] for x in alt.remedios_admisibles) or "ninguno"
        return f"{nombres or 'ninguno'} con la lectura aplicada; {otros} con la otra lectura."
    if nombres:
        return f"{nombres}."
    return "ningún remedio de la garantía legal con los datos dados."


def print_via_judicial(r: Resultado, console: Console) -> None:
    """«Puede demandar desde»: the prior claim of LO 1/2025 and the year it lasts (art. 7.3)."""
    v = r.via_judicial
    if v is None:
        return
    console.print()
    console.print(f"[bold]Vía judicial[/bold] [dim]({v.articulo})[/dim]", highlight=False)
    if v.puede_demandar_desde is not None:
        linea = f"Puede demandar desde: {_f(v.puede_demandar_desde)}"
        if v.puede_demandar_desde_da7 and v.puede_demandar_desde_da7 < v.puede_demandar_desde:
            linea += f" (según la lectura literal de la DA 7.ª, desde el {_f(v.puede_demandar_desde_da7)})"
        console.print(linea, highlight=False)
        hasta = f"La reclamación previa sirve para demandar hasta el {_f(v.requisito_hasta)}"
        if v.actuar_antes_de:
            hasta += f" (cae en fin de semana: actúe como tarde el {_f(v.actuar_antes_de)})"
        console.print(hasta + ".", highlight=False)
    console.print(f"• {v.texto}", highlight=False)


def print_rules(
    day: date, rows: list[tuple[Rule, RuleVersion]], console: Console | None = None
) -> None:
    console = console or Console()
    console.print(
        f"[bold]Reglas en vigor el {_f(day)}[/bold] (cada una según la fecha que la selecciona)"
    )
    for rule, v in rows:
        hasta = rule.valid_until(v)
        vigencia = f"desde {_f(v.valido_desde)}" + (f" hasta {_f(hasta)}" if hasta else "")
        regimen = f" · régimen {v.regimen}" if v.regimen else ""
        console.print()
        console.print(
            f"[bold]{rule.id}[/bold] — {rule.titulo}{regimen} · {vigencia}", highlight=False
        )
        if v.valores:
            valores = ", ".join(
                f"{valor_nombre(k)} = {valor_nombre(x) if isinstance(x, list | str) else x}"
                for k, x in v.valores.items()
            )
            console.print(f"  Valores: {valores}", highlight=False)
        for c in v.cita:
            console.print(f"  {c.etiqueta}: «{c.texto}»", highlight=False)
            console.print(f"  [dim]{c.url}[/dim]", highlight=False)
        if v.no_verificado:
            console.print(Text(f"  No verificado: {v.no_verificado}", style="yellow"))


def _indicar(claves: tuple[str, ...]) -> str:
    """The flag of each fact a conclusion or warning asks to indicate."""
    from reclama.cli.campos import como_indicar

    return " " + como_indicar(claves) if claves else ""
