"""A file separated by semicolons, tabs or pipes is recognised by its header and loaded, with a note."""

from __future__ import annotations

from pathlib import Path

import pytest

from support_kpis.contract import TABLES
from support_kpis.errors import DataError
from support_kpis.loading import load_folder
from tests.reliability.loader_inputs import GOOD_TICKET, folder_with, rows
from tests.reliability.reliability_cli import error_lines, load

TICKET_COLUMNS = TABLES["tickets"].column_names


def _separated(delimiter: str) -> bytes:
    values = {**GOOD_TICKET, "subject": '"Hello, world; a|b"'}  # the delimiter inside a quoted value is text
    lines = [
        delimiter.join(f" {c.upper()} " if c == "channel" else c for c in TICKET_COLUMNS),  # header matching rules
        delimiter.join(values.get(c, "") for c in TICKET_COLUMNS),
        delimiter.join({**values, "ticket_id": "T2", "channel": "fax"}.get(c, "") for c in TICKET_COLUMNS),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.mark.parametrize(
    ("delimiter", "named"), [(";", "semicolons"), ("\t", "tabs"), ("|", "pipes")], ids=["semicolon", "tab", "pipe"]
)
def test_a_file_with_another_delimiter_loads_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], delimiter: str, named: str
) -> None:
    warehouse = tmp_path / "w.duckdb"
    load_folder(folder_with(tmp_path / "data", **{"tickets.csv": _separated(delimiter)}), warehouse)
    assert rows(warehouse, "select ticket_id, channel, subject, _source_row from raw.tickets") == [
        ("T1", "email", "Hello, world; a|b", 2)
    ]
    assert rows(warehouse, "select ticket_id, _rules, _source_row from quarantine.tickets") == [
        ("T2", "unknown_enum(channel)", 3)
    ]
    note = f"note: tickets.csv: fields are separated by {named}, not commas: read with {delimiter!r}"
    assert note in capsys.readouterr().err.splitlines()


def test_a_one_column_file_of_a_known_column_is_still_comma_separated(tmp_path: Path) -> None:
    folder = folder_with(tmp_path / "data", **{"customers.csv": b"customer_id\nC1\nC2;C3\n"})
    warehouse = tmp_path / "w.duckdb"
    load_folder(folder, warehouse)
    assert rows(warehouse, "select customer_id from raw.customers order by 1") == [("C1",), ("C2;C3",)]


@pytest.mark.parametrize(
    "header_line",
    ["ticket_id:created_at:channel:status", "ticket_id;created;chan;state"],
    ids=["unknown_delimiter", "semicolons_without_the_columns"],
)
def test_an_undetectable_delimiter_is_one_line_saying_so(tmp_path: Path, header_line: str) -> None:
    folder = folder_with(tmp_path / "data", **{"tickets.csv": f"{header_line}\nT1:x:email:open\n".encode()})
    with pytest.raises(DataError) as caught:
        load_folder(folder, tmp_path / "w.duckdb")
    message = str(caught.value)
    assert message.startswith("tickets.csv: row 1: cannot tell the delimiter") and "\n" not in message
    assert f"'{header_line}'" in message


def test_cli_an_undetectable_delimiter_exits_2(tmp_path: Path) -> None:
    folder = folder_with(tmp_path / "data", **{"ticket_events.csv": b"event_id ticket_id occurred_at\nE1 T1 x\n"})
    result = load(folder, tmp_path / "w.duckdb")
    assert result.returncode == 2
    (line,) = error_lines(result)
    assert line.startswith("support-kpis load: error: ticket_events.csv: row 1: cannot tell the delimiter")
