//! The parsed page: the one shape both the HTML and the text path produce.
//!
//! A [`Document`] is a flat sequence of [`Block`]s in reading order: runs of
//! prose (or single cells of a text dump) and tables expanded into
//! rectangular grids. Nothing here knows the report template; that is the
//! extractor's job.

/// A parsed page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Facts about the page that are not part of its body.
    pub page: PageInfo,
}

/// What the page says about itself outside its body text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageInfo {
    /// Every `<title>` text, in document order (crawler wrappers add a second one).
    pub titles: Vec<String>,
    /// `<meta name=… content=…>` pairs (CMS pages carry ArticleTitle, PubDate, ContentSource).
    pub meta: Vec<(String, String)>,
    /// From a `saved from url=` comment, a canonical link or `og:url`.
    pub source_url: Option<String>,
    /// True when the page came through the text path (a dump, not HTML).
    pub from_text_dump: bool,
    /// A dump whose table cells stand between `|` or tabs (seed 002, the rows
    /// HTML-to-text converters and browsers write): each cell's digits are
    /// one figure. Without delimiters a cell may be several run together
    /// (`规章000`), and the extractor may cut a run.
    pub cells_delimited: bool,
    /// In a dump, the index of each line's first block (a line of delimited
    /// cells is several blocks). Empty for HTML, whose blocks are not lines.
    pub line_starts: Vec<usize>,
    /// What a reader of the data should know about how the page was read.
    pub warnings: Vec<String>,
}

impl PageInfo {
    /// The content of the first `<meta>` whose name matches, ignoring ASCII case.
    pub fn meta(&self, name: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph of prose, a line of a text dump, or one cell of a dump
    /// delimited by `|` or tabs. An empty string is an empty dump cell (it
    /// still occupies a slot).
    Text(String),
    Table(Table),
}

/// One `<table>` whose cells hold no other table, expanded into a grid.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Distinct cells in source order (row by row, left to right): the
    /// "logical order" that survives merged cells moving between rows.
    pub cells: Vec<TableCell>,
    /// `grid[r][c]` is the index in `cells` covering that slot, if any.
    pub grid: Vec<Vec<Option<usize>>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableCell {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    /// Text with `<br>`/`<p>` pieces joined and white space folded.
    pub text: String,
}

impl Table {
    pub fn n_rows(&self) -> usize {
        self.grid.len()
    }

    pub fn n_cols(&self) -> usize {
        self.grid.first().map_or(0, Vec::len)
    }

    /// Every cell's text joined, for classifying a table by its labels.
    pub fn all_text(&self) -> String {
        let mut s = String::new();
        for c in &self.cells {
            s.push_str(&c.text);
            s.push(' ');
        }
        s
    }
}
