"""`load --append`: batches added one by one leave raw as one load of the batches concatenated would.

The data is generated (a few hundred tickets), split into batches as a nightly export would deliver it, and loaded
two ways into real DuckDB warehouses: batch by batch with append, and once from the concatenated files.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from support_kpis.contract import TABLES
from support_kpis.errors import DataError
from support_kpis.loading import load_folder
from support_kpis.settings import PROJECT_ROOT
from support_kpis.validation.ledger import reconcile

Rows = list[list[str]]
LATER = "2030-01-01T00:00:00Z"  # after every generated timestamp
EARLIER = "2001-01-01T00:00:00Z"  # before every generated timestamp


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    python = PROJECT_ROOT / ".venv" / "bin" / "python"
    return subprocess.run(
        [str(python if python.exists() else sys.executable), "-m", "support_kpis.cli", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )


def _read(path: Path) -> tuple[list[str], Rows]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def _write(folder: Path, table: str, header: list[str], rows: Rows) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    """Three batches and the folder of their concatenation (each table's rows: batch 1's, then 2's, then 3's)."""
    root = tmp_path_factory.mktemp("append")
    generated = root / "generated"
    result = _cli("generate", "--tickets", "300", "--seed", "7", "--out", str(generated))
    assert result.returncode == 0, result.stderr
    parts: list[dict[str, Rows]] = [{}, {}, {}]
    headers: dict[str, list[str]] = {}
    for path in sorted(generated.glob("*.csv")):
        table = path.stem
        headers[table], rows = _read(path)
        third = len(rows) // 3
        chunks = [rows[:third], rows[third : 2 * third], rows[2 * third :]]
        for part, chunk in zip(parts, chunks, strict=True):
            part[table] = chunk

    tickets = headers["tickets"]
    at = {name: tickets.index(name) for name in ("ticket_id", "created_at", "updated_at", "status", "subject")}
    first = parts[0]["tickets"]
    resent = []
    for row in first[:10]:  # later versions with new values: they replace batch 1's rows
        newer = list(row)
        newer[at["updated_at"]], newer[at["status"]], newer[at["subject"]] = LATER, "closed", "re-sent, newer"
        resent.append(newer)
    for row in first[10:15]:  # older versions: batch 1's rows stay
        older = list(row)
        older[at["updated_at"]], older[at["subject"]] = EARLIER, "re-sent, older"
        resent.append(older)
    resent += [list(row) for row in first[15:20]]  # exact copies: dropped
    bad = list(first[20])
    bad[at["ticket_id"]], bad[at["created_at"]] = "T-BAD", "not a time"  # quarantined
    resent.append(bad)
    parts[1]["tickets"] = resent + parts[1]["tickets"]

    events = headers["ticket_events"]
    body = events.index("body")
    changed = [list(row) for row in parts[0]["ticket_events"][:5]]
    for row in changed:  # events have no version: the later batch wins
        row[body] = "edited in a later export"
    parts[1]["ticket_events"] = changed + parts[1]["ticket_events"]

    # Batch 3 delivers only events and late surveys: every other table stays as batches 1 and 2 left it.
    parts[2] = {table: parts[2][table] for table in ("ticket_events", "surveys")}

    folders = []
    for number, part in enumerate(parts, start=1):
        folder = root / f"batch{number}"
        for table, rows in part.items():
            _write(folder, table, headers[table], rows)
        folders.append(folder)
    whole = root / "concatenated"
    for table, header in headers.items():
        _write(whole, table, header, [row for part in parts for row in part.get(table, [])])
    return folders, whole


def _contract_rows(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> list[tuple[object, ...]]:
    columns = ", ".join(f'"{c}"' for c in TABLES[table].column_names)
    extra = ', "_rules"' if schema == "quarantine" else ""
    found = con.execute(f"SELECT {columns}{extra} FROM {catalog}.{schema}.{table}").fetchall()
    return sorted(found, key=repr)


def test_appended_batches_equal_one_load_of_their_concatenation(
    batches: tuple[list[Path], Path], tmp_path: Path
) -> None:
    folders, whole = batches
    appended, full = tmp_path / "appended.duckdb", tmp_path / "full.duckdb"
    reports = [load_folder(folder, appended, append=True) for folder in folders]
    again = load_folder(folders[1], appended, append=True)
    load_folder(whole, full)

    assert again.already_loaded_at == reports[1].loaded_at
    assert "already loaded" in again.summary() and len(again.summary().splitlines()) == 1
    tickets = reports[1].table("tickets")
    # Batch 2's re-sent tickets: 10 newer versions replace raw rows, 5 older ones and 5 copies are dropped.
    assert (tickets.rows_replaced, tickets.rows_quarantined) == (10, 1)
    assert tickets.rows_duplicate_exact == 5 and tickets.rows_superseded == 5

    with duckdb.connect() as con:
        con.execute(f"ATTACH '{appended}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{full}' AS f (READ_ONLY)")
        for table in TABLES:
            for schema in ("raw", "quarantine"):
                assert _contract_rows(con, "a", schema, table) == _contract_rows(con, "f", schema, table), (
                    f"{schema}.{table}"
                )
        presence = "SELECT table_name, is_present FROM {}.raw.table_inventory ORDER BY 1"
        assert con.execute(presence.format("a")).fetchall() == con.execute(presence.format("f")).fetchall()
        assert con.execute("SELECT count(*) FROM a.raw.tickets WHERE subject = 're-sent, newer'").fetchone() == (10,)
        assert con.execute("SELECT count(*) FROM a.raw.tickets WHERE subject = 're-sent, older'").fetchone() == (0,)
        # Rows carry the load time of the batch that wrote them: batch 1's tickets but the 10 replaced ones keep
        # batch 1's, the re-sent newer versions and batch 2's new tickets have batch 2's.
        stamps = dict(con.execute("SELECT _loaded_at, count(*) FROM a.raw.tickets GROUP BY ALL").fetchall())
        assert stamps == {
            reports[0].loaded_at: reports[0].table("tickets").rows_loaded - 10,
            reports[1].loaded_at: reports[1].table("tickets").rows_loaded,
        }
        newer = "SELECT DISTINCT _loaded_at FROM a.raw.tickets WHERE subject = 're-sent, newer'"
        assert con.execute(newer).fetchall() == [(reports[1].loaded_at,)]
        batches_seen = con.execute(
            "SELECT batch_id, mode, min(loaded_at) FROM a.raw.load_batches GROUP BY ALL ORDER BY 3"
        ).fetchall()
        assert batches_seen == [(r.batch_id, "append" if i else "full", r.loaded_at) for i, r in enumerate(reports)]
        (surveys_at,) = con.execute(
            "SELECT loaded_at FROM a.raw.table_inventory WHERE table_name = 'surveys'"
        ).fetchone() or (None,)
        assert surveys_at == reports[2].loaded_at

    with duckdb.connect(str(appended), read_only=True) as con:
        for table in TABLES:
            found = reconcile(con, table)
            assert found is not None and found.reconciles, (table, found)


def test_append_to_a_new_warehouse_is_a_first_load(batches: tuple[list[Path], Path], tmp_path: Path) -> None:
    folders, _ = batches
    appended, full = tmp_path / "appended.duckdb", tmp_path / "full.duckdb"
    first = load_folder(folders[0], appended, append=True)
    load_folder(folders[0], full)
    assert not first.appended
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{appended}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{full}' AS f (READ_ONLY)")
        for table in TABLES:
            assert _contract_rows(con, "a", "raw", table) == _contract_rows(con, "f", "raw", table), table


def test_a_full_load_replaces_every_batch(batches: tuple[list[Path], Path], tmp_path: Path) -> None:
    folders, _ = batches
    warehouse = tmp_path / "w.duckdb"
    for folder in folders:
        load_folder(folder, warehouse, append=True)
    last = load_folder(folders[0], warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT DISTINCT batch_id, mode FROM raw.load_batches").fetchall() == [
            (last.batch_id, "full")
        ]
        assert con.execute("SELECT DISTINCT _loaded_at FROM raw.ticket_events").fetchall() == [(last.loaded_at,)]


def test_cli_appends_and_says_when_a_batch_was_loaded_before(batches: tuple[list[Path], Path], tmp_path: Path) -> None:
    folders, _ = batches
    warehouse = str(tmp_path / "w.duckdb")
    assert _cli("load", str(folders[0]), "--warehouse", warehouse).returncode == 0
    appended = _cli("load", str(folders[2]), "--warehouse", warehouse, "--append")
    assert appended.returncode == 0, appended.stderr
    assert "Appended batch" in appended.stdout
    repeated = _cli("load", str(folders[2]), "--warehouse", warehouse, "--append")
    assert repeated.returncode == 0, repeated.stderr
    assert repeated.stdout.strip().count("\n") == 0 and "already loaded" in repeated.stdout


@pytest.mark.parametrize(
    ("options", "named"),
    [(("--source", "zendesk"), "--source zendesk"), (("--target", "spark"), "--target spark")],
)
def test_cli_refuses_append_where_it_is_not_supported(tmp_path: Path, options: tuple[str, ...], named: str) -> None:
    (tmp_path / "data").mkdir()
    result = _cli("load", str(tmp_path / "data"), "--append", *options)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and named in errors[0] and "--append" in errors[0], result.stderr


# --- small hand-made batches ----------------------------------------------------------------------------------


def _hand_made(folder: Path, tickets: list[str], header_extra: str = "") -> Path:
    from tests.loading.test_load import EVENTS_HEADER, TICKETS_HEADER, write

    write(folder, "tickets.csv", "\n".join([TICKETS_HEADER + header_extra, *tickets]) + "\n")
    write(folder, "ticket_events.csv", EVENTS_HEADER + "\nE1,T1,2026-03-01T09:00:00Z,message,customer,,true,,,,,,Hi\n")
    return folder


def test_a_later_batch_may_bring_a_column_earlier_batches_lacked(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    load_folder(_hand_made(tmp_path / "b1", ["T1,2026-03-01T09:00:00Z,,,email,,,,open,,,,one"]), warehouse)
    second = _hand_made(tmp_path / "b2", ["T2,2026-03-02T09:00:00Z,,,chat,,,,open,,,,two,EU"], ",region")
    load_folder(second, warehouse, append=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute("SELECT ticket_id, region FROM raw.tickets ORDER BY 1").fetchall()
    assert found == [("T1", None), ("T2", "EU")]


def test_an_empty_batch_changes_no_table_and_is_recorded_once(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    load_folder(_hand_made(tmp_path / "b1", ["T1,2026-03-01T09:00:00Z,,,email,,,,open,,,,one"]), warehouse)
    (tmp_path / "empty").mkdir()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        inventory = con.execute("SELECT * FROM raw.table_inventory ORDER BY table_name").fetchall()
    empty = load_folder(tmp_path / "empty", warehouse, append=True)
    again = load_folder(tmp_path / "empty", warehouse, append=True)
    assert again.already_loaded_at == empty.loaded_at
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT * FROM raw.table_inventory ORDER BY table_name").fetchall() == inventory
        assert con.execute("SELECT count(*) FROM raw.load_batches WHERE table_name IS NULL").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM raw.tickets").fetchone() == (1,)


def test_a_batch_that_cannot_be_read_leaves_the_warehouse_as_it_was(tmp_path: Path) -> None:
    from tests.loading.test_load import EVENTS_HEADER, write

    warehouse = tmp_path / "w.duckdb"
    load_folder(_hand_made(tmp_path / "b1", ["T1,2026-03-01T09:00:00Z,,,email,,,,open,,,,one"]), warehouse)
    broken = _hand_made(tmp_path / "b2", ["T2,2026-03-02T09:00:00Z,,,chat,,,,open,,,,two"])
    write(broken, "ticket_events.csv", EVENTS_HEADER + '\nE9,T2,2026-03-01T09:00:00Z,message,customer,,,,,,,,"oops\n')
    with pytest.raises(DataError, match=r"ticket_events\.csv"):
        load_folder(broken, warehouse, append=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT ticket_id FROM raw.tickets").fetchall() == [("T1",)]
        assert con.execute("SELECT count(DISTINCT batch_id) FROM raw.load_batches").fetchone() == (1,)


def test_append_after_a_flat_export_load_is_refused(tmp_path: Path) -> None:
    warehouse = str(tmp_path / "w.duckdb")
    flat = PROJECT_ROOT / "examples" / "flat" / "freshdesk"
    loaded = _cli("load", str(flat / "tickets.csv"), "--mapping", str(flat / "mapping.yml"), "--warehouse", warehouse)
    assert loaded.returncode == 0, loaded.stderr
    batch = _hand_made(tmp_path / "b1", ["T1,2026-03-01T09:00:00Z,,,email,,,,open,,,,one"])
    result = _cli("load", str(batch), "--warehouse", warehouse, "--append")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "full `support-kpis load`" in errors[0], result.stderr
