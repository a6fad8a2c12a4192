"""The whole-run benchmark (run through scripts/bench, which sets up Python).

On one generated corpus (scripts/bench_corpus.py) it measures, in one run:
- `xxgk measure` with 1 thread and with every core: the html5ever-only and
  parse-only passes, and each stage's share of the time, all passes over
  one block of pages before the next;
- `xxgk run` cold (no previous dataset, and the pages evicted from the
  page cache) with 1 thread and with every core, in turns, twice each,
  and warm (nothing changed), each under /usr/bin/time -v for peak memory;
- pandas.read_html (lxml) over some of the same pages in one process
  (scripts/pandas_pass.py), in rounds back to back with `xxgk run` over
  those pages, each timed from its start to its exit;
- `xxgk measure` over the real pages beside the repository, when
  ../shared is there;
then checks every generated page's status and cells against the dataset,
and writes the figures to BENCHMARKS.md (or, with --smoke, only checks).
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
# CI's smoke run uses the debug build scripts/test made (timings do not count there).
BIN = Path(os.environ.get("XXGK_BIN", REPO / "target" / "release" / "xxgk"))


PASSES = ("html5ever_only", "parse_only", "stages")
# The real pages' measure: pages a block, and passes a block (the fastest kept).
REAL_BLOCK, REAL_REPEAT = 480, 3
# Cold runs on 1 thread and on every core, made in turns: pairs of them.
COLD_PAIRS = 2


def run_name(key):
    """A row name of the runs table for a key of `runs` in main()."""
    if key == "warm":
        return "warm, nothing changed, all cores"
    _, threads, pair = key
    return f"cold, {threads} thread(s), pair {pair}"


def paired_ratio(passes):
    """The median over `xxgk measure`'s blocks of the stages pass's pages/s
    over the parse-only pass's, each block's two passes seconds apart."""
    return statistics.median(passes["stages_vs_parse_only"])


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def cpu_counters():
    """The machine's CPU time counters (the `cpu` line of /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            return [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return None


def steal_share(before, after):
    """The share of CPU time the hypervisor gave to other guests between two
    readings: on a shared VM this is what makes one pass slower than another."""
    if before is None or after is None or len(before) < 8:
        return None
    d = [b - a for a, b in zip(before, after)]
    return d[7] / sum(d) if sum(d) else None


def busy_seconds(before, after):
    """CPU seconds the whole machine spent busy between two readings (user,
    nice, system, irq, softirq; guests' time is inside user), or None."""
    if before is None or after is None or len(before) < 7:
        return None
    d = [b - a for a, b in zip(before, after)]
    return (d[0] + d[1] + d[2] + d[5] + d[6]) / os.sysconf("SC_CLK_TCK")


def pct(share):
    return "n/a" if share is None else f"{share:.0%}"


class TimedRun(NamedTuple):
    """What /usr/bin/time -v and /proc/stat say of one `xxgk run`."""
    seconds: float
    peak_mib: float
    stderr: str
    # User + system CPU seconds of the run.
    cpu: float
    # The share of the machine's time the hypervisor gave to other guests.
    steal: float | None
    # CPU seconds the rest of the machine used meanwhile: other processes'
    # and the kernel's own threads' time, with the interrupt work the kernel
    # charges to no process (some of it the run's own disk reads); on this
    # VM, mostly the DAMON thread paging out idle memory every 5 s (note 23).
    others: float | None
    # The kernel's work for the run itself, most of it copying pages out of
    # the page cache (note 30).
    system: float


