"""Check a dataset written from a benchmark corpus against the corpus's
expected values: every page's status and every template cell.

    python3 scripts/bench_check.py --corpus target/bench/corpus --out target/bench/out

Prints one line (pages, cells right) and every problem; exits 1 on any.
"""

import argparse
import json
import sys
from pathlib import Path

import duckdb


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    con = duckdb.connect()
    glob = lambda t: (args.out / t / "**" / "*.parquet").as_posix()  # noqa: E731
    reports = {path: (rid, status) for path, rid, status in con.execute(
        f"SELECT path, report_id, status FROM read_parquet('{glob('reports')}', hive_partitioning = true)").fetchall()}
    cells = {}
    for rid, table, row, col, value in con.execute(
            f"SELECT report_id, table_name, row_key, col_key, value FROM read_parquet('{glob('cells')}', hive_partitioning = true)").fetchall():
        cells.setdefault(rid, {})[f"{table}.{row}.{col}"] = value
    problems, pages, n_cells, right = [], 0, 0, 0
    for line in open(args.corpus / "expected.jsonl", encoding="utf-8"):
        exp = json.loads(line)
        pages += 1
        if exp["path"] not in reports:
            problems.append(f"{exp['path']}: not in reports")
            continue
        rid, status = reports[exp["path"]]
        if status != exp["status"]:
            problems.append(f"{exp['path']}: status {status}, expected {exp['status']}")
        got = cells.get(rid, {})
        for key, value in exp["cells"].items():
            n_cells += 1
            if got.get(key) == value:
                right += 1
            else:
                problems.append(f"{exp['path']}: {key} = {got.get(key)!r}, expected {value!r}")
    print(f"bench check: {pages} pages, {right} of {n_cells} cells right, {len(problems)} problems")
    for p in problems[:40]:
        print("  " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
