//! The text path: dumps of report pages saved as plain text.
//!
//! Dumps arrive in five shapes, often mixed: one cell per line, cells
//! terminated by `|` (with empty cells kept as empty segments), one table
//! row per line with cells between `|` (`规章 | 0 | 0 | 0 |`, or with edges,
//! `| 规章 | 0 | 0 | 0 |`, as HTML-to-text converters write tables) or
//! between tabs (a table copied out of a browser), and cells run together
//! on one line (`规章000`). This path keeps what the text shows: one block
//! per line, or one per delimited cell; runs are split later by the
//! extractor, which knows the template.

use crate::document::{Block, Document, PageInfo};
use crate::text::fold_whitespace;

/// Header lines some archive crawlers put above the body (`标题: …`).
const TITLE_KEYS: &[&str] = &["标题:", "标题：", "标 题:"];
const URL_KEYS: &[&str] = &["原文链接:", "原文链接：", "原文地址:", "来源链接:", "url:"];

pub fn parse_text(source: &str) -> Document {
    let mut page = PageInfo {
        from_text_dump: true,
        ..PageInfo::default()
    };
    let mut blocks = Vec::new();
    let edged = rows_have_edges(source);
    let bars_alone = bars_stand_alone(source);
    // Where each `|` stands on a line of its own: whether a cell's text came
    // since the last one (two bars with none between are an empty cell).
    let mut text_since_bar = false;
    // Figures standing alone between delimiters; a breadcrumb has none.
    let mut delimited_figures = 0usize;
    for (n, line) in source.lines().enumerate() {
        let trimmed = line.trim();
        if n < 20 {
            if let Some(v) = value_after(trimmed, TITLE_KEYS) {
                page.titles.push(fold_whitespace(v));
            }
            if let Some(v) = value_after(trimmed, URL_KEYS) {
                if v.starts_with("http") && page.source_url.is_none() {
                    page.source_url = Some(v.to_string());
                }
            }
        }
        if is_delimiter_row(trimmed) || is_padding_line(trimmed) {
            continue;
        }
        if page.line_starts.last() != Some(&blocks.len()) {
            page.line_starts.push(blocks.len());
        }
        if bars_alone && trimmed == "|" {
            if !text_since_bar {
                blocks.push(Block::Text(String::new()));
            }
            text_since_bar = false;
        } else if bars_alone && !trimmed.is_empty() && !trimmed.contains('|') {
            // A cell's text, or a line of it: delimited by the bars around it.
            let text = strip_heading_marks(trimmed);
            delimited_figures += push_cells(&mut blocks, std::iter::once(text));
            text_since_bar = true;
        } else if trimmed.contains('|') {
            // A row's opening edge is not a cell. Read as one, it would be a
            // blank in front of the row: harmless before a label, but it
            // shifts a row of bare figures (part 4's) by one cell.
            let row = match trimmed.strip_prefix('|') {
                Some(rest) if edged => rest,
                _ => trimmed,
            };
            let mut cells: Vec<&str> = row.split('|').collect();
            // The segment after the last `|` ends the line; it is a cell only
            // if it has text.
            if cells.last().is_some_and(|c| c.trim().is_empty()) {
                cells.pop();
            }
            delimited_figures += push_cells(&mut blocks, cells.into_iter());
        } else if line.bytes().filter(|&b| b == b'\t').count() >= 2 {
            // A table row copied out of a browser: cells between tabs, an
            // empty cell an empty field. The tabs at either end are cells'
            // too (part 4's five blanks at the end of its row), so only
            // spaces are trimmed. One tab is spacing in a line of text.
            let row = line.trim_matches(|c| c == ' ' || c == '\r');
            delimited_figures += push_cells(&mut blocks, row.split('\t'));
        } else if !trimmed.is_empty() {
            blocks.push(Block::Text(fold_whitespace(strip_heading_marks(trimmed))));
        }
    }
    page.cells_delimited = delimited_figures >= 3;
    Document { blocks, page }
}

