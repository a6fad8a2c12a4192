//! The HTML path: html5ever's tokenizer, with a sink that turns the token
//! stream straight into blocks and table grids. No tree is built: a tree
//! costs a third of the parse and more to free, and its builder's scope
//! checks grow with depth × elements, so hostile pages nesting `<div>`s
//! hundreds of thousands deep took minutes. The one stack kept is that of
//! open tables, and it is bounded.
//!
//! What the tree builder would have done and this reader must do too: skip
//! the content of script, style and the like (the tokenizer is switched to
//! raw text for them, as the builder does), close an open cell or row when
//! the next begins, and put text that stands in a table outside any cell
//! before the table. A table holding another table is a layout table: its
//! text is read as prose and the tables inside it as tables.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::document::{Block, Document, PageInfo, Table, TableCell};
use crate::text::fold_whitespace;

/// Elements whose content is never report text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "select", "option", "button", "iframe", "object",
    "embed", "svg", "canvas", "nav", "footer", "aside", "map", "audio", "video", "textarea",
];

/// Elements that end the paragraph before them and start a new one.
const BREAKING: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "center",
    "form",
    "hr",
    "caption",
    "header",
    "main",
    "body",
    "tr",
    "td",
    "th",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "ucapcontent",
];

/// Limits that keep a hostile table from allocating an enormous grid.
const MAX_COLSPAN: usize = 64;
const MAX_GRID_SLOTS: usize = 200_000;
/// Tables open inside each other; a `<table>` deeper than this is ignored.
const MAX_OPEN_TABLES: usize = 64;

/// Parse a page of HTML (a whole document or a fragment).
pub fn parse_html(source: &str) -> Document {
    let tokenizer = Tokenizer::new(Reader::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(source));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut state = tokenizer.sink.state.into_inner();
    state.finish();
    Document {
        blocks: state.blocks,
        page: state.page,
    }
}

/// The token sink: html5ever hands it tokens through `&self`.
#[derive(Default)]
struct Reader {
    state: RefCell<State>,
}

impl TokenSink for Reader {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::CharacterTokens(t) => state.text(&t),
            Token::TagToken(tag) => return state.tag(tag),
            Token::CommentToken(c) if state.skip.is_none() => state.read_comment(&c),
            Token::EOFToken => state.finish(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// What a table held, in order, until it closes and we know whether it is
/// a leaf table (a grid) or a layout table (prose and the tables inside).
enum Item {
    Row,
    RowEnd,
    Cell {
        colspan: Option<usize>,
        rowspan: Option<usize>,
    },
    CellEnd,
    Text(String),
    /// A breaking element's start tag: a line break inside a cell.
    Break,
    /// A breaking element's end tag: ends a paragraph, no break in a cell.
    BreakEnd,
    Block(Block),
}

#[derive(Default)]
struct OpenTable {
    items: Vec<Item>,
    in_cell: bool,
    /// It holds another table.
    layout: bool,
}

#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    page: PageInfo,
    paragraph: String,
    /// Inside a skipped element: its name and how many of it are open.
    skip: Option<(html5ever::LocalName, usize)>,
    /// Collecting a `<title>`'s text.
    title: Option<String>,
    tables: Vec<OpenTable>,
    finished: bool,
}

/// How the tokenizer must read an element's content, as the tree builder
/// would tell it.
fn raw_kind(name: &str) -> Option<TokenSinkResult<()>> {
    Some(match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => return None,
    })
}

fn span(tag: &Tag, name: &str) -> Option<usize> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .and_then(|a| a.value.trim().parse::<usize>().ok())
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

impl State {
    fn text(&mut self, t: &str) {
        if self.skip.is_some() {
            return;
        }
        if let Some(title) = &mut self.title {
            title.push_str(t);
            return;
        }
        match self.tables.last_mut() {
            Some(table) => match table.items.last_mut() {
                Some(Item::Text(s)) => s.push_str(t),
                _ => table.items.push(Item::Text(t.to_string())),
            },
            None => self.paragraph.push_str(t),
        }
    }

