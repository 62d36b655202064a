"""`caso nuevo` asks questions only of a person at a terminal; scripts get no prompts.

Run as real processes, because what matters is what stdin is: a pipe, closed, or a terminal.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

FACTS = [
    "--compra",
    "2024-05-10",
    "--canal",
    "tienda",
    "--descubrimiento",
    "2024-06-01",
    "--hoy",
    "2024-06-02",
]


def _reclama(*args: str, shell_suffix: str = "", stdin=None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "reclama", *args]
    if shell_suffix:  # `<&-` closes stdin, which only a shell can express
        import shlex

        return subprocess.run(" ".join(map(shlex.quote, cmd)) + shell_suffix, shell=True,
                              capture_output=True, text=True, check=False)  # fmt: skip
    return subprocess.run(cmd, stdin=stdin, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("stdin", ["pipe", "devnull", "closed"])
def test_from_a_script_every_fact_as_a_flag_saves_without_asking(tmp_path, stdin):
    path = tmp_path / "caso.toml"
    if stdin == "closed":
        proc = _reclama("caso", "nuevo", str(path), *FACTS, shell_suffix=" <&-")
    else:
        proc = _reclama("caso", "nuevo", str(path), *FACTS,
                        stdin=subprocess.PIPE if stdin == "pipe" else subprocess.DEVNULL)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert path.exists()
    assert "Interrumpido" not in proc.stderr and "?" not in proc.stdout


@pytest.mark.parametrize("suffix", [" <&-", " </dev/null"], ids=["closed", "empty"])
def test_from_a_script_a_missing_fact_names_its_flag_exit_2(tmp_path, suffix):
    path = tmp_path / "caso.toml"
    proc = _reclama("caso", "nuevo", str(path), "--compra", "2024-05-10", "--hoy", "2024-06-02",
                    shell_suffix=suffix)  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error en --descubrimiento:"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not path.exists()


def _on_a_terminal(args: list[str], typed: bytes) -> tuple[int, str]:
    """Run reclama with a pseudo-terminal as stdin/stdout, type `typed`, read all it prints."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execv(sys.executable, [sys.executable, "-m", "reclama", *args])
    os.write(fd, typed)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")


def test_on_a_terminal_it_asks_and_ctrl_d_names_the_unanswered_field(tmp_path):
    path = tmp_path / "caso.toml"
    # Answers the purchase date, then the terminal's end-of-input (Ctrl-D) at "Fecha de entrega".
    code, out = _on_a_terminal(
        ["caso", "nuevo", str(path), "--hoy", "2024-06-02"], b"2024-05-10\n\x04"
    )
    assert code == 2, out
    assert "Fecha de la compra o del pedido" in out  # it did ask
    assert "Error en --entrega:" in out and "Fecha de entrega" in out
    assert "Traceback" not in out
    assert not path.exists()
