"""Write a seeded, deterministic benchmark corpus: N report pages in the
layouts xxgk reads, sized like real pages, with the values each must give.

    python3 scripts/bench_corpus.py --n 2000 --seed 1 --out target/bench/corpus

Pages are rendered by the labelled corpus's own renderers
(tests/corpus/make.py: Word-exported GBK, plain CMS UTF-8, undeclared
GB18030, crawler-wrapped, split and total-first tables, broken labels,
full-width digits, placeholders, Big5 traditional script, text dumps one
cell per line, `|`-separated and run together), from random figures that
keep the template's own rules, and padded with site chrome (navigation,
inline CSS and JavaScript, footer) to 50-150 KB. A few pages are not
reports, have their tables as images, are cut off, empty or not text.

Writes `<out>/pages/NNN/NNNNNN.<layout>.<ext>` and `<out>/expected.jsonl`
(one line per page: path, status, and every template cell's value, null
where the page has no number). The same --n and --seed give the same bytes.
"""

import argparse
import json
import multiprocessing
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "corpus"))
import make  # noqa: E402  (the labelled corpus's renderers)
from make import ACTIVE, REQUEST_COLS, Style, expected_cells, request_rows  # noqa: E402

COUNTIES = ["涡阳县", "郎溪县", "桐柏县", "沭阳县", "平潭县", "余姚市", "蓉江县", "宁化县", "建德市", "临安区",
            "丰县", "睢宁县", "灌云县", "东海县", "响水县", "滨海县", "射阳县", "建湖县", "宝应县", "沛县"]
OFFICES = ["人民政府办公室", "发展和改革局", "教育局", "财政局", "自然资源局", "生态环境局", "住房和城乡建设局",
           "交通运输局", "农业农村局", "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局", "民政局",
           "司法局", "统计局", "应急管理局", "城关镇人民政府", "城东街道办事处"]

# (layout, weight). Weights sum to 1000.
LAYOUTS = [
    ("word-gb2312", 190), ("cms-utf8", 190), ("undeclared-gb18030", 80), ("nested-word", 80),
    ("split-tables", 50), ("total-first", 50), ("extra-empty", 40), ("broken-labels-fullwidth", 40),
    ("placeholders", 40), ("traditional-big5", 30), ("dump-lines", 60), ("dump-pipes", 60),
    ("dump-runs-zero", 30), ("truncated", 10), ("not-a-report", 15), ("tables-as-images", 10),
    ("empty", 3), ("not-text", 2),
]


def figures(rng, template, blanks):
    """Random figures that keep the template's rules; `blanks` writes
    zeros as empty cells (expected null), as many sites do."""
    def z(v):
        return "" if blanks and v == 0 else v

    small = lambda hi: rng.choice([0, 0, 0, rng.randint(0, hi)])  # noqa: E731
    active = {}
    for _, _, rows, cols in ACTIVE[template]:
        for key, _ in rows:
            vals = []
            for col in cols:
                if col in ("fee_amount", "procurement_amount"):
                    v = rng.choice([0, round(rng.uniform(0, 900), rng.choice([2, 4]))])
                elif col in ("decisions", "prev_year_items", "public_total", "in_force"):
                    v = rng.choice([0, rng.randint(0, 99), rng.randint(100, 20000)])
                else:
                    v = small(30)
                vals.append(z(v))
            active[key] = vals
    rows = [k for k, *_ in request_rows(template)]
    outcomes = rows[rows.index("granted"):rows.index("total_handled")]
    requests = {k: [0] * 7 for k in rows}
    for c in range(6):
        scale = 40 if c == 0 else 4
        for k in outcomes:
            requests[k][c] = small(scale)
        handled = sum(requests[k][c] for k in outcomes)
        requests["total_handled"][c] = handled
        requests["carried_forward"][c] = small(3)
        requests["carried_over"][c] = rng.randint(0, min(3, handled + requests["carried_forward"][c]))
        requests["new_received"][c] = handled + requests["carried_forward"][c] - requests["carried_over"][c]
    for k in rows:
        requests[k][6] = sum(requests[k][:6])
        requests[k] = [z(v) for v in requests[k]]
    review = []
    for _ in range(3):
        four = [small(3) for _ in range(4)]
        review += [z(v) for v in four + [sum(four)]]
    return active, requests, {"values": review}


def zero_figures(template):
    active = {k: [0] * len(cols) for _, _, rows, cols in ACTIVE[template] for k, _ in rows}
    requests = {k: [0] * 7 for k, *_ in request_rows(template)}
    return active, requests, {"values": [0] * 15}


def source(rng, layout):
    template = "2021" if rng.random() < 0.7 else "2019"
    year = rng.randint(2021, 2025) if template == "2021" else rng.randint(2019, 2020)
    blanks = layout == "placeholders"
    if layout == "dump-runs-zero":
        active, requests, review = zero_figures(template)
    else:
        active, requests, review = figures(rng, template, blanks)
    return {
        "agency": rng.choice(COUNTIES) + rng.choice(OFFICES), "year": year, "template": template,
        "published": f"{year + 1}-01-{rng.randint(10, 31):02d}",
        "active_disclosure": active, "requests": requests, "review_litigation": review,
    }


