"""Render the labelled corpus: hand-checked figures of real reports
(sources.toml) written out in the layouts and encodings real sites publish,
each page with the values a perfect reader must get from it.

    python3 tests/corpus/make.py      # rewrites pages/ and expected/

The traditional-script page needs `opencc-python-reimplemented`
(tests/corpus/requirements.txt). The pages are committed; this script is
how they were made and how to remake them after a source is corrected.
"""

import json
import shutil
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
EXPECTED = HERE / "expected"

REQUEST_COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"]
REVIEW_ROWS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_COLS = ["upheld", "corrected", "other", "pending", "total"]

# Part 2, as printed: blocks of rows under their 第二十条 heading, the column labels.
ACTIVE = {
    "2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("regulations", "规章"), ("normative_documents", "行政规范性文件")], ["issued", "repealed", "in_force"]),
        ("第二十条第（五）项", ["本年处理决定数量"], [("licensing", "行政许可")], ["decisions"]),
        ("第二十条第（六）项", ["本年处理决定数量"], [("penalty", "行政处罚"), ("coercion", "行政强制")], ["decisions"]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("fees", "行政事业性收费")], ["fee_amount"]),
    ],
    "2019": [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("regulations", "规章"), ("normative_documents", "规范性文件")], ["produced", "published", "public_total"]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")], ["prev_year_items", "change", "decisions"]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("penalty", "行政处罚"), ("coercion", "行政强制")], ["prev_year_items", "change", "decisions"]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("fees", "行政事业性收费")], ["prev_year_items", "change"]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("procurement", "政府集中采购")], ["procurement_items", "procurement_amount"]),
    ],
}

# Part 3's rows: (key, group label spanning rows or None, own label).
DENIED = [
    ("denied_state_secret", "1.属于国家秘密"), ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("denied_security_stability", "3.危及“三安全一稳定”"), ("denied_third_party_rights", "4.保护第三方合法权益"),
    ("denied_internal_affairs", "5.属于三类内部事务信息"), ("denied_process_information", "6.属于四类过程性信息"),
    ("denied_enforcement_files", "7.属于行政执法案卷"), ("denied_administrative_query", "8.属于行政查询事项"),
]
UNAVAILABLE = [
    ("unavailable_not_held", "1.本机关不掌握相关政府信息"), ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable_still_unclear", "3.补正后申请内容仍不明确"),
]
NOT_PROCESSED = [
    ("not_processed_petition", "1.信访举报投诉类申请"), ("not_processed_repeated", "2.重复申请"),
    ("not_processed_publication", "3.要求提供公开出版物"), ("not_processed_mass_repeated", "4.无正当理由大量反复申请"),
    ("not_processed_confirm_reissue", "5.要求行政机关确认或重新出具已获取信息"),
]
OTHER_2021 = [
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "3.其他"),
]


