//! The HTML path: html5gum's tokenizer, with an emitter that turns the
//! token stream straight into blocks and table grids. No tree is built: a
//! tree costs a third of the parse and more to free, and its builder's
//! scope checks grow with depth × elements, so hostile pages nesting
//! `<div>`s hundreds of thousands deep took minutes. The one stack kept is
//! that of open tables, and it is bounded.
//!
//! Why html5gum rather than html5ever's tokenizer (which this reader fed
//! on before): both follow the WHATWG tokenizer (html5gum passes html5lib's
//! tokenizer tests), but html5gum hands out borrowed names, attributes and
//! text where html5ever builds a `Tag` with interned names and a vector of
//! attributes for every tag, and site chrome is thousands of tags a page.
//! On the benchmark corpus it tokenizes at twice the speed, and the
//! Documents it yields are identical on every HTML page of the labelled,
//! real and generated corpora (see BENCHMARKS.md).
//!
//! What a tree builder would have done and this reader must do too: skip
//! the content of script, style and the like (the tokenizer is switched to
//! raw text for them, by the element's name as a tree builder would), close
//! an open cell or row when the next begins, and put text that stands in a
//! table outside any cell before the table. A table holding another table
//! is a layout table: its text is read as prose and the tables inside it as
//! tables.

use std::borrow::Cow;
use std::convert::Infallible;

use html5gum::{Emitter, Tokenizer};

use crate::document::{Block, Document, PageInfo, Table, TableCell};
use crate::text::fold_whitespace;

/// Limits that keep a hostile table from allocating an enormous grid.
const MAX_COLSPAN: usize = 64;
const MAX_GRID_SLOTS: usize = 200_000;
/// Tables open inside each other; a `<table>` deeper than this is ignored.
const MAX_OPEN_TABLES: usize = 64;

/// Parse a page of HTML (a whole document or a fragment).
pub fn parse_html(source: &str) -> Document {
    let mut state = State::default();
    {
        // A byte-order mark is not text (html5ever's tokenizer dropped it too).
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        // Reading a `&str` cannot fail.
        let _ = Tokenizer::new_with_emitter(source, TokenReader::new(&mut state)).finish();
    }
    state.finish();
    Document {
        blocks: state.blocks,
        page: state.page,
    }
}

/// html5gum's emitter for this reader: it hands each text run, tag and
/// comment to [`State`] as the tokenizer completes it.
///
/// Why not html5gum's `CallbackEmitter`: it copies every attribute's name
/// and value of every tag and calls back for each, and site chrome is
/// thousands of tags with `class`, `href` and `style` a page. This emitter
/// keeps only the attributes in [`KEPT_ATTRS`], and drops text inside
/// skipped elements as it comes. It hands text over at the points the
/// callback emitter did (before a tag, comment or doctype, and at the end),
/// so the events, and the Documents, are the same.
struct TokenReader<'s> {
    state: &'s mut State,
    /// Text since the last tag, comment or doctype.
    text: Vec<u8>,
    /// The tag being read: a start tag (or an end tag), its name, its kind
    /// once the name is complete.
    start: bool,
    name: Vec<u8>,
    kind: Option<Kind>,
    /// Reading an attribute of a tag that keeps some: its name and value.
    in_attr: bool,
    attr_name: Vec<u8>,
    attr_value: Vec<u8>,
    attrs: Vec<(AttrName, String)>,
    comment: Vec<u8>,
    /// The name of the last start tag emitted, until an end tag is: what
    /// decides whether `</x>` ends a raw text element.
    last_start_tag: Vec<u8>,
}

impl<'s> TokenReader<'s> {
    fn new(state: &'s mut State) -> Self {
        TokenReader {
            state,
            text: Vec::new(),
            start: false,
            name: Vec::new(),
            kind: None,
            in_attr: false,
            attr_name: Vec::new(),
            attr_value: Vec::new(),
            attrs: Vec::new(),
            comment: Vec::new(),
            last_start_tag: Vec::new(),
        }
    }

