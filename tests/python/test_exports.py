"""The summary CSV exports as an Excel user and an analyst meet them."""

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb

from conftest import BIN, REPO

EXPORTS = ["by_year", "by_year_province", "by_year_prefecture", "agencies", "missing_reports", "data_quality"]


def rows(out, name):
    raw = (out / "exports" / f"{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{name}.csv has no UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_every_export_opens_with_its_chinese_intact(out):
    for name in EXPORTS:
        assert (out / "exports" / f"{name}.csv").exists(), name
    provinces = {r["province"] for r in rows(out, "by_year_province")}
    assert {"安徽省", "浙江省", "上海市"} <= provinces
    agencies = {r["agency"] for r in rows(out, "agencies")}
    assert "涡阳县招商服务中心" in agencies


def test_totals_match_duckdb_over_cells(out):
    """by_year's requests handled equal a query over the cells themselves
    (the 总计 cell, or the six applicant columns where 总计 is left blank)."""
    con = duckdb.connect()
    glob = lambda t: (out / t / "**" / "*.parquet").as_posix()
    expected = dict(
        con.execute(
            f"""
            WITH t AS (
                SELECT report_id,
                       max(value) FILTER (WHERE col_key = 'total') AS total,
                       bool_or(col_key = 'total' AND flag IN ('blank', 'placeholder')) AS total_blank,
                       sum(coalesce(value, 0)) FILTER (WHERE col_key <> 'total') AS parts,
                       bool_or(col_key <> 'total' AND flag IN ('missing', 'ambiguous', 'unreadable')) AS unread
                FROM read_parquet('{glob("cells")}') WHERE table_name = 'requests' AND row_key = 'total_handled'
                GROUP BY report_id)
            SELECT r.year, sum(CASE WHEN total IS NOT NULL THEN total
                                    WHEN total_blank AND NOT unread THEN parts END)
            FROM t JOIN read_parquet('{glob("reports")}') r USING (report_id)
            WHERE r.year IS NOT NULL GROUP BY r.year
            """
        ).fetchall()
    )
    got = {int(r["year"]): float(r["requests_handled"]) for r in rows(out, "by_year") if r["year"] and r["requests_handled"]}
    assert got == {y: v for y, v in expected.items() if v is not None}
    assert got[2022] == 75.0  # Pingtan's 2022 page


def test_a_report_saved_twice_is_counted_once(out, tmp_path):
    """A crawl may hold one report in two files whose bytes differ: here
    Pingtan's 2022 report as the sample's Word page and as the archive's text
    dump of the same page (../shared/corpus/real). The summaries count the
    agency's year once, from the copy read best (the Word page, `ok`; the
    dump, whose 规范性文件 run cannot be cut, is `partial`), and list both
    inputs in data_quality.csv."""
    pages = tmp_path / "data"
    shutil.copytree(REPO / "data", pages)
    shutil.copy(REPO.parent / "shared" / "corpus" / "real" / "pingtan_zhqgwh_2022.txt", pages / "pingtan")
    twice = tmp_path / "out"
    subprocess.run([str(BIN), "run", "--config", str(REPO / "pipeline.toml"), "--input", str(pages),
                    "--output", str(twice)], check=True, capture_output=True)
    assert rows(twice, "by_year") == rows(out, "by_year")
    pingtan_2022 = [r for r in rows(twice, "agencies") if r["agency_key"] == "平潭综合实验区" and r["year"] == "2022"]
    assert [(r["status"], r["requests_handled"]) for r in pingtan_2022] == [("ok", "75.0")]
    quality = {r["path"]: r["status"] for r in rows(twice, "data_quality")}
    assert quality["html/pingtan_2022_word_gb2312.html"] == "ok"
    assert quality["pingtan/pingtan_zhqgwh_2022.txt"] == "partial"
    # The notebook's `counted` view keeps the same copies.
    nb = json.loads((REPO / "notebooks" / "analysis.ipynb").read_text(encoding="utf-8"))
    setup = next(c["source"] for c in nb["cells"] if c["cell_type"] == "code")
    view = setup[setup.index("CREATE VIEW counted"):setup.index("= 1", setup.index("CREATE VIEW counted")) + 3]
    con = duckdb.connect()
    for table in ["reports", "indicators"]:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{(twice / table / '**' / '*.parquet').as_posix()}')")
    con.execute(view)
    counted = dict(con.sql("SELECT year, sum(requests_received) FROM counted WHERE year IS NOT NULL GROUP BY year").fetchall())
    assert counted == {int(r["year"]): float(r["requests_received"]) for r in rows(twice, "by_year") if r["year"]}
    assert counted[2022] == 75.0
    # The checks across years compare the copies counted: 2022 is checked on the Word page.
    checked = con.sql(f"""
        SELECT r.path, c.rule FROM read_parquet('{(twice / 'checks' / 'cross_year.parquet').as_posix()}') c
        JOIN reports r USING (report_id) ORDER BY r.path, c.rule""").fetchall()
    assert checked == [("html/pingtan_2022_word_gb2312.html", "cross_year_carried_over"),
                       ("pingtan/pingtan_zhqgwh_2023.txt", "cross_year_carried_over")]
    assert con.sql(f"""
        SELECT count(*) FROM read_parquet('{(twice / 'checks' / 'cross_year.parquet').as_posix()}')
        WHERE report_id NOT IN (SELECT report_id FROM counted)""").fetchall() == [(0,)]


def test_missing_reports_and_quality(out):
    missing = {(r["agency_key"], r["missing_year"]) for r in rows(out, "missing_reports")}
    # 余姚 reported on 2023 and not on 2024; Pingtan reported on 2021, 2022 and 2023.
    assert ("余姚市政府招商中心", "2024") in missing
    assert not any(k == "平潭综合实验区" and y in ("2022", "2023") for k, y in missing)
    quality = {r["path"]: r for r in rows(out, "data_quality")}
    assert quality["002_2f7acd81927c9392.txt"]["failing_rules"] == "requests_handled_sum;requests_row_total"
    assert quality["html/column_list_page.html"]["status"] == "not_a_report"


def test_the_notebook_runs_top_to_bottom(out, tmp_path):
    import nbclient
    import nbformat

    nb = nbformat.read(REPO / "notebooks" / "analysis.ipynb", as_version=4)
    figures = tmp_path / "figures"
    os.environ["XXGK_OUT"] = str(out)
    os.environ["XXGK_FIGURES"] = str(figures)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(REPO / "notebooks")}}).execute()
    written = sorted(p.name for p in figures.glob("*.png"))
    assert written == ["agency_years.png", "failing_rules.png", "outcomes_by_year.png", "requests_by_province.png"]
