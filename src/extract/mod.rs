//! Stage 4: a document to the report's data: metadata, sections, template
//! tables, and the report's status.

pub mod facts;
pub mod grids;
pub mod metadata;
pub mod sections;
pub mod tables;
pub mod value;

use std::borrow::Cow;

use crate::document::{Block, Document};
use crate::template::{self, TableName, Template};
use crate::text::{detect_script, to_simplified, Script};
pub use metadata::Metadata;
use sections::{Layout, Piece};
pub use tables::{CellRead, TableRead};
pub use value::CellFlag;

/// What a page turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// All three template tables found and every cell read.
    Ok,
    /// A report with some tables or cells missing.
    Partial,
    /// A report whose tables are absent (published as images, say).
    NoTables,
    /// Some other page.
    NotAReport,
    /// Could not be read; the reason is kept.
    Error,
    /// The same bytes as another input: its data is under that report_id once.
    Duplicate,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::NoTables => "no_tables",
            Status::NotAReport => "not_a_report",
            Status::Error => "error",
            Status::Duplicate => "duplicate",
        }
    }
}

/// One narrative part (0 = preamble).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub no: u8,
    pub heading: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    pub status: Status,
    pub status_reason: Option<String>,
    pub script: Script,
    pub template: Option<Template>,
    pub meta: Metadata,
    pub sections: Vec<Section>,
    pub tables: Vec<TableRead>,
    /// How the page was read, where a reader of the data should know it.
    pub warnings: Vec<String>,
    pub agency: Agency,
    /// Figures stated in the narrative.
    pub facts: Vec<facts::Fact>,
    /// The page's other tables, as grids (task lists, a province's statistics).
    pub grids: Vec<grids::GridTable>,
    /// The report's indicators, in [`crate::indicators::COLUMNS`] order,
    /// computed once here for the table, the checks and the cross-year figures.
    pub indicators: Vec<Option<f64>>,
}

/// Who published the report, beyond its name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agency {
    /// The name written the same way every year (see [`crate::regions::agency_key`]).
    pub key: Option<String>,
    pub region: crate::regions::Region,
    /// 省, 市, 县 or 乡镇.
    pub level: Option<&'static str>,
    /// 人民政府, 局, 委员会, 街道办事处…
    pub kind: Option<&'static str>,
}

impl Extraction {
    pub fn cells(&self) -> impl Iterator<Item = &CellRead> {
        self.tables.iter().flat_map(|t| t.cells.iter())
    }

    pub fn table(&self, name: TableName) -> Option<&TableRead> {
        self.tables.iter().find(|t| t.table == name)
    }
}

/// True when a template cell gives no figure: blank, a placeholder, not on
/// the page, or text that is no number. A run of figures too tangled to cut
/// (ambiguous) holds figures, so it does not count.
fn holds_no_figure(cell: &CellRead) -> bool {
    cell.value.is_none()
        && matches!(
            cell.flag,
            None | Some(
                CellFlag::Blank | CellFlag::Placeholder | CellFlag::Missing | CellFlag::Unreadable
            )
        )
}

/// Labels that anchor a template table when its part heading is missing.
fn anchor(table: TableName) -> &'static str {
    match table {
        TableName::ActiveDisclosure => "第二十条",
        TableName::Requests => "本年新收",
        TableName::ReviewLitigation => "结果维持",
    }
}

