"""The law as dated data: load and select the rule versions in legal_rules/."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal, get_args

import tomli  # compiled: the statutes' long quotes parse ~2.5x faster than with tomllib, on every start
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from reclama.errors import InternalError
from reclama.paths import rules_dir

Regimen = Literal["2007", "2022"]
# The dates of a case a rule version can be chosen by (`selecciona_por`); the engine passes
# them as a mapping `Fechas`, so a rule file, not the code, says which one decides.
Selector = Literal["fecha_contrato", "fecha_reclamacion", "fecha_hecho"]
SELECTORES: tuple[str, ...] = get_args(Selector)
Fechas = Mapping[str, date]
Valor = int | str | bool | date | list[str]

# A quote may leave words out; the omitted part is marked with this separator.
OMISSION = " […] "


def fechas_de_evento(contrato: date, evento: date) -> dict[str, date]:
    """The dates that pick rule versions for one event of a case (a claim, a letter, a return).

    The contract's date, and the event's own, as the claim it is and the fact it records.
    """
    return {"fecha_contrato": contrato, "fecha_reclamacion": evento, "fecha_hecho": evento}


class RulesError(InternalError):
    """A file in legal_rules/ is malformed: the program cannot answer safely."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cita(_Strict):
    """One citation: where the law says it, and its literal words.

    `texto` is the provision as the program applies it; `breve`, when present, is a shorter
    excerpt of that same text for the letter: verbatim pieces of `texto`, in order, joined by
    OMISSION. Reports, JSON and the PDF/A attachment always carry `texto`.
    """

    norma: str
    norma_boe: str
    articulo: str
    texto: str = Field(min_length=10)
    breve: str | None = Field(default=None, min_length=10)
    url: str = Field(pattern=r"^https://www\.boe\.es/")
    fuente: str
    explicacion: str = Field(min_length=10)
    comprobado: date

    @model_validator(mode="after")
    def _breve_is_an_excerpt(self) -> Cita:
        if self.breve is None:
            return self
        if len(self.breve) >= len(self.texto):
            raise ValueError("«breve» debe ser más corta que «texto»")
        pos = 0
        for piece in self.breve.split(OMISSION):
            found = self.texto.find(piece, pos) if piece else -1
            if found < 0:
                raise ValueError(f"«breve» no es un extracto literal de «texto»: {piece!r}")
            pos = found + len(piece)
        return self

    @property
    def etiqueta(self) -> str:
        """Short label for a user: 'art. <articulo> <norma>', or 'DF 8.ª d) RDL 7/2021'."""
        prefix = "art. " if self.articulo[:1].isdigit() else ""
        return f"{prefix}{self.articulo} {self.norma}"


class RuleVersion(_Strict):
    """One wording of a rule, in force from `valido_desde` until the next version starts."""

    valido_desde: date
    regimen: Regimen | None = None
    derogada: bool = False
    no_verificado: str | None = None
    valores: dict[str, Valor] = {}  # copied per instance; cheaper at import than a builtin factory
    cita: list[Cita] = Field(min_length=1)

    @property
    def principal(self) -> Cita:
        return self.cita[0]


class Rule(_Strict):
    """A rule file: an id, what selects its version, and the dated versions."""

    id: str
    titulo: str
    selecciona_por: Selector
    version: list[RuleVersion] = Field(min_length=1)

    @model_validator(mode="after")
    def _sorted_versions(self) -> Rule:
        starts = [v.valido_desde for v in self.version]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError(
                "las versiones deben ir ordenadas por valido_desde, sin repetir fechas"
            )
        return self

    def at(self, fecha: date) -> RuleVersion | None:
        """The version in force on `fecha` (half-open intervals), or None."""
        current = None
        for v in self.version:
            if v.valido_desde <= fecha:
                current = v
            else:
                break
        if current is None or current.derogada:
            return None
        return current

    def fecha(self, fechas: Fechas) -> date:
        """The date among `fechas` that picks this rule's version: `selecciona_por` names it."""
        try:
            return fechas[self.selecciona_por]
        except KeyError:
            raise RulesError(
                f"la regla {self.id} se elige por {self.selecciona_por}, que no se conoce aquí"
            ) from None

    def select(self, fechas: Fechas) -> RuleVersion | None:
        """The version in force on the date this rule is chosen by, or None."""
        return self.at(self.fecha(fechas))

    def valid_until(self, version: RuleVersion) -> date | None:
        """The last day `version` is in force, or None if it is the newest."""
        i = next(i for i, v in enumerate(self.version) if v is version)
        if i + 1 < len(self.version):
            return date.fromordinal(self.version[i + 1].valido_desde.toordinal() - 1)
        return None


class RuleBook:
    """All rules, by id."""

    def __init__(self, rules: dict[str, Rule]):
        self.rules = rules
        # Objects derived from a rule version (e.g. the engine's citations), built once per book.
        self.memo: dict[object, object] = {}

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise RulesError(f"falta la regla {rule_id} en legal_rules/") from None

    def at(self, rule_id: str, fecha: date) -> RuleVersion | None:
        """The version in force on `fecha` whatever the rule is chosen by (`reclama reglas`)."""
        return self.rule(rule_id).at(fecha)

    def select(self, rule_id: str, fechas: Fechas) -> RuleVersion | None:
        """The version of a case's rule, picked by the date its `selecciona_por` names."""
        return self.rule(rule_id).select(fechas)

    def applied(self, rule_id: str, valido_desde: date) -> RuleVersion | None:
        """The version that starts on `valido_desde`: the one a `Fundamento` records."""
        return next((v for v in self.rule(rule_id).version if v.valido_desde == valido_desde), None)

    def in_force(self, fecha: date) -> list[tuple[Rule, RuleVersion]]:
        """Every rule version in force on `fecha`, in id order."""
        out = []
        for rule_id in sorted(self.rules):
            v = self.rules[rule_id].at(fecha)
            if v is not None:
                out.append((self.rules[rule_id], v))
        return out


def load_rule_file(path: Path, root: Path) -> Rule:
    """Parse and validate one rule file; its id must match its path."""
    expected_id = ".".join(path.relative_to(root).with_suffix("").parts)
    try:
        with path.open("rb") as f:
            data = tomli.load(f)
        rule = Rule.model_validate(data)
    except (tomli.TOMLDecodeError, ValidationError) as e:
        raise RulesError(f"{path.relative_to(root)}: {e}") from None
    if rule.id != expected_id:
        raise RulesError(
            f"{path.relative_to(root)}: id {rule.id!r} no coincide con {expected_id!r}"
        )
    return rule


def load_rules(root: Path | None = None) -> RuleBook:
    """Load every legal_rules/**/*.toml (or `root`, or $RECLAMA_REGLAS), once per folder.

    Any malformed file is an error, never skipped; so is a `selecciona_por` naming a date the
    engine does not pass (the `Selector` type lists the ones it does).
    """
    return _load_rules(Path(root) if root else rules_dir())


@cache
def _load_rules(root: Path) -> RuleBook:
    rules = {}
    for path in sorted(root.rglob("*.toml")):
        rule = load_rule_file(path, root)
        rules[rule.id] = rule
    if not rules:
        raise RulesError(f"no hay reglas en {root}")
    return RuleBook(rules)