    fn tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        // The tokenizer reads raw content whether or not we keep it.
        let raw = if start { raw_kind(name) } else { None };
        if let Some((skipped, open)) = &mut self.skip {
            if &**skipped == name {
                if start {
                    *open += 1;
                } else {
                    *open -= 1;
                    if *open == 0 {
                        self.skip = None;
                    }
                }
            }
            return raw.unwrap_or(TokenSinkResult::Continue);
        }
        if start {
            self.start_tag(name, &tag);
        } else {
            self.end_tag(name);
        }
        raw.unwrap_or(TokenSinkResult::Continue)
    }

    fn start_tag(&mut self, name: &str, tag: &Tag) {
        match name {
            "title" => self.title = Some(String::new()),
            "meta" => self.read_meta(tag),
            "link" if attr(tag, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) => {
                self.set_source_url(attr(tag, "href"));
            }
            "table" => self.open_table(),
            "tr" if !self.tables.is_empty() => self.table_item(Item::Row),
            "td" | "th" if !self.tables.is_empty() => self.table_item(Item::Cell {
                colspan: span(tag, "colspan"),
                rowspan: tag
                    .attrs
                    .iter()
                    .find(|a| &*a.name.local == "rowspan")
                    .map(|a| a.value.trim().parse::<usize>().unwrap_or(1)),
            }),
            "tbody" | "thead" | "tfoot" if !self.tables.is_empty() => self.table_item(Item::RowEnd),
            // A void element has no content to skip.
            _ if SKIPPED.contains(&name) && name != "embed" && !is_void(&tag.name) => {
                self.skip = Some((tag.name.clone(), 1));
            }
            _ if BREAKING.contains(&name) => self.breaking(Item::Break),
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            "title" => {
                if let Some(t) = self.title.take() {
                    let t = fold_whitespace(&t);
                    if !t.is_empty() {
                        self.page.titles.push(t);
                    }
                }
            }
            "table" if !self.tables.is_empty() => self.close_table(),
            "table" => {}
            "td" | "th" if !self.tables.is_empty() => self.table_item(Item::CellEnd),
            "tr" | "tbody" | "thead" | "tfoot" if !self.tables.is_empty() => {
                self.table_item(Item::RowEnd)
            }
            _ if BREAKING.contains(&name) => self.breaking(Item::BreakEnd),
            _ => {}
        }
    }

    fn table_item(&mut self, item: Item) {
        let table = self.tables.last_mut().expect("inside a table");
        match item {
            Item::Cell { .. } => table.in_cell = true,
            Item::CellEnd | Item::Row | Item::RowEnd => table.in_cell = false,
            _ => {}
        }
        table.items.push(item);
    }

    /// A breaking element: a paragraph ends (or, in a table, is marked).
    fn breaking(&mut self, item: Item) {
        match self.tables.last_mut() {
            Some(table) => table.items.push(item),
            None => self.flush(),
        }
    }

    fn open_table(&mut self) {
        if self.tables.len() >= MAX_OPEN_TABLES {
            return;
        }
        match self.tables.last_mut() {
            // A table in a cell makes every table around it a layout table.
            Some(outer) if outer.in_cell => self.tables.iter_mut().for_each(|t| t.layout = true),
            // A table straight inside a table closes it, as the tree builder does.
            Some(_) => self.close_table(),
            None => self.flush(),
        }
        self.tables.push(OpenTable::default());
    }

    fn close_table(&mut self) {
        let table = self.tables.pop().expect("a table is open");
        if table.layout {
            // Read through: its text is prose, the tables inside are tables.
            self.breaking(Item::BreakEnd);
            for item in table.items {
                match item {
                    Item::Text(t) => self.text_out(t),
                    Item::Block(b) => self.block_out(b),
                    _ => self.breaking(Item::BreakEnd),
                }
            }
            self.breaking(Item::BreakEnd);
            return;
        }
        let (grid, foster) = build_table(table.items);
        // Text standing in the table outside its cells goes before it.
        if !foster.trim().is_empty() {
            self.breaking(Item::BreakEnd);
            self.text_out(foster);
        }
        if !grid.cells.is_empty() {
            self.block_out(Block::Table(grid));
        }
    }

    /// Text read through a closed layout table, into what encloses it.
    fn text_out(&mut self, t: String) {
        match self.tables.last_mut() {
            Some(outer) => outer.items.push(Item::Text(t)),
            None => self.paragraph.push_str(&t),
        }
    }

    fn block_out(&mut self, b: Block) {
        match self.tables.last_mut() {
            Some(outer) => outer.items.push(Item::Block(b)),
            None => {
                self.flush();
                self.blocks.push(b);
            }
        }
    }

    fn flush(&mut self) {
        if self.paragraph.is_empty() {
            return;
        }
        let text = fold_whitespace(&self.paragraph);
        self.paragraph.clear();
        if !text.is_empty() {
            self.blocks.push(Block::Text(text));
        }
    }

    /// The end of the page: whatever is open is closed.
    fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        self.skip = None;
        if let Some(t) = self.title.take() {
            let t = fold_whitespace(&t);
            if !t.is_empty() {
                self.page.titles.push(t);
            }
        }
        while !self.tables.is_empty() {
            self.close_table();
        }
        self.flush();
    }

    fn read_meta(&mut self, tag: &Tag) {
        let name = attr(tag, "name").or_else(|| attr(tag, "property"));
        if let (Some(name), Some(content)) = (name, attr(tag, "content")) {
            if name.eq_ignore_ascii_case("og:url") {
                self.set_source_url(Some(content));
            }
            self.page
                .meta
                .push((name.to_string(), fold_whitespace(content)));
        }
    }

    /// `<!-- saved from url=(0061)http://… -->`, written by browsers' "save as".
    fn read_comment(&mut self, comment: &str) {
        if let Some(pos) = comment.find("saved from url=") {
            let rest = &comment[pos + "saved from url=".len()..];
            let rest = match rest.find(')') {
                Some(p) if rest.starts_with('(') => &rest[p + 1..],
                _ => rest,
            };
            let url: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
            self.set_source_url(Some(&url));
        }
    }

    fn set_source_url(&mut self, url: Option<&str>) {
        if let Some(url) = url.map(str::trim).filter(|u| u.starts_with("http")) {
            if self.page.source_url.is_none() {
                self.page.source_url = Some(url.to_string());
            }
        }
    }
}