    fn flush_text(&mut self) {
        if self.text.is_empty() {
            return;
        }
        // A NUL in text is a parse error that a tree builder drops.
        if self.text.contains(&0) {
            self.state.text(&utf8(&self.text).replace('\0', ""));
        } else {
            self.state.text(&utf8(&self.text));
        }
        self.text.clear();
    }

    /// The kind of the start tag being read, decided once its name is
    /// complete (at its first attribute or its end).
    fn tag_kind(&mut self) -> Kind {
        *self.kind.get_or_insert_with(|| kind(&self.name))
    }

    /// The attribute just read, kept if the reader uses it; the first of a
    /// repeated attribute wins, as in the spec.
    fn end_attribute(&mut self) {
        if !std::mem::take(&mut self.in_attr) {
            return;
        }
        if let Some(attr) = self.kind.and_then(|k| attr_name(k, &self.attr_name)) {
            if Attrs(&self.attrs).get(attr).is_none() {
                self.attrs.push((attr, utf8(&self.attr_value).into_owned()));
            }
        }
    }
}

impl Emitter for TokenReader<'_> {
    type Token = Infallible;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start_tag.clear();
        self.last_start_tag
            .extend_from_slice(last_start_tag.unwrap_or_default());
    }

    fn emit_eof(&mut self) {
        self.flush_text();
    }

    // Parse errors are not reported, so the tokenizer skips checking every
    // byte for them (a fifth of its time otherwise).
    #[inline]
    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn emit_error(&mut self, _: html5gum::Error) {}

    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }

    #[inline]
    fn emit_string(&mut self, s: &[u8]) {
        // Text inside a skipped element is never read; what is skipped
        // changes only at a tag, after this text is handed over.
        if self.state.skip.is_none() {
            self.text.extend_from_slice(s);
        }
    }

    fn init_start_tag(&mut self) {
        self.start = true;
        self.name.clear();
        self.kind = None;
        self.in_attr = false;
        self.attrs.clear();
    }

    fn init_end_tag(&mut self) {
        self.start = false;
        self.name.clear();
        self.kind = None;
        self.in_attr = false;
    }

    fn init_comment(&mut self) {
        self.flush_text();
        self.comment.clear();
    }

    fn emit_current_tag(&mut self) -> Option<html5gum::State> {
        self.flush_text();
        if !self.start {
            self.last_start_tag.clear();
            self.state.end(&self.name);
            return None;
        }
        self.end_attribute();
        let kind = self.tag_kind();
        self.state.start(kind, &self.name, Attrs(&self.attrs));
        // The start tags whose content a tree builder reads as text.
        // html5gum's own `naive_next_state` misses `noframes`.
        use html5gum::State as S;
        let next = match self.name.as_slice() {
            b"script" => Some(S::ScriptData),
            b"style" | b"xmp" | b"iframe" | b"noembed" | b"noframes" | b"noscript" => {
                Some(S::RawText)
            }
            b"title" | b"textarea" => Some(S::RcData),
            b"plaintext" => Some(S::PlainText),
            _ => None,
        };
        // The name moves over; the next tag starts from an empty one.
        std::mem::swap(&mut self.last_start_tag, &mut self.name);
        next
    }

    fn emit_current_comment(&mut self) {
        if self.state.skip.is_none() {
            self.state.read_comment(&utf8(&self.comment));
        }
        self.comment.clear();
    }

    fn emit_current_doctype(&mut self) {}

    fn set_self_closing(&mut self) {}

    fn set_force_quirks(&mut self) {}

    #[inline]
    fn push_tag_name(&mut self, s: &[u8]) {
        self.name.extend_from_slice(s);
    }

    fn push_comment(&mut self, s: &[u8]) {
        self.comment.extend_from_slice(s);
    }

    fn push_doctype_name(&mut self, _: &[u8]) {}

    fn init_doctype(&mut self) {
        self.flush_text();
    }

    fn init_attribute(&mut self) {
        self.flush_text();
        if !self.start {
            return;
        }
        self.end_attribute();
        if keeps_attrs(self.tag_kind()) {
            self.in_attr = true;
            self.attr_name.clear();
            self.attr_value.clear();
        }
    }

    #[inline]
    fn push_attribute_name(&mut self, s: &[u8]) {
        if self.in_attr {
            self.attr_name.extend_from_slice(s);
        }
    }

    #[inline]
    fn push_attribute_value(&mut self, s: &[u8]) {
        if self.in_attr {
            self.attr_value.extend_from_slice(s);
        }
    }

    fn set_doctype_public_identifier(&mut self, _: &[u8]) {}

    fn set_doctype_system_identifier(&mut self, _: &[u8]) {}

    fn push_doctype_public_identifier(&mut self, _: &[u8]) {}

    fn push_doctype_system_identifier(&mut self, _: &[u8]) {}

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        !self.start && !self.last_start_tag.is_empty() && self.last_start_tag == self.name
    }
}

