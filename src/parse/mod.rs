//! Stage 3: text to a [`Document`].
//!
//! Two paths yield the same shape: [`html::parse_html`] for saved pages and
//! [`text::parse_text`] for plain-text dumps. [`parse`] picks one by looking
//! at the content, not the file name (sites save HTML as `.txt` and dumps as
//! `.html`).

pub mod html;
pub mod text;

use std::sync::OnceLock;

use crate::document::Document;

/// Parse a decoded page through whichever path its content calls for.
pub fn parse(text: &str) -> Document {
    if looks_like_html(text) {
        html::parse_html(text)
    } else {
        text::parse_text(text)
    }
}

/// True when the text carries enough markup to be a page rather than a dump.
pub fn looks_like_html(text: &str) -> bool {
    // The first 64 KB decide; one case-insensitive scan counts every tag.
    static MARKUP: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    let markup = MARKUP.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                "<html",
                "<body",
                "<!doctype html",
                "<p",
                "<div",
                "<table",
                "<td",
                "<br",
                "<span",
                "<tr",
            ])
            .expect("tag patterns build")
    });
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut tags = 0;
    for m in markup.find_iter(&text[..end]) {
        if m.pattern().as_usize() < 3 {
            return true; // <html, <body or a doctype
        }
        tags += 1;
        if tags >= 3 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pathological_nesting_is_read() {
        // No tree is built, so depth costs nothing: the words are read.
        let depth = 200_000;
        let page = format!(
            "{}<p>一、总体情况</p><p>2024年，我局公开信息12条。</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let doc = parse(&page);
        assert!(doc
            .blocks
            .contains(&crate::document::Block::Text("一、总体情况".into())));
        // Tables nested past the limit: the word is still read.
        let tables = format!(
            "{}规章{}",
            "<table><tr><td>".repeat(100),
            "</td></tr></table>".repeat(100)
        );
        let doc = parse(&tables);
        assert!(doc.blocks.iter().any(|b| match b {
            crate::document::Block::Text(t) => t == "规章",
            crate::document::Block::Table(t) => t.cells.iter().any(|c| c.text == "规章"),
        }));
    }

    #[test]
    fn sniffs_markup_not_extensions() {
        assert!(looks_like_html(
            "<p>一、总体情况</p><p>二</p><table><tr><td>0</td></tr></table>"
        ));
        assert!(!looks_like_html("一、总体情况\n规章000\n行政规范性文件000"));
        // Seed 001 is a dump whose cells are `|`-separated: still text.
        assert!(!looks_like_html(
            "余姚市人民政府招商中心2023年度政府信息公开工作年度报告 | |||||"
        ));
    }
}
