//! The text path: dumps of report pages saved as plain text.
//!
//! Dumps arrive in three shapes, often mixed: one cell per line, cells
//! terminated by `|` (with empty cells kept as empty segments), and cells
//! run together on one line (`规章000`). This path keeps what the text
//! shows: one block per line, or one per `|`-separated cell; runs are split
//! later by the extractor, which knows the template.

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
        if trimmed.contains('|') {
            let mut cells: Vec<&str> = trimmed.split('|').collect();
            // The segment after the last `|` ends the line; it is a cell only
            // if it has text.
            if cells.last().is_some_and(|c| c.trim().is_empty()) {
                cells.pop();
            }
            blocks.extend(cells.into_iter().map(|c| Block::Text(fold_whitespace(c))));
        } else if !trimmed.is_empty() {
            blocks.push(Block::Text(fold_whitespace(trimmed)));
        }
    }
    Document { blocks, page }
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
        // Cut from seed 002: a row label, a value and blank cells.
        let doc = parse_text("一、本年新收政府信息公开申请数量 |\n6 |\n |\n||\n");
        assert_eq!(
            texts(&doc),
            ["一、本年新收政府信息公开申请数量", "6", "", "", ""]
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