/// What an element means to the reader, decided once from its name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Title,
    Meta,
    Link,
    Table,
    Row,
    Cell,
    /// `tbody`, `thead`, `tfoot`: in a table they end the open row.
    RowGroup,
    /// Elements whose content is never report text.
    Skipped,
    /// Elements that end the paragraph before them and start a new one.
    Breaking,
    Other,
}

/// One match over the name, rather than a search through lists per tag:
/// site chrome is thousands of tags a page.
fn kind(name: &[u8]) -> Kind {
    match name {
        b"title" => Kind::Title,
        b"meta" => Kind::Meta,
        b"link" => Kind::Link,
        b"table" => Kind::Table,
        b"tr" => Kind::Row,
        b"td" | b"th" => Kind::Cell,
        b"tbody" | b"thead" | b"tfoot" => Kind::RowGroup,
        b"script" | b"style" | b"noscript" | b"template" | b"select" | b"option" | b"button"
        | b"iframe" | b"object" | b"svg" | b"canvas" | b"nav" | b"footer" | b"aside" | b"map"
        | b"audio" | b"video" | b"textarea" => Kind::Skipped,
        b"p" | b"div" | b"br" | b"li" | b"ul" | b"ol" | b"dl" | b"dt" | b"dd" | b"h1" | b"h2"
        | b"h3" | b"h4" | b"h5" | b"h6" | b"section" | b"article" | b"blockquote" | b"pre"
        | b"center" | b"form" | b"hr" | b"caption" | b"header" | b"main" | b"body"
        | b"ucapcontent" => Kind::Breaking,
        _ => Kind::Other,
    }
}

/// The attributes the reader uses; all others are passed over unread.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum AttrName {
    Colspan,
    Rowspan,
    Name,
    Property,
    Content,
    Rel,
    Href,
}

/// Which attribute of which element the reader keeps.
const KEPT_ATTRS: [(Kind, &[u8], AttrName); 7] = [
    (Kind::Cell, b"colspan", AttrName::Colspan),
    (Kind::Cell, b"rowspan", AttrName::Rowspan),
    (Kind::Meta, b"name", AttrName::Name),
    (Kind::Meta, b"property", AttrName::Property),
    (Kind::Meta, b"content", AttrName::Content),
    (Kind::Link, b"rel", AttrName::Rel),
    (Kind::Link, b"href", AttrName::Href),
];

fn attr_name(kind: Kind, name: &[u8]) -> Option<AttrName> {
    KEPT_ATTRS
        .iter()
        .find(|(k, n, _)| *k == kind && *n == name)
        .map(|&(_, _, attr)| attr)
}

/// Whether any attribute of this element is kept: the attributes of all
/// others are not even copied.
fn keeps_attrs(kind: Kind) -> bool {
    KEPT_ATTRS.iter().any(|(k, _, _)| *k == kind)
}

