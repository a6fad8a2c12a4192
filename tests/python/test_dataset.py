"""The dataset as an analyst reads it: DuckDB over the Parquet folders.

Runs the xxgk binary on the bundled sample (data/) and queries every table
with read_parquet(..., hive_partitioning = true), as the README shows.
Expected values are read off the sample pages.
"""

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import BIN, REPO

TABLES = ["reports", "cells", "sections", "checks", "indicators", "facts", "grid_cells"]


@pytest.fixture(scope="module")
def db(out):
    con = duckdb.connect()
    for table in TABLES:
        glob = (out / table / "**" / "*.parquet").as_posix()
        con.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{glob}', hive_partitioning = true)"
        )
    return con


def one(db, sql, *params):
    rows = db.execute(sql, params).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_every_table_reads(db):
    for table in TABLES:
        (n,) = one(db, f"SELECT count(*) FROM {table}")
        assert n > 0, table


def test_column_types(db):
    types = dict(db.execute("SELECT column_name, column_type FROM (DESCRIBE reports)").fetchall())
    assert types["year"] == "INTEGER"
    assert types["published"] == "DATE"
    types = dict(db.execute("SELECT column_name, column_type FROM (DESCRIBE cells)").fetchall())
    assert types["value"] == "DOUBLE"


def test_grid_cells_and_facts_in_duckdb(db):
    # Seed 000's part-6 task list: the 完成时限 of 十一、's last task.
    assert one(
        db,
        """SELECT g.cell_text FROM grid_cells g JOIN reports r USING (report_id)
           WHERE r.path = ? AND g.row_label LIKE '十一、%' AND g.col_label = '完成时限'
           ORDER BY g.row_no DESC LIMIT 1""",
        "000_c26d84461eef8b9b.txt",
    ) == ("长期推进",)
    # Seed 002's 200余篇 items published: DOUBLE figure, approximate.
    assert one(
        db,
        """SELECT f.figure, f.fact_unit, f.approximate FROM facts f JOIN reports r USING (report_id)
           WHERE r.path = ? AND f.fact_key = 'items_published'""",
        "002_2f7acd81927c9392.txt",
    ) == (200.0, "篇", True)


def test_seed_values(db):
    # Seed 002: 行政许可 1491, 自然人 new requests 6, blank cells null.
    assert one(
        db,
        """SELECT c.value FROM cells c JOIN reports r USING (report_id)
           WHERE r.path = ? AND c.table_name = 'active_disclosure'
             AND c.row_key = 'licensing' AND c.col_key = 'decisions'""",
        "002_2f7acd81927c9392.txt",
    ) == (1491.0,)
    assert one(
        db,
        """SELECT c.value, c.raw, c.flag FROM cells c JOIN reports r USING (report_id)
           WHERE r.path = ? AND c.table_name = 'requests'
             AND c.row_key = 'new_received' AND c.col_key IN ('natural_person')""",
        "002_2f7acd81927c9392.txt",
    ) == (6.0, "6", None)
    assert one(
        db,
        """SELECT c.value, c.flag FROM cells c JOIN reports r USING (report_id)
           WHERE r.path = ? AND c.row_key = 'new_received' AND c.col_key = 'total'""",
        "002_2f7acd81927c9392.txt",
    ) == (None, "blank")
    # Seeds 000 and 004: all 200 cells of the 2021 template, every value 0.
    rows = db.execute(
        """SELECT r.path, count(*), sum(c.value), count(c.value)
           FROM cells c JOIN reports r USING (report_id)
           WHERE r.path IN ('000_c26d84461eef8b9b.txt', '004_75f5e1dd19ed0e46.txt')
           GROUP BY r.path ORDER BY r.path"""
    ).fetchall()
    assert rows == [
        ("000_c26d84461eef8b9b.txt", 200, 0.0, 200),
        ("004_75f5e1dd19ed0e46.txt", 200, 0.0, 200),
    ]


