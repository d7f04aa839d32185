"""Every command has help text and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from realreview.cli import app

README = (Path(__file__).parent.parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=()):  # type: ignore[no-untyped-def]
    for name, command in group.commands.items():
        path = (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield path, command


COMMANDS = list(_commands(typer.main.get_command(app)))


@pytest.mark.parametrize("path,command", COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_command_is_documented(path: tuple[str, ...], command) -> None:  # type: ignore[no-untyped-def]
    assert command.help, f"realreview {' '.join(path)} has no help text"
    assert f"realreview {' '.join(path)}" in README
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_all_commands_found() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"init", "import", "records", "searches", "export", "search add", "db upgrade"} <= names
