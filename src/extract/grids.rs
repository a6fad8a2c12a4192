//! Tables on the page that are not the template's three: a task list in
//! part 6, statistics a province asks for. Their cells have no template
//! keys, so they are kept as a grid (row, column, the row's and column's
//! labels, the text, and the value when the text is a number) and no numeric
//! cell on the page is lost.
//!
//! An HTML table already is a grid. A text dump has lost its table markup:
//! one cell per line, and a merged first column (rowspan) written only on
//! the first row of its span. [`dump_grid`] rebuilds such a table from its
//! header run and the numbered group labels (`一、…`) that start each span.

use super::sections::{Layout, Piece};
use super::value::{read_value, CellFlag};
use crate::document::Table;

/// One table that is not a template table.
#[derive(Debug, Clone, PartialEq)]
pub struct GridTable {
    /// The part it stands in (1–6).
    pub section_no: u8,
    pub cells: Vec<GridCell>,
}

/// One cell of a [`GridTable`], at the top-left slot of its span.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    pub row: u32,
    pub col: u32,
    /// The text of the row's first column, for cells right of it.
    pub row_label: Option<String>,
    /// The text of the column's header (first row), for cells below it.
    pub col_label: Option<String>,
    pub text: String,
    /// When the whole text is a number (`12`, `1,491`, `12件`).
    pub value: Option<f64>,
    pub unit: Option<String>,
}