def request_rows(template):
    """(key, outer group, inner group, label) in page order."""
    rows = [("new_received", None, None, "一、本年新收政府信息公开申请数量"),
            ("carried_over", None, None, "二、上年结转政府信息公开申请数量"),
            ("granted", "三、本年度办理结果", None, "（一）予以公开"),
            ("partially_granted", "三、本年度办理结果", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]
    rows += [(k, "三、本年度办理结果", "（三）不予公开", l) for k, l in DENIED]
    rows += [(k, "三、本年度办理结果", "（四）无法提供", l) for k, l in UNAVAILABLE]
    rows += [(k, "三、本年度办理结果", "（五）不予处理", l) for k, l in NOT_PROCESSED]
    if template == "2021":
        rows += [(k, "三、本年度办理结果", "（六）其他处理", l) for k, l in OTHER_2021]
    else:
        rows += [("other_handling", "三、本年度办理结果", None, "（六）其他处理")]
    rows += [("total_handled", "三、本年度办理结果", None, "（七）总计"),
             ("carried_forward", None, None, "四、结转下年度继续办理")]
    return rows


# ---------------------------------------------------------------- sources

def load_sources():
    sources = tomllib.loads((HERE / "sources.toml").read_text(encoding="utf-8"))
    for name, s in sources.items():
        s["name"] = name
        if s.get("all_zero"):
            t = s["template"]
            s["active_disclosure"] = {k: [0] * len(cols) for _, _, rows, cols in ACTIVE[t] for k, _ in rows}
            s["requests"] = {k: [0] * 7 for k, *_ in request_rows(t)}
            s["review_litigation"] = {"values": [0] * 15}
    return sources


def number(text):
    """The value a cell's text holds: what the expected file records."""
    if isinstance(text, (int, float)):
        return float(text)
    t = str(text).strip()
    if t == "?":  # a cell the page's text does not give (sources.toml)
        return None
    for unit in ("万元", "元", "件"):
        t = t.removesuffix(unit)
    if t in ("", "/", "—", "——", "-", "无"):
        return None
    return float(t.replace(",", ""))


def expected_cells(src, tables=("active_disclosure", "requests", "review_litigation"), requests_rows=None):
    cells = {}
    t = src["template"]
    if "active_disclosure" in tables:
        for _, _, rows, cols in ACTIVE[t]:
            for key, _ in rows:
                for col, v in zip(cols, src["active_disclosure"][key]):
                    cells[f"active_disclosure.{key}.{col}"] = number(v)
    if "requests" in tables:
        for key, *_ in request_rows(t):
            for col, v in zip(REQUEST_COLS, src["requests"][key]):
                present = requests_rows is None or key in requests_rows
                cells[f"requests.{key}.{col}"] = number(v) if present else None
    if "review_litigation" in tables:
        vals = src["review_litigation"]["values"]
        for i, row in enumerate(REVIEW_ROWS):
            for j, col in enumerate(REVIEW_COLS):
                cells[f"review_litigation.{row}.{col}"] = number(vals[i * 5 + j])
    return cells


def has_unknown(src):
    vals = [v for t in ("active_disclosure", "requests") for row in src[t].values() for v in row]
    return "?" in vals + src["review_litigation"]["values"]


def has_blanks(src):
    vals = [v for t in ("active_disclosure", "requests") for row in src[t].values() for v in row]
    vals += src["review_litigation"]["values"]
    return any(v == "" for v in vals)


def title(src):
    if src["template"] == "2019":
        return f"{src['year']}年{src['agency']}政府信息公开工作年度报告"
    return f"{src['agency']}{src['year']}年政府信息公开工作年度报告"


# ---------------------------------------------------------------- HTML

class Style:
    """How a site writes its page."""

    def __init__(self, **kw):
        self.word = kw.get("word", False)            # Word-exported markup
        self.split_tables = kw.get("split_tables", False)
        self.total_first = kw.get("total_first", False)
        self.extra_empty = kw.get("extra_empty", False)
        self.broken_labels = kw.get("broken_labels", False)
        self.fullwidth = kw.get("fullwidth", False)
        self.nested = kw.get("nested", False)
        self.blank = kw.get("blank", "&nbsp;")       # how an empty cell is written
        self.units = kw.get("units", False)
        self.note_cell = kw.get("note_cell", False)  # a label's note in a cell of its own


FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def cell_text(v, style):
    if v == "":
        return style.blank
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    text = str(v)
    if style.fullwidth and isinstance(v, int) and v >= 1000:
        text = f"{v:,}"
    if style.units and isinstance(v, int) and v > 0:
        text += "件"
    if style.fullwidth:
        text = text.translate(FULLWIDTH)
    return text


def td(text, style, attrs=""):
    if style.word:
        inner = text if text not in ("", "&nbsp;") else "<o:p>&nbsp;</o:p>"
        body = f"<p class=MsoNormal align=center style='text-align:center'><span style='font-size:10.5pt;font-family:宋体;mso-bidi-font-family:宋体'>{inner}</span><span lang=EN-US><o:p></o:p></span></p>"
        return f"<td {attrs} style='border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt'>{body}</td>"
    return f"<td {attrs}>{text}</td>"


def label(text, style):
    if not style.broken_labels:
        return text
    # Labels broken as sites break them: a <br> inside, a space inside.
    if len(text) >= 6:
        mid = len(text) // 2
        return text[:mid] + "<br>" + text[mid:]
    if len(text) == 4:
        return text[:2] + " " + text[2:]
    return text


def tr(cells, style):
    extra = td("", style) if style.extra_empty else ""
    return "<tr>" + "".join(cells) + extra + "</tr>\n"


def table_open(style):
    if style.word:
        return "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184'>\n"
    return '<table border="1" cellspacing="0" cellpadding="2">\n'


def active_tables(src, style):
    t = src["template"]
    blocks = ACTIVE[t]
    width = 1 + max(len(cols) for *_, cols in blocks)
    out, body = [], ""
    for heading, col_labels, rows, cols in blocks:
        span = width - len(col_labels)
        part = tr([td(label(heading, style), style, f"colspan={width}")], style)
        heads = [td(label(c, style), style, f"colspan={1 + span}" if i == len(col_labels) - 1 and span else "")
                 for i, c in enumerate(col_labels)]
        part += tr([td("信息内容", style)] + heads, style)
        for key, lab in rows:
            vals = src["active_disclosure"][key]
            cells = [td(cell_text(v, style), style, f"colspan={1 + span}" if i == len(vals) - 1 and span else "")
                     for i, v in enumerate(vals)]
            part += tr([td(label(lab, style), style)] + cells, style)
        if style.extra_empty:
            part += tr([td("", style)] + [td("", style) for _ in range(width - 1)], style)
        if style.split_tables:
            out.append(table_open(style) + part + "</table>\n")
        else:
            body += part
    if not style.split_tables:
        out.append(table_open(style) + body + "</table>\n")
    return "".join(out)


def requests_table(src, style, stop_after=None):
    """Part 3 in the template's grid; `stop_after` cuts the page off after that row."""
    t = src["template"]
    order = list(range(7))
    if style.total_first:
        order = [6, 0, 1, 2, 3, 4, 5]
    header = tr([td(label("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", style), style, "colspan=3 rowspan=3"),
                 td("申请人情况", style, "colspan=7")], style)
    if style.total_first:
        header += tr([td("总计", style, "rowspan=2"), td("自然人", style, "rowspan=2"), td("法人或其他组织", style, "colspan=5")], style)
    else:
        header += tr([td("自然人", style, "rowspan=2"), td("法人或其他组织", style, "colspan=5"), td("总计", style, "rowspan=2")], style)
    header += tr([td(label(x, style), style) for x in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]], style)
    rows = request_rows(t)
    inner_count = {}
    for _, _, inner, _ in rows:
        if inner:
            inner_count[inner] = inner_count.get(inner, 0) + 1
    outer_count = sum(1 for r in rows if r[1])
    body, seen_outer, seen_inner = "", False, set()
    for key, outer, inner, lab in rows:
        vals = src["requests"][key]
        cells = []
        if outer and not seen_outer:
            cells.append(td(label(outer, style), style, f"rowspan={outer_count}"))
            seen_outer = True
        if inner:
            if inner not in seen_inner:
                cells.append(td(label(inner, style), style, f"rowspan={inner_count[inner]}"))
                seen_inner.add(inner)
            cells.append(td(label(lab, style), style))
        elif style.note_cell and "（区分处理的" in lab:
            # （二）部分公开 | （区分处理的，只计这一情形，不计其他情形）
            head, note = lab.split("（区分处理的", 1)
            cells += [td(head, style), td("（区分处理的" + note, style)]
        else:
            cells.append(td(label(lab, style), style, "colspan=2" if outer else "colspan=3"))
        cells += [td(cell_text(vals[i], style), style) for i in order]
        body += tr(cells, style)
        if stop_after == key:
            return table_open(style) + header + body  # the file ends here
    if style.split_tables:
        # The header in its own table, as some CMS editors leave it.
        return table_open(style) + header + "</table>\n" + table_open(style) + body + "</table>\n"
    return table_open(style) + header + body + "</table>\n"


