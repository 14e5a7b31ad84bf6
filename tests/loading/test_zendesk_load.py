"""`support-kpis load --source zendesk DIR`: the Fivetran Zendesk tables into schema `zendesk`, with the real loader.

Expected counts come from reading the generated files with Python's csv module (or pyarrow), never from the loader.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from support_kpis.cli import main as cli
from support_kpis.contract import TABLES as CONTRACT_TABLES
from support_kpis.errors import DataError
from support_kpis.loading import load_folder, load_zendesk_folder
from support_kpis.loading.load_source import loaded_source
from support_kpis.loading.registry import ZENDESK
from support_kpis.loading.zendesk_tables import load_zendesk_tables
from support_kpis.sample import SampleConfig
from support_kpis.sample.zendesk import columns, generate_zendesk_sample
from tests.warehouses import query

TICKETS = 400
SEED = 11


@pytest.fixture(scope="module")
def csv_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("zendesk_csv")
    generate_zendesk_sample(SampleConfig(tickets=TICKETS, seed=SEED), folder, "csv")
    return folder


@pytest.fixture(scope="module")
def parquet_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("zendesk_parquet")
    generate_zendesk_sample(SampleConfig(tickets=TICKETS, seed=SEED), folder, "parquet")
    return folder


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def file_rows(folder: Path, table: str) -> int:
    csv_path, parquet_path = folder / f"{table}.csv", folder / f"{table}.parquet"
    if csv_path.exists():
        return len(read_csv(csv_path))
    return pq.read_metadata(parquet_path).num_rows


@pytest.mark.parametrize("shape", ["csv", "parquet"])
def test_a_generated_folder_loads_every_table_whole_with_nothing_quarantined(
    shape: str, csv_folder: Path, parquet_folder: Path, tmp_path: Path
) -> None:
    folder = csv_folder if shape == "csv" else parquet_folder
    warehouse = tmp_path / "w.duckdb"
    report = load_zendesk_folder(folder, warehouse)
    assert report.source == "zendesk"
    assert [t.table for t in report.tables] == list(columns.TABLES)
    for table in columns.TABLES:
        expected = file_rows(folder, table)
        load = report.table(table)
        assert (load.rows_read, load.rows_loaded, load.rows_quarantined) == (expected, expected, 0), table
        assert query(warehouse, f'select count(*) from zendesk."{table}"') == [(expected,)]
        assert query(warehouse, f"select count(*) from quarantine.zendesk__{table}") == [(0,)]
        inventory = query(
            warehouse,
            "select is_present, source_file, rows_read, rows_loaded, rows_quarantined from zendesk.table_inventory "
            "where table_name = ?",
            [table],
        )
        assert inventory == [(True, f"{table}.{shape}", expected, expected, 0)]
    assert file_rows(folder, "ticket") == TICKETS
    # The contract's tables exist, empty and absent, so the non-adapter staging models build.
    for table in CONTRACT_TABLES:
        assert query(warehouse, f"select count(*) from raw.{table}") == [(0,)]
    assert query(warehouse, "select count(*) from raw.table_inventory where is_present") == [(0,)]
    assert loaded_source(warehouse) == "zendesk"


def test_fivetran_columns_keep_their_names_and_types(csv_folder: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    load_zendesk_folder(csv_folder, warehouse)
    types = dict(
        query(
            warehouse,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'zendesk' and table_name = 'ticket'",
        )
    )
    assert types["id"] == "BIGINT" and types["created_at"] == "TIMESTAMP" and types["_fivetran_deleted"] == "BOOLEAN"
    assert types["status"] == "VARCHAR" and types["_source_row"] == "BIGINT"
    assert query(warehouse, 'select "default" from zendesk.brand limit 1') != []
    # Fivetran timestamps are UTC without offset: loaded as written.
    first = read_csv(csv_folder / "ticket.csv")[0]
    (loaded,) = query(warehouse, "select strftime(created_at, '%Y-%m-%d %H:%M:%S') from zendesk.ticket where id = ?",
                      [int(first["id"])])  # fmt: skip
    assert loaded[0] == first["created_at"].replace("T", " ")[:19]


def test_deleted_tickets_are_loaded_counted_and_not_quarantined(csv_folder: Path, tmp_path: Path) -> None:
    tickets = read_csv(csv_folder / "ticket.csv")
    status_deleted = {t["id"] for t in tickets if t["status"] == "deleted"}
    fivetran_deleted = {t["id"] for t in tickets if t["_fivetran_deleted"] == "true" and t["status"] != "deleted"}
    deleted = status_deleted | fivetran_deleted
    assert status_deleted and fivetran_deleted, "the sample should hold both kinds"
    comments_of_deleted = sum(c["ticket_id"] in deleted for c in read_csv(csv_folder / "ticket_comment.csv"))
    history_of_deleted = sum(h["ticket_id"] in deleted for h in read_csv(csv_folder / "ticket_field_history.csv"))

    warehouse = tmp_path / "w.duckdb"
    report = load_zendesk_folder(csv_folder, warehouse)
    ticket = report.table("ticket")
    assert ticket.rows_quarantined == 0 and ticket.rows_loaded == len(tickets)
    assert ticket.rows_left_out == len(deleted)
    assert (
        ticket.left_out_detail == f"status deleted {len(status_deleted):,}, _fivetran_deleted {len(fivetran_deleted):,}"
    )
    assert report.table("ticket_comment").rows_left_out == comments_of_deleted
    assert report.table("ticket_field_history").rows_left_out == history_of_deleted
    left_out = dict(query(warehouse, "select table_name, rows_left_out from zendesk.table_inventory"))
    assert left_out["ticket"] == len(deleted) and left_out["ticket_comment"] == comments_of_deleted
    assert left_out["user"] == 0
    assert f"ticket: {len(tickets):,} read, {len(deleted):,} left out by the adapter" in report.summary()


def test_a_row_breaking_a_type_rule_is_quarantined_with_its_rule_file_and_row(csv_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in csv_folder.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    tickets = read_csv(folder / "ticket.csv")
    header = list(tickets[0])
    bad_priority = {**tickets[0], "id": "900000001", "priority": "asap"}
    no_status = {**tickets[0], "id": "900000002", "status": ""}
    bad_time = {**tickets[0], "id": "900000003", "created_at": "yesterday"}
    write_csv(folder / "ticket.csv", [*tickets, bad_priority, no_status, bad_time], header)
    # Rows 2 .. len+1 are the generated tickets (the header is row 1).
    rows = {"900000001": len(tickets) + 2, "900000002": len(tickets) + 3, "900000003": len(tickets) + 4}

    warehouse = tmp_path / "w.duckdb"
    report = load_zendesk_folder(folder, warehouse)
    assert report.table("ticket").rows_quarantined == 3
    assert report.table("ticket").rows_loaded == len(tickets)
    quarantined = query(
        warehouse, "select id, _source_file, _source_row, _rules, _message from quarantine.zendesk__ticket order by id"
    )
    assert [(q[0], q[1], q[2], q[3]) for q in quarantined] == [
        ("900000001", "ticket.csv", rows["900000001"], "unknown_enum(priority)"),
        ("900000002", "ticket.csv", rows["900000002"], "empty_required(status)"),
        ("900000003", "ticket.csv", rows["900000003"], "unparseable_timestamp(created_at)"),
    ]
    assert "asap" in quarantined[0][4] and "yesterday" in quarantined[2][4]


def test_a_missing_required_table_is_one_clear_line(
    csv_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in csv_folder.iterdir():
        if path.name != "user.csv":
            (folder / path.name).write_bytes(path.read_bytes())
    with pytest.raises(DataError, match=r"^user\.csv: required file not found in .*user\.parquet would do too"):
        load_zendesk_folder(folder, tmp_path / "w.duckdb")
    assert cli(["load", "--source", "zendesk", str(folder), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert len(errors) == 1 and "user.csv: required file not found" in errors[0]
    assert not (tmp_path / "w.duckdb").exists()


def test_source_timezone_is_refused_with_zendesk(
    csv_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "w.duckdb"
    code = cli(["load", "--source", "zendesk", "--source-timezone", "Europe/Berlin", str(csv_folder),
                "--warehouse", str(warehouse)])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "--source-timezone does not apply to --source zendesk" in err and "Traceback" not in err
    assert not warehouse.exists()


def test_contract_files_beside_load_into_raw_and_a_later_contract_load_switches_the_source(
    csv_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in csv_folder.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    revenue = [
        {"customer_id": "c1", "month": "2026-01-01", "mrr": "100"},
        {"customer_id": "c2", "month": "2026-01-01", "mrr": "250.5"},
    ]
    write_csv(folder / "customer_revenue.csv", revenue, ["customer_id", "month", "mrr"])
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    report = load_zendesk_folder(folder, warehouse)
    assert report.table("customer_revenue").rows_loaded == 2
    assert query(warehouse, "select customer_id, mrr from raw.customer_revenue order by 1") == [
        ("c1", 100.0),
        ("c2", 250.5),
    ]
    present = query(warehouse, "select table_name from raw.table_inventory where is_present")
    assert present == [("customer_revenue",)]
    assert loaded_source(warehouse) == "zendesk"

    contract = tmp_path / "contract"
    contract.mkdir()
    for name in ("tickets", "ticket_events"):
        write_csv(contract / f"{name}.csv", [], list(CONTRACT_TABLES[name].column_names))
    load_folder(contract, warehouse)
    assert loaded_source(warehouse) == "contract"


def test_load_zendesk_tables_keeps_answering_rows_per_table(csv_folder: Path, tmp_path: Path) -> None:
    loaded = load_zendesk_tables(csv_folder, tmp_path / "w.duckdb")
    assert loaded == {table: file_rows(csv_folder, table) for table in ZENDESK.tables}


def test_a_row_synced_again_supersedes_the_older_copy(csv_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in csv_folder.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    tickets = read_csv(folder / "ticket.csv")
    header = list(tickets[0])
    first = tickets[0]
    # The connector synced ticket 1 again after a change: the later _fivetran_synced wins, wherever it is in the file.
    resynced = {**first, "status": "open", "_fivetran_synced": "2099-01-01T00:00:00"}
    exact_copy = dict(tickets[1])
    write_csv(folder / "ticket.csv", [resynced, *tickets, exact_copy], header)
    warehouse = tmp_path / "w.duckdb"
    load = load_zendesk_folder(folder, warehouse).table("ticket")
    assert (load.rows_read, load.rows_loaded, load.rows_superseded, load.rows_duplicate_exact) == (
        len(tickets) + 2,
        len(tickets),
        1,
        1,
    )
    assert query(warehouse, "select status, _source_row from zendesk.ticket where id = ?", [int(first["id"])]) == [
        ("open", 2)
    ]