def timed_run(args, label):
    """Run `xxgk` with `args` under /usr/bin/time -v: a TimedRun."""
    before = cpu_counters()
    r = subprocess.run(["/usr/bin/time", "-v", str(BIN), *args], capture_output=True, text=True)
    after = cpu_counters()
    steal = steal_share(before, after)
    busy = busy_seconds(before, after)
    if r.returncode not in (0, 1):  # 1: some inputs failed, which the corpus has on purpose
        raise SystemExit(f"{label} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
    h, m, s = (float(x) if x else 0.0 for x in wall.groups())
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    user, system = (float(re.search(rf"{k} time \(seconds\): ([\d.]+)", r.stderr).group(1)) for k in ("User", "System"))
    cpu = user + system
    others = None if busy is None else max(busy - cpu, 0.0)
    return TimedRun(h * 3600 + m * 60 + s, rss / 1024, r.stderr, cpu, steal, others, system)


def pandas_pass(files, work):
    """pandas.read_html (lxml) over the files in a process of its own
    (scripts/pandas_pass.py), timed from its start to its exit as `xxgk run`
    is: {"process_rate": pages/s over the whole process, "loop_rate": pages/s
    over the read_html loop alone, "tables", "cpu_seconds", "import_seconds"}.
    Until session 16 the pass ran inside this process and only its loop was
    timed: pandas' start (the interpreter, its import) was left out while
    xxgk's (its start, its binary's load from disk, its closing summaries)
    was counted (note 25)."""
    listing = work / "pandas-pass-files.txt"
    listing.write_text("".join(f"{f}\n" for f in files), encoding="utf-8")
    start = time.perf_counter()
    r = sh([sys.executable, str(REPO / "scripts" / "pandas_pass.py"), str(listing)])
    wall = time.perf_counter() - start
    got = json.loads(r.stdout)
    return {"process_rate": len(files) / wall, "loop_rate": len(files) / got["loop_seconds"],
            "tables": got["tables"], "cpu_seconds": got["cpu_seconds"], "import_seconds": got["import_seconds"]}


def evict_pages(files):
    """Ask the kernel to drop these files' pages from its page cache
    (POSIX_FADV_DONTNEED; their pages are clean, so they go), so that the
    next pass reads them from disk: True if every file could be advised.
    Only the pages go, not the programs: dropping the whole cache would
    make a short pass start by reading xxgk's or Python's own code from
    disk. Without it, what a "cold" pass finds in memory depends on the
    passes before it and on the machine's reclaim (see page_reclaim)."""
    if not hasattr(os, "posix_fadvise"):
        return False
    os.sync()
    ok = True
    for f in files:
        try:
            fd = os.open(f, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
        except OSError:
            ok = False
    return ok


def page_reclaim():
    """How long a page may sit unused before DAMON pages it out, in
    seconds, when a DAMON pageout scheme is on (as on this VM), else None:
    an 11 GB corpus then never stays in the page cache between passes."""
    for kd in Path("/sys/kernel/mm/damon/admin/kdamonds").glob("*/"):
        try:
            if (kd / "state").read_text().strip() != "on":
                continue
            for ctx in (kd / "contexts").glob("*/"):
                aggr_us = int((ctx / "monitoring_attrs/intervals/aggr_us").read_text())
                for scheme in (ctx / "schemes").glob("*/"):
                    if (scheme / "action").read_text().strip() == "pageout":
                        return int((scheme / "access_pattern/age/min").read_text()) * aggr_us / 1e6
        except (OSError, ValueError):
            continue
    return None


def sample_folder(files, folder):
    """A folder holding just the pandas sample, hard-linked (copied where
    links cannot be made), so that `xxgk run` reads the same pages."""
    if folder.exists() and sum(1 for _ in folder.iterdir()) == len(files):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i, f in enumerate(files):
        target = folder / f"{i:05d}-{f.name}"
        try:
            os.link(f, target)
        except OSError:
            shutil.copyfile(f, target)
    return folder


def real_pages(work, cores, copies, repeat):
    """`xxgk measure` over the real pages beside the repository (those of
    ../shared/corpus/real and the seeds of data/), each hard-linked `copies`
    times: the generated corpus's narratives are short and its runs of
    figures only zeros, so it does not show where real pages spend their
    time (BENCHMARKS.md, note 21). Returns (distinct pages, {threads: passes}),
    or None when ../shared is not there."""
    real = REPO.parent / "shared" / "corpus" / "real"
    if not real.is_dir():
        return None
    sources = sorted([*real.glob("*.html"), *real.glob("*.txt"), *(REPO / "data").glob("*.txt")])
    folder = sample_folder(sources * copies, work / f"real-pages-{len(sources)}x{copies}")
    measured = {}
    for threads in sorted({1, cores}):
        measured[threads] = json.loads(sh([str(BIN), "measure", "--input", str(folder), "--threads", str(threads),
                                           "--block", str(REAL_BLOCK), "--repeat", str(repeat)]).stdout)
        print(f"real pages, measure, {threads} thread(s): " + ", ".join(
            f"{k} {measured[threads][k]['pages_per_second']:.0f} pages/s" for k in PASSES)
            + f"; stages / parse-only by block: median {paired_ratio(measured[threads]):.0%}")
    return len(sources), measured


def pandas_rounds(files, corpus, cores, rounds, cold):
    """xxgk (cold, every core) and pandas over the same pages, one after the
    other, `rounds` times, each a process timed from its start to its exit.
    This VM's speed drifts by a quarter between passes minutes apart (pandas
    alone has measured 107 to 211 pages/s), so each round's ratio compares
    two passes run back to back.
    With `cold`, both passes start with their pages evicted from the page
    cache and read them from disk, as the cold runs do; otherwise both find
    them in the page cache. Returns a list of rounds, each {"xxgk_rate",
    "ratio" (over pandas' process rate), "loop_ratio" (over its loop rate),
    and pandas_pass()'s figures}."""
    # Beside the corpus's pages, so a new corpus never reuses another's sample.
    sample = sample_folder(files, corpus / f"pandas-sample-{len(files)}")
    out = corpus.parent / "out-pandas-sample"

    def start_pass(paths):
        # The sample's files are copies where links could not be made, so
        # each pass evicts (or warms) the files it reads itself.
        if not (cold and evict_pages(paths)):
            for f in paths:  # into the page cache, so that neither pass is the first to read them
                f.read_bytes()

    result = []
    for _ in range(rounds):
        shutil.rmtree(out, ignore_errors=True)
        start_pass(sorted(sample.iterdir()))
        start = time.perf_counter()
        r = subprocess.run([str(BIN), "run", "--input", str(sample), "--output", str(out), "--threads", str(cores)],
                           capture_output=True, text=True)
        xxgk_rate = len(files) / (time.perf_counter() - start)
        if r.returncode not in (0, 1):  # 1: some inputs failed, which the corpus has on purpose
            raise SystemExit(f"xxgk run over the pandas sample failed ({r.returncode}):\n{r.stderr[-3000:]}")
        start_pass(files)
        pandas = pandas_pass(files, corpus.parent)
        result.append({"xxgk_rate": xxgk_rate, "ratio": xxgk_rate / pandas["process_rate"],
                       "loop_ratio": xxgk_rate / pandas["loop_rate"], **pandas})
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pandas-pages", type=int, default=3000, help="pages pandas reads (a rate needs no more)")
    ap.add_argument("--pandas-rounds", type=int, default=5, help="rounds of xxgk and pandas back to back")
    ap.add_argument("--smoke", action="store_true", help="check correctness only; write no BENCHMARKS.md")
    ap.add_argument("--work", type=Path, default=REPO / "target" / "bench")
    args = ap.parse_args()

    cores = os.cpu_count() or 1
    corpus = args.work / f"corpus-{args.n}-{args.seed}"
    pages = corpus / "pages"
    if not (corpus / "expected.jsonl").exists() or sum(1 for _ in open(corpus / "expected.jsonl")) != args.n:
        shutil.rmtree(corpus, ignore_errors=True)
        t = time.perf_counter()
        print(sh([sys.executable, str(REPO / "scripts" / "bench_corpus.py"), "--n", str(args.n),
                  "--seed", str(args.seed), "--out", str(corpus)]).stdout.strip(), f"({time.perf_counter() - t:.0f} s)")
    size = sum(p.stat().st_size for p in pages.rglob("*") if p.is_file())

    measured, measure_steal = {}, {}
    started = cpu_counters()
    # The smoke run exercises the passes once; their figures do not count there.
    for threads in ((cores,) if args.smoke else (1, cores)):
        # Small corpora: best of two (the first pass warms caches); large ones are steady.
        repeat = "2" if args.n <= 20_000 and not args.smoke else "1"
        before = cpu_counters()
        measured[threads] = json.loads(sh([str(BIN), "measure", "--input", str(pages), "--threads", str(threads),
                                           "--repeat", repeat]).stdout)
        measure_steal[threads] = steal_share(before, cpu_counters())
        print(f"measure, {threads} thread(s): " + ", ".join(
            f"{k} {measured[threads][k]['pages_per_second']:.0f} pages/s" for k in PASSES)
            + f"; stages / parse-only by block: median {paired_ratio(measured[threads]):.0%}")

    # The smoke run only checks that the real pages measure at all.
    real = real_pages(args.work, cores, 1 if args.smoke else 60, 1 if args.smoke else REAL_REPEAT)

    runs, evicted = {}, []
    all_pages = sorted(p for p in pages.rglob("*") if p.is_file())
    # 1 thread and every core in turns, twice each: this VM's speed drifts
    # over minutes, so each ratio compares two runs made one after the other,
    # and the second pair shows how far the first can be trusted.
    pairs = 1 if args.smoke else COLD_PAIRS
    for pair in range(1, pairs + 1):
        for threads in (1, cores):
            out = args.work / f"out-{threads}"
            shutil.rmtree(out, ignore_errors=True)
            evicted.append(not args.smoke and evict_pages(all_pages))
            key = ("cold", threads, pair)
            runs[key] = timed_run(["run", "--input", str(pages), "--output", str(out), "--threads", str(threads)],
                                  f"cold run {pair}, {threads} thread(s)")
            print(f"cold run {pair}, {threads} thread(s): {runs[key].seconds:.1f} s, peak {runs[key].peak_mib:.0f} MiB")
    out = args.work / f"out-{cores}"
    runs["warm"] = timed_run(["run", "--input", str(pages), "--output", str(out)], "warm run")
    print(f"warm run: {runs['warm'].seconds:.2f} s, peak {runs['warm'].peak_mib:.0f} MiB")

    check = subprocess.run([sys.executable, str(REPO / "scripts" / "bench_check.py"), "--corpus", str(corpus),
                            "--out", str(out)], capture_output=True, text=True)
    print(check.stdout.strip())
    if check.returncode != 0:
        raise SystemExit("the benchmark run got cells or statuses wrong")

    before = cpu_counters()
    pandas_files = all_pages[:min(args.pandas_pages, args.n)]
    pandas_n = len(pandas_files)
    rounds = pandas_rounds(pandas_files, corpus, cores, 1 if args.smoke else args.pandas_rounds, all(evicted))
    pandas_steal = steal_share(before, cpu_counters())
    overall_steal = steal_share(started, cpu_counters())
    # Against the whole corpus's run, whose start is a rounding error, pandas'
    # loop alone; within a round, where both start once over the same few
    # thousand pages, process against process.
    pandas_rate = statistics.median(r["loop_rate"] for r in rounds)
    pandas_process_rate = statistics.median(r["process_rate"] for r in rounds)
    pandas_cpu = sum(r["cpu_seconds"] for r in rounds) / (len(rounds) * pandas_n)
    paired = statistics.median(r["ratio"] for r in rounds)
    print(f"pandas.read_html: {pandas_process_rate:.1f} pages/s over {pandas_n} pages as a process, {pandas_rate:.1f} "
          f"in its loop ({rounds[0]['tables']} tables); xxgk / pandas back to back: "
          + ", ".join(f"{r['xxgk_rate']:.0f} / {r['process_rate']:.1f} = {r['ratio']:.1f}x" for r in rounds))
    if args.smoke:
        return

    def cold_rate(threads, pair=None):
        """Pages a second of the cold runs on `threads`: one pair's run, or
        over every pair (all their pages over all their seconds)."""
        seconds = [v.seconds for k, v in runs.items()
                   if k != "warm" and k[1] == threads and pair in (None, k[2])]
        return args.n * len(seconds) / sum(seconds)

    one, all_ = measured[1], measured[cores]
    whole = cold_rate(cores)
    scaling = whole / cold_rate(1)
    shares = all_["stages"]["stages"]
    total = sum(shares.values())
    # What the parse-only pass also does, against that and extraction: the
    # most the run could reach if hashing, checks and writing cost nothing.
    floor = shares["read"] + shares["decode"] + shares["parse"]
    ceiling = floor / (floor + shares["extract"])
    blocks = len(all_["stages_vs_parse_only"])
    targets = [
        ("whole run ≥ 85% of a parse-only pass (pages/s, all cores)",
         f"{whole:.0f} vs {all_['parse_only']['pages_per_second']:.0f} parse-only = {whole / all_['parse_only']['pages_per_second']:.0%}; "
         f"vs {all_['html5ever_only']['pages_per_second']:.0f} html5ever-only = {whole / all_['html5ever_only']['pages_per_second']:.0%}. "
         f"Block by block ({blocks:,} block(s) of up to {all_['block_pages']:,} pages), the stages pass against the parse-only "
         f"pass: {paired_ratio(all_):.0%} on {cores} threads, {paired_ratio(one):.0%} on 1 (medians)",
         whole >= 0.85 * all_["parse_only"]["pages_per_second"] and paired_ratio(all_) >= 0.85),
        (f"{cores} threads ≥ 1.8× 1 thread (cold runs)",
         f"{whole:.0f} vs {cold_rate(1):.0f} pages/s = {scaling:.2f}× over {COLD_PAIRS} pairs of runs made in turns; "
         "pair by pair: " + ", ".join(f"{cold_rate(cores, p) / cold_rate(1, p):.2f}×" for p in range(1, COLD_PAIRS + 1))
         + ". For scale, in the same benchmark the parse-only pass (no I/O wait, no writer) went "
         f"{all_['parse_only']['pages_per_second'] / one['parse_only']['pages_per_second']:.2f}× faster on {cores} "
         f"threads than on 1",
         scaling >= 1.8),
        ("whole machine ≥ 12× pandas.read_html in one process",
         f"{whole:.0f} vs {pandas_rate:.0f} pages/s (pandas' read_html loop) = {whole / pandas_rate:.1f}×; on the same "
         f"{pandas_n:,} pages, back to back in {len(rounds)} rounds, each program timed from its start to its exit: "
         + ", ".join(f"{r['ratio']:.1f}×" for r in rounds) + f" (median {paired:.1f}×). Against pandas' loop alone, "
         "as before session 16 (note 25): " + ", ".join(f"{r['loop_ratio']:.1f}×" for r in rounds)
         + f" (median {statistics.median(r['loop_ratio'] for r in rounds):.1f}×)",
         whole >= 12 * pandas_rate and paired >= 12),
        (f"warm re-run over {args.n:,} unchanged pages < 10 s", f"{runs['warm'].seconds:.2f} s", runs["warm"].seconds < 10),
        (f"peak memory < 1 GiB at {args.n:,} pages", f"{max(r.peak_mib for r in runs.values()):.0f} MiB",
         max(r.peak_mib for r in runs.values()) < 1024),
        ("every generated page's cells right", check.stdout.strip().removeprefix("bench check: "), True),
    ]
    pgo = os.environ.get("XXGK_BUILD") == "pgo"
    cmd = f"scripts/bench {'--pgo ' if pgo else ''}--n {args.n} --seed {args.seed}"
    reclaim = page_reclaim()
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `{cmd}` on {datetime.date.today()} on this machine: {cores} cores "
        f"({platform.processor() or platform.machine()}), Linux {platform.release()}. Corpus: {args.n:,} generated pages, "
        f"{size / 1e9:.2f} GB ({size / args.n / 1e3:.0f} KB a page on average), seed {args.seed} "
        "(`scripts/bench_corpus.py`: the layouts of `tests/corpus`, GBK and UTF-8, Word and CMS HTML, text dumps, both "
        "templates, traditional script, non-reports and broken files, padded with site chrome to 50-150 KB).",
        "",
        ("The xxgk measured is the profile-guided build of `scripts/build-pgo` (note 31). It was trained on 1,000 "
         "generated pages of seed 2, not on this corpus, and on the real pages, so the real pages' figures below are "
         "of pages it has seen." if pgo else "The xxgk measured is `cargo build --release`'s."),
        "",
        ("The corpus's pages were evicted from the page cache before each cold run and each pass of the pandas "
         "rounds (`posix_fadvise(DONTNEED)`), so they read every page from disk."
         if all(evicted) else "The corpus's pages could not be evicted from the page cache: the cold runs read "
         "from memory what the page cache still held, from disk the rest.")
        + ("" if reclaim is None else f" This machine's kernel pages out memory left unused for {reclaim:.0f} s "
           "(DAMON), so a corpus read minutes before is mostly on disk again."),
        "",
        f"CPU steal over the whole benchmark: {pct(overall_steal)} (time the hypervisor gave this VM's cores to "
        "other guests; each run's own share is in its row below). Wall-time ratios between passes run minutes apart "
        "are only as steady as that figure.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        *[f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in targets],
        "",
        "## Runs",
        "",
        "| run | seconds | pages/s | peak memory | CPU ms a page (user + system) | of them system | cores busy | "
        "rest of the machine's CPU (cores) | CPU steal |",
        "|---|---|---|---|---|---|---|---|---|",
        *[f"| `xxgk run` {run_name(k)} | {v.seconds:.2f} | {args.n / max(v.seconds, 0.01):.0f} | {v.peak_mib:.0f} MiB "
          f"| {v.cpu * 1e3 / args.n:.2f} | {v.system * 1e3 / args.n:.2f} | {v.cpu / max(v.seconds, 0.01):.2f} "
          f"| {'n/a' if v.others is None else f'{v.others / max(v.seconds, 0.01):.2f}'} | {pct(v.steal)} |"
          for k, v in runs.items()],
        f"| pandas.read_html (lxml), one process, {pandas_n:,} of the pages (median of {len(rounds)}) "
        f"| {pandas_n / pandas_process_rate:.1f} | {pandas_process_rate:.1f} | | {pandas_cpu * 1e3:.2f} | | | "
        f"| {pct(pandas_steal)} |",
        "",
        f"## xxgk and pandas back to back ({pandas_n:,} pages)",
        "",
        "Each round: `xxgk run` cold on every core, then `scripts/pandas_pass.py` (`pandas.read_html` with lxml over "
        "the same pages, in one process), each timed from its start to its exit, its pages evicted from the page "
        "cache first. pandas' start is Python's and pandas' import; xxgk's is its binary's load, often from disk "
        "again after a pandas pass (note 25).",
        "",
        "| round | xxgk seconds | xxgk pages/s | pandas seconds | of them `import pandas` | pandas pages/s | "
        "pandas pages/s, loop alone | ratio | ratio over the loop alone |",
        "|---|---|---|---|---|---|---|---|---|",
        *[f"| {i + 1} | {pandas_n / r['xxgk_rate']:.2f} | {r['xxgk_rate']:.0f} | {pandas_n / r['process_rate']:.1f} "
          f"| {r['import_seconds']:.2f} | {r['process_rate']:.1f} | {r['loop_rate']:.1f} | {r['ratio']:.1f}× "
          f"| {r['loop_ratio']:.1f}× |" for i, r in enumerate(rounds)],
        "",
        "## Passes and stages (`xxgk measure`)",
        "",
        "| pass | 1 thread pages/s | " + f"{cores} threads pages/s |",
        "|---|---|---|",
        *[f"| {k} | {one[k]['pages_per_second']:.0f} | {all_[k]['pages_per_second']:.0f} |" for k in PASSES],
        "| stages / parse-only, block by block: median (lowest to highest) | "
        + " | ".join(f"{paired_ratio(m):.0%} ({min(m['stages_vs_parse_only']):.0%} to {max(m['stages_vs_parse_only']):.0%})"
                     for m in (one, all_)) + " |",
        f"| CPU steal while measuring | {pct(measure_steal[1])} | {pct(measure_steal[cores])} |",
        "",
        f"Share of the time in each stage (CPU seconds summed over {cores} workers, all stages timed):",
        "",
        "| stage | seconds | share |",
        "|---|---|---|",
        *[f"| {k} | {v:.2f} | {v / total:.0%} |" for k, v in shares.items()],
        "",
        f"Read, decode and parse, the parse-only pass's own work, are {floor / total:.0%} of the time. Even if hashing, "
        f"checks and writing cost nothing, extraction alone would hold a run to {ceiling:.0%} of the parse-only pass.",
        "",
    ]
    if real is not None:
        sources, by_threads = real
        one_real, pages_real = by_threads[1], by_threads[1]["stages"]["pages"]
        lines += [
            "## Real pages (`xxgk measure`)",
            "",
            f"The {sources} real pages of `../shared/corpus/real/` and `data/` (mostly text dumps, which parse in "
            f"tens of µs), each hard-linked {pages_real // sources} times: {pages_real:,} pages, in blocks of "
            f"{REAL_BLOCK}, fastest of {REAL_REPEAT} passes a block. The generated corpus does not show where these pages spend their time "
            "(note 21).",
            "",
            "| pass | " + " | ".join(f"{t} thread{'s' if t > 1 else ''} pages/s" for t in by_threads) + " |",
            "|---|" + "---|" * len(by_threads),
            *[f"| {k} | " + " | ".join(f"{m[k]['pages_per_second']:.0f}" for m in by_threads.values()) + " |"
              for k in PASSES],
            "| stages / parse-only, block by block: median (lowest to highest) | "
            + " | ".join(f"{paired_ratio(m):.0%} ({min(m['stages_vs_parse_only']):.0%} to "
                         f"{max(m['stages_vs_parse_only']):.0%})" for m in by_threads.values()) + " |",
            "",
            "Time a page in each stage, 1 thread:",
            "",
            "| stage | µs a page |",
            "|---|---|",
            *[f"| {k} | {v * 1e6 / pages_real:.0f} |" for k, v in one_real["stages"]["stages"].items()],
            "",
        ]
    notes = REPO / "scripts" / "BENCHMARKS.notes.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").strip(), ""]
    (REPO / "BENCHMARKS.md").write_text("\n".join(lines), encoding="utf-8")
    print("wrote BENCHMARKS.md")


if __name__ == "__main__":
    main()