def review_table(src, style):
    vals = src["review_litigation"]["values"]
    cols = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    body = tr([td("行政复议", style, "colspan=5"), td("行政诉讼", style, "colspan=10")], style)
    body += tr([td(label(c, style), style, "rowspan=2") for c in cols]
               + [td("未经复议直接起诉", style, "colspan=5"), td("复议后起诉", style, "colspan=5")], style)
    body += tr([td(label(c, style), style) for c in cols * 2], style)
    body += tr([td(cell_text(v, style), style) for v in vals], style)
    return table_open(style) + body + "</table>\n"


def paragraph(text, style):
    if style.word:
        return f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>{text}</span><span lang=EN-US style='font-size:16.0pt'><o:p></o:p></span></p>\n"
    return f"<p>{text}</p>\n"


def narrative(src):
    a, y = src["agency"], src["year"]
    return {
        1: f"{y}年，{a}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。",
        5: "一是政策解读形式较为单一；二是信息更新的及时性有待提高。下一步将丰富解读形式，加强信息审核。",
        6: "本年度未收取信息处理费。",
    }


# The template's part headings, by part number.
HEADINGS = [None, "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def report_body(src, style, truncate_after=None):
    n = narrative(src)
    published = f"<p>发布日期：{src['published']}</p>\n" if src.get("published") else ""
    h = HEADINGS
    body = f"<p align=center><b>{title(src)}</b></p>\n" + published
    body += paragraph(f"本报告根据《中华人民共和国政府信息公开条例》要求编制。如对本报告有疑问，请与{src['agency']}办公室联系。", style)
    body += paragraph(h[1], style) + paragraph(n[1], style)
    body += paragraph(h[2], style) + active_tables(src, style)
    body += paragraph(h[3], style)
    if truncate_after:
        return body + requests_table(src, style, stop_after=truncate_after)
    body += requests_table(src, style)
    body += paragraph(h[4], style) + review_table(src, style)
    body += paragraph(h[5], style) + paragraph(n[5], style)
    body += paragraph(h[6], style) + paragraph(n[6], style)
    return body


def html_page(src, style, charset=None, truncate_after=None, head_extra=""):
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n' if charset else ""
    body = report_body(src, style, truncate_after)
    if style.nested:
        # A crawler's wrapper around the site page, whose report sits in layout tables.
        body = ("<div class='meta'><div><strong>标题：</strong>" + title(src) + "</div><div><strong>采集时间：</strong>2025-12-30T21:37:37+08:00</div></div>\n"
                "<article><div class='head'><div class='nav'>首页 &gt; 政务公开 &gt; 年报</div></div>\n"
                "<table width='100%'><tr><td class='left'>栏目导航</td><td class='main'><table width='100%'><tr><td>\n"
                + body + "</td></tr></table></td></tr></table>\n<div class='footer'>主办单位：县人民政府办公室 版权所有</div></article>\n")
    if truncate_after:
        return f"<html><head>{meta}<title>{title(src)}</title>{head_extra}</head><body>\n" + body
    return f"<html><head>{meta}<title>{title(src)}</title>{head_extra}</head><body>\n{body}</body></html>\n"


# ---------------------------------------------------------------- text dumps

def dump_lines(src):
    """One cell per line, as seed 000."""
    lines = [title(src), f"发布时间:{src.get('published', '')}", "一、总体情况", narrative(src)[1], "二、主动公开政府信息情况"]
    for heading, col_labels, rows, _ in ACTIVE[src["template"]]:
        lines += [heading, "信息内容"] + col_labels
        for key, lab in rows:
            lines += [lab] + [cell_text(v, Style()) for v in src["active_disclosure"][key]]
    lines += ["三、收到和处理政府信息公开申请情况", "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
              "申请人情况", "自然人", "法人或其他组织", "总计", "商业", "企业", "科研", "机构", "社会公益组织", "法律服务机构", "其他"]
    last_outer = last_inner = None
    for key, outer, inner, lab in request_rows(src["template"]):
        if outer and outer != last_outer:
            lines.append(outer)
        if inner and inner != last_inner:
            lines.append(inner)
        last_outer, last_inner = outer, inner
        lines += [lab] + [cell_text(v, Style()) for v in src["requests"][key]]
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "结果维持", "结果", "纠正", "其他", "结果", "尚未", "审结", "总计",
              "未经复议直接起诉", "复议后起诉"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    lines += [cell_text(v, Style()) for v in src["review_litigation"]["values"]]
    lines += ["五、存在的主要问题及改进情况", narrative(src)[5], "六、其他需要报告的事项", narrative(src)[6]]
    return "\n\n".join(lines) + "\n"


def dump_pipes(src):
    """Cells ending in `|`, blank cells kept, rows padded with `||`, as seed 002."""
    out = [title(src) + " |", f"发布时间:{src.get('published', '')} |", "一、总体情况", narrative(src)[1], "二、主动公开政府信息情况"]
    for heading, col_labels, rows, _ in ACTIVE[src["template"]]:
        out += [heading + " |", "|||", "信息内容 |"] + [c + " |" for c in col_labels]
        for key, lab in rows:
            out += [lab + " |"] + [cell_text(v, Style(blank="")) + " |" for v in src["active_disclosure"][key]]
    out += ["三、收到和处理政府信息公开申请情况", "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) |", "申请人情况 |", "||||||||",
            "自然人 |", "法人或其他组织 |", "总计 |", "|||||||", "商业 企业 |", "科研 机构 |", "社会公益组织 |", "法律服务机构 |", "其他 |", "|||||"]
    last_outer = last_inner = None
    for key, outer, inner, lab in request_rows(src["template"]):
        if outer and outer != last_outer:
            out.append(outer + " |")
        if inner and inner != last_inner:
            out.append(inner + " |")
        last_outer, last_inner = outer, inner
        vals = [cell_text(v, Style(blank="")) for v in src["requests"][key]]
        out += [lab + " |"] + [(v + " |") if v else "|" for v in vals] + ["||"]
    out += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 |", "行政诉讼 |", "|||||||||||||"]
    out += [c + " |" for c in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]]
    out += ["||||||||"] + [c + " |" for c in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2] + ["|||||"]
    out += [(cell_text(v, Style(blank="")) + " |") if v != "" else "|" for v in src["review_litigation"]["values"]]
    out += ["五、存在的主要问题及改进情况", narrative(src)[5], "六、其他需要报告的事项", narrative(src)[6]]
    return "\n".join(out) + "\n"


