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

/// Deeper nesting than real pages ever have. html5ever's tree building
/// costs grow with depth × elements (a scope check walks the open-element
/// stack), so a page of 100,000 nested `<div>`s takes minutes.
pub const MAX_NESTING: usize = 2_000;

/// Parse a decoded page through whichever path its content calls for.
pub fn parse(text: &str) -> Document {
    if !looks_like_html(text) {
        return text::parse_text(text);
    }
    let depth = nesting_depth(text);
    if depth > MAX_NESTING {
        // Keep the page's words: read it as text with the tags taken out.
        let mut doc = text::parse_text(&strip_tags(text));
        doc.page.from_text_dump = false;
        doc.page.warnings.push(format!(
            "markup nested {depth} levels deep (limit {MAX_NESTING}): read as text with tags removed"
        ));
        return doc;
    }
    html::parse_html(text)
}

/// Elements whose end tag may be left out, and void elements: neither
/// deepens the tree however often it is written.
const NOT_NESTING: &[&str] = &[
    "p", "li", "td", "th", "tr", "option", "optgroup", "dt", "dd", "thead", "tbody", "tfoot",
    "colgroup", "rt", "rp", "html", "head", "body", "br", "img", "meta", "link", "input", "hr",
    "col", "area", "base", "wbr", "source", "embed", "param", "track", "o:p", "!doctype",
];

/// The deepest nesting of start tags over end tags: a linear upper bound
/// of the tree depth, read without building the tree.
pub fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            match html[i..].find("-->") {
                Some(end) => i += end + 3,
                None => break,
            }
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b':' || **c == b'!')
            .count();
        if len == 0 {
            continue;
        }
        let name = &html[start..start + len];
        if NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        let tag_end = b[start..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |p| start + p);
        if closing {
            depth = depth.saturating_sub(1);
        } else if tag_end == 0 || b[tag_end - 1] != b'/' {
            depth += 1;
            max = max.max(depth);
        }
        i = start + len;
    }
    max
}

/// Page text without markup: block-level tags become line breaks, and the
/// entities pages use most are decoded. Only for pages the HTML path refuses.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if matches!(
            name.as_str(),
            "p" | "div" | "br" | "tr" | "li" | "table" | "h1" | "h2" | "h3" | "h4" | "td" | "th"
        ) {
            out.push(if matches!(name.as_str(), "td" | "th") {
                '|'
            } else {
                '\n'
            });
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    for (entity, c) in [
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&amp;", "&"),
    ] {
        out = out.replace(entity, c);
    }
    out
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
    fn pathological_nesting_is_read_as_text() {
        let depth = 200_000;
        let page = format!(
            "{}<p>一、总体情况</p><p>2024年，我局公开信息12条。</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        assert_eq!(nesting_depth(&page), depth);
        let doc = parse(&page);
        assert!(doc
            .blocks
            .contains(&crate::document::Block::Text("一、总体情况".into())));
        assert!(
            doc.page.warnings[0].contains("200000 levels"),
            "{:?}",
            doc.page.warnings
        );
    }

    #[test]
    fn real_pages_are_shallow() {
        let page = "<html><body><div><p>一<p>二<br><table><tr><td>规章<td>0</table></div><!-- <div><div> --></body></html>";
        assert_eq!(nesting_depth(page), 2);
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
