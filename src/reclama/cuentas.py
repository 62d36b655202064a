"""The seller's account on each social network, in the shape that network's mentions need.

A leaf module: the case model checks its fields with it and reclama.social writes the
mention, without either importing the other.
"""

from __future__ import annotations

import re

RED_NOMBRE = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky"}

_FORMA_USUARIO = {
    # X: 1 to 15 letters, digits or underscores.
    "x": (re.compile(r"[A-Za-z0-9_]{1,15}"), "de 1 a 15 letras, cifras o guiones bajos"),
    # Mastodon: user@server; a bare user would mention someone on the poster's own server.
    "mastodon": (
        re.compile(
            r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]{0,28}[A-Za-z0-9_])?"  # user
            r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"  # @server
        ),
        "@usuario@servidor (por ejemplo, @tienda@mastodon.social)",
    ),
    # Bluesky: a domain name (name.bsky.social, or the shop's own domain).
    "bluesky": (
        re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"),
        "un dominio, como tienda.bsky.social",
    ),
}


def usuario_valido(red: str, valor: str) -> str:
    """The account as stored (no leading '@'), if it has the shape `red`'s mentions need.

    Raises:
        ValueError: with the Spanish reason (the case-file checks name the field).
    """
    valor = valor.strip().removeprefix("@")
    patron, forma = _FORMA_USUARIO[red]
    if len(valor) > 253 or not patron.fullmatch(valor):
        raise ValueError(
            f"«{valor}» no es un usuario de {RED_NOMBRE[red]} válido: escríbalo como {forma}"
        )
    return valor
