//! The HTML path: html5ever (through scraper) builds the tree, and one
//! iterative walk turns it into blocks. Iterative on purpose: hostile pages
//! nest `<div>` hundreds of thousands deep, and recursion would overflow.

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{Html, Node};

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

/// Parse a page of HTML (a whole document or a fragment).
pub fn parse_html(source: &str) -> Document {
    let html = Html::parse_document(source);
    let mut walker = Walker::default();
    walker.walk(html.tree.root());
    walker.flush();
    Document {
        blocks: walker.blocks,
        page: walker.page,
    }
}

#[derive(Default)]
struct Walker {
    blocks: Vec<Block>,
    page: PageInfo,
    paragraph: String,
}

impl Walker {
    fn walk(&mut self, root: NodeRef<'_, Node>) {
        // While inside a subtree we do not read as prose (a skipped element,
        // a title, a leaf table), remember its id and ignore all until it closes.
        let mut skipping: Option<ego_tree::NodeId> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skipping.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) => self.paragraph.push_str(&t.text),
                        Node::Comment(c) => self.read_comment(&c.comment),
                        Node::Element(el) => {
                            let name = el.name();
                            match name {
                                "title" => {
                                    let t = fold_whitespace(&text_of(node));
                                    if !t.is_empty() {
                                        self.page.titles.push(t);
                                    }
                                    skipping = Some(node.id());
                                }
                                "meta" => self.read_meta(el),
                                "link"
                                    if el
                                        .attr("rel")
                                        .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
                                {
                                    self.set_source_url(el.attr("href"));
                                }
                                "table" if !has_nested_table(node) => {
                                    self.flush();
                                    let table = build_table(node);
                                    if !table.cells.is_empty() {
                                        self.blocks.push(Block::Table(table));
                                    }
                                    skipping = Some(node.id());
                                }
                                _ if SKIPPED.contains(&name) => skipping = Some(node.id()),
                                _ if BREAKING.contains(&name) => self.flush(),
                                _ => {}
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if skipping == Some(node.id()) {
                        skipping = None;
                        continue;
                    }
                    if skipping.is_some() {
                        continue;
                    }
                    if let Node::Element(el) = node.value() {
                        if BREAKING.contains(&el.name()) {
                            self.flush();
                        }
                    }
                }
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

    fn read_meta(&mut self, el: &scraper::node::Element) {
        let name = el.attr("name").or_else(|| el.attr("property"));
        if let (Some(name), Some(content)) = (name, el.attr("content")) {
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

fn is_element(node: NodeRef<'_, Node>, name: &str) -> bool {
    matches!(node.value(), Node::Element(el) if el.name() == name)
}

fn has_nested_table(table: NodeRef<'_, Node>) -> bool {
    table.descendants().skip(1).any(|n| is_element(n, "table"))
}

/// All text below `node`, with breaking elements read as line breaks (which
/// [`fold_whitespace`] then removes between CJK characters: `结果<br>纠正`
/// becomes `结果纠正`).
fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) if skipping.is_none() => match n.value() {
                Node::Text(t) => s.push_str(&t.text),
                Node::Element(el) if SKIPPED.contains(&el.name()) => skipping = Some(n.id()),
                Node::Element(el) if BREAKING.contains(&el.name()) => s.push('\n'),
                _ => {}
            },
            Edge::Close(n) if skipping == Some(n.id()) => skipping = None,
            _ => {}
        }
    }
    s
}

/// Expand a table into a grid, honouring colspan and rowspan.
fn build_table(table: NodeRef<'_, Node>) -> Table {
    let rows: Vec<NodeRef<'_, Node>> = table
        .descendants()
        .filter(|n| is_element(*n, "tr"))
        .collect();
    let n_rows = rows.len();
    let mut cells = Vec::new();
    // occupied[r] holds, for each column, the cell covering it (if any).
    let mut grid: Vec<Vec<Option<usize>>> = vec![Vec::new(); n_rows];
    let mut slots = 0usize;
    for (r, tr) in rows.iter().enumerate() {
        let mut col = 0usize;
        for td in tr
            .children()
            .filter(|n| is_element(*n, "td") || is_element(*n, "th"))
        {
            let Node::Element(el) = td.value() else {
                continue;
            };
            while grid[r].get(col).is_some_and(Option::is_some) {
                col += 1;
            }
            let span = |name: &str| el.attr(name).and_then(|v| v.trim().parse::<usize>().ok());
            let colspan = span("colspan").unwrap_or(1).clamp(1, MAX_COLSPAN);
            let rowspan = match span("rowspan") {
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
                text: fold_whitespace(&text_of(td)),
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
    Table { cells, grid }
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
    fn nesting_up_to_the_limit_does_not_overflow() {
        let depth = crate::parse::MAX_NESTING;
        let page = format!(
            "{}<p>一、总体情况</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let doc = parse_html(&page);
        assert!(doc.blocks.contains(&Block::Text("一、总体情况".into())));
    }
}
