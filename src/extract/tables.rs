//! Reading the template's tables out of a section, whatever the layout.
//!
//! A section's pieces (HTML grids, dump lines, dump cells) are flattened
//! into one token stream in logical order: labels, values and blanks. A
//! label that carries a row's signature opens that row; the values after it,
//! up to the next label, are the row's cells. This reads a grid whose merged
//! cells move from row to row, a dump with one cell per line, and a dump
//! whose cells run together alike. When a row has fewer values than columns
//! because cells ran together (`0000000`, `713000074`), the run is cut using
//! what the template knows: the number of columns and the row's totals. A
//! cut is taken only when exactly one fits; otherwise the cells stay null
//! and are flagged ambiguous.

use std::borrow::Cow;

use super::sections::Piece;
use super::value::{
    no_figure_suffix, parse_number, read_value, stands_for_no_figure, CellFlag, NOT_FIGURES,
};
use crate::template::{TableName, TableSpec};
use crate::text::{fold_width, normalize_label};

/// One token of a table region; `piece` is the index of the piece it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    /// Normalised label text (borrowed when normalising changed nothing),
    /// and where it stands among its grid row's figures.
    Label {
        text: Cow<'a, str>,
        piece: usize,
        place: Place,
    },
    /// A cell's text that reads as a value or placeholder. `splittable` when
    /// it is a digit run from a text dump, which may be several cells.
    Value {
        raw: &'a str,
        splittable: bool,
        piece: usize,
    },
    Blank {
        piece: usize,
    },
}

/// Where a grid cell's whole text stands among the figures of its grid
/// row. Text where a figure belongs is a cell written as text (`未发生`,
/// `不适用`), unless it names a row: a row's labels stand left of its
/// figures. (A word for no figure, `不涉及`, `〇`, is a cell wherever it
/// stands: see [`stands_for_no_figure`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Not where a figure stands (and any text from a dump).
    Apart,
    /// Right of a figure in its grid row.
    AfterFigure,
    /// Right after the cell of its row's label, with figures right of it,
    /// in the column where the nearest grid row above or below that holds
    /// figures starts them: the row's first figure.
    FirstFigure,
    /// The one text of a grid row whose other cells are figures or blanks,
    /// first in it: the first of part 4's row of figures, or a label.
    RowStart,
}

impl Token<'_> {
    fn piece(&self) -> usize {
        match self {
            Token::Label { piece, .. } | Token::Value { piece, .. } | Token::Blank { piece } => {
                *piece
            }
        }
    }

    /// Whether the token stands for a cell: a value, a blank, or text
    /// right of a figure in its grid row.
    fn is_cell(&self) -> bool {
        !matches!(
            self,
            Token::Label {
                place: Place::Apart | Place::FirstFigure | Place::RowStart,
                ..
            }
        )
    }

    /// How many cells this token could be at most.
    fn capacity(&self) -> usize {
        match self {
            Token::Value {
                raw,
                splittable: true,
                ..
            } => raw.chars().filter(char::is_ascii_digit).count().max(1),
            _ => 1,
        }
    }
}

/// One template cell as read.
#[derive(Debug, Clone, PartialEq)]
pub struct CellRead {
    pub table: TableName,
    pub row_key: &'static str,
    pub col_key: &'static str,
    pub value: Option<f64>,
    /// The text the value was read from (for a cut run, the cut piece).
    pub raw: Option<String>,
    pub unit: Option<String>,
    pub flag: Option<CellFlag>,
}

/// A template table as read from a page.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRead {
    pub table: TableName,
    /// Every cell of the table's spec, in spec order.
    pub cells: Vec<CellRead>,
    /// Range of piece indices the table was read from (inclusive).
    pub pieces: (usize, usize),
}

impl TableRead {
    /// The cells by row and column key, for reading many of them: the checks
    /// and the indicators look up a few hundred cells a page, and a scan of
    /// all the table's cells for each was most of the time spent on checks.
    pub fn index(&self) -> CellIndex<'_> {
        let rows: Vec<_> = self
            .cells
            .chunk_by(|a, b| a.row_key == b.row_key)
            .map(|row| (row[0].row_key, row))
            .collect();
        debug_assert!(
            rows.iter()
                .enumerate()
                .all(|(i, (key, _))| rows[..i].iter().all(|(k, _)| k != key)),
            "a row's cells are not together in {:?}",
            self.table
        );
        CellIndex { rows }
    }
}

/// A read table's cells grouped by row (cells are in spec order, a row's
/// cells together); see [`TableRead::index`].
pub struct CellIndex<'t> {
    rows: Vec<(&'t str, &'t [CellRead])>,
}

impl<'t> CellIndex<'t> {
    pub fn get(&self, row: &str, col: &str) -> Option<&'t CellRead> {
        let (_, cells) = self.rows.iter().find(|(key, _)| *key == row)?;
        cells.iter().find(|c| c.col_key == col)
    }
}

/// Flatten pieces (with their indices in the layout) into tokens.
/// `cells_delimited`: the text pieces are a dump's delimited cells
/// ([`crate::document::PageInfo::cells_delimited`]), so none is a run.
pub fn tokenize<'a>(
    pieces: impl IntoIterator<Item = (usize, &'a Piece<'a>)>,
    cells_delimited: bool,
) -> Vec<Token<'a>> {
    let mut out = Vec::new();
    let mut chars = Vec::new();
    for (i, piece) in pieces {
        match piece {
            Piece::Text(t) => {
                let start = out.len();
                lex(t, true, i, &mut out, &mut chars);
                if cells_delimited {
                    // A figure that stood alone between delimiters is one
                    // cell: cutting it (`18` into 1 and 8) would invent cells.
                    for token in &mut out[start..] {
                        if let Token::Value { splittable, .. } = token {
                            *splittable = false;
                        }
                    }
                }
            }
            Piece::Table(table) => {
                // Only a table with blank cells needs its filled rows and columns.
                let mut filled = None;
                // The grid row whose cells so far include a figure.
                let mut row_with_figure = None;
                let mut rows = vec![RowFigures::default(); table.n_rows()];
                // Texts that may stand where a figure does, known once the
                // grid's figures are: (token, grid row, column, and the
                // column where the row's figures start if it is its first,
                // `None` if it is first in its row).
                let mut maybe: Vec<(usize, usize, usize, Option<usize>)> = Vec::new();
                for cell in table.cells.iter().filter(|c| {
                    !c.text.trim().is_empty()
                        || !filled
                            .get_or_insert_with(|| Filled::of(table))
                            .is_padding(c)
                }) {
                    let start = out.len();
                    lex(&cell.text, false, i, &mut out, &mut chars);
                    let new = &mut out[start..];
                    let has_figure = new.iter().any(|t| matches!(t, Token::Value { .. }));
                    let has_label = new.iter().any(|t| matches!(t, Token::Label { .. }));
                    let (r, c) = (cell.row, cell.col);
                    let lead = rows.get(r).map_or(Lead::Past, |row| row.lead);
                    match new {
                        [Token::Label { place, .. }] if row_with_figure == Some(r) => {
                            *place = Place::AfterFigure
                        }
                        [Token::Label { .. }] => match lead {
                            Lead::Start => maybe.push((start, r, c, None)),
                            Lead::Labels => maybe.push((start, r, c, Some(c))),
                            Lead::Blanks(from) => maybe.push((start, r, c, Some(from))),
                            Lead::Past => {}
                        },
                        _ if has_figure => row_with_figure = Some(r),
                        _ => {}
                    }
                    let Some(row) = rows.get_mut(r) else { continue };
                    row.labels += usize::from(has_label);
                    row.lead = match (row.lead, has_figure, has_label) {
                        (Lead::Past, ..) | (_, true, _) | (Lead::Blanks(_), _, true) => Lead::Past,
                        (_, false, true) => Lead::Labels,
                        (Lead::Labels, false, false) => Lead::Blanks(c),
                        (lead, false, false) => lead,
                    };
                    if has_figure || matches!(row.lead, Lead::Blanks(_)) {
                        row.first.get_or_insert(c);
                    }
                    if has_figure {
                        row.last = Some(c);
                    }
                }
                for (t, r, col, first) in maybe {
                    if rows[r].last.is_none_or(|last| last <= col) {
                        continue; // no figure right of it
                    }
                    let place = match first {
                        Some(col) => {
                            // Rows with figures: a header's blank cells are not.
                            let start = |n: &RowFigures| n.last.and(n.first);
                            let above = rows[..r].iter().rev().find_map(start);
                            let below = rows[r + 1..].iter().find_map(start);
                            if above != Some(col) && below != Some(col) {
                                continue;
                            }
                            Place::FirstFigure
                        }
                        None if rows[r].labels == 1 => Place::RowStart,
                        None => continue,
                    };
                    if let Token::Label { place: p, .. } = &mut out[t] {
                        *p = place;
                    }
                }
            }
        }
    }
    out
}

/// Where a grid row's figures stand, and how many of its cells hold labels.
#[derive(Debug, Clone, Copy, Default)]
struct RowFigures {
    /// The column of its first figure, or of a blank cell right of its
    /// labels (with a figure after it, where its figures start).
    first: Option<usize>,
    /// The column of its last figure.
    last: Option<usize>,
    labels: usize,
    lead: Lead,
}

/// What a grid row's cells so far were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Lead {
    /// None, or blanks only.
    #[default]
    Start,
    /// Labels last (blanks before them).
    Labels,
    /// Blanks right of labels, from this column on.
    Blanks(usize),
    /// A figure, or text right of blank cells: the row's first figure is
    /// past.
    Past,
}