/// The attributes kept from a start tag ([`KEPT_ATTRS`]), in order.
#[derive(Clone, Copy)]
struct Attrs<'a>(&'a [(AttrName, String)]);

impl Attrs<'_> {
    fn get(&self, name: AttrName) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    fn span(&self, name: AttrName) -> Option<usize> {
        self.get(name).and_then(|v| v.trim().parse::<usize>().ok())
    }
}

/// html5gum hands out bytes; they are UTF-8, as the source is a `&str`.
fn utf8(bytes: &[u8]) -> Cow<'_, str> {
    // `from_utf8` checks a word at a time; the lossy path goes byte by byte.
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
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
    skip: Option<(Vec<u8>, usize)>,
    /// Collecting a `<title>`'s text.
    title: Option<String>,
    tables: Vec<OpenTable>,
    finished: bool,
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

    fn start(&mut self, kind: Kind, name: &[u8], attrs: Attrs<'_>) {
        if let Some((skipped, open)) = &mut self.skip {
            if skipped == name {
                *open += 1;
            }
            return;
        }
        let in_table = !self.tables.is_empty();
        match kind {
            Kind::Title => self.title = Some(String::new()),
            Kind::Meta => self.read_meta(attrs),
            Kind::Link
                if attrs
                    .get(AttrName::Rel)
                    .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                self.set_source_url(attrs.get(AttrName::Href));
            }
            Kind::Table => self.open_table(),
            Kind::Row if in_table => self.table_item(Item::Row),
            Kind::Cell if in_table => self.table_item(Item::Cell {
                colspan: attrs.span(AttrName::Colspan),
                rowspan: attrs
                    .get(AttrName::Rowspan)
                    .map(|v| v.trim().parse::<usize>().unwrap_or(1)),
            }),
            Kind::RowGroup if in_table => self.table_item(Item::RowEnd),
            Kind::Skipped => self.skip = Some((name.to_vec(), 1)),
            Kind::Breaking | Kind::Row | Kind::Cell | Kind::RowGroup => self.breaking(Item::Break),
            Kind::Link | Kind::Other => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        if let Some((skipped, open)) = &mut self.skip {
            if **skipped == *name {
                *open -= 1;
                if *open == 0 {
                    self.skip = None;
                }
            }
            return;
        }
        let in_table = !self.tables.is_empty();
        match kind(name) {
            Kind::Title => {
                if let Some(t) = self.title.take() {
                    let t = fold_whitespace(&t);
                    if !t.is_empty() {
                        self.page.titles.push(t);
                    }
                }
            }
            Kind::Table if in_table => self.close_table(),
            Kind::Cell if in_table => self.table_item(Item::CellEnd),
            Kind::Row | Kind::RowGroup if in_table => self.table_item(Item::RowEnd),
            Kind::Breaking | Kind::Row | Kind::Cell | Kind::RowGroup => {
                self.breaking(Item::BreakEnd)
            }
            // A stray `</table>` closes nothing and breaks nothing.
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

    fn read_meta(&mut self, attrs: Attrs<'_>) {
        let name = attrs
            .get(AttrName::Name)
            .or_else(|| attrs.get(AttrName::Property));
        if let (Some(name), Some(content)) = (name, attrs.get(AttrName::Content)) {
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
    fn raw_text_elements_and_nul() {
        // `noframes` is raw text, as a tree builder reads it (html5gum's own
        // switch misses it), so its markup is not parsed; `title` is RCDATA;
        // a NUL in text is dropped.
        let doc = parse_html(
            "<p>主动\0公开</p><noframes><p>框架</p></noframes><title>年度<b>报告</title>",
        );
        assert_eq!(doc.page.titles, ["年度<b>报告"]);
        assert_eq!(
            doc.blocks,
            [
                Block::Text("主动公开".into()),
                Block::Text("<p>框架</p>".into())
            ]
        );
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