/// A Markdown heading's marks (`## 一、总体情况`, `# XX2025年…年度报告`): not
/// the page's words, and in front of a title they would be read as part of
/// the agency's name.
fn strip_heading_marks(line: &str) -> &str {
    let rest = line.trim_start_matches('#');
    let marks = line.len() - rest.len();
    if (1..=6).contains(&marks) && rest.starts_with(char::is_whitespace) {
        rest.trim_start()
    } else {
        line
    }
}

/// Push a row's delimited cells as blocks; how many are a figure alone.
fn push_cells<'a>(blocks: &mut Vec<Block>, cells: impl Iterator<Item = &'a str>) -> usize {
    let mut figures = 0;
    for cell in cells {
        let cell = fold_whitespace(cell);
        if !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit()) {
            figures += 1;
        }
        blocks.push(Block::Text(cell));
    }
    figures
}

/// A Markdown table's delimiter row (`|---|:---:|---|`), which converters
/// write under a table's first row. It holds no cell: read as cells, its
/// dashes are placeholders, and a row of them after part 4's header would
/// stand in for the fifteen figures. Two cells of dashes at least, each of
/// three dashes or more, so a dump's one placeholder cell (`--- |`) stays.
fn is_delimiter_row(line: &str) -> bool {
    let mut cells = 0;
    for cell in line.split('|').map(str::trim).filter(|c| !c.is_empty()) {
        let dashes = cell.trim_start_matches(':').trim_end_matches(':');
        if dashes.len() < 3 || !dashes.bytes().all(|b| b == b'-') {
            return false;
        }
        cells += 1;
    }
    cells >= 2
}

/// A line of bars and nothing else, two or more (`||`, `|||||`): where a
/// dump ends each cell with `|` on a line of its own (seed 002), an empty
/// cell is a lone `|` and these lines are the padding a merged cell leaves.
/// Read as blank cells they fill a row that lost a cell back to its width,
/// so its figures slide over unseen, and before part 4's figures they are
/// five blanks the row's rule cannot place. A row of empty cells between
/// edges has spaces in it (`|  |  |`) and stays.
fn is_padding_line(line: &str) -> bool {
    line.len() >= 2 && line.bytes().all(|b| b == b'|')
}

/// Whether the dump writes its table rows between edges (`| 规章 | 0 |`).
///
/// Per document, not per line: in a dump without edges a line also opens
/// with `|` when its first cell is empty (a merged label cell, `| （二）部分公开
/// | …`), and there that `|` does end a cell. A dump with edges opens nearly
/// every row with `|` and starts few lines with text before a `|` (a
/// breadcrumb, say); one without starts most of its rows with text.
/// Whether a dump ends each cell with a `|` on a line of its own, as a
/// converter writes cells whose text stood in paragraphs (`规章` / `|` /
/// `0` / `|`; xjnlk.gov.cn's report on 2023), rather than on the cell's own
/// line (`规章 |`, seed 002, where a lone `|` is an empty cell). Decided per
/// dump, by which of the two its bars mostly do.
fn bars_stand_alone(source: &str) -> bool {
    let (mut alone, mut after_text) = (0usize, 0usize);
    for line in source.lines() {
        let trimmed = line.trim();
        if trimmed == "|" {
            alone += 1;
        } else if trimmed.len() > 1 && trimmed.ends_with('|') {
            after_text += 1;
        }
    }
    alone >= 3 && alone > 4 * after_text
}

fn rows_have_edges(source: &str) -> bool {
    let (mut opened, mut text_first) = (0usize, 0usize);
    for line in source.lines() {
        let trimmed = line.trim();
        let Some(bar) = trimmed.find('|') else {
            continue;
        };
        if bar == 0 {
            if trimmed[1..].chars().any(|c| c != '|' && !c.is_whitespace()) {
                opened += 1;
            }
        } else {
            text_first += 1;
        }
    }
    opened > 0 && opened >= 4 * text_first
}