/// Which rows and columns of a table have a cell with text, and whether
/// its first row is a header; worked out once a table, not once a cell.
struct Filled {
    rows: Vec<bool>,
    cols: Vec<bool>,
    has_header: bool,
}

impl Filled {
    fn of(table: &crate::document::Table) -> Filled {
        let (mut rows, mut cols) = (vec![false; table.n_rows()], vec![false; table.n_cols()]);
        for (r, row) in table.grid.iter().enumerate() {
            // The first row's width is the table's (rows may be ragged).
            for (c, slot) in row.iter().take(cols.len()).enumerate() {
                if slot.is_some_and(|i| !table.cells[i].text.trim().is_empty()) {
                    rows[r] = true;
                    cols[c] = true;
                }
            }
        }
        // Judge columns only in a table that carries its own header (a first
        // row of labels): a body printed apart from its header has real
        // columns that are blank from top to bottom.
        let has_header = table.grid.first().is_some_and(|row| {
            let cells = || row.iter().flatten().map(|&i| table.cells[i].text.trim());
            cells().any(|t| !t.is_empty())
                && cells().all(|t| t.is_empty() || read_value(t).flag == Some(CellFlag::Unreadable))
        });
        Filled {
            rows,
            cols,
            has_header,
        }
    }

    /// An empty cell that only covers columns, or a row, in which no cell
    /// has text: layout padding (extra empty columns and rows), not a blank
    /// cell of the table. A blank data cell has a header with text above it.
    fn is_padding(&self, cell: &crate::document::TableCell) -> bool {
        if !cell.text.trim().is_empty() {
            return false;
        }
        let span = |filled: &[bool], from: usize, n: usize| {
            filled[from.min(filled.len())..(from + n).min(filled.len())]
                .iter()
                .all(|f| !f)
        };
        (self.has_header && span(&self.cols, cell.col, cell.colspan))
            || span(&self.rows, cell.row, cell.rowspan)
    }
}

fn is_digit(c: char) -> bool {
    fold_width(c).is_ascii_digit()
}

/// Lex one cell's text. A cell that reads as a value is one token; other
/// text is cut into labels and digit runs.
///
/// `chars` is scratch space, kept by the caller across cells.
fn lex<'a>(
    text: &'a str,
    from_dump: bool,
    piece: usize,
    out: &mut Vec<Token<'a>>,
    chars: &mut Vec<(usize, char)>,
) {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        out.push(Token::Blank { piece });
        return;
    }
    if !(from_dump && are_figures_apart(trimmed))
        && (may_be_value(trimmed) && read_value(trimmed).flag != Some(CellFlag::Unreadable)
            || stands_for_no_figure(trimmed))
    {
        out.push(Token::Value {
            raw: trimmed,
            splittable: from_dump && is_digit_run(trimmed),
            piece,
        });
        return;
    }
    chars.clear();
    chars.extend(trimmed.char_indices());
    let chars = &chars[..];
    let mut label_start: Option<usize> = None; // byte offset
    let mut i = 0;
    let push_words = |out: &mut Vec<Token<'a>>, s: &'a str| {
        let text = normalize_label(s);
        if text.chars().any(|c| !c.is_ascii_punctuation()) {
            out.push(Token::Label {
                text,
                piece,
                place: Place::Apart,
            });
        }
    };
    let no_figure = |word: &'a str| Token::Value {
        raw: word,
        splittable: false,
        piece,
    };
    // A dump's text folds away the space between ideographs, so a word for
    // no figure right after a row's label runs into it (`行政强制 不涉及 0 25`
    // reads `行政强制不涉及0 25`): before the row's figures, it is cut off
    // the label's end.
    let push_label_words = |out: &mut Vec<Token<'a>>, s: &'a str, before_figure: bool| {
        let mut end = s.len();
        while let Some(at) = no_figure_suffix(&s[..end]).filter(|_| before_figure) {
            if s[..at].trim().is_empty() {
                break; // the whole label: text, not a cell
            }
            end = at;
        }
        push_words(out, &s[..end]);
        let mut rest = &s[end..];
        while let Some(word) = NOT_FIGURES.iter().find(|w| rest.starts_with(**w)) {
            out.push(no_figure(&rest[..word.len()]));
            rest = &rest[word.len()..];
        }
    };
    // In a dump's line, a word that stands for no figure (`规章 — 0 55`,
    // `规章 不涉及 0 55`) is a cell between the label and the figures: kept in
    // the label, it would leave the row a figure short, and a run cut to
    // fill the gap would invent one.
    let push_label = |out: &mut Vec<Token<'a>>, s: &'a str, before_figure: bool| {
        if !from_dump {
            return push_words(out, s);
        }
        let mut label: Option<(usize, usize)> = None; // byte range in s
        for word in s.split_whitespace() {
            let at = word.as_ptr() as usize - s.as_ptr() as usize;
            if stands_for_no_figure(word) {
                if let Some((a, b)) = label.take() {
                    push_label_words(out, &s[a..b], false);
                }
                out.push(no_figure(word));
            } else {
                label = Some((label.map_or(at, |(a, _)| a), at + word.len()));
            }
        }
        if let Some((a, b)) = label {
            push_label_words(out, &s[a..b], before_figure);
        }
    };
    while i < chars.len() {
        let (at, c) = chars[i];
        let next_is_digit = chars.get(i + 1).is_some_and(|&(_, n)| is_digit(n));
        let signed = matches!(fold_width(c), '+' | '-')
            && next_is_digit
            && (i == 0 || chars[i - 1].1.is_whitespace() || label_start.is_some());
        if !(is_digit(c) || signed) {
            if !c.is_whitespace() && label_start.is_none() {
                label_start = Some(at);
            }
            i += 1;
            continue;
        }
        // A numeric run: digits, inner signs, and `.`/`,` between digits.
        let mut j = i + 1;
        while j < chars.len() {
            let d = fold_width(chars[j].1);
            let next_digit = chars.get(j + 1).is_some_and(|&(_, n)| is_digit(n));
            if d.is_ascii_digit() || (matches!(d, '.' | ',' | '+' | '-') && next_digit) {
                j += 1;
            } else {
                break;
            }
        }
        // `2.其他`: a digit before `.`/`、` and a label is the label's number.
        // (`3. 其他` too: a space may follow the dot.)
        let numbering = chars
            .get(j)
            .is_some_and(|&(_, d)| matches!(fold_width(d), '.' | '、'))
            && chars[j + 1..]
                .iter()
                .find(|(_, n)| !n.is_whitespace())
                .is_some_and(|&(_, n)| !is_digit(n));
        let run_end = if numbering { j - 1 } else { j };
        if run_end > i {
            if let Some(start) = label_start.take() {
                push_label(out, &trimmed[start..at], true);
            }
            let end_byte = chars.get(run_end).map_or(trimmed.len(), |&(b, _)| b);
            let raw = &trimmed[at..end_byte];
            out.push(Token::Value {
                raw,
                splittable: from_dump && is_digit_run(raw),
                piece,
            });
        }
        if numbering {
            // A label that begins with its number; or, inside a label, a
            // number it contains (`保留4位小数`).
            if label_start.is_none() {
                label_start = Some(chars[run_end].0);
            }
        }
        i = j;
    }
    if let Some(start) = label_start {
        push_label(out, &trimmed[start..], false);
    }
}

/// False for text that [`read_value`] cannot read (a label, most cells):
/// one that starts with an ideograph other than a placeholder's (无, 暂无,
/// 空). Asked first because read_value builds a folded copy to say so.
fn may_be_value(trimmed: &str) -> bool {
    !trimmed.starts_with(|c: char| crate::text::is_ideograph(c) && !matches!(c, '无' | '暂' | '空'))
}

/// Figures with whitespace between them (`0 0 0 1 1 0`): in a dump, a row of
/// cells (a PDF's text, a dump aligned with spaces), not one number to be
/// read without its spaces. In an HTML cell the text stays one cell. `12 件`
/// is one cell either way: only figures count.
fn are_figures_apart(text: &str) -> bool {
    if !text.contains(|c: char| c.is_whitespace()) {
        return false;
    }
    let mut parts = text.split_whitespace();
    let figure = |p: &str| {
        p.chars()
            .all(|c| is_digit(c) || matches!(fold_width(c), '.' | ',' | '+' | '-'))
            && p.chars().any(is_digit)
    };
    parts.clone().nth(1).is_some() && parts.all(figure)
}

/// Digits with at most signs between them: text that may be several cells.
fn is_digit_run(s: &str) -> bool {
    s.chars()
        .all(|c| is_digit(c) || matches!(fold_width(c), '+' | '-'))
        && s.chars().any(is_digit)
}

/// A check that a candidate reading of one row satisfies.
type RowRule = fn(&[Option<f64>]) -> bool;