def test_reports_and_sections(db):
    assert one(
        db,
        "SELECT agency, year, status, published FROM reports WHERE path = ?",
        "000_c26d84461eef8b9b.txt",
    )[:3] == ("涡阳县招商服务中心", 2024, "ok")
    assert one(
        db, "SELECT status FROM reports WHERE path = ?", "001_fe15402ac693f5ed.txt"
    ) == ("no_tables",)
    sections = db.execute(
        """SELECT s.section_no FROM sections s JOIN reports r USING (report_id)
           WHERE r.path = '001_fe15402ac693f5ed.txt' AND s.section_no > 0 ORDER BY 1"""
    ).fetchall()
    assert [n for (n,) in sections] == [1, 2, 3, 4, 5, 6]


def test_checks_record_what_fails(db):
    # Pingtan 2022's figures balance; seed 002 leaves its totals blank.
    failing = dict(
        db.execute(
            """SELECT r.path, count(*) FILTER (WHERE NOT passed)
               FROM checks JOIN reports r USING (report_id) GROUP BY r.path"""
        ).fetchall()
    )
    assert failing["html/pingtan_2022_word_gb2312.html"] == 0
    assert failing["002_2f7acd81927c9392.txt"] == 3


def test_polars_reads_the_dataset_as_the_readme_shows(out):
    import polars as pl

    reports = pl.scan_parquet(str(out / "reports" / "**" / "*.parquet"))
    failing = (
        pl.scan_parquet(str(out / "checks" / "**" / "*.parquet"))
        .filter(~pl.col("passed"))
        .join(reports.select("report_id", "agency", "year"), on="report_id")
        .group_by("rule")
        .agg(pl.len().alias("failures"), pl.col("agency").n_unique().alias("agencies"))
        .collect()
    )
    assert dict(zip(failing["rule"], failing["failures"]))["requests_row_total"] > 0
    cells = pl.scan_parquet(str(out / "cells" / "**" / "*.parquet")).collect()
    assert cells.schema["value"] == pl.Float64
    assert cells.height == 1598


def test_a_killed_run_leaves_the_previous_dataset_readable_by_duckdb(tmp_path):
    import signal
    import time

    out = tmp_path / "out"
    subprocess.run(
        [str(BIN), "run", "--input", str(REPO / "data"), "--output", str(out)],
        check=True,
        capture_output=True,
    )
    glob = (out / "cells" / "**" / "*.parquet").as_posix()
    (before,) = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{glob}')").fetchone()
    big = tmp_path / "big"
    big.mkdir()
    for page in (REPO / "data").glob("*.txt"):
        text = page.read_bytes()
        for i in range(600):
            (big / f"{i:04}_{page.name}").write_bytes(text + f"\n副本{i}\n".encode())
    for delay in (0.05, 0.3, 1.0):
        child = subprocess.Popen(
            [str(BIN), "run", "--input", str(big), "--output", str(out), "--threads", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        if child.wait() == 0:
            break  # it finished before the kill; nothing to check
        con = duckdb.connect()
        glob = (out / "cells" / "**" / "*.parquet").as_posix()
        (n,) = con.execute(
            f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = true)"
        ).fetchone()
        assert n == before, f"after a kill at {delay} s the dataset has {n} cells, not {before}"


def test_the_parquet_explains_itself(out):
    import pyarrow.parquet as pq

    f = next((out / "cells").rglob("*.parquet"))
    schema = pq.read_schema(f)
    assert b"null for blank" in schema.field("value").metadata[b"description"]
    meta = pq.read_metadata(f).metadata
    assert meta[b"xxgk.extractor_version"] and meta[b"xxgk.dataset_version"]
    ind = pq.read_schema(next((out / "indicators").glob("*.parquet")))
    assert ind.field("granted_share").metadata[b"description"].decode() == "(予以公开 + 部分公开) / requests_handled"