/// Extract everything the dataset holds about one parsed page.
pub fn extract(doc: &Document) -> Extraction {
    let script = detect_script(&sample_text(doc));
    let doc: Cow<'_, Document> = match script {
        Script::Traditional => Cow::Owned(simplified(doc)),
        Script::Simplified => Cow::Borrowed(doc),
    };
    let layout = sections::layout(&doc);
    let meta = metadata::read_metadata(&doc.page, &layout);
    let template = detect_template(&layout, meta.year);

    let mut tables = Vec::new();
    if let Some(template) = template {
        for name in TableName::ALL {
            let spec = template::spec(name, template);
            let delimited = doc.page.cells_delimited;
            let tokens = tables::tokenize(layout.section_pieces(name.section_no()), delimited);
            let order = tables::request_column_order(
                layout.section_pieces(name.section_no()).map(|(_, p)| p),
            );
            let lines = tables::Lines {
                starts: &layout.line_starts,
                cells_delimited: delimited,
            };
            let read = tables::read_table(&spec, &tokens, order.as_deref(), lines).or_else(|| {
                // The part heading may be missing or an image: try each
                // grid that carries the table's anchor label.
                layout
                    .pieces
                    .iter()
                    .enumerate()
                    .find_map(|(i, (_, p))| match p {
                        Piece::Table(t)
                            if crate::text::normalize_label(&t.all_text())
                                .contains(anchor(name)) =>
                        {
                            let order = tables::request_column_order([p]);
                            tables::read_table(
                                &spec,
                                &tables::tokenize([(i, p)], delimited),
                                order.as_deref(),
                                tables::Lines::default(),
                            )
                        }
                        _ => None,
                    })
            });
            tables.extend(read);
        }
    }

    // The State Council's format (国办公开办函〔2019〕60号, 〔2021〕30号) is
    // reposted in sites' 政务公开 columns, and notices pass it on: the
    // template's parts and tables, every cell left blank to be filled in.
    let blank_form = !tables.is_empty()
        && tables.iter().flat_map(|t| &t.cells).all(holds_no_figure)
        && metadata::page_titled_as_notice(&doc.page, meta.title.as_deref());
    if blank_form {
        tables.clear();
    }
    let sections = narrative(&layout, &tables);
    // Two of the template's part headings make a report; so does one under
    // the page's own report title (the outline before 2019 shares only
    // 主动公开政府信息情况 and sometimes the 行政复议 part with the template).
    let is_report = !blank_form
        && (!tables.is_empty()
            || layout.n_headings() >= 2
            || (layout.n_headings() == 1 && metadata::page_titled_as_report(&doc.page)));
    let (status, status_reason) = if blank_form {
        (
            Status::NotAReport,
            Some(
                "a notice or the report format: the template's tables are printed blank, with no figure"
                    .to_string(),
            ),
        )
    } else if !is_report {
        (
            Status::NotAReport,
            Some("no report parts or template tables found".to_string()),
        )
    } else if tables.is_empty() {
        let old_format = layout.pieces.iter().any(
            |(_, p)| matches!(p, Piece::Text(t) if t.contains("指标名称") && t.contains("计量单位")),
        );
        // The template's tables start with the reports on 2019.
        let before_template = meta.year.filter(|year| *year < 2019);
        let reason = match (old_format, before_template) {
            (true, _) => {
                "a report in the format before 2019 (指标名称/计量单位 statistics): no template table"
                    .to_string()
            }
            (false, Some(year)) => {
                format!("a report on {year}, before the template of 2019: no template table")
            }
            (false, None) => "no template table on the page".to_string(),
        };
        (Status::NoTables, Some(reason))
    } else {
        judge(&tables)
    };
    let agency = match (&meta.agency, is_report) {
        (Some(name), true) => {
            let text_of = |no: Option<u8>| -> String {
                layout
                    .pieces
                    .iter()
                    .filter(|(s, _)| no.is_none_or(|n| *s == n))
                    .filter_map(|(_, p)| match p {
                        Piece::Text(t) => Some(*t),
                        Piece::Table(_) => None,
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let region = crate::regions::locate(
                Some(name),
                meta.title.as_deref(),
                || text_of(Some(0)),
                || text_of(None),
            );
            Agency {
                key: Some(crate::regions::agency_key(name)),
                level: crate::regions::level(name, &region),
                kind: crate::regions::kind(name),
                region,
            }
        }
        _ => Agency::default(),
    };
    let (facts, grids) = if is_report {
        let used = |i: usize, no: u8, p: &Piece<'_>| template_piece(&tables, i, no, p);
        (
            facts::facts(&sections),
            grids::other_tables(&layout, used, doc.page.from_text_dump),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    // A list page's first link is not its agency.
    let meta = if is_report {
        meta
    } else {
        Metadata {
            agency: None,
            year: None,
            published: None,
            ..meta
        }
    };
    let mut extraction = Extraction {
        status,
        status_reason,
        script,
        template: if tables.is_empty() { None } else { template },
        meta,
        sections: if is_report { sections } else { Vec::new() },
        tables,
        warnings: doc.page.warnings.clone(),
        agency,
        facts,
        grids,
        indicators: Vec::new(),
    };
    extraction.indicators = crate::indicators::indicators(&extraction);
    extraction
}

fn judge(tables: &[TableRead]) -> (Status, Option<String>) {
    let mut reasons = Vec::new();
    let absent: Vec<&str> = TableName::ALL
        .iter()
        .filter(|n| !tables.iter().any(|t| t.table == **n))
        .map(|n| n.as_str())
        .collect();
    if !absent.is_empty() {
        reasons.push(format!("tables not found: {}", absent.join(", ")));
    }
    for flag in [CellFlag::Missing, CellFlag::Ambiguous, CellFlag::Unreadable] {
        let n = tables
            .iter()
            .flat_map(|t| &t.cells)
            .filter(|c| c.flag == Some(flag))
            .count();
        if n > 0 {
            reasons.push(format!("{n} cells {}", flag.as_str()));
        }
    }
    if reasons.is_empty() {
        (Status::Ok, None)
    } else {
        (Status::Partial, Some(reasons.join("; ")))
    }
}

/// Enough of the page's text to decide its script: sentences and table
/// cells, not the lines of navigation and link lists (no 。 or ， in them),
/// which a wrapper or a site template may write in the other script.
fn sample_text(doc: &Document) -> String {
    let mut s = String::new();
    for b in &doc.blocks {
        match b {
            Block::Text(t) if has_sentence_mark(t) => s.push_str(t),
            Block::Text(_) => {}
            Block::Table(t) => t.cells.iter().for_each(|c| s.push_str(&c.text)),
        }
        if s.len() > 16 * 1024 {
            break;
        }
    }
    if s.is_empty() {
        // A page of bare lines (a dump of cells): all of it.
        for b in &doc.blocks {
            if let Block::Text(t) = b {
                s.push_str(t);
            }
            if s.len() > 16 * 1024 {
                break;
            }
        }
    }
    s
}

/// Whether `t` holds 。, ， or `,`. Asked of every block of a page, most of
/// them navigation that holds none: one memchr pass over the bytes for
/// the marks' lead bytes. (Three `contains` were a tenth of extraction:
/// for a char outside ASCII each one sets up a substring search.)
fn has_sentence_mark(t: &str) -> bool {
    let b = t.as_bytes();
    memchr::memchr3_iter(0xE3, 0xEF, b',', b).any(|i| {
        let rest = &b[i..];
        rest[0] == b',' || rest.starts_with("。".as_bytes()) || rest.starts_with("，".as_bytes())
    })
}

fn simplified(doc: &Document) -> Document {
    let mut d = doc.clone();
    for b in &mut d.blocks {
        match b {
            Block::Text(t) => *t = to_simplified(t),
            Block::Table(t) => t
                .cells
                .iter_mut()
                .for_each(|c| c.text = to_simplified(&c.text)),
        }
    }
    d.page.titles.iter_mut().for_each(|t| *t = to_simplified(t));
    d.page
        .meta
        .iter_mut()
        .for_each(|(_, v)| *v = to_simplified(v));
    d
}

/// The template edition, by the labels of parts 2 and 3; by the year only
/// when the labels do not say.
fn detect_template(layout: &Layout<'_>, year: Option<i32>) -> Option<Template> {
    // The labels stand in parts 2 and 3: read those when the page has them,
    // not the site's navigation (a third of a page's text).
    let in_parts = layout.pieces.iter().any(|(s, _)| (2..=4).contains(s));
    let mut labels = String::new();
    for (_, p) in layout
        .pieces
        .iter()
        .filter(|(s, _)| !in_parts || (2..=4).contains(s))
    {
        match p {
            Piece::Text(t) => labels.push_str(&crate::text::normalize_label(t)),
            // Cell by cell, so that most cells are borrowed as they are:
            // the spaces all_text puts between cells would be dropped anyway.
            Piece::Table(t) => t
                .cells
                .iter()
                .for_each(|c| labels.push_str(&crate::text::normalize_label(&c.text))),
        }
    }
    let score = |markers: &[&str]| markers.iter().filter(|m| labels.contains(*m)).count();
    let (new, old) = (score(template::MARKERS_2021), score(template::MARKERS_2019));
    match new.cmp(&old) {
        std::cmp::Ordering::Greater => Some(Template::T2021),
        std::cmp::Ordering::Less => Some(Template::T2019),
        std::cmp::Ordering::Equal => match year {
            Some(y) if y <= 2020 => Some(Template::T2019),
            _ => Some(Template::T2021),
        },
    }
}

/// Whether a piece belongs to a template table: one it was read from, or
/// the table's header cells above its first row (short label text with no
/// sentence in it).
fn template_piece(tables: &[TableRead], i: usize, section: u8, piece: &Piece<'_>) -> bool {
    let is_label = match piece {
        Piece::Text(t) => !t.contains('。') && t.chars().count() <= 80,
        Piece::Table(_) => true,
    };
    tables.iter().any(|t| {
        (t.pieces.0..=t.pieces.1).contains(&i)
            || (section == t.table.section_no() && i < t.pieces.0 && is_label)
    })
}

/// Section texts, leaving out the pieces a template table was read from.
fn narrative(layout: &Layout<'_>, tables: &[TableRead]) -> Vec<Section> {
    (0..=6u8)
        .filter_map(|no| {
            let text = layout
                .section_pieces(no)
                .filter(|(i, p)| !template_piece(tables, *i, no, p))
                .filter_map(|(_, p)| match p {
                    Piece::Text(t) if !t.is_empty() => Some(*t),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n");
            let heading = layout.headings[no as usize].map(str::to_string);
            (heading.is_some() || !text.is_empty()).then_some(Section { no, heading, text })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_marks_are_found_by_their_bytes() {
        for (t, has) in [
            ("本年度，本机关", true),
            ("公开。", true),
            ("a,b", true),
            ("（一）主动公开：", false),
            ("「政务公开」、通知公告", false),
            ("", false),
        ] {
            assert_eq!(has_sentence_mark(t), has, "{t}");
            assert_eq!(has, t.contains(['。', '，', ',']), "{t}");
        }
    }

    #[test]
    fn script_is_read_off_prose_not_navigation() {
        // A traditional-script report inside a wrapper whose many short
        // navigation lines are simplified (seen in the benchmark corpus).
        let nav = "<li><a href='#'>政务公开</a></li><li><a href='#'>通知公告</a></li>".repeat(300);
        let html = format!(
            "<html><body><ul>{nav}</ul><p>一、總體情況</p>\
             <p>本年度，本機關認真貫徹落實《中華人民共和國政府信息公開條例》，\
             堅持以公開為常態、不公開為例外，紮實推進政府信息公開工作。</p></body></html>"
        );
        let ex = extract(&crate::parse::parse(&html));
        assert_eq!(ex.script, Script::Traditional);
    }
}