/// Void elements, whose start tag is all there is.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// A leaf table's items to a grid, honouring colspan and rowspan (the
/// tree builder's rules: a cell or row closes at the next; a cell with no
/// row opens one), and the text found outside any cell.
fn build_table(items: Vec<Item>) -> (Table, String) {
    struct Draft {
        colspan: Option<usize>,
        rowspan: Option<usize>,
        text: String,
    }
    let mut rows: Vec<Vec<Draft>> = Vec::new();
    let mut row_open = false;
    let mut cell: Option<Draft> = None;
    let mut foster = String::new();
    let close = |cell: &mut Option<Draft>, rows: &mut Vec<Vec<Draft>>| {
        if let Some(c) = cell.take() {
            rows.last_mut().expect("a cell is in a row").push(c);
        }
    };
    for item in items {
        match item {
            Item::Row => {
                close(&mut cell, &mut rows);
                rows.push(Vec::new());
                row_open = true;
            }
            Item::RowEnd => {
                close(&mut cell, &mut rows);
                row_open = false;
            }
            Item::Cell { colspan, rowspan } => {
                close(&mut cell, &mut rows);
                if !row_open {
                    rows.push(Vec::new());
                    row_open = true;
                }
                cell = Some(Draft {
                    colspan,
                    rowspan,
                    text: String::new(),
                });
            }
            Item::CellEnd => close(&mut cell, &mut rows),
            Item::Text(t) => match &mut cell {
                Some(c) => c.text.push_str(&t),
                None => foster.push_str(&t),
            },
            Item::Break => match &mut cell {
                Some(c) => c.text.push('\n'),
                None => foster.push('\n'),
            },
            Item::BreakEnd | Item::Block(_) => {}
        }
    }
    close(&mut cell, &mut rows);

    let n_rows = rows.len();
    let mut cells = Vec::new();
    // grid[r] holds, for each column, the cell covering it (if any).
    let mut grid: Vec<Vec<Option<usize>>> = vec![Vec::new(); n_rows];
    let mut slots = 0usize;
    for (r, row) in rows.into_iter().enumerate() {
        let mut col = 0usize;
        for draft in row {
            while grid[r].get(col).is_some_and(Option::is_some) {
                col += 1;
            }
            let colspan = draft.colspan.unwrap_or(1).clamp(1, MAX_COLSPAN);
            let rowspan = match draft.rowspan {
                Some(0) => n_rows - r, // rowspan="0": to the end of the table
                Some(n) => n.min(n_rows - r),
                None => 1,
            }
            .max(1);
            if slots + colspan * rowspan > MAX_GRID_SLOTS {
                break;
            }
            slots += colspan * rowspan;
            let index = cells.len();
            cells.push(TableCell {
                row: r,
                col,
                rowspan,
                colspan,
                text: fold_whitespace(&draft.text),
            });
            for row in grid.iter_mut().skip(r).take(rowspan) {
                if row.len() < col + colspan {
                    row.resize(col + colspan, None);
                }
                for slot in &mut row[col..col + colspan] {
                    *slot = Some(index);
                }
            }
            col += colspan;
        }
    }
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    for row in &mut grid {
        row.resize(width, None);
    }
    // Rows that hold no cell at all (an empty <tr>) carry nothing.
    grid.retain(|row| row.iter().any(Option::is_some));
    (Table { cells, grid }, foster)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(doc: &Document) -> Vec<&Table> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn spans_expand_into_a_rectangular_grid() {
        // The header of shanghai_gov_office_2019.html's requests table.
        let doc = parse_html(
            r#"<table><tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
            <tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
            <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr></table>"#,
        );
        let t = tables(&doc)[0];
        assert_eq!((t.n_rows(), t.n_cols()), (3, 10));
        let at = |r: usize, c: usize| t.cells[t.grid[r][c].unwrap()].text.as_str();
        assert_eq!(
            at(2, 0),
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        );
        assert_eq!(at(2, 3), "自然人");
        assert_eq!(at(2, 4), "商业企业");
        assert_eq!(at(2, 9), "总计");
        assert_eq!(at(1, 5), "法人或其他组织");
    }

    #[test]
    fn word_markup_and_breaks_fold_into_cell_text() {
        let doc = parse_html(
            "<table><tr><td><p class=MsoNormal><span style='mso-bidi-font-size:10.5pt'>结果<br>纠正</span><span><o:p></o:p></span></p></td>\
             <td><p><span>&nbsp;</span></p></td><td> 1,491 </td></tr></table>",
        );
        let t = tables(&doc)[0];
        let texts: Vec<&str> = t.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["结果纠正", "", "1,491"]);
    }

    #[test]
    fn prose_chrome_and_metadata() {
        let doc = parse_html(
            r#"<!-- saved from url=(0044)http://www.example.gov.cn/xxgk/2024/nb.html -->
            <html><head><title>XX局2024年政府信息公开工作年度报告</title>
            <meta name="PubDate" content="2025-01-20 09:00"><script>var a = "一、总体情况";</script></head>
            <body><nav>首页 > 政府信息公开</nav><p>一、总体情况</p><p>2024年，我局<span>主动公开</span>信息<font>12</font>条。</p>
            <footer>版权所有</footer></body></html>"#,
        );
        assert_eq!(doc.page.titles, ["XX局2024年政府信息公开工作年度报告"]);
        assert_eq!(doc.page.meta("pubdate"), Some("2025-01-20 09:00"));
        assert_eq!(
            doc.page.source_url.as_deref(),
            Some("http://www.example.gov.cn/xxgk/2024/nb.html")
        );
        assert_eq!(
            doc.blocks,
            [
                Block::Text("一、总体情况".into()),
                Block::Text("2024年，我局主动公开信息12条。".into())
            ]
        );
    }

    #[test]
    fn layout_tables_are_read_through() {
        let doc = parse_html(
            "<table><tr><td><p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>0</td></tr></table></td></tr></table>",
        );
        assert_eq!(doc.blocks.len(), 2);
        assert_eq!(
            doc.blocks[0],
            Block::Text("二、主动公开政府信息情况".into())
        );
        assert_eq!(tables(&doc)[0].cells.len(), 2);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 100_000;
        let page = format!(
            "{}<p>一、总体情况</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let doc = parse_html(&page);
        assert!(doc.blocks.contains(&Block::Text("一、总体情况".into())));
    }
}