def dump_bars_alone(src):
    """`dump_pipes` as a converter writes cells whose text stood in
    paragraphs (xjnlk.gov.cn's report on 2023): the cell's text, a line a
    paragraph (`商业` / `企业`), then its `|` on a line of its own; an empty
    cell a bar alone after the last."""
    out = []
    for line in dump_pipes(src).splitlines():
        if line.endswith(" |"):
            text = line[:-2]
            out += text.split(" ") if text in ("商业 企业", "科研 机构") else [text]
            out.append("|")
        elif line == "|":
            out.append("|")
        elif line and set(line) == {"|"}:
            continue  # a merged cell's padding: this converter writes none
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def dump_rows(src, edged=False, tabs=False):
    """One table row per line, cells joined by ` | `, as HTML-to-text
    converters write a table. A merged cell leaves its column empty on the
    rows below it. `edged` rows open with `|` too and are padded with `|` to
    the widest row (`| 规章 | 0 | 0 | 0 | ||||||`). `tabs` joins the cells
    with tabs instead, as a table copied out of a browser comes: an empty
    cell an empty field, at the end of a row too."""
    width = 10  # part 3's grid: three label columns and seven figures
    blank = Style(blank="")

    def row(cells):
        if tabs:
            return "\t".join(cells)
        if edged:
            return "| " + " | ".join(cells) + " | " + "|" * max(0, width - len(cells))
        return " | ".join(cells) + " |"

    out = [title(src), f"发布时间:{src.get('published', '')}", "一、总体情况", narrative(src)[1], "二、主动公开政府信息情况"]
    for heading, col_labels, rows, _ in ACTIVE[src["template"]]:
        out += [row([heading]), row(["信息内容"] + col_labels)]
        for key, lab in rows:
            out.append(row([lab] + [cell_text(v, blank) for v in src["active_disclosure"][key]]))
    out += ["三、收到和处理政府信息公开申请情况",
            row(["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"]),
            row(["自然人", "法人或其他组织", "总计"]),
            row(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])]
    last_outer = last_inner = None
    for key, outer, inner, lab in request_rows(src["template"]):
        cells = []
        if outer:
            cells.append(outer if outer != last_outer else "")
        if inner:
            cells.append(inner if inner != last_inner else "")
        last_outer, last_inner = outer, inner
        out.append(row(cells + [lab] + [cell_text(v, blank) for v in src["requests"][key]]))
    out += ["四、政府信息公开行政复议、行政诉讼情况", row(["行政复议", "行政诉讼"]),
            row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]),
            row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2),
            row([cell_text(v, blank) for v in src["review_litigation"]["values"]])]
    out += ["五、存在的主要问题及改进情况", narrative(src)[5], "六、其他需要报告的事项", narrative(src)[6]]
    return "\n".join(out) + "\n"


