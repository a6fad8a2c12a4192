"""The alternative a Python analyst would write: pandas.read_html (lxml)
over a list of pages, in one process, to get just their tables.

scripts/bench.py runs it as a process of its own and times it from start to
exit, as it times `xxgk run`, so that each side pays its own start (the
interpreter and pandas' import, the xxgk binary's load) once. It prints, as
JSON, what only the process itself can see: the tables found, the seconds of
the read_html loop alone, and the CPU seconds of the whole process.

    python scripts/pandas_pass.py FILE_LIST   # one page path a line
"""

import json
import sys
import time


def main():
    start = time.perf_counter()
    import pandas as pd
    from lxml.etree import XMLSyntaxError

    with open(sys.argv[1], encoding="utf-8") as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    loop_start = time.perf_counter()
    tables = 0
    for path in files:
        try:
            tables += len(pd.read_html(path, flavor="lxml"))
        except (ValueError, UnicodeDecodeError, LookupError, XMLSyntaxError):
            pass  # no tables (text dumps, images), or bytes lxml cannot read
    end = time.perf_counter()
    print(json.dumps({
        "pages": len(files),
        "tables": tables,
        "import_seconds": loop_start - start,
        "loop_seconds": end - loop_start,
        "cpu_seconds": time.process_time(),
    }))


if __name__ == "__main__":
    main()