fn no_rule(_: &[Option<f64>]) -> bool {
    true
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// requests_row_total: total = the six applicant types.
fn requests_row_rule(v: &[Option<f64>]) -> bool {
    let sum: f64 = v[..6].iter().map(|x| x.unwrap_or(0.0)).sum();
    near(sum, v[6].unwrap_or(0.0))
}

/// review_litigation_total, for the three groups of five side by side.
fn review_rule(v: &[Option<f64>]) -> bool {
    v.chunks(5).all(|g| {
        let sum: f64 = g[..4].iter().map(|x| x.unwrap_or(0.0)).sum();
        near(sum, g[4].unwrap_or(0.0))
    })
}

/// Read one template table from a token stream. `column_order`, from
/// [`request_column_order`], says which template column each value
/// position of a requests row holds when the page reorders them.
/// `lines` says how a dump's pieces stand in lines.
pub fn read_table(
    spec: &TableSpec,
    tokens: &[Token<'_>],
    column_order: Option<&[usize]>,
    lines: Lines<'_>,
) -> Option<TableRead> {
    match spec.table {
        TableName::ReviewLitigation => read_review(spec, tokens),
        _ => read_rows(spec, tokens, column_order, lines),
    }
}

/// How a page's pieces stand in lines: whether a row's figures share its
/// label's line tells its own figures from figures printed apart, which may
/// be another row's.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lines<'l> {
    /// Where a dump's lines begin, as piece indices
    /// ([`super::sections::Layout::line_starts`]); empty, each piece is a
    /// line of its own (HTML: a whole grid is one).
    pub starts: &'l [usize],
    /// The dump's cells stand between delimiters
    /// ([`crate::document::PageInfo::cells_delimited`]): a dump that writes
    /// most rows' figures on their label's line writes its rows one to a
    /// line, and figures apart from their label were printed so by a
    /// converter.
    pub cells_delimited: bool,
}

impl Lines<'_> {
    fn of(&self, piece: usize) -> usize {
        match self.starts {
            [] => piece,
            starts => starts.partition_point(|&s| s <= piece),
        }
    }
}

/// Header labels of part 2 (one suffices to show the table is there).
const ACTIVE_HEADERS: &[&str] = &[
    "第二十条",
    "信息内容",
    "本年制发件数",
    "本年新制作数量",
    "处理决定数量",
    "本年收费金额",
];
/// Header labels of part 3.
const REQUESTS_HEADERS: &[&str] = &["申请人情况", "自然人", "勾稽关系", "法人或其他组织"];

/// The applicant columns' leaf labels, normalised, by template column.
const REQUEST_COLUMN_LABELS: [&[&str]; 7] = [
    &["自然人"],
    &["商业企业"],
    &["科研机构"],
    &["社会公益组织"],
    &["法律服务机构"],
    &["其他"],
    &["总计", "合计"],
];

/// The order of the requests table's applicant columns as a grid prints
/// them (a 总计 column placed first, say): for each value position, its
/// template column. None when no grid shows all seven leaf headers, or
/// when they stand in template order.
pub fn request_column_order<'p>(
    pieces: impl IntoIterator<Item = &'p Piece<'p>>,
) -> Option<Vec<usize>> {
    for piece in pieces {
        let Piece::Table(table) = piece else { continue };
        let mut leaves: Vec<(usize, usize)> = Vec::new(); // (grid column, template column)
        for cell in &table.cells {
            let label = normalize_label(&cell.text);
            let Some(k) = REQUEST_COLUMN_LABELS
                .iter()
                .position(|ls| ls.contains(&label.as_ref()))
            else {
                continue;
            };
            if !leaves.iter().any(|&(_, seen)| seen == k) {
                leaves.push((cell.col, k));
            }
        }
        if leaves.len() == REQUEST_COLUMNS {
            leaves.sort_unstable();
            let order: Vec<usize> = leaves.into_iter().map(|(_, k)| k).collect();
            let distinct_columns = order.len() == REQUEST_COLUMNS;
            if distinct_columns && order.iter().enumerate().any(|(i, &k)| i != k) {
                return Some(order);
            }
            return None;
        }
    }
    None
}

/// Tables whose rows carry labels: part 2 and part 3.
/// One automaton over every signature of a table edition's rows, with the
/// row each signature belongs to; built once per edition, since labels are
/// matched on every page.
fn signature_finder(spec: &TableSpec) -> &'static (aho_corasick::AhoCorasick, Vec<usize>) {
    use crate::template::Template;
    use std::sync::OnceLock;
    static FINDERS: [OnceLock<(aho_corasick::AhoCorasick, Vec<usize>)>; 6] =
        [const { OnceLock::new() }; 6];
    let slot = match (spec.table, spec.template) {
        (TableName::ActiveDisclosure, Template::T2021) => 0,
        (TableName::ActiveDisclosure, Template::T2019) => 1,
        (TableName::Requests, Template::T2021) => 2,
        (TableName::Requests, Template::T2019) => 3,
        (TableName::ReviewLitigation, Template::T2021) => 4,
        (TableName::ReviewLitigation, Template::T2019) => 5,
    };
    FINDERS[slot].get_or_init(|| {
        let (patterns, rows): (Vec<&str>, Vec<usize>) = spec
            .rows
            .iter()
            .enumerate()
            .flat_map(|(r, row)| row.signatures.iter().map(move |s| (*s, r)))
            .unzip();
        let finder = aho_corasick::AhoCorasick::new(patterns).expect("signatures build");
        (finder, rows)
    })
}

/// The rows whose signatures occur in `text`, as (where the first one
/// starts, row), in page order. `first` is scratch space, a slot a row.
fn signature_hits(
    finder: &aho_corasick::AhoCorasick,
    row_of: &[usize],
    text: &str,
    first: &mut [Option<usize>],
) -> Vec<(usize, usize)> {
    first.iter_mut().for_each(|p| *p = None);
    for m in finder.find_overlapping_iter(text) {
        let p = &mut first[row_of[m.pattern().as_usize()]];
        *p = Some(p.map_or(m.start(), |q| q.min(m.start())));
    }
    let mut hits: Vec<(usize, usize)> = first
        .iter()
        .enumerate()
        .filter_map(|(r, p)| p.map(|p| (p, r)))
        .collect();
    hits.sort_unstable();
    hits
}