def dump_markdown(src):
    """The rows between edges as a Markdown converter writes a table: a
    delimiter row (`|---|---|`) under each table's first row. Part 4's top
    row (行政复议 / 行政诉讼) is a paragraph, as on pages whose table starts
    at its 结果维持 row, so there the delimiter row stands between the
    header and the figures."""
    out, in_table = [], False
    for line in dump_rows(src, edged=True).split("\n"):
        if line.startswith("| 行政复议 | 行政诉讼"):
            out.append("行政复议 行政诉讼")
            in_table = False
            continue
        is_row = line.startswith("| ")
        out.append(line)
        if is_row and not in_table:
            out.append("|" + "---|" * (15 if "结果维持" in line else 10))
        in_table = is_row
    return "\n".join(out)


def dump_pdf(src, heading_2014=False, wrap=None, review_header=True):
    """A PDF's text, as sites' flipbook pages carry it: a row's label and
    figures on one line, apart by spaces; part 4's column labels printed
    vertically, a character or two a line, so 结果维持 is never in one piece;
    part 4's row of figures a line of its own. `heading_2014` titles part 4
    the older way (四、因政府信息公开工作被申请行政复议提起行政诉讼情况).
    `wrap` breaks part 3's labels longer than the label column (14
    characters) onto a second line, the figures on the first line
    ("first") or after the rest of the label ("rest"), as a cell's text
    comes out top-aligned or centred.
    `review_header=False` loses part 4's column labels, keeping only its
    groups' names on one line (`行政复议 行政诉讼`), as a converter does with
    labels printed vertically (宿迁市's report on 2025 in KIROGOVCOMPARE).
    A PDF's text keeps no empty cell: only sources without blanks."""
    plain = Style()
    out = [title(src), f"发布时间:{src.get('published', '')}", "一、总体情况", narrative(src)[1], "二、主动公开政府信息情况"]
    for heading, col_labels, rows, _ in ACTIVE[src["template"]]:
        out += [heading, "信息内容 " + " ".join(col_labels)]
        for key, lab in rows:
            out.append(" ".join([lab] + [cell_text(v, plain) for v in src["active_disclosure"][key]]))
    out += ["三、收到和处理政府信息公开申请情况", "申请人情况", "（本列数据的勾稽关系为：第一项加第二项", "法人或其他组织",
            "之和，等于第三项加第四项之和） 商业 科研 社会公益 法律服务", "自然人 总计", "其他", "企业 机构 组织 机构"]
    last_outer = last_inner = None
    for key, outer, inner, lab in request_rows(src["template"]):
        prefix = []
        if outer and outer != last_outer:
            prefix.append(outer)
        if inner and inner != last_inner:
            prefix.append(inner)
        last_outer, last_inner = outer, inner
        figures = [cell_text(v, plain) for v in src["requests"][key]]
        if wrap and len(lab) > 14:
            head, rest = " ".join(prefix + [lab[:14]]), lab[14:]
            if wrap == "first":
                out += [" ".join([head] + figures), rest]
            else:
                out += [head, " ".join([rest] + figures)]
        else:
            out.append(" ".join(prefix + [lab] + figures))
    out.append("四、因政府信息公开工作被申请行政复议提起行政诉讼情况" if heading_2014 else "四、政府信息公开行政复议、行政诉讼情况")
    out.append("行政复议 行政诉讼")
    if review_header and heading_2014:
        out += ["未经复议直接起诉 复议后起诉", "结果 结果 其他 尚未 总", "维持 纠正 结果 审结 计 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总",
                "维持 纠正 结果 审结 计 维持 纠正 结果 审结 计"]
    elif review_header:
        out += ["未经复议直接起诉 复议后起诉", "结 结 其 尚", "结 结 其 尚 结 结 其 尚", "果 果 他 未", "总计 果 果 他 未 总 果 果 他 未 总",
                "维 纠 结 审", "维 纠 结 审 计 维 纠 结 审 计", "持 正 果 结", "持 正 果 结 持 正 果 结"]
    out.append(" ".join(cell_text(v, plain) for v in src["review_litigation"]["values"]))
    out += ["五、存在的主要问题及改进情况", narrative(src)[5], "六、其他需要报告的事项", narrative(src)[6]]
    return "\n".join(out) + "\n"


def dump_runs(src, one_line=False):
    """Cells run together on a line (seed 004), or the whole report on one line (Pingtan)."""
    lines = [title(src), f"来源:{src['agency']}时间:{src.get('published', '')}浏览量:", "一、总体情况", narrative(src)[1], "二、主动公开政府信息情况"]
    for heading, col_labels, rows, _ in ACTIVE[src["template"]]:
        lines += [heading, "信息内容" + "".join(col_labels)]
        for key, lab in rows:
            lines.append(lab + "".join(cell_text(v, Style()) for v in src["active_disclosure"][key]))
    lines += ["三、收到和处理政府信息公开申请情况", "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)申请人情况",
              "自然人法人或其他组织总计", "商业企业科研机构社会公益组织法律服务机构其他"]
    last_outer = last_inner = None
    for key, outer, inner, lab in request_rows(src["template"]):
        prefix = ""
        if outer and outer != last_outer:
            prefix += outer
        if inner and inner != last_inner:
            prefix += inner
        last_outer, last_inner = outer, inner
        lines.append(prefix + lab + "".join(cell_text(v, Style()) for v in src["requests"][key]))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议行政诉讼", "结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉",
              "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计",
              "".join(cell_text(v, Style()) for v in src["review_litigation"]["values"])]
    lines += ["五、存在的主要问题及改进情况", narrative(src)[5], "六、其他需要报告的事项", narrative(src)[6]]
    if one_line:
        head = f"标题: {title(src)}\n发布时间: {src.get('published', '')}\n==================== 正文 ====================\n"
        return head + " ".join(lines[1:]) + "\n"
    return "\n".join(lines) + "\n"