/// Every table of parts 1–6 that `used` does not claim for a template table.
/// `text_dump` pages get their grids rebuilt from runs of cell lines in
/// parts 1, 5 and 6 (parts 2–4 hold the template tables, whose leftover
/// label lines would read as a header).
pub fn other_tables(
    layout: &Layout<'_>,
    used: impl Fn(usize, u8, &Piece<'_>) -> bool,
    text_dump: bool,
) -> Vec<GridTable> {
    let mut out = Vec::new();
    for no in 1..=6u8 {
        let mut lines: Vec<&str> = Vec::new();
        for (i, piece) in layout.section_pieces(no) {
            if used(i, no, piece) {
                continue;
            }
            match piece {
                Piece::Table(t) => out.extend(html_grid(no, t)),
                Piece::Text(t) if text_dump && matches!(no, 1 | 5 | 6) => lines.push(t),
                Piece::Text(_) => {}
            }
        }
        if text_dump {
            let mut rest = &lines[..];
            while let Some((grid, used_lines)) = dump_grid(no, rest) {
                out.push(grid);
                rest = &rest[used_lines..];
            }
        }
    }
    out
}

fn cell(
    row: usize,
    col: usize,
    text: &str,
    row_label: Option<&str>,
    col_label: Option<&str>,
) -> GridCell {
    let read = read_value(text);
    let number = read.flag.is_none();
    GridCell {
        row: row as u32,
        col: col as u32,
        row_label: row_label.filter(|l| !l.is_empty()).map(str::to_string),
        col_label: col_label.filter(|l| !l.is_empty()).map(str::to_string),
        text: text.to_string(),
        value: read.value.filter(|_| number),
        unit: read.unit.filter(|_| number),
    }
}

/// An HTML table's distinct cells; None when every cell is blank.
fn html_grid(section_no: u8, table: &Table) -> Option<GridTable> {
    let text_at = |r: usize, c: usize| -> Option<&str> {
        let i = (*table.grid.get(r)?.get(c)?)?;
        Some(table.cells[i].text.as_str())
    };
    let cells: Vec<GridCell> = table
        .cells
        .iter()
        .map(|c| {
            let row_label = (c.col > 0).then(|| text_at(c.row, 0)).flatten();
            let col_label = (c.row > 0).then(|| text_at(0, c.col)).flatten();
            cell(c.row, c.col, &c.text, row_label, col_label)
        })
        .collect();
    let blank = cells
        .iter()
        .all(|c| read_value(&c.text).flag == Some(CellFlag::Blank));
    (!blank).then_some(GridTable { section_no, cells })
}

/// A line that can be a header cell: a short label, no figures, no sentence.
fn is_header_line(s: &str) -> bool {
    let n = s.chars().count();
    (2..=10).contains(&n)
        && !s.chars().any(|c| {
            crate::text::fold_width(c).is_ascii_digit()
                || matches!(
                    c,
                    '。' | '，' | ',' | '；' | ';' | '：' | ':' | '、' | '(' | '（'
                )
        })
}

/// `一、围绕中心工作抓好主动公开。`: a numbered group label.
fn starts_group(s: &str) -> bool {
    let numeral = s
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .count();
    numeral > 0 && s.chars().nth(numeral) == Some('、')
}

/// The first table in a run of dump lines: at least three header lines,
/// then rows of as many cells. When lines starting `一、`, `二、`… are
/// among them, each starts a group whose first column spans the rows
/// below it: a row is then the group label and the other cells, or the
/// other cells alone. Returns the grid and how many lines it took (up to
/// its end), or None when the lines hold no table.
///
/// A run of label lines may run on into the first row's label (项目, 数量,
/// 单位, 政策解读, 12, 篇…): of the header widths the run allows, the one
/// whose rows take the most lines is the table's.
pub fn dump_grid(section_no: u8, lines: &[&str]) -> Option<(GridTable, usize)> {
    let mut start = 0;
    loop {
        let from = start + lines.get(start..)?.iter().position(|l| is_header_line(l))?;
        let run = lines[from..]
            .iter()
            .take_while(|l| is_header_line(l))
            .count();
        let best = (3..=run)
            .filter_map(|width| rows_under(section_no, &lines[from..], width))
            .max_by_key(|(_, used)| *used);
        if let Some((grid, used)) = best {
            return Some((grid, from + used));
        }
        start = from + run;
    }
}

/// The table whose header is the first `width` lines, and the lines it
/// takes; None without a row.
fn rows_under(section_no: u8, lines: &[&str], width: usize) -> Option<(GridTable, usize)> {
    let (header, body) = lines.split_at(width);
    let grouped = body.first().is_some_and(|l| starts_group(l));
    let mut cells: Vec<GridCell> = header
        .iter()
        .enumerate()
        .map(|(c, t)| cell(0, c, t, None, None))
        .collect();
    let mut at = 0;
    let mut row = 1;
    let mut group: Option<&str> = None;
    loop {
        let (first_col, n) = if !grouped {
            (0, width)
        } else if body.get(at).is_some_and(|l| starts_group(l)) {
            group = Some(body[at]);
            (0, width)
        } else {
            (1, width - 1)
        };
        let Some(row_lines) = body.get(at..at + n) else {
            break;
        };
        // The table ends where its last column gets a paragraph.
        let last = row_lines[n - 1];
        if last.chars().count() > 20 && last.contains('。') {
            break;
        }
        let label = if first_col == 1 {
            group
        } else {
            Some(row_lines[0])
        };
        for (k, text) in row_lines.iter().enumerate() {
            let c = first_col + k;
            let row_label = (c > 0).then_some(label).flatten();
            cells.push(cell(row, c, text, row_label, Some(header[c])));
        }
        at += n;
        row += 1;
    }
    (row > 1).then_some((GridTable { section_no, cells }, width + at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_list_with_a_spanning_first_column() {
        // Seed 000's part 6, shortened: a group label starts a span.
        let lines = [
            "(二) 涡阳县招商服务中心2024年政务公开重点工作任务分工",
            "工作任务",
            "具体内容",
            "责任股室",
            "完成时限",
            "一、围绕中心工作抓好主动公开。",
            "聚焦经济发展,及时公开加快构建现代化产业体系。",
            "各股室",
            "长期推进",
            "助力优化政务服务,聚焦“高效办成一件事”。",
            "办公室",
            "全年",
            "二、围绕提质增效抓好政策解读。",
            "将政策解读放在与政策制定同等重要位置。",
            "各股室",
            "长期推进",
        ];
        let (grid, used) = dump_grid(6, &lines).unwrap();
        assert_eq!(used, lines.len());
        let at = |r: u32, c: u32| grid.cells.iter().find(|x| x.row == r && x.col == c);
        assert_eq!(at(0, 3).unwrap().text, "完成时限");
        // Row 2 carries row 1's group label and has no column 0 of its own.
        assert!(at(2, 0).is_none());
        let c = at(2, 3).unwrap();
        assert_eq!(c.text, "全年");
        assert_eq!(
            c.row_label.as_deref(),
            Some("一、围绕中心工作抓好主动公开。")
        );
        assert_eq!(c.col_label.as_deref(), Some("完成时限"));
        assert_eq!(at(3, 2).unwrap().text, "各股室");
        assert_eq!(grid.cells.iter().filter(|c| c.row == 3).count(), 4);
    }

    #[test]
    fn no_table_in_prose_or_a_signature() {
        let lines = [
            "我中心严格按照条例要求。",
            "涡阳县招商服务中心",
            "2025年1月16日",
        ];
        assert!(dump_grid(6, &lines).is_none());
    }

    #[test]
    fn numbers_in_a_plain_grid() {
        let lines = [
            "项目",
            "数量",
            "单位",
            "政策解读",
            "12",
            "篇",
            "新闻发布会",
            "3",
            "场",
        ];
        let (grid, _) = dump_grid(1, &lines).unwrap();
        let twelve = grid.cells.iter().find(|c| c.text == "12").unwrap();
        assert_eq!((twelve.value, twelve.row, twelve.col), (Some(12.0), 1, 1));
        assert_eq!(twelve.row_label.as_deref(), Some("政策解读"));
        assert_eq!(twelve.col_label.as_deref(), Some("数量"));
        assert_eq!(
            grid.cells.iter().find(|c| c.text == "篇").unwrap().value,
            None
        );
    }

    #[test]
    fn an_html_table_of_part_six_keeps_its_numbers() {
        // A province's extra statistics after the template's parts: merged
        // header cells, a number with its unit, a placeholder.
        let html = "<html><body><p>一、总体情况</p><p>全年主动公开信息120条。</p>\
            <p>五、存在的主要问题及改进情况</p><p>无。</p>\
            <p>六、其他需要报告的事项</p><p>附表：政务新媒体情况</p>\
            <table><tr><td rowspan=2>平台</td><td colspan=2>数量</td></tr>\
            <tr><td>账号</td><td>发布信息</td></tr>\
            <tr><td>微博</td><td>29个</td><td>1,992</td></tr>\
            <tr><td>微信</td><td>41个</td><td>—</td></tr></table></body></html>";
        let ex = crate::extract::extract(&crate::parse::parse(html));
        assert_eq!(ex.grids.len(), 1);
        let grid = &ex.grids[0];
        assert_eq!(grid.section_no, 6);
        let find = |t: &str| grid.cells.iter().find(|c| c.text == t).unwrap();
        let weibo_posts = find("1,992");
        assert_eq!(weibo_posts.value, Some(1992.0));
        assert_eq!((weibo_posts.row, weibo_posts.col), (2, 2));
        assert_eq!(weibo_posts.row_label.as_deref(), Some("微博"));
        assert_eq!(weibo_posts.col_label.as_deref(), Some("数量"));
        let accounts = find("29个");
        assert_eq!(
            (accounts.value, accounts.unit.as_deref()),
            (Some(29.0), Some("个"))
        );
        assert_eq!(find("—").value, None);
    }
}