fn value_after<'a>(line: &'a str, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| line.strip_prefix(k))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_on_lines_of_their_own_end_cells() {
        // Part 2 of a town's report on 2023 (xjnlk.gov.cn, c112945/202401),
        // as a converter wrote table cells whose text stood in paragraphs:
        // the cell, then its `|` on a line of its own. Read as seed 002's
        // shape, each lone bar was an empty cell and every row ambiguous.
        let part_2 = "二、主动公开政府信息情况\n该部分以表格形式报告。表格如下:\n第二十条第(一)项\n|\n\
                      信息内容\n|\n本年制发件数\n|\n本年废止件数\n|\n现行有效件数\n|\n规章\n|\n0\n|\n0\n|\n\
                      6\n|\n行政规范性文件\n|\n0\n|\n0\n|\n0\n|\n第二十条第(五)项\n|\n信息内容\n|\n\
                      本年处理决定数量\n|\n行政许可\n|\n0\n|";
        let doc = parse_text(part_2);
        assert_eq!(
            texts(&doc)[6..16],
            [
                "现行有效件数",
                "规章",
                "0",
                "0",
                "6",
                "行政规范性文件",
                "0",
                "0",
                "0",
                "第二十条第(五)项"
            ]
        );
        assert!(doc.page.cells_delimited);
        let extraction = crate::extract::extract(&doc);
        let part_2 = extraction.tables[0].index();
        let value = |row, col| part_2.get(row, col).and_then(|c| c.value);
        assert_eq!(value("regulations", "in_force"), Some(6.0));
        assert_eq!(value("normative_documents", "issued"), Some(0.0));
        assert_eq!(value("licensing", "decisions"), Some(0.0));
        // Seed 002's own shape, bars on the cells' lines, is not this one.
        assert!(!bars_stand_alone("规章 |\n0 |\n |\n6 |\n行政许可 |\n |"));
    }

    fn texts(doc: &Document) -> Vec<&str> {
        doc.blocks
            .iter()
            .map(|b| match b {
                Block::Text(t) => t.as_str(),
                Block::Table(_) => "<table>",
            })
            .collect()
    }

    #[test]
    fn pipe_cells_keep_their_blanks() {
        // Cut from seed 002: a row label, a value, a blank cell (a lone
        // `|`), then the row's padding (`||`), which is no cell.
        let doc = parse_text("一、本年新收政府信息公开申请数量 |\n6 |\n |\n||\n");
        assert_eq!(texts(&doc), ["一、本年新收政府信息公开申请数量", "6", ""]);
    }

    #[test]
    fn a_row_edge_is_not_a_cell() {
        // Part 4 of shanghai_gov_office_2019.html as a converter writes the
        // table, rows between edges: the first figure is 5, not a blank.
        let dump = "| 行政复议 | 行政诉讼 | ||||||||||||\n\
                    | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 | ||||||||\n\
                    | 5 |  |  | 2 | 7 | 8 |  |  | 1 | 9 |  |  |  |  |  |\n";
        let doc = parse_text(dump);
        let figures = &texts(&doc)[texts(&doc).len() - 15..];
        assert_eq!(
            figures,
            ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""]
        );
    }

    #[test]
    fn without_edges_a_leading_bar_ends_an_empty_cell() {
        // Rows written `cell | cell |`: a row under a merged label opens
        // with its empty cell, which stays one; a breadcrumb above the
        // report does not make the rows look edged.
        let dump = "首页 | 政务公开 | 年报\n\
                    三、本年度办理结果 | （一）予以公开 | 258 | 12 |  |  | 1 | 1 |  |\n\
                    | （二）部分公开 | 3 |  |  |  |  |  |  |\n";
        let doc = parse_text(dump);
        assert!(!rows_have_edges(dump));
        assert_eq!(&texts(&doc)[12..14], ["", "（二）部分公开"]);
    }

    #[test]
    fn a_breadcrumb_does_not_undo_edges() {
        let dump = "首页 | 政务公开\n| 规章 | 13 | 13 | 524 |\n| 规范性文件 | 60 | 60 | 368 |\n\
                    | 行政许可 | 0 | 0 | 0 |\n| 行政处罚 | 0 | 0 | 0 |\n";
        assert!(rows_have_edges(dump));
        assert_eq!(&texts(&parse_text(dump))[2..6], ["规章", "13", "13", "524"]);
    }

    #[test]
    fn tab_separated_rows_keep_their_blanks() {
        // shanghai_gov_office_2019.html's rows as a browser copies them:
        // blank cells are empty fields, the last five of part 4 too.
        let doc = parse_text(
            "一、本年新收政府信息公开申请数量\t821\t35\t\t\t2\t1\t859\n5\t\t\t2\t7\t8\t\t\t1\t9\t\t\t\t\t\n",
        );
        assert_eq!(
            texts(&doc),
            [
                "一、本年新收政府信息公开申请数量",
                "821",
                "35",
                "",
                "",
                "2",
                "1",
                "859",
                "5",
                "",
                "",
                "2",
                "7",
                "8",
                "",
                "",
                "1",
                "9",
                "",
                "",
                "",
                "",
                ""
            ]
        );
        // One tab is spacing in a line of text.
        assert_eq!(
            texts(&parse_text("发布日期：\t2020-01-31\n")),
            ["发布日期：2020-01-31"]
        );
    }

    #[test]
    fn a_markdown_delimiter_row_is_no_cells() {
        // Pingtan 2023's part 4 as a Markdown converter writes it when the
        // table starts at its 结果维持 row: the delimiter row comes between
        // the header and the figures.
        let doc = parse_text(
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|:---:|---|---|---:|\n| 1 | 1 | 0 | 0 | 2 |\n",
        );
        assert_eq!(
            texts(&doc),
            [
                "结果维持",
                "结果纠正",
                "其他结果",
                "尚未审结",
                "总计",
                "1",
                "1",
                "0",
                "0",
                "2"
            ]
        );
        // A dump's placeholder cell is a cell.
        assert_eq!(texts(&parse_text("--- |\n")), ["---"]);
        assert!(!is_delimiter_row("| 规章 | --- | --- | --- |"));
    }

    #[test]
    fn figures_between_delimiters_mark_the_cells_delimited() {
        // shuyang_fgj_2023's 行政规范性文件 row in seed 002's shape: `18` is
        // one cell, never 1 and 8.
        assert!(
            parse_text("行政规范性文件 |\n8 |\n0 |\n18 |\n")
                .page
                .cells_delimited
        );
        // A breadcrumb's bars are no table; Pingtan's runs stay runs.
        assert!(
            !parse_text("首页 | 政务公开 | 年报\n行政规范性文件8855698\n")
                .page
                .cells_delimited
        );
    }

    #[test]
    fn one_cell_per_line_skips_blank_lines() {
        // Cut from seed 000.
        let doc = parse_text("规章\n\n0\n\n0\n\n0\n");
        assert_eq!(texts(&doc), ["规章", "0", "0", "0"]);
    }

    #[test]
    fn crawler_header_gives_title_and_url() {
        // The header of corpus/real/pingtan_zhqgwh_2022.txt.
        let doc = parse_text(
            "标题: 平潭综合实验区2022年度政府信息公开工作年度报告\n发布时间: 2023-02-20 15:07\n原文链接: https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202302/t20230220_80629.htm\n",
        );
        assert_eq!(
            doc.page.titles,
            ["平潭综合实验区2022年度政府信息公开工作年度报告"]
        );
        assert_eq!(
            doc.page.source_url.as_deref(),
            Some("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202302/t20230220_80629.htm")
        );
    }
}