def blank_format_page(src, style, edition):
    """The State Council's notice sending out the report format, as a site's
    政务公开 column reposts it: the notice's own words (from the copies on
    zrzy.smx.gov.cn and hongxingpaper.com in the search tool's stored pages),
    then the format's parts with the template's tables printed blank."""
    blank = {
        "template": src["template"],
        "active_disclosure": {k: ["" for _ in v] for k, v in src["active_disclosure"].items()},
        "requests": {k: ["" for _ in v] for k, v in src["requests"].items()},
        "review_litigation": {"values": ["" for _ in src["review_litigation"]["values"]]},
    }
    if edition == "2021":
        name = "国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知"
        opening = ["国办公开办函〔2021〕30号", "各省、自治区、直辖市人民政府办公厅，国务院各部委、各直属机构办公厅（室）：",
                   "根据《中华人民共和国政府信息公开条例》第五十条的规定，现将修订后的《中华人民共和国政府信息公开工作年度报告格式》印发给你们，请认真贯彻执行。",
                   "国务院办公厅政府信息与政务公开办公室", "2021年9月26日", "中华人民共和国", "政府信息公开工作年度报告格式"]
    else:
        name = "国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知"
        opening = ["国办公开办函〔2019〕60号", "各省、自治区、直辖市人民政府办公厅，国务院各部委、各直属机构办公厅（室）：",
                   "修订后的《中华人民共和国政府信息公开条例》（以下简称新条例）已于2019年5月15日起施行。现就有关事项通知如下：",
                   "一、抓紧部署", "附件：中华人民共和国政府信息公开工作年度报告格式（试行）"]
    h = HEADINGS
    body = f"<p align=center><b>{name}</b></p>\n" + "".join(paragraph(t, style) for t in opening)
    body += paragraph(h[1], style) + paragraph(h[2], style) + active_tables(blank, style)
    body += paragraph(h[3], style) + requests_table(blank, style)
    body += paragraph(h[4], style) + review_table(blank, style)
    body += paragraph(h[5], style) + paragraph(h[6], style)
    return f"<html><head><meta charset='utf-8'><title>{name}_政府信息公开机制</title></head><body>\n{body}</body></html>\n"


# ---------------------------------------------------------------- the corpus

