"""Write src/reclama/data/festivos.json: Spain's holidays from the installed `holidays` package.

Run it after upgrading `holidays` (`make festivos`); tests/test_habiles.py checks the file
against the package when the versions match. Years: a span around today wide enough for
every working-day count reclama makes (complaints, answers, withdrawals); other years are
asked of the package at run time.
"""

from __future__ import annotations

import json
import os
import sys

from reclama.habiles import CALENDARIOS, calendarios

ANOS = range(2015, 2036)


def main() -> int:
    text = json.dumps(calendarios(ANOS), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    tmp = CALENDARIOS.with_suffix(".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, CALENDARIOS)
    print(f"{CALENDARIOS}: {len(ANOS)} años, {len(text) // 1024} KB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