# ---------------------------------------------------------------- site chrome

NAV = ["首页", "政务公开", "政府信息公开", "政策文件", "政策解读", "部门动态", "通知公告", "人事信息", "财政信息",
       "办事服务", "互动交流", "领导信箱", "在线访谈", "征集调查", "走进本地", "政务服务", "便民查询", "新闻中心"]
NEWS = ["召开全县安全生产工作会议", "开展优化营商环境专项行动", "举办政务公开业务培训班", "推进乡村振兴重点工作",
        "部署冬季森林防火工作", "召开项目建设推进会", "开展防汛应急演练", "组织收看全省视频会议"]


def chrome_html(rng, serial, size):
    """Site chrome around the report: `size` bytes, two fifths before it."""
    css = "".join(f".nav{i} li a{{color:#{rng.randint(0, 0xffffff):06x};font-size:{12 + i % 6}px;padding:0 {i % 9}px}}\n"
                  for i in range(60))
    js = "".join(f"function f{serial}_{i}(a,b){{var c=document.getElementById('m{i}');if(c){{c.style.display=a?'block':'none';}}return b+{i};}}\n"
                 for i in range(40))
    links = "".join(f"<li class='nav-item'><a href='/col/col{rng.randint(1000, 99999)}/index.html' target='_blank' title='{n}'>{n}</a></li>\n"
                    for n in NAV)
    news = "".join(f"<li><span class='date'>2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}</span><a href='/art/{rng.randint(10**6, 10**7)}.html'>{rng.choice(NEWS)}</a></li>\n"
                   for _ in range(12))
    head = (f"<style type='text/css'>\n{css}</style>\n<script type='text/javascript'>var pageId='{serial}';\n{js}</script>\n")
    top = f"<div class='header'><div class='logo'>政府门户网站</div><ul class='nav'>{links}</ul></div>\n<div class='crumb'>您现在所在的位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>\n"
    bottom = f"<div class='related'><h3>相关新闻</h3><ul>{news}</ul></div>\n"
    footer = "<div class='footer'><p>主办单位：人民政府办公室 版权所有 ICP备05001234号 网站标识码 3400000001</p></div>\n"
    before, after = head + top, bottom + footer
    # Fill to size with more scripts and lists, as CMS templates carry.
    filler = []
    n = len((before + after).encode("utf-8"))
    i = 0
    while n < size:
        block = (f"<script>window.cfg{i}={{site:'{serial}',items:[{','.join(str(rng.randint(0, 999)) for _ in range(40))}],"
                 f"handler:function(e){{return e&&e.target?e.target.id:null;}}}};</script>\n"
                 if i % 2 else f"<ul class='sidebar{i}'>{news}</ul>\n")
        filler.append(block)
        n += len(block.encode("utf-8"))
        i += 1
    cut = len(filler) * 2 // 5
    return before + "".join(filler[:cut]), "".join(filler[cut:]) + after


def chrome_text(rng, serial, size):
    """A dump's chrome: a breadcrumb before, the site's footer and link list after."""
    before = "您现在所在的位置: 网站首页 > 政府信息公开 > 年度报告\n字号:[大 中 小] 打印本页 关闭窗口\n"
    after = ["", "主办单位：人民政府办公室 版权所有 ICP备05001234号", f"页面编号 {serial}"]
    n = len(before.encode("utf-8"))
    while n < size:
        line = f"{rng.choice(NEWS)} 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} /art/{rng.randint(10**6, 10**7)}.html"
        after.append(line)
        n += len(line.encode("utf-8")) + 1
    return before, "\n".join(after) + "\n"


# ---------------------------------------------------------------- pages

_OPENCC = None


def traditional(text):
    global _OPENCC
    if _OPENCC is None:
        from opencc import OpenCC
        _OPENCC = OpenCC("s2t")
    return _OPENCC.convert(text)


def wrap_html(page, before, after):
    """Put chrome inside <head>/<body> around the report."""
    head_end, body_start = page.index("</head>"), page.index("<body>") + len("<body>")
    style_js, rest = before.split("<div class='header'>", 1)
    page = page[:head_end] + style_js + page[head_end:]
    body_start = page.index("<body>") + len("<body>")
    end = page.rfind("</body>")
    end = len(page) if end < 0 else end
    return page[:body_start] + "\n<div class='header'>" + rest + page[body_start:end] + after + page[end:]