fn read_rows(
    spec: &TableSpec,
    tokens: &[Token<'_>],
    column_order: Option<&[usize]>,
    lines: Lines<'_>,
) -> Option<TableRead> {
    let line_of = |piece: usize| lines.of(piece);
    // The line of the open row's label.
    let mut label_line = 0;
    let mut values: Vec<Option<Vec<&Token<'_>>>> = vec![None; spec.rows.len()];
    let mut current: Option<usize> = None;
    let mut used = (usize::MAX, 0usize);
    let (finder, row_of) = signature_finder(spec);
    let mut first: Vec<Option<usize>> = vec![None; spec.rows.len()];
    // The label just before, when it opened no row and nothing came since.
    let mut unmatched: Option<&str> = None;
    // Whether the open row's label has already taken a continuation.
    let mut continued = false;
    // The rows in the order their labels opened them, with the label's line.
    let mut opened: Vec<(usize, usize)> = Vec::new();
    for token in tokens {
        match token {
            Token::Label { text, place, .. } => {
                // Rows whose signatures occur in the label, by where they
                // first occur: one scan for all of them.
                let mut hits = signature_hits(finder, row_of, text, &mut first);
                // Text where a figure stands that names no row is a cell of
                // the open row, which reads as no number, while the row has
                // room for it: right of a figure, or as the first figure
                // right after the row's label (and its blank cells, if any:
                // the open row has taken nothing else since its label).
                let taken = match place {
                    Place::AfterFigure => |v: &Vec<&Token>| !v.is_empty(),
                    Place::FirstFigure => {
                        |v: &Vec<&Token>| v.iter().all(|t| matches!(t, Token::Blank { .. }))
                    }
                    Place::Apart | Place::RowStart => |_: &Vec<&Token>| false,
                };
                if hits.is_empty() {
                    if let Some(v) = current.and_then(|r| {
                        values[r]
                            .as_mut()
                            .filter(|v| taken(v) && v.len() < spec.rows[r].cols.len())
                    }) {
                        v.push(token);
                        used.1 = used.1.max(token.piece());
                        unmatched = None;
                        continue;
                    }
                }
                if hits.is_empty() {
                    // A label wrapped onto the next line may cut its
                    // signature in two (`…确认或重新` / `出具已获取信息`).
                    if let Some(before) = unmatched {
                        hits = signature_hits(finder, row_of, &[before, text].concat(), &mut first);
                    }
                }
                // The label right after a row's own, before any of its
                // cells, and naming no other row, goes on with it: the rest
                // of a label wrapped onto the next line (`二、上年结转政府信息
                // 公开申` / `请数量 0 0 …`), or the row's note in a cell of its
                // own (`（二）部分公开` | `（区分处理的，…）`). Once a row, so
                // the labels of a block that follows a row without cells do
                // not carry that block's figures into it.
                if let Some(r) = current {
                    let no_cells_yet = values[r].as_ref().is_some_and(Vec::is_empty);
                    if no_cells_yet && !continued && hits.iter().all(|&(_, h)| h == r) {
                        continued = true;
                        unmatched = None;
                        // The label ends on this line: figures after it here
                        // are on its line.
                        label_line = line_of(token.piece());
                        if let Some(last) = opened.last_mut() {
                            last.1 = label_line;
                        }
                        continue;
                    }
                }
                unmatched = hits.is_empty().then_some(text.as_ref());
                current = None;
                for (_, r) in hits {
                    // The first label of a row wins; a repeated one (a
                    // header printed twice) opens nothing. A row that got no
                    // cell opens again: its label stood alone first, as a
                    // heading over its own little table (`### 一、本年新收…`
                    // then `| 本年新收… | 705 | … |`) or in a header.
                    if values[r].as_ref().is_some_and(Vec::is_empty) {
                        values[r] = None;
                        opened.retain(|&(o, _)| o != r);
                    }
                    if values[r].is_none() {
                        values[r] = Some(Vec::new());
                        current = Some(r);
                        continued = false;
                        label_line = line_of(token.piece());
                        opened.push((r, label_line));
                        used = (used.0.min(token.piece()), used.1.max(token.piece()));
                    } else {
                        current = None;
                    }
                }
            }
            _ => {
                unmatched = None;
                if let Some(r) = current {
                    if let Some(v) = values[r].as_mut() {
                        // A row whose label's own line gave it all its cells
                        // is whole: a line of figures without a label after it
                        // (a PDF table converted to Markdown prints a row whose
                        // label went elsewhere so) is another row's.
                        let own_line_full = v.len() >= spec.rows[r].cols.len()
                            && v.last().is_some_and(|t| line_of(t.piece()) == label_line);
                        if own_line_full && line_of(token.piece()) != label_line {
                            current = None;
                            continue;
                        }
                        v.push(token);
                        used.1 = used.1.max(token.piece());
                    }
                }
            }
        }
    }
    let found = values.iter().filter(|v| v.is_some()).count();
    let (needed, headers) = match spec.table {
        TableName::Requests => (3, REQUESTS_HEADERS),
        _ => (2, ACTIVE_HEADERS),
    };
    // Row labels alone are not a table: prose names 行政许可 and 政府集中采购
    // too. The table's own header must be there.
    let has_header = tokens.iter().any(
        |t| matches!(t, Token::Label { text, .. } if headers.iter().any(|h| text.contains(h))),
    );
    if found < needed || !has_header {
        return None;
    }
    let rule: RowRule = match spec.table {
        TableName::Requests => requests_row_rule,
        _ => no_rule,
    };
    // A PDF's text can print a block of labels apart from the block of rows
    // they name: `5.属于三类内部事务信息` `1.本机关不掌握…` then the first of
    // those rows' figures, on lines of their own. Such figures may be another
    // row's. Two signs show the labels stand apart:
    // - a label followed by the label of an earlier row (the rows' order
    //   broken);
    // - in a dump that writes its rows one to a line between delimiters
    //   (most rows' figures on their label's line), any row whose figures
    //   are not: a converter printed them apart (`2.没有现成信息…` `3.补正后…`
    //   then `| 6 |…` and `| 0 |…`, where losing the second line would hand
    //   补正后 the 6).
    // A row whose figures share its label's line keeps them (`行政事业性收费
    // 0` printed before the block of 规章; `| 6.属于四类过程性信息 | 1 | … |`).
    let apart: Vec<Option<bool>> = opened
        .iter()
        .map(|&(r, label_line)| {
            let first = values[r].as_ref().and_then(|v| v.first())?;
            Some(line_of(first.piece()) != label_line)
        })
        .collect();
    let count = |a: bool| apart.iter().filter(|&&x| x == Some(a)).count();
    let rows_one_to_a_line = lines.cells_delimited && count(false) > count(true);
    let mut out_of_place = vec![false; spec.rows.len()];
    for (i, &(r, _)) in opened.iter().enumerate() {
        if apart[i] == Some(true) {
            let before_an_earlier_row = opened.get(i + 1).is_some_and(|&(next, _)| next < r);
            out_of_place[r] = before_an_earlier_row || rows_one_to_a_line;
        }
    }
    let mut fits: Vec<Fit> = spec
        .rows
        .iter()
        .zip(&values)
        .zip(&out_of_place)
        .map(|((row, vals), &out_of_place)| match vals {
            Some(v) if out_of_place => Fit::Read(vec![
                flagged(CellFlag::Ambiguous, Some(raw_of(v)));
                row.cols.len()
            ]),
            Some(v) => fit(v, row.cols.len(), rule),
            None => Fit::Read(vec![missing(); row.cols.len()]),
        })
        .collect();
    // The header's order stands unless the figures say otherwise: a header
    // that lost a cell (`法人或其他组织`, colspan 5) moves 总计 beside 自然人
    // in the grid while the rows still run in template order. Reordered,
    // fewer rows would keep their total; the order is taken when at least as
    // many do (rows of zeros keep it either way).
    let column_order = column_order.filter(|order| {
        if spec.table != TableName::Requests {
            return false;
        }
        let (mut reordered, mut as_printed) = (0, 0);
        for v in fits.iter().filter_map(Fit::values) {
            if v.len() != order.len() {
                continue;
            }
            let mut placed = vec![None; v.len()];
            for (position, &column) in order.iter().enumerate() {
                placed[column] = Some(v[position]);
            }
            let printed: Vec<Option<f64>> = v.into_iter().map(Some).collect();
            reordered += usize::from(requests_row_rule(&placed));
            as_printed += usize::from(requests_row_rule(&printed));
        }
        reordered >= as_printed
    });
    if let Some(order) = column_order {
        for f in &mut fits {
            if let Fit::Read(cells) = f {
                if cells.len() == order.len() {
                    let mut placed = cells.clone();
                    for (position, &column) in order.iter().enumerate() {
                        placed[column] = cells[position].clone();
                    }
                    *cells = placed;
                }
            }
        }
    }
    if spec.table == TableName::Requests {
        solve_requests_jointly(spec, &mut fits);
    }
    let mut cells = Vec::with_capacity(spec.n_cells());
    for (row, fit) in spec.rows.iter().zip(fits) {
        for (col, r) in row.cols.iter().zip(fit.into_cells()) {
            cells.push(CellRead {
                table: spec.table,
                row_key: row.key,
                col_key: col,
                ..r
            });
        }
    }
    Some(TableRead {
        table: spec.table,
        cells,
        pieces: used,
    })
}

/// Labels only part 4's header has. A PDF's text prints the column labels
/// vertically (`结 结 其 尚` / `果 果 他 未` …, or `结果 结果` / `维持 纠正`),
/// so 结果维持 may never appear in one piece; the two 起诉 groups are printed
/// across and do.
const REVIEW_HEADERS: &[&str] = &["结果维持", "尚未审结", "未经复议直接起诉", "复议后起诉"];

/// Part 4: a header, then one row of fifteen numbers (three groups of five).
fn read_review(spec: &TableSpec, tokens: &[Token]) -> Option<TableRead> {
    let Some(header) = tokens.iter().position(|t| {
        matches!(t, Token::Label { text, .. } if REVIEW_HEADERS.iter().any(|h| text.contains(h)))
    }) else {
        return read_review_unheaded(spec, tokens);
    };
    let n: usize = spec.n_cells();
    // Runs of consecutive value tokens after the header starts.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = header;
    while i < tokens.len() {
        if tokens[i].is_cell() {
            let start = i;
            while i < tokens.len() && tokens[i].is_cell() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    let capacity =
        |&(a, b): &(usize, usize)| tokens[a..b].iter().map(Token::capacity).sum::<usize>();
    let whole = runs.iter().find(|r| capacity(r) >= n).copied().or_else(|| {
        // The first figure written as text (`不涉及 | 0 | 0 | …`) stands
        // first in its grid row, before the run of the other fourteen.
        runs.iter().find_map(|&(a, b)| {
            let first_as_text = a > header + 1
                && matches!(
                    tokens[a - 1],
                    Token::Label {
                        place: Place::RowStart | Place::FirstFigure,
                        ..
                    }
                );
            (first_as_text && capacity(&(a, b)) == n - 1).then_some((a - 1, b))
        })
    });
    let by_group = match whole {
        None => read_review_groups(tokens, &runs),
        Some(_) => None,
    };
    let chosen = whole.or_else(|| runs.iter().max_by_key(|r| capacity(r)).copied());
    let (read, used) = match (by_group, chosen) {
        (Some((read, (first, last))), _) => (
            read,
            (tokens[first.min(header)].piece(), tokens[last].piece()),
        ),
        (None, chosen) => match chosen {
            Some((a, b)) => {
                let run: Vec<&Token> = tokens[a..b].iter().collect();
                (
                    fit(&run, n, review_rule).into_cells(),
                    (tokens[header].piece(), tokens[b - 1].piece()),
                )
            }
            None => (
                vec![missing(); n],
                (tokens[header].piece(), tokens[header].piece()),
            ),
        },
    };
    Some(review_table(spec, read, used))
}

/// Part 4's fifteen cells as read, in page order, keyed by the spec's rows
/// and columns (a cell not read is missing).
fn review_table(spec: &TableSpec, read: Vec<CellRead>, pieces: (usize, usize)) -> TableRead {
    let mut cells = Vec::with_capacity(spec.n_cells());
    let mut read = read.into_iter();
    for row in spec.rows {
        for col in row.cols {
            let r = read.next().unwrap_or_else(missing);
            cells.push(CellRead {
                table: spec.table,
                row_key: row.key,
                col_key: col,
                ..r
            });
        }
    }
    TableRead {
        table: spec.table,
        cells,
        pieces,
    }
}

/// Part 4 whose column header a PDF's text lost: the part holds one row of
/// fifteen figures and nothing else (`| 119 | 25 | 91 | 24 | 259 | 7 | …`
/// under `行政复议行政诉讼`, or under the part's heading alone). They are
/// read in the template's order only when each group's fifth figure is the
/// sum of its first four, which confirms where the totals stand; fewer
/// tokens (a run that would have to be cut), a blank or a placeholder leave
/// the table unread.
fn read_review_unheaded(spec: &TableSpec, tokens: &[Token]) -> Option<TableRead> {
    let n = spec.n_cells();
    let first = tokens.iter().position(Token::is_cell)?;
    let run = tokens.get(first..first + n)?;
    // Fifteen tokens for fifteen cells: each token is one figure, whether or
    // not a dump's digits could in principle be several.
    let alone = run.iter().all(|t| matches!(t, Token::Value { .. }))
        && !tokens[first + n..].iter().any(Token::is_cell);
    if !alone {
        return None;
    }
    let read: Vec<CellRead> = run.iter().map(cell_of).collect();
    let values: Vec<Option<f64>> = read.iter().map(|c| c.value).collect();
    if values.iter().any(Option::is_none) || !review_rule(&values) {
        return None;
    }
    Some(review_table(
        spec,
        read,
        (run[0].piece(), run[n - 1].piece()),
    ))
}

/// Part 4 printed as three tables, one a group, each under its own heading
/// (`行政复议`, `行政诉讼（未经复议直接起诉）`, `行政诉讼（复议后起诉）`) with its
/// five figures, so no run holds all fifteen: each group takes the run of
/// five after its heading. None unless every run of five that a heading
/// claims is the only one it claims. Returns the fifteen cells and the
/// first and last token read.
fn read_review_groups(
    tokens: &[Token<'_>],
    runs: &[(usize, usize)],
) -> Option<(Vec<CellRead>, (usize, usize))> {
    let group_of = |text: &str| {
        if text.contains("直接起诉") {
            Some(1)
        } else if text.contains("复议后起诉") {
            Some(2)
        } else if text.contains("行政复议") && !text.contains("诉讼") {
            Some(0)
        } else {
            None
        }
    };
    let mut groups: [Option<(usize, usize)>; 3] = [None; 3];
    let mut span = (usize::MAX, 0);
    let mut from = 0;
    for &(a, b) in runs {
        let heading = tokens[from..a]
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, t)| match t {
                Token::Label { text, .. } => group_of(text).map(|g| (from + i, g)),
                _ => None,
            });
        from = b;
        let Some((at, g)) = heading else { continue };
        if b - a != 5 || tokens[a..b].iter().any(|t| t.capacity() != 1) {
            continue;
        }
        if groups[g].replace((a, b)).is_some() {
            return None;
        }
        span = (span.0.min(at), span.1.max(b - 1));
    }
    if groups.iter().all(Option::is_none) {
        return None;
    }
    let mut cells = Vec::with_capacity(15);
    for group in groups {
        match group {
            Some((a, b)) => {
                let run: Vec<&Token> = tokens[a..b].iter().collect();
                cells.extend(fit(&run, 5, review_rule).into_cells());
            }
            None => cells.extend(std::iter::repeat_with(missing).take(5)),
        }
    }
    Some((cells, span))
}

fn missing() -> CellRead {
    flagged(CellFlag::Missing, None)
}

fn flagged(flag: CellFlag, raw: Option<String>) -> CellRead {
    CellRead {
        table: TableName::Requests,
        row_key: "",
        col_key: "",
        value: None,
        raw,
        unit: None,
        flag: Some(flag),
    }
}

fn cell_of(token: &Token<'_>) -> CellRead {
    let raw = match token {
        Token::Blank { .. } => return flagged(CellFlag::Blank, Some(String::new())),
        Token::Value { raw, .. } => raw,
        Token::Label { text, .. } => text.as_ref(),
    };
    let v = read_value(raw);
    CellRead {
        value: v.value,
        unit: v.unit,
        flag: v.flag,
        ..flagged(CellFlag::Blank, Some(raw.to_string()))
    }
}

/// How a row's tokens fit its columns.
#[derive(Debug, Clone)]
enum Fit {
    /// Read as written, or cut the one way that fits.
    Read(Vec<CellRead>),
    /// Several cuts fit the row; the table's column rules may pick one.
    Choices {
        options: Vec<Vec<CellRead>>,
        raw: Option<String>,
    },
}

impl Fit {
    fn into_cells(self) -> Vec<CellRead> {
        match self {
            Fit::Read(cells) => cells,
            Fit::Choices { options, raw } => {
                vec![flagged(CellFlag::Ambiguous, raw); options[0].len()]
            }
        }
    }

    /// Values of a fully read row (null read as 0), or None if any cell is unread.
    fn values(&self) -> Option<Vec<f64>> {
        match self {
            Fit::Read(cells)
                if cells
                    .iter()
                    .all(|c| !c.flag.is_some_and(CellFlag::is_unread)) =>
            {
                Some(cells.iter().map(|c| c.value.unwrap_or(0.0)).collect())
            }
            _ => None,
        }
    }
}

/// Fit a row's value tokens to its `n` columns.
fn fit(tokens: &[&Token<'_>], n: usize, rule: RowRule) -> Fit {
    let mut toks: Vec<&Token<'_>> = tokens.to_vec();
    if let Some(read) = fit_surplus_blanks(&toks, n, rule) {
        return read;
    }
    // Layouts pad rows with empty cells (dumps of spanned rows end in `||`).
    // Blanks in front are the row's own first cells: a row of blanks whose
    // next row lost its label runs on into that row's figures, and dropping
    // its blanks would hand it those figures. (Padding in front is known
    // where it can be: a row's edge and `||` lines in the text parser, an
    // empty column in a grid, blanks at both ends in fit_surplus_blanks.)
    while toks.len() > n && matches!(toks.last(), Some(Token::Blank { .. })) {
        toks.pop();
    }
    if toks.is_empty() {
        return Fit::Read(vec![missing(); n]);
    }
    let joined = Some(raw_of(&toks));
    if toks.len() == n {
        return Fit::Read(toks.iter().map(|t| cell_of(t)).collect());
    }
    if toks.len() > n {
        return Fit::Read(vec![flagged(CellFlag::Ambiguous, joined); n]);
    }
    match splits(&toks, n, rule) {
        Some(mut options) if options.len() == 1 => Fit::Read(options.pop().expect("one option")),
        Some(options) if !options.is_empty() => Fit::Choices {
            options,
            raw: joined,
        },
        _ => Fit::Read(vec![flagged(CellFlag::Ambiguous, joined); n]),
    }
}

/// A row's tokens as the page wrote them, kept as the raw text of cells
/// that could not be placed (a blank as an empty place between spaces).
fn raw_of(toks: &[&Token<'_>]) -> String {
    toks.iter()
        .map(|t| match t {
            Token::Value { raw, .. } => *raw,
            _ => "",
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A row with more tokens than columns, the surplus all blank, and blanks
/// at both ends: which blanks are padding? Padding usually trails (`||`),
/// so the surplus is dropped from the end first, as [`fit`] does, and that
/// reading stands when it keeps the row's rule. When it breaks the rule and
/// dropping blanks from the front instead gives another reading (a row's
/// opening `|` read as a cell shifts every figure by one), the rule decides:
/// the one reading that keeps it, or, with none or several, the row stays
/// unread and flagged. None when there is no choice to make.
fn fit_surplus_blanks(toks: &[&Token<'_>], n: usize, rule: RowRule) -> Option<Fit> {
    let is_blank = |t: &&Token<'_>| matches!(t, Token::Blank { .. });
    let surplus = toks.len().checked_sub(n).filter(|&s| s > 0)?;
    let lead = toks.iter().copied().take_while(is_blank).count();
    let trail = toks.iter().rev().copied().take_while(is_blank).count();
    // `front` blanks dropped from the front, the rest of the surplus from
    // the back; the first window is fit's own choice.
    let fronts = surplus.saturating_sub(trail)..=surplus.min(lead);
    if fronts.start() >= fronts.end() || toks.iter().all(is_blank) {
        return None;
    }
    let readings: Vec<Vec<CellRead>> = fronts
        .map(|front| toks[front..front + n].iter().map(|t| cell_of(t)).collect())
        .collect();
    let keeps_rule = |cells: &Vec<CellRead>| {
        let values: Vec<Option<f64>> = cells.iter().map(|c| c.value).collect();
        rule(&values)
    };
    if keeps_rule(&readings[0]) {
        return None;
    }
    let mut keeping = readings.iter().filter(|r| keeps_rule(r));
    match (keeping.next(), keeping.next()) {
        (Some(one), None) => Some(Fit::Read(one.clone())),
        _ => Some(Fit::Read(vec![
            flagged(
                CellFlag::Ambiguous,
                Some(raw_of(toks))
            );
            n
        ])),
    }
}

/// Pick the cuts of ambiguous requests rows that make the table's column
/// rules hold (requests_balance, requests_handled_sum), when exactly one
/// combination does and every other cell those rules read was read.
fn solve_requests_jointly(spec: &TableSpec, fits: &mut [Fit]) {
    let open: Vec<usize> = (0..fits.len())
        .filter(|&r| matches!(fits[r], Fit::Choices { .. }))
        .collect();
    if open.is_empty() {
        return;
    }
    let options = |fits: &[Fit], r: usize| match &fits[r] {
        Fit::Choices { options, .. } => options.clone(),
        Fit::Read(_) => Vec::new(),
    };
    let combos = open
        .iter()
        .try_fold(1usize, |acc, &r| acc.checked_mul(options(fits, r).len()));
    let fixed: Vec<Option<Vec<f64>>> = fits.iter().map(Fit::values).collect();
    let all_read = (0..fits.len()).all(|r| open.contains(&r) || fixed[r].is_some());
    if !all_read || combos.is_none_or(|c| c > SPLIT_BUDGET) {
        return;
    }
    let index = |key: &str| spec.rows.iter().position(|r| r.key == key);
    let (Some(new), Some(carried), Some(total), Some(forward)) = (
        index("new_received"),
        index("carried_over"),
        index("total_handled"),
        index("carried_forward"),
    ) else {
        return;
    };
    let outcomes: Vec<usize> = (0..spec.rows.len())
        .filter(|r| ![new, carried, total, forward].contains(r))
        .collect();
    let choices: Vec<Vec<Vec<f64>>> = open
        .iter()
        .map(|&r| {
            options(fits, r)
                .iter()
                .map(|o| o.iter().map(|c| c.value.unwrap_or(0.0)).collect())
                .collect()
        })
        .collect();
    let mut pick = vec![0usize; open.len()];
    let mut found: Option<Vec<usize>> = None;
    let mut solutions = 0;
    loop {
        let row = |r: usize| -> &[f64] {
            match open.iter().position(|&o| o == r) {
                Some(i) => &choices[i][pick[i]],
                None => fixed[r].as_deref().expect("read row"),
            }
        };
        let holds = (0..REQUEST_COLUMNS).all(|c| {
            let balance = near(
                row(new)[c] + row(carried)[c],
                row(total)[c] + row(forward)[c],
            );
            let handled = near(outcomes.iter().map(|&r| row(r)[c]).sum(), row(total)[c]);
            balance && handled
        });
        if holds {
            solutions += 1;
            found = Some(pick.clone());
        }
        // The next combination, odometer-wise.
        let mut i = 0;
        while i < pick.len() {
            pick[i] += 1;
            if pick[i] < choices[i].len() {
                break;
            }
            pick[i] = 0;
            i += 1;
        }
        if i == pick.len() || solutions > 1 {
            break;
        }
    }
    if let (1, Some(pick)) = (solutions, found) {
        for (i, &r) in open.iter().enumerate() {
            fits[r] = Fit::Read(options(fits, r).swap_remove(pick[i]));
        }
    }
}

const REQUEST_COLUMNS: usize = 7;

/// Enumeration budget for cutting runs; beyond it the row is ambiguous.
const SPLIT_BUDGET: usize = 200_000;
/// Cuts kept per row for the table's column rules to choose from.
const MAX_OPTIONS: usize = 64;

/// What one token of a row can become: a run to cut (its chars, full
/// width folded), or one whole cell (its value and text).
enum Part {
    Run(Vec<char>),
    Whole(Option<f64>, String),
}

/// A cell of a cut being tried: its value, the token `t` it came from (for a
/// run, its chars `span.0..span.1`), and whether its run was cut into more
/// than one cell. Its text is written out only for the cuts kept: a search
/// tries thousands of pieces on some real dumps.
#[derive(Clone, Copy)]
struct CutCell {
    value: Option<f64>,
    t: usize,
    span: (usize, usize),
    cut: bool,
}

/// Every way (up to [`MAX_OPTIONS`]) to cut the splittable runs among
/// `toks` into exactly `n` cells that satisfies `rule`; None when the
/// search ran out of budget or found too many to choose from.
fn splits(toks: &[&Token<'_>], n: usize, rule: RowRule) -> Option<Vec<Vec<CellRead>>> {
    let parts: Vec<Part> = toks
        .iter()
        .map(|t| match t {
            Token::Value {
                raw,
                splittable: true,
                ..
            } => Part::Run(raw.chars().map(fold_width).collect()),
            other => {
                let c = cell_of(other);
                Part::Whole(c.value, c.raw.unwrap_or_default())
            }
        })
        .collect();
    // most[t]: the most cells tokens t.. can give (a run one per char).
    let mut most = vec![0; parts.len() + 1];
    for t in (0..parts.len()).rev() {
        most[t] = most[t + 1]
            + match &parts[t] {
                Part::Run(chars) => chars.len(),
                Part::Whole(..) => 1,
            };
    }
    let mut s = Search {
        parts: &parts,
        most: &most,
        n,
        rule,
        cells: Vec::new(),
        found: Vec::new(),
        steps: 0,
        values: Vec::new(),
    };
    s.go(0);
    if s.exhausted() {
        return None;
    }
    let to_cell = |p: &CutCell| -> CellRead {
        let raw: String = match &parts[p.t] {
            Part::Whole(_, raw) => raw.clone(),
            Part::Run(chars) => chars[p.span.0..p.span.1].iter().collect(),
        };
        let flag = if raw.is_empty() {
            Some(CellFlag::Blank)
        } else if p.cut {
            Some(CellFlag::ResolvedFromRun)
        } else {
            read_value(&raw).flag
        };
        CellRead {
            value: p.value,
            flag,
            ..flagged(CellFlag::Blank, Some(raw))
        }
    };
    Some(
        s.found
            .iter()
            .map(|cut| cut.iter().map(to_cell).collect())
            .collect(),
    )
}

/// The value of a piece of a run: an optional sign and digits without a
/// leading zero. Up to 15 digits it is exact as an integer, and the same
/// f64 that [`parse_number`] gives; longer pieces go through it.
fn run_number(piece: &[char]) -> Option<f64> {
    let (negative, digits) = match piece.first() {
        Some('-') => (true, &piece[1..]),
        Some('+') => (false, &piece[1..]),
        _ => (false, piece),
    };
    if digits.is_empty() || digits.len() > 15 || !digits.iter().all(char::is_ascii_digit) {
        return parse_number(&piece.iter().collect::<String>());
    }
    let magnitude = digits
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(*d as u8 - b'0')) as f64;
    Some(if negative { -magnitude } else { magnitude })
}

/// A depth-first search over the cuts of a row's runs.
struct Search<'t> {
    parts: &'t [Part],
    most: &'t [usize],
    n: usize,
    rule: RowRule,
    cells: Vec<CutCell>,
    found: Vec<Vec<CutCell>>,
    steps: usize,
    /// The values of a complete cut, for the rule (kept to spare an
    /// allocation at each).
    values: Vec<Option<f64>>,
}

impl Search<'_> {
    fn exhausted(&self) -> bool {
        self.steps > SPLIT_BUDGET || self.found.len() > MAX_OPTIONS
    }

    fn go(&mut self, t: usize) {
        self.steps += 1;
        if self.exhausted() {
            return;
        }
        let parts = self.parts;
        let remaining_tokens = parts.len() - t;
        if t == parts.len() {
            if self.cells.len() == self.n {
                self.values.clear();
                self.values.extend(self.cells.iter().map(|c| c.value));
                if (self.rule)(&self.values) {
                    self.found.push(self.cells.clone());
                }
            }
            return;
        }
        let room = self.n - self.cells.len();
        // Each token gives one cell at least, and the rest cannot give
        // more than `most`: a cut that leaves either unmet is a dead end.
        if room < remaining_tokens || room > self.most[t] {
            return;
        }
        match &parts[t] {
            Part::Run(chars) => {
                let max_pieces = room - (remaining_tokens - 1);
                let min_pieces = room.saturating_sub(self.most[t + 1]);
                let first = self.cells.len();
                self.cut(chars, 0, (min_pieces, max_pieces), t, first);
            }
            Part::Whole(value, _) => {
                self.cells.push(CutCell {
                    value: *value,
                    t,
                    span: (0, 0),
                    cut: false,
                });
                self.go(t + 1);
                self.cells.pop();
            }
        }
    }

    /// Cut `chars[from..]` (run `t`) into numbers, so that the run gives
    /// `pieces.0..=pieces.1` cells in all, then go on. `first` is where
    /// this run's cells start in `cells`.
    fn cut(&mut self, chars: &[char], from: usize, pieces: (usize, usize), t: usize, first: usize) {
        let made = self.cells.len() - first;
        if from == chars.len() {
            if made < pieces.0 {
                return;
            }
            // Only a run that became more than one cell was cut.
            let cut = made > 1;
            for c in &mut self.cells[first..] {
                c.cut = cut;
            }
            self.go(t + 1);
            return;
        }
        // Every piece takes a char at least.
        if made == pieces.1 || made + (chars.len() - from) < pieces.0 || self.exhausted() {
            return;
        }
        self.steps += 1;
        let sign = usize::from(matches!(chars[from], '+' | '-'));
        let digits_from = from + sign;
        if digits_from >= chars.len() || !chars[digits_from].is_ascii_digit() {
            return;
        }
        for end in digits_from + 1..=chars.len() {
            let digits = &chars[digits_from..end];
            if !digits.iter().all(char::is_ascii_digit) {
                break;
            }
            // Numbers are not written with leading zeros.
            if digits.len() > 1 && digits[0] == '0' {
                break;
            }
            let value = run_number(&chars[from..end]);
            self.cells.push(CutCell {
                value,
                t,
                span: (from, end),
                cut: false,
            });
            self.cut(chars, end, pieces, t, first);
            self.cells.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{spec, Template};

    fn toks(text: &str) -> Vec<Token<'_>> {
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            lex(line, true, i, &mut out, &mut Vec::new());
        }
        out
    }

    fn read_table_plain(s: &TableSpec, t: &[Token]) -> Option<TableRead> {
        read_table(s, t, None, Lines::default())
    }

    fn values(read: &TableRead, row: &str) -> Vec<Option<f64>> {
        read.cells
            .iter()
            .filter(|c| c.row_key == row)
            .map(|c| c.value)
            .collect()
    }

    #[test]
    fn text_may_be_value_rejects_is_unreadable() {
        let mut rejected = 0;
        for c in crate::text::ideographs() {
            for s in [
                format!("{c}"),
                format!("{c}12"),
                format!("{c}件"),
                format!("{c}无"),
            ] {
                if !may_be_value(&s) {
                    rejected += 1;
                    assert_eq!(read_value(&s).flag, Some(CellFlag::Unreadable), "{s}");
                }
            }
        }
        assert!(rejected > 100_000);
        for kept in ["无", "暂无", "空", "12件", "/", "——"] {
            assert!(may_be_value(kept), "{kept}");
        }
    }

    #[test]
    fn a_dumps_word_for_no_figure_is_a_cell_not_part_of_the_label() {
        let shape = |text: &str| -> Vec<String> {
            toks(text)
                .iter()
                .map(|t| match t {
                    Token::Label { text, .. } => text.to_string(),
                    Token::Value { raw, .. } => format!("#{raw}"),
                    Token::Blank { .. } => "_".into(),
                })
                .collect()
        };
        // tests/corpus/pages/pingtan_2019.dump-pdf.txt's row `行政强制 126 0 25`
        // with its first figure written as text: the text parser folds the
        // space between ideographs away.
        assert_eq!(
            shape("行政强制不涉及0 25"),
            ["行政强制", "#不涉及", "#0", "#25"]
        );
        assert_eq!(shape("行政强制 — 0 25"), ["行政强制", "#—", "#0", "#25"]);
        assert_eq!(
            shape("行政强制 126 N/A 25"),
            ["行政强制", "#126", "#N/A", "#25"]
        );
        assert_eq!(shape("不涉及"), ["#不涉及"]);
        // Not a word of its own, nor before the row's figures: label text.
        assert_eq!(shape("二〇二四年度 12"), ["二〇二四年度", "#12"]);
        assert_eq!(shape("备注：不涉及"), ["备注:不涉及"]);
    }

    #[test]
    fn lexes_runs_and_numbered_labels() {
        let t = toks("(三)不予公开1.属于国家秘密0000000");
        assert_eq!(
            t,
            [
                Token::Label {
                    text: "(三)不予公开1.属于国家秘密".into(),
                    piece: 0,
                    place: Place::Apart,
                },
                Token::Value {
                    raw: "0000000",
                    splittable: true,
                    piece: 0
                },
            ]
        );
        // corpus/real/pingtan_zhqgwh_2022.txt: a row's run glued to the next row's number.
        let t = toks("5.属于三类内部事务信息10000016.属于四类过程性信息2000002");
        let kinds: Vec<String> = t
            .iter()
            .map(|t| match t {
                Token::Label { text, .. } => text.to_string(),
                Token::Value { raw, .. } => format!("#{raw}"),
                Token::Blank { .. } => "_".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "5.属于三类内部事务信息",
                "#1000001",
                "6.属于四类过程性信息",
                "#2000002"
            ]
        );
    }

    #[test]
    fn run_pieces_read_as_parse_number_reads_them() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut pieces: Vec<String> = [
            "0",
            "-0",
            "+7",
            "999999999999999",
            "-999999999999999",
            "9007199254740993",
            "123456789012345678901",
        ]
        .map(String::from)
        .to_vec();
        for _ in 0..20_000 {
            let sign = ["", "+", "-"][(next() % 3) as usize];
            let len = 1 + (next() % 20) as usize;
            let digits: String = (0..len)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            pieces.push(format!("{sign}{digits}"));
        }
        for piece in &pieces {
            let chars: Vec<char> = piece.chars().collect();
            let (ours, theirs) = (run_number(&chars), parse_number(piece));
            // Bit for bit: -0 stays -0.
            assert_eq!(ours.map(f64::to_bits), theirs.map(f64::to_bits), "{piece}");
        }
    }

    #[test]
    fn cuts_runs_with_the_row_total() {
        // corpus/real/pingtan_zhqgwh_2022.txt, requests table (one-line dump).
        let s = spec(TableName::Requests, Template::T2021);
        let t = toks("申请人情况自然人\n一、本年新收政府信息公开申请数量 713000074二、上年结转政府信息公开申请数量 1000001\n1.本机关不掌握相关政府信息 3700000372.没有现成信息需要另行制作 0000000\n(七)总计 723000075");
        let read = read_table_plain(&s, &t).unwrap();
        assert_eq!(
            values(&read, "new_received"),
            [71.0, 3.0, 0.0, 0.0, 0.0, 0.0, 74.0].map(Some)
        );
        assert_eq!(
            values(&read, "carried_over"),
            [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0].map(Some)
        );
        assert_eq!(
            values(&read, "unavailable_not_held"),
            [37.0, 0.0, 0.0, 0.0, 0.0, 0.0, 37.0].map(Some)
        );
        assert_eq!(
            values(&read, "total_handled"),
            [72.0, 3.0, 0.0, 0.0, 0.0, 0.0, 75.0].map(Some)
        );
        let c = read
            .cells
            .iter()
            .find(|c| c.row_key == "new_received" && c.col_key == "natural_person")
            .unwrap();
        assert_eq!(
            (c.raw.as_deref(), c.flag),
            (Some("71"), Some(CellFlag::ResolvedFromRun))
        );
        assert!(values(&read, "granted").iter().all(Option::is_none));
    }

    #[test]
    fn a_run_that_several_cuts_fit_stays_null() {
        // corpus/real/pingtan_zhqgwh_2022.txt: 88/55/698 has no rule to pick it.
        let s = spec(TableName::ActiveDisclosure, Template::T2021);
        let read = read_table_plain(
            &s,
            &toks("第二十条第(一)项\n规章000\n行政规范性文件8855698\n行政许可10690"),
        )
        .unwrap();
        assert_eq!(values(&read, "regulations"), [Some(0.0); 3]);
        assert_eq!(values(&read, "normative_documents"), [None; 3]);
        assert!(read
            .cells
            .iter()
            .filter(|c| c.row_key == "normative_documents")
            .all(|c| c.flag == Some(CellFlag::Ambiguous)));
        assert_eq!(values(&read, "licensing"), [Some(10690.0)]);
    }

    #[test]
    fn column_rules_pick_the_cut_a_row_total_cannot() {
        // corpus/real/pingtan_zhqgwh_2021.txt: `270020130` is 27/0/0/2/0/1/30 or
        // 2/7/0/0/20/1/30 by its row; only 27 (with 22 below) makes the
        // natural-person column add up to the 63 handled.
        let s = spec(TableName::Requests, Template::T2021);
        let t = toks("自然人法人或其他组织总计一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开270020130（二）部分公开（区分处理的，只计这一情形，不计其他情形）500000 5（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”00000004.保护第三方合法权益00000005.属于三类内部事务信息10000016.属于四类过程性信息00000007.属于行政执法案卷60000068.属于行政查询事项1000001（四）无法提供1.本机关不掌握相关政府信息2200003252.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请00000002.重复申请00000003.要求提供公开出版物00000004.无正当理由大量反复申请00000005.要求行政机关确认或重新出具已获取信息0000000（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请00000002.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他1000001（七）总计630020469四、结转下年度继续办理1000001");
        let read = read_table_plain(&s, &t).unwrap();
        assert_eq!(
            values(&read, "new_received"),
            [64.0, 0.0, 0.0, 2.0, 0.0, 4.0, 70.0].map(Some)
        );
        assert_eq!(
            values(&read, "granted"),
            [27.0, 0.0, 0.0, 2.0, 0.0, 1.0, 30.0].map(Some)
        );
        assert_eq!(
            values(&read, "unavailable_not_held"),
            [22.0, 0.0, 0.0, 0.0, 0.0, 3.0, 25.0].map(Some)
        );
        assert_eq!(
            values(&read, "total_handled"),
            [63.0, 0.0, 0.0, 2.0, 0.0, 4.0, 69.0].map(Some)
        );
        assert!(read.cells.iter().all(|c| c.value.is_some()));
    }

    #[test]
    fn review_row_after_its_header() {
        // corpus/real/pingtan_zhqgwh_2022.txt.
        let s = spec(TableName::ReviewLitigation, Template::T2021);
        let read = read_table_plain(&s, &toks("行政复议 行政诉讼 结果维持结果纠正其他结果尚未审结总计 未经复议直接起诉 复议后起诉 结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计 0 1 1 0 2 1 0 0 0 1 0 0 0 0 0")).unwrap();
        assert_eq!(values(&read, "review"), [0.0, 1.0, 1.0, 0.0, 2.0].map(Some));
        assert_eq!(
            values(&read, "litigation_direct"),
            [1.0, 0.0, 0.0, 0.0, 1.0].map(Some)
        );
        // And run together, as in seed 004.
        let read = read_table_plain(
            &s,
            &toks("结果维持结果纠正其他结果尚未审结总计\n000000000000000"),
        )
        .unwrap();
        assert!(read
            .cells
            .iter()
            .all(|c| c.value == Some(0.0) && c.flag == Some(CellFlag::ResolvedFromRun)));
    }

    #[test]
    fn review_row_whose_header_was_lost() {
        // 宿迁市's report on 2025 as a PDF's text (KIROGOVCOMPARE's
        // SegmentedAnnualReportParse test): part 4's column labels are gone,
        // its figures one row under `行政复议行政诉讼`.
        let s = spec(TableName::ReviewLitigation, Template::T2021);
        let row = "119 25 91 24 259 7 0 15 6 28 21 1 7 9 38";
        let read = read_table_plain(&s, &toks(&format!("行政复议行政诉讼 {row}"))).unwrap();
        assert_eq!(
            values(&read, "review"),
            [119.0, 25.0, 91.0, 24.0, 259.0].map(Some)
        );
        assert_eq!(
            values(&read, "litigation_direct"),
            [7.0, 0.0, 15.0, 6.0, 28.0].map(Some)
        );
        assert_eq!(
            values(&read, "litigation_after_review"),
            [21.0, 1.0, 7.0, 9.0, 38.0].map(Some)
        );
        // Nothing confirms the order when a total is not its group's sum,
        // and a figure more or less is not the row alone.
        for unread in [
            "119 25 91 24 258 7 0 15 6 28 21 1 7 9 38".to_string(),
            format!("{row} 2"),
            format!("共3起 {row}"),
            row.replacen(" 0 ", " / ", 1),
            row.replacen("119 25", "11925", 1),
        ] {
            assert!(read_table_plain(&s, &toks(&unread)).is_none(), "{unread}");
        }
    }

    /// Part 4's header, then `figures` one cell a line ("" a blank cell).
    fn review_tokens(figures: &[&'static str]) -> Vec<Token<'static>> {
        let mut t = toks("结果维持结果纠正其他结果尚未审结总计");
        for (i, f) in figures.iter().enumerate() {
            lex(f, true, i + 1, &mut t, &mut Vec::new());
        }
        t
    }

    /// shanghai_gov_office_2019.html's part 4 behind a blank that is no
    /// cell (a row's opening `|`): 16 cells for 15 columns, blanks at both
    /// ends.
    const SHANGHAI_REVIEW_BEHIND_A_BLANK: [&str; 16] = [
        "", "5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", "",
    ];

    #[test]
    fn a_blank_in_front_of_a_row_is_dropped_when_the_rule_says_so() {
        // Dropping the last blank breaks review_litigation_total (5 + 2
        // against 7 shifted to 2); dropping the first keeps it.
        let s = spec(TableName::ReviewLitigation, Template::T2019);
        let read = read_table_plain(&s, &review_tokens(&SHANGHAI_REVIEW_BEHIND_A_BLANK)).unwrap();
        assert_eq!(
            values(&read, "review"),
            [Some(5.0), None, None, Some(2.0), Some(7.0)]
        );
        assert_eq!(
            values(&read, "litigation_direct"),
            [Some(8.0), None, None, Some(1.0), Some(9.0)]
        );
        assert_eq!(values(&read, "litigation_after_review"), [None; 5]);
    }

    #[test]
    fn surplus_blanks_no_reading_explains_stay_unread() {
        // The same row with its first total misprinted (8 for 7): neither
        // reading keeps the rule, so no figure is placed by guesswork.
        let s = spec(TableName::ReviewLitigation, Template::T2019);
        let mut row = SHANGHAI_REVIEW_BEHIND_A_BLANK;
        row[5] = "8";
        let read = read_table_plain(&s, &review_tokens(&row)).unwrap();
        assert!(read
            .cells
            .iter()
            .all(|c| c.value.is_none() && c.flag == Some(CellFlag::Ambiguous)));
    }

    #[test]
    fn a_dump_line_of_figures_apart_is_a_row_of_cells() {
        // Pingtan 2022's part 4 as a PDF's text gives it: one line.
        let figures = "0 1 1 0 2 1 0 0 0 1 0 0 0 0 0";
        let mut t = Vec::new();
        lex(figures, true, 0, &mut t, &mut Vec::new());
        let raws: Vec<&str> = t
            .iter()
            .map(|t| match t {
                Token::Value { raw, .. } => *raw,
                _ => "?",
            })
            .collect();
        assert_eq!(raws, figures.split(' ').collect::<Vec<_>>());
        // In an HTML cell the text is the cell's; a figure and its unit are
        // one cell in a dump too.
        for (text, from_dump) in [(figures, false), ("12 件", true), ("1,491", true)] {
            let mut t = Vec::new();
            lex(text, from_dump, 0, &mut t, &mut Vec::new());
            assert_eq!(t.len(), 1, "{text}");
        }
    }

    #[test]
    fn part_4_header_printed_vertically() {
        // A PDF's text prints the column labels a character or two a line
        // (the header of 威海市文登区信访局's 2022 report, and of a 2020
        // report laid out 结 / 果 / 维 / 持), so 结果维持 is never in one
        // piece. Figures: Pingtan 2022's.
        let s = spec(TableName::ReviewLitigation, Template::T2021);
        for header in [
            "行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n结果 结果 其他 尚未 总\n维持 纠正 结果 审结 计",
            "行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n结 结 其 尚\n果 果 他 未\n总计 果 果 他 未 总\n维 纠 结 审\n持 正 果 结",
        ] {
            let read = read_table_plain(
                &s,
                &toks(&format!("{header}\n0 1 1 0 2 1 0 0 0 1 0 0 0 0 0")),
            )
            .unwrap();
            assert_eq!(values(&read, "review"), [0.0, 1.0, 1.0, 0.0, 2.0].map(Some));
            assert_eq!(
                values(&read, "litigation_direct"),
                [1.0, 0.0, 0.0, 0.0, 1.0].map(Some)
            );
        }
    }

    #[test]
    fn a_wrapped_label_goes_on_with_its_row() {
        // Pingtan 2023's rows as a PDF's text wraps them: the rest of the
        // label before the figures, or the figures between its two halves
        // (which cuts 重新出具, the signature the whole label carries).
        let s = spec(TableName::Requests, Template::T2021);
        let t = toks(
            "申请人情况\n一、本年新收政府信息公开申请数量 80 1 0 0 0 0 81\n\
             （二）部分公开（区分处理的，\n只计这一情形，不计其他情形） 19 1 0 0 0 0 20\n\
             5.要求行政机关确认或重新出 0 0 0 0 0 0 0\n具已获取信息\n\
             （六）其他处理 1.申请人无正当理由逾期不补\n正、行政机关不再处理其政府信息公开申请 1 0 0 0 0 0 1",
        );
        let read = read_table_plain(&s, &t).unwrap();
        assert_eq!(
            values(&read, "partially_granted"),
            [19.0, 1.0, 0.0, 0.0, 0.0, 0.0, 20.0].map(Some)
        );
        assert_eq!(
            values(&read, "not_processed_confirm_reissue"),
            [Some(0.0); 7]
        );
        assert_eq!(
            values(&read, "other_no_correction"),
            [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0].map(Some)
        );
    }

    #[test]
    fn a_label_printed_out_of_its_rows_order_does_not_take_figures() {
        // The PDF text of 上海市科委's report on 2024 (KIROGOVCOMPARE's
        // kewei-2024-source.md): the labels of 5.属于三类内部事务信息 and
        // 1.本机关不掌握相关政府信息 come before the figures of the first
        // (1 0 0 0 0 0 1); 不掌握's own row, 4 0 0 0 0 0 4, comes later,
        // after 8.属于行政查询事项's. Read as 不掌握's, the 1s would be a wrong
        // number. 行政许可 97, its figure on its label's line, stays.
        let s = spec(TableName::Requests, Template::T2021);
        let t = toks(
            "申请人情况\n一、本年新收政府信息公开申请数量\n32\n2\n0\n0\n0\n0\n34\n\
             5.属于三类内部事务信\n息\n1.本机关不掌握相关政\n府信息\n1\n0\n0\n0\n0\n0\n1\n\
             6.属于四类过程性信息\n1\n0\n0\n0\n0\n0\n1",
        );
        let read = read_table_plain(&s, &t).unwrap();
        assert_eq!(values(&read, "unavailable_not_held"), [None; 7]);
        assert_eq!(
            read.index()
                .get("unavailable_not_held", "total")
                .and_then(|c| c.flag),
            Some(CellFlag::Ambiguous)
        );
        assert_eq!(values(&read, "denied_internal_affairs"), [None; 7]);
        assert_eq!(
            values(&read, "denied_process_information"),
            [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0].map(Some)
        );
        let s = spec(TableName::ActiveDisclosure, Template::T2021);
        let t = toks(
            "第二十条第（五）项\n信息内容本年处理决定数量\n行政许可 97\n行政事业性收费 0\n\
             信息内容\n本年制发件数\n规章\n0\n0\n0\n规范性文件\n13\n0\n55",
        );
        let read = read_table_plain(&s, &t).unwrap();
        assert_eq!(values(&read, "licensing"), [Some(97.0)]);
        assert_eq!(values(&read, "fees"), [Some(0.0)]);
        assert_eq!(
            values(&read, "normative_documents"),
            [13.0, 0.0, 55.0].map(Some)
        );
    }

    #[test]
    fn a_row_without_cells_does_not_take_the_next_blocks_figures() {
        // A 2021 page whose fees cell is gone, followed by the procurement
        // block of the 2019 template (Shanghai 2019's figures), which the
        // 2021 template has no row for: fees stays missing, not 6.
        let s = spec(TableName::ActiveDisclosure, Template::T2021);
        let t = toks(
            "第二十条第（一）项\n规章 13 13 524\n行政事业性收费\n第二十条第（九）项\n信息内容\n\
             采购项目数量\n采购总金额\n政府集中采购\n6\n251000元",
        );
        let read = read_table_plain(&s, &t).unwrap();
        assert_eq!(values(&read, "fees"), [None]);
        assert_eq!(
            read.index().get("fees", "fee_amount").and_then(|c| c.flag),
            Some(CellFlag::Missing)
        );
    }

    #[test]
    fn trailing_pad_cells_are_dropped() {
        // Seed 002: `6 |`, six blank cells, then `||`.
        let s = spec(TableName::Requests, Template::T2021);
        let mut t = toks("申请人情况\n一、本年新收政府信息公开申请数量\n6");
        t.extend(std::iter::repeat_n(Token::Blank { piece: 2 }, 8));
        t.extend(toks("二、上年结转政府信息公开申请数量\n三、本年度办理结果\n（一）予以公开\n1\n2\n3\n4\n5\n6\n7"));
        let read = read_table_plain(&s, &t).unwrap();
        let row = values(&read, "new_received");
        assert_eq!(row[0], Some(6.0));
        assert_eq!(row[1..], [None; 6]);
        let c = read
            .cells
            .iter()
            .find(|c| c.row_key == "new_received" && c.col_key == "total")
            .unwrap();
        assert_eq!(c.flag, Some(CellFlag::Blank));
        assert_eq!(
            values(&read, "granted"),
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0].map(Some)
        );
    }
}
