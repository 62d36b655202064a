"""The command-line layer: the only code that imports typer or rich and knows flag names.

`app`, `main` and `COMMANDS` live in `reclama.cli.application`; they are looked up on
first use, so importing one piece of this package (say `reclama.cli.options`) does not
load the application. `main` imports only the invoked command's module; `reclama.cli.app`
is the application with every command registered (for tests and tools that inspect it).
"""

from __future__ import annotations

from typing import Any

__all__ = ["COMMANDS", "app", "main"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from reclama.cli import application

        if name == "app":
            return application.register_all()
        return getattr(application, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