def render(rng, serial, layout):
    """(file extension, bytes, expected status, expected cells or None)."""
    src = source(rng, layout)
    # The chrome's share: the report itself adds 10-25 KB.
    size = rng.randint(35_000, 130_000)
    full = expected_cells(src)
    html_styles = {
        "word-gb2312": (Style(word=True), "gb2312", "gbk"), "cms-utf8": (Style(), "utf-8", "utf-8"),
        "undeclared-gb18030": (Style(), None, "gb18030"), "nested-word": (Style(nested=True, word=True), "utf-8", "utf-8"),
        "split-tables": (Style(split_tables=True), "utf-8", "utf-8"), "total-first": (Style(total_first=True), "utf-8", "utf-8"),
        "extra-empty": (Style(extra_empty=True), "utf-8", "utf-8"),
        "broken-labels-fullwidth": (Style(broken_labels=True, fullwidth=True, units=True), "utf-8", "utf-8"),
        "placeholders": (Style(blank="/"), "utf-8", "utf-8"),
    }
    if layout in html_styles:
        style, charset, encoding = html_styles[layout]
        before, after = chrome_html(rng, serial, size)
        page = wrap_html(make.html_page(src, style, charset), before, after)
        return "html", page.encode(encoding), "ok", full
    if layout == "traditional-big5":
        before, after = chrome_html(rng, serial, size)
        body = traditional(make.html_page(src, Style(word=True), "big5"))
        page = wrap_html(body, before, after)
        return "html", page.encode("big5", errors="xmlcharrefreplace"), "ok", full
    if layout in ("dump-lines", "dump-pipes", "dump-runs-zero"):
        before, after = chrome_text(rng, serial, size)
        if any(v == "" for t in ("active_disclosure", "requests") for row in src[t].values() for v in row):
            raise AssertionError("dumps are made without blanks")
        text = {"dump-lines": make.dump_lines, "dump-pipes": make.dump_pipes, "dump-runs-zero": make.dump_runs}[layout](src)
        return "txt", (before + text + after).encode("utf-8"), "ok", full
    if layout == "truncated":
        rows = [k for k, *_ in request_rows(src["template"])]
        stop = rows[rng.randint(rows.index("granted"), rows.index("total_handled") - 1)]
        before, _ = chrome_html(rng, serial, size // 2)
        page = make.html_page(src, Style(), "utf-8", truncate_after=stop)
        head_end = page.index("</head>")
        page = page[:head_end] + before.split("<div class='header'>")[0] + page[head_end:]
        cells = expected_cells(src, tables=("active_disclosure", "requests"), requests_rows=rows[: rows.index(stop) + 1])
        return "html", page.encode("utf-8"), "partial", cells
    if layout == "tables-as-images":
        before, after = chrome_html(rng, serial, size)
        parts = "".join(f"<p>{h}</p><p><img src='t{i}.png'></p>" for i, h in enumerate(
            ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"], 2))
        page = (f"<html><head><meta charset='utf-8'><title>{make.title(src)}</title></head><body>"
                f"<h1>{make.title(src)}</h1><p>一、总体情况</p><p>本年度主动公开政府信息{rng.randint(10, 900)}条。</p>{parts}"
                "<p>五、存在的主要问题及改进情况</p><p>信息更新不够及时。</p><p>六、其他需要报告的事项</p><p>无。</p></body></html>")
        return "html", wrap_html(page, before, after).encode("utf-8"), "no_tables", {}
    if layout == "not-a-report":
        before, after = chrome_html(rng, serial, size)
        items = "".join(f"<li><a href='{i}.html'>{rng.choice(COUNTIES)}{rng.choice(OFFICES)}{rng.randint(2019, 2025)}年政府信息公开工作年度报告</a></li>"
                        for i in range(20))
        page = f"<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body><ul>{items}</ul></body></html>"
        return "html", wrap_html(page, before, after).encode("utf-8"), "not_a_report", {}
    if layout == "empty":
        return "html", b"", "error", {}
    if layout == "not-text":
        return "html", b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(4096)), "error", {}
    raise ValueError(layout)


def write_page(job):
    """Render page i with its own generator (seeded by the corpus seed and
    i, so that pages can be made in any order and in parallel)."""
    seed, i, pages = job
    rng = random.Random(seed * 1_000_003 + i)
    layout = rng.choices([n for n, _ in LAYOUTS], [w for _, w in LAYOUTS])[0]
    ext, data, status, cells = render(rng, i, layout)
    rel = f"{i // 1000:03d}/{i:06d}.{layout}.{ext}"
    path = pages / rel
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    line = json.dumps({"path": rel, "layout": layout, "status": status, "cells": cells}, ensure_ascii=False)
    return len(data), line


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    pages = args.out / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    jobs = [(args.seed, i, pages) for i in range(args.n)]
    total = 0
    with multiprocessing.Pool(args.jobs) as pool, open(args.out / "expected.jsonl", "w", encoding="utf-8") as out:
        for size, line in pool.imap(write_page, jobs, chunksize=64):
            total += size
            out.write(line + "\n")
    print(f"{args.n} pages, {total / 1e6:.1f} MB in {pages}")


if __name__ == "__main__":
    main()