def write(name, data, expected):
    PAGES.joinpath(name).write_bytes(data)
    expected = {"page": name, **expected}
    EXPECTED.joinpath(name + ".json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def meta(src, status, cells, **extra):
    m = {"status": status, "agency": src["agency"], "year": src["year"], "template": src["template"], "cells": cells}
    if src.get("published"):
        m["published"] = src["published"]
    m.update(extra)
    return m


def main():
    all_sources = load_sources()
    # A source with a cell its page does not give cannot be rendered.
    sources = {k: s for k, s in all_sources.items() if not has_unknown(s)}
    shutil.rmtree(PAGES, ignore_errors=True)
    shutil.rmtree(EXPECTED, ignore_errors=True)
    PAGES.mkdir()
    EXPECTED.mkdir()
    for name, src in sources.items():
        full = expected_cells(src)
        # HTML in the encodings sites use.
        write(f"{name}.word.gb2312.html", html_page(src, Style(word=True), "gb2312").encode("gbk"), meta(src, "ok", full, encoding="GBK"))
        write(f"{name}.cms.utf8.html", html_page(src, Style(), "utf-8").encode("utf-8"), meta(src, "ok", full, encoding="UTF-8"))
        write(f"{name}.undeclared.gb18030.html", html_page(src, Style()).encode("gb18030"), meta(src, "ok", full, encoding="gb18030"))
    for name in ["pingtan_2022", "shanghai_office_2019", "rongjiang_2024"]:
        src, full = sources[name], expected_cells(sources[name])
        # Declared gb2312, bytes UTF-8.
        write(f"{name}.lying.utf8.html", html_page(src, Style(), "gb2312").encode("utf-8"), meta(src, "ok", full, encoding="UTF-8"))
        # Markup as sites write it.
        write(f"{name}.split-tables.html", html_page(src, Style(split_tables=True), "utf-8").encode("utf-8"), meta(src, "ok", full))
        write(f"{name}.nested-wrapped.html", html_page(src, Style(nested=True, word=True), "utf-8").encode("utf-8"), meta(src, "ok", full))
        write(f"{name}.total-first.html", html_page(src, Style(total_first=True), "utf-8").encode("utf-8"), meta(src, "ok", full))
        write(f"{name}.extra-empty.html", html_page(src, Style(extra_empty=True), "utf-8").encode("utf-8"), meta(src, "ok", full))
        write(f"{name}.note-cell.html", html_page(src, Style(note_cell=True, word=True), "utf-8").encode("utf-8"), meta(src, "ok", full))
        write(f"{name}.broken-labels-fullwidth.html", html_page(src, Style(broken_labels=True, fullwidth=True, units=True), "utf-8").encode("utf-8"), meta(src, "ok", full))
    for name in ["pingtan_2022", "shuyang_2023"]:
        src, full = sources[name], expected_cells(sources[name])
        write(f"{name}.utf16.html", b"\xff\xfe" + html_page(src, Style()).encode("utf-16-le"), meta(src, "ok", full, encoding="UTF-16LE"))
        try:
            from opencc import OpenCC
        except ImportError:
            raise SystemExit("pip install -r tests/corpus/requirements.txt (opencc-python-reimplemented)")
        trad = OpenCC("s2t").convert(html_page(src, Style(word=True), "big5"))
        write(f"{name}.traditional.big5.html", trad.encode("big5", errors="xmlcharrefreplace"),
              meta(src, "ok", full, encoding="Big5", script="traditional"))
    # Placeholders where the page has no number: null, never 0.
    for name in ["rongjiang_2024", "shanghai_office_2019"]:
        src = sources[name]
        write(f"{name}.placeholders.html", html_page(src, Style(blank="/"), "utf-8").encode("utf-8"), meta(src, "ok", expected_cells(src)))
    # Text dumps.
    for name, src in sources.items():
        full = expected_cells(src)
        write(f"{name}.dump-pipes.txt", dump_pipes(src).encode("utf-8"), meta(src, "ok", full))
        write(f"{name}.dump-bars-alone.txt", dump_bars_alone(src).encode("utf-8"), meta(src, "ok", full))
        write(f"{name}.dump-rows.txt", dump_rows(src).encode("utf-8"), meta(src, "ok", full))
        write(f"{name}.dump-rows-edged.txt", dump_rows(src, edged=True).encode("utf-8"), meta(src, "ok", full))
        write(f"{name}.dump-tsv.txt", dump_rows(src, tabs=True).encode("utf-8"), meta(src, "ok", full))
        write(f"{name}.dump-markdown.txt", dump_markdown(src).encode("utf-8"), meta(src, "ok", full))
        if not has_blanks(src):  # a PDF's text keeps no empty cell
            older_heading = src["year"] % 2 == 0
            write(f"{name}.dump-pdf.txt", dump_pdf(src, heading_2014=older_heading).encode("utf-8"), meta(src, "ok", full))
            wrap = "rest" if older_heading else "first"
            write(f"{name}.dump-pdf-wrapped.txt", dump_pdf(src, wrap=wrap).encode("utf-8"), meta(src, "ok", full))
            # Without part 4's header the figures' order is the template's
            # only where each group's total confirms it.
            groups = [src["review_litigation"]["values"][i:i + 5] for i in range(0, 15, 5)]
            confirmed = all(sum(g[:4]) == g[4] for g in groups)
            unheaded = full if confirmed else {k: (None if k.startswith("review_litigation.") else v) for k, v in full.items()}
            write(f"{name}.dump-pdf-unheaded.txt", dump_pdf(src, review_header=False).encode("utf-8"),
                  meta(src, "ok" if confirmed else "partial", unheaded))
    for name in ["pingtan_2022", "guoyang_2024", "shuyang_2023", "rongjiang_2024"]:
        src, full = sources[name], expected_cells(sources[name])
        if has_blanks(src):
            continue  # one-per-line and run-together dumps lose blank cells
        write(f"{name}.dump-lines.txt", dump_lines(src).encode("utf-8"), meta(src, "ok", full))
        ambiguous = src.get("runs_ambiguous", [])
        runs = {k: (None if any(k.startswith(a + ".") for a in ambiguous) else v) for k, v in full.items()}
        status = "partial" if ambiguous else "ok"
        write(f"{name}.dump-runs.txt", dump_runs(src).encode("utf-8"), meta(src, status, runs))
        write(f"{name}.dump-oneline.txt", dump_runs(src, one_line=True).encode("utf-8"), meta(src, status, runs))
    # A file cut off in the middle of part 3: what was read is kept.
    src = sources["pingtan_2022"]
    rows = [k for k, *_ in request_rows("2021")]
    cut = rows[: rows.index("denied_process_information") + 1]
    write("pingtan_2022.truncated.html", html_page(src, Style(), "utf-8", truncate_after="denied_process_information").encode("utf-8"),
          meta(src, "partial", expected_cells(src, tables=("active_disclosure", "requests"), requests_rows=cut)))
    # Pages that are not all there, or not reports.
    write("tables-as-images.html", (
        "<html><head><meta charset='utf-8'><title>郎溪县教育体育局2024年政府信息公开工作年度报告</title></head><body>"
        "<h1>郎溪县教育体育局2024年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>2024年，我局主动公开政府信息86条。</p>"
        "<p>二、主动公开政府信息情况</p><p><img src='t2.png'></p><p>三、收到和处理政府信息公开申请情况</p><p><img src='t3.png'></p>"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><p><img src='t4.png'></p><p>五、存在的主要问题及改进情况</p><p>信息更新不够及时。</p>"
        "<p>六、其他需要报告的事项</p><p>无。</p></body></html>").encode("utf-8"),
        {"status": "no_tables", "agency": "郎溪县教育体育局", "year": 2024, "template": None, "cells": {}})
    not_a_report = {"status": "not_a_report", "agency": None, "year": None, "template": None, "cells": {}}
    write("column-list-page.html", (
        "<html><head><meta charset='utf-8'><title>政府信息公开年报_郎溪县人民政府</title></head><body><ul>"
        "<li><a href='1.html'>郎溪县科技工信局2024年政府信息公开工作年度报告</a> 2025-01-20</li>"
        "<li><a href='2.html'>郎溪县教育体育局2024年政府信息公开工作年度报告</a> 2025-01-18</li></ul>"
        "<div>共2条 1/1页</div></body></html>").encode("utf-8"),
        not_a_report)
    # The report format reposted with its tables blank: no report.
    write("format-notice-2021.html", blank_format_page(sources["pingtan_2022"], Style(), "2021").encode("utf-8"), not_a_report)
    write("format-notice-2019.word.html", blank_format_page(sources["shanghai_office_2019"], Style(word=True), "2019").encode("utf-8"),
          not_a_report)
    write("empty.html", b"", {"status": "error", "agency": None, "year": None, "template": None, "cells": {}})
    write("scanned.pdf.html", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
          {"status": "error", "agency": None, "year": None, "template": None, "cells": {}})
    real_pages(all_sources)
    print(f"{len(list(EXPECTED.iterdir()))} pages")


def real_pages(sources):
    """The real pages themselves, read where they live (`path`, from the
    repository root), with the same hand-checked figures."""
    def ref(path, expected):
        name = Path(path).name
        EXPECTED.joinpath(f"real.{name}.json").write_text(
            json.dumps({"page": name, "path": path, **expected}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    s = sources
    ref("data/000_c26d84461eef8b9b.txt", meta(s["guoyang_2024"], "ok", expected_cells(s["guoyang_2024"])))
    ref("data/001_fe15402ac693f5ed.txt", {"status": "no_tables", "agency": "余姚市人民政府招商中心", "year": 2023,
                                          "published": "2024-01-17", "cells": {}})
    ref("data/002_2f7acd81927c9392.txt", meta(s["rongjiang_2024"], "ok", expected_cells(s["rongjiang_2024"])))
    # Seed 003 (traditional script): the dump carries no cell of the tables
    # but one 0 under 规章's three columns, which cannot be placed.
    blank = {k: None for k in expected_cells(s["guoyang_2024"])}
    ref("data/003_40a1cdd5dd6550b0.txt", {"status": "partial", "agency": "郎溪县科技工信局", "year": 2024,
                                          "template": "2021", "script": "traditional", "cells": blank})
    z = dict(s["guoyang_2024"], agency="桐柏县产业集聚区管理委员会", year=2023, published="2024-01-31")
    ref("data/004_75f5e1dd19ed0e46.txt", meta(z, "ok", expected_cells(z)))
    ref("../shared/corpus/real/shuyang_fgj_2023_wrapped.html", meta(s["shuyang_2023"], "ok", expected_cells(s["shuyang_2023"])))
    ref("../shared/corpus/real/shanghai_gov_office_2019.html",
        meta(s["shanghai_office_2019"], "ok", expected_cells(s["shanghai_office_2019"])))
    # Pingtan's own dumps run each row's cells together: a run with more than
    # one cut (2023's 规范性文件 `77132470`, 77/132/470 in the site's table)
    # stays null.
    for year in range(2019, 2026):
        src = s[f"pingtan_{year}"]
        ambiguous = tuple(f"{row}." for row in src["runs_ambiguous"])
        cells = {k: (None if k.startswith(ambiguous) else v) for k, v in expected_cells(src).items()}
        ref(f"../shared/corpus/real/pingtan_zhqgwh_{year}.txt", meta(src, "partial", cells))
    # The format before 2019: a report, but none of the template's tables.
    ref("../shared/corpus/real/pingtan_zhqgwh_2018_oldformat.txt",
        {"status": "no_tables", "agency": "平潭综合实验区", "year": 2018, "template": None, "cells": {}})
    # Cut from the same crawl (cuts/README.md): a report on 2013 in the
    # outline before 2019, whose only template heading is 主动公开政府信息情况,
    # and a letter filed in the annual-report column, which is no report.
    ref("tests/corpus/cuts/pingtan_dishui_2013_oldformat.txt",
        {"status": "no_tables", "agency": "平潭综合实验区地方税务局", "year": 2013, "template": None,
         "published": "2014-02-25", "cells": {}})
    ref("tests/corpus/cuts/pingtan_letter_2014.txt",
        {"status": "not_a_report", "agency": None, "year": None, "template": None, "cells": {}})
    # A PDF's text converted to Markdown (cuts/README.md). Rows whose labels
    # the converter printed apart from their figures cannot be placed and
    # stay null (a row whose label precedes an earlier row's, figures after
    # a block of labels, labels cut mid-signature); so do rows with a cell
    # lost (part 2's first two rows on the 2025 page).
    def pdf_page(path, src, unread):
        cells = {k: (None if k.split(".")[1] in unread else v) for k, v in expected_cells(src).items()}
        status = "partial" if unread else "ok"
        # The page's figures as the source gives them, for the lost-line test.
        ref(path, meta(src, status, cells, truth=expected_cells(src)))
    pdf_page("tests/corpus/cuts/kewei_2024_pdf.md", s["kewei_2024"], {
        "partially_granted", "denied_prohibited_by_law", "denied_internal_affairs", "unavailable_not_held",
        "unavailable_needs_creation", "unavailable_still_unclear", "not_processed_mass_repeated",
        "not_processed_confirm_reissue", "other_no_correction", "other_unpaid_fee"})
    pdf_page("tests/corpus/cuts/shanghai_office_2025_pdf.md", s["shanghai_office_2025"], {
        "regulations", "normative_documents", "partially_granted", "not_processed_confirm_reissue",
        "other_no_correction"})
    # The OCR pipeline's Markdown: part 3 a small table a row (each under its
    # label as a heading), part 4 a table a group.
    pdf_page("tests/corpus/cuts/shuyang_county_2025_ocr.md", s["shuyang_county_2025"], set())


if __name__ == "__main__":
    main()
