//! Splitting a document into the report's six parts.
//!
//! Headings are found where they start a block and also inside a block
//! (text dumps run a whole report onto one line), but only in the form
//! `一、…情况`: numbered with the part's own numeral, ending at the first
//! `情况`/`事项`, and naming the part. Parts only move forward, so a heading
//! repeated inside a table or a row label such as `四、结转下年度继续办理`
//! cannot reopen or skip a part.

use crate::document::{Block, Document, Table};

/// A stretch of a block that belongs to one section.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Piece<'a> {
    Text(&'a str),
    Table(&'a Table),
}

/// The document cut into sections: every piece with its section number
/// (0 = preamble, 1–6 = the parts).
#[derive(Debug, Clone, Default)]
pub struct Layout<'a> {
    pub pieces: Vec<(u8, Piece<'a>)>,
    /// Heading text of each part as written, by section number.
    pub headings: [Option<&'a str>; 7],
    /// In a dump, the index in `pieces` where each line begins (a line of
    /// delimited cells is several pieces); empty for HTML, where each
    /// piece stands alone.
    pub line_starts: Vec<usize>,
}

impl<'a> Layout<'a> {
    pub fn section_pieces(&self, no: u8) -> impl Iterator<Item = (usize, &Piece<'a>)> {
        self.pieces
            .iter()
            .enumerate()
            .filter(move |(_, (s, _))| *s == no)
            .map(|(i, (_, p))| (i, p))
    }

    pub fn n_headings(&self) -> usize {
        self.headings.iter().filter(|h| h.is_some()).count()
    }
}

const NUMERALS: [char; 6] = ['一', '二', '三', '四', '五', '六'];

/// What a numbered heading's phrase ends with.
const HEADING_ENDINGS: [&str; 2] = ["情况", "事项"];

fn ending_finders() -> &'static [memchr::memmem::Finder<'static>; 2] {
    static FINDERS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 2]> =
        std::sync::OnceLock::new();
    FINDERS.get_or_init(|| HEADING_ENDINGS.map(memchr::memmem::Finder::new))
}

/// Whether one of [`NUMERALS`] is encoded at byte `p` (一 E4 B8 80,
/// 三 E4 B8 89, 二 E4 BA 8C, 五 E4 BA 94, 四 E5 9B 9B, 六 E5 85 AD).
fn is_numeral_at(bytes: &[u8], p: usize) -> bool {
    matches!(
        bytes.get(p..p + 3),
        Some(
            [0xE4, 0xB8, 0x80 | 0x89]
                | [0xE4, 0xBA, 0x8C | 0x94]
                | [0xE5, 0x9B, 0x9B]
                | [0xE5, 0x85, 0xAD]
        )
    )
}

/// What each part's heading says in full (every phrase of the part's entry).
const FULL_HEADINGS: [&[&str]; 6] = [
    &["总体情况"],
    &["主动公开政府信息情况"],
    &["收到和处理政府信息公开申请"],
    &["行政复议", "行政诉讼"],
    &["存在的主要问题"],
    &["其他需要报告"],
];

/// Whether `heading` holds every phrase of part `no`'s full heading.
fn names_in_full(heading: &str, no: u8) -> bool {
    FULL_HEADINGS[no as usize - 1]
        .iter()
        .all(|k| heading.contains(k))
}

/// Text that marks the site's footer: nothing after it is report text.
const FOOTER_MARKERS: &[&str] = &[
    "主办单位",
    "版权所有",
    "ICP备",
    "网站标识码",
    "扫一扫在手机",
    "打印本页",
    "关闭窗口",
    "【打印】",
    "【关闭】",
    "网站地图",
    "相关阅读",
    "文件下载:",
    "文件下载：",
    "上一篇",
    "下一篇",
    "分享到",
];

pub fn layout(doc: &Document) -> Layout<'_> {
    let mut out = Layout::default();
    let mut section = 0u8;
    // Headings of parts after this one are taken: the section, except where
    // part 5 began without its heading, whose heading may still follow.
    let mut floor = 0u8;
    // Where the current run of news-list lines began in `pieces`, and its length.
    let mut list_run = (0usize, 0usize);
    let mut line_starts = doc.page.line_starts.iter().peekable();
    for (b, block) in doc.blocks.iter().enumerate() {
        if line_starts.next_if_eq(&&b).is_some()
            && out.line_starts.last() != Some(&out.pieces.len())
        {
            out.line_starts.push(out.pieces.len());
        }
        if section == 6 {
            // Part 6 is the last: the site's footer or its news lists end
            // the report, and nothing after them is read (trim_footer cuts
            // the footer's own block where its marker starts).
            if let Block::Text(text) = block {
                if footer_finder().is_match(text.as_str()) {
                    out.pieces.push((section, Piece::Text(text.trim())));
                    break;
                }
                if is_news_item(text) {
                    if list_run.1 == 0 {
                        list_run.0 = out.pieces.len();
                    }
                    list_run.1 += 1;
                    if list_run.1 == NEWS_RUN {
                        out.pieces.truncate(list_run.0);
                        break;
                    }
                } else if !text.trim().is_empty() {
                    list_run.1 = 0;
                }
            } else {
                list_run.1 = 0;
            }
        }
        if section == 4 && matches!(block, Block::Text(t) if opens_part_5_unheaded(t)) {
            section = 5;
        }
        match block {
            Block::Text(text) => {
                let mut rest: &str = text;
                loop {
                    match find_heading(rest, floor) {
                        Some((start, len, no)) => {
                            let before = rest[..start].trim();
                            if !before.is_empty() {
                                out.pieces.push((section, Piece::Text(before)));
                            }
                            section = no;
                            floor = no;
                            out.headings[no as usize] = Some(rest[start..start + len].trim());
                            rest = &rest[start + len..];
                        }
                        None => {
                            let rest = rest.trim();
                            // Keep empty dump cells: they are table slots.
                            if !rest.is_empty() || text.is_empty() {
                                out.pieces.push((section, Piece::Text(rest)));
                            }
                            break;
                        }
                    }
                }
            }
            Block::Table(table) => {
                // A heading printed as the table's first row starts its part.
                if let Some(first) = table.cells.first() {
                    if let Some((0, len, no)) = find_heading(&first.text, floor) {
                        if no > floor && len * 10 >= first.text.len() * 8 {
                            section = no;
                            floor = no;
                            out.headings[no as usize] = Some(first.text.as_str());
                        }
                    }
                }
                out.pieces.push((section, Piece::Table(table)));
            }
        }
    }
    trim_footer(&mut out);
    out
}

/// Whether a block of part 4 is a sub-heading of part 5 whose own heading
/// the text lost: `（一）主要问题`, `（一）2024 年工作中存在问题的改进情况`
/// (PDF texts of 上海市科委 2024 and 上海市人民政府办公厅 2025). Part 4 holds
/// its table and a note; a numbered sub-heading about problems is part 5's.
fn opens_part_5_unheaded(text: &str) -> bool {
    let t = text.trim();
    let Some(rest) = t.strip_prefix(['（', '(']) else {
        return false;
    };
    rest.starts_with(NUMERALS)
        && rest[3..].starts_with(['）', ')'])
        && t.contains("问题")
        && t.chars().count() <= 40
        && !t.contains('。')
}

/// How many news-list lines in a row end part 6.
const NEWS_RUN: usize = 3;

/// Whether a block is a line of a site's news list: a headline with its
/// date (`2024-10-26 召开项目建设推进会`, `…会议 [2024/01/05]`), no sentence.
/// The report's own closing date is written `2025年1月20日` and stands alone.
fn is_news_item(text: &str) -> bool {
    let t = text.trim();
    if t.len() > 200 || t.contains(['。', '；', ';']) {
        return false;
    }
    // Brackets around the date, a bullet before the headline, the space between.
    let wrapping =
        |c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | '（' | '）' | '·' | '•');
    let t = t.trim_matches(wrapping);
    let rest = match (leading_date(t), trailing_date(t)) {
        (Some(n), _) => &t[n..],
        (None, Some(n)) => &t[..t.len() - n],
        (None, None) => return false,
    };
    let headline = rest.trim_matches(wrapping);
    !headline.is_empty() && headline.starts_with(crate::text::is_ideograph)
}

/// The byte length of a numeric date (`2024-10-26`, `2024/1/5`, `2024.01.05`)
/// at the start of `s`.
fn leading_date(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let digits = |from: usize, min: usize, max: usize| {
        let n = b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        (min..=max).contains(&n).then_some(from + n)
    };
    let year = digits(0, 4, 4)?;
    let sep = *b.get(year)?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    let month = digits(year + 1, 1, 2)?;
    if b.get(month) != Some(&sep) {
        return None;
    }
    let day = digits(month + 1, 1, 2)?;
    (!b.get(day).is_some_and(u8::is_ascii_digit)).then_some(day)
}

/// The byte length of a numeric date at the end of `s`.
fn trailing_date(s: &str) -> Option<usize> {
    let last = s.len().checked_sub(8)?;
    (s.len().saturating_sub(10)..=last)
        .find(|&i| {
            s.is_char_boundary(i)
                && (i == 0 || !s.as_bytes()[i - 1].is_ascii_digit())
                && leading_date(&s[i..]) == Some(s.len() - i)
        })
        .map(|i| s.len() - i)
}

/// One scan for every footer marker (the leftmost wins).
fn footer_finder() -> &'static aho_corasick::AhoCorasick {
    static FINDER: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    FINDER.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(FOOTER_MARKERS)
            .expect("footer markers build")
    })
}

/// Drop the site footer that follows the last part.
fn trim_footer(layout: &mut Layout<'_>) {
    let last = layout.pieces.iter().map(|(s, _)| *s).max().unwrap_or(0);
    if last == 0 {
        return;
    }
    let cut = layout
        .pieces
        .iter()
        .enumerate()
        .find_map(|(i, (s, p))| match p {
            Piece::Text(t) if *s == last => footer_finder().find(t).map(|m| (i, m.start())),
            _ => None,
        });
    if let Some((i, pos)) = cut {
        layout.pieces.truncate(i + 1);
        if let (s, Piece::Text(t)) = layout.pieces[i] {
            let kept = t[..pos].trim();
            if kept.is_empty() {
                layout.pieces.pop();
            } else {
                layout.pieces[i] = (s, Piece::Text(kept));
            }
        }
    }
}

/// The first heading in `text` of a part after `current`: (byte start, byte
/// length, part number).
pub fn find_heading(text: &str, current: u8) -> Option<(usize, usize, u8)> {
    // A heading starts with its numeral, or is a whole block (at 0):
    // anywhere else match_heading cannot succeed, so only those places are
    // visited. Most blocks are a few words of navigation, where a plain
    // scan costs less than setting up an automaton's search (an
    // aho-corasick scan for the numerals cost a third more).
    //
    // Inside a block, a heading is numbered and ends at 情况 or 事项
    // (match_heading); a block with neither, as nearly all of a site's
    // navigation and lists are, is only tried at its start. Two SIMD
    // searches for those words cost less than the scan for numerals
    // (together a third less on generated pages, where chrome is most text).
    let bytes = text.as_bytes();
    let inner = ending_finders().iter().any(|f| f.find(bytes).is_some());
    let starts = std::iter::once(0).chain(
        // Lead bytes never occur inside a char, so `p` is a char boundary.
        memchr::memchr2_iter(0xE4, 0xE5, if inner { bytes } else { &[] })
            .filter(|&p| p > 0 && is_numeral_at(bytes, p)),
    );
    for pos in starts {
        let boundary = match text[..pos].chars().next_back() {
            None => true,
            Some(p) => {
                p.is_whitespace()
                    || p.is_ascii_digit()
                    || matches!(p, '。' | '；' | ';' | '：' | ':' | ')' | '）' | '|' | '.')
            }
        };
        let at_start = pos == 0;
        if let Some((len, no)) = match_heading(&text[pos..], at_start) {
            // Dumps glue a heading to the figure before it (`…432.52元三、收到和
            // 处理…`): without a boundary, only a heading in full is taken.
            if no > current && (boundary || names_in_full(&text[pos..pos + len], no)) {
                return Some((pos, len, no));
            }
        }
    }
    None
}

/// Whether `s` begins with a part heading; `whole_block` allows an
/// unnumbered heading that is the whole of a short block.
fn match_heading(s: &str, whole_block: bool) -> Option<(usize, u8)> {
    let mut chars = s.char_indices();
    let (_, first) = chars.next()?;
    let numeral = NUMERALS
        .iter()
        .position(|&n| n == first)
        .map(|i| i as u8 + 1);
    // An unnumbered heading is a whole short block that starts with a word
    // (checked in full below; this is the cheap part, asked first because
    // every block of navigation comes here).
    if numeral.is_none()
        && !(whole_block
            && s.len() <= 160
            && s.starts_with(crate::text::is_ideograph)
            && names_a_part(s))
    {
        return None;
    }
    let body_start = match numeral {
        Some(_) => {
            let (i, sep) = chars.next()?;
            if matches!(sep, '、' | '.' | '．' | ',' | '，' | ' ') {
                i + sep.len_utf8()
            } else {
                return None;
            }
        }
        None => 0,
    };
    let body = &s[body_start..];
    // The heading ends at the first 情况/事项 within a short distance.
    let limit = body.char_indices().nth(40).map_or(body.len(), |(i, _)| i);
    let end = HEADING_ENDINGS
        .iter()
        .filter_map(|k| body[..limit].find(k).map(|p| p + k.len()))
        .min();
    let end = match end {
        Some(e) => e,
        None if whole_block && body.chars().count() <= 40 && !body.contains(['。', '，']) => {
            body.len()
        }
        None => return None,
    };
    let heading = &body[..end];
    // A heading is one phrase: digits, spaces or a full stop mean the match
    // ran over a row label and its values into the next heading.
    if heading.contains(|c: char| {
        c.is_ascii_digit() || c.is_whitespace() || matches!(c, '。' | '；' | ';')
    }) {
        return None;
    }
    let no = classify(heading, numeral.is_some())?;
    // Reports that put the tables in an annex number them afresh
    // (`一、主动公开政府信息情况` after the narrative's own 一 to 六): a heading
    // numbered for another part stands only when it names its part in full.
    if numeral.is_some_and(|n| n != no) && !names_in_full(heading, no) {
        return None;
    }
    // An unnumbered heading is a whole short block that starts with its
    // words: `（一）主动公开政府信息情况` is a sub-heading of part 1.
    if numeral.is_none()
        && !(whole_block
            && s.trim().len() <= body_start + end + 3
            && s.starts_with(crate::text::is_ideograph))
    {
        return None;
    }
    Some((body_start + end, no))
}

/// The words of which [`classify`] needs one to name a part in an
/// unnumbered heading.
const PART_WORDS: [&str; 6] = [
    "复议",
    "收到和处理",
    "存在的主要问题",
    "其他需要报告",
    "主动公开政府信息情况",
    "总体情况",
];

/// Whether `s` holds a word without which [`classify`] cannot name a part
/// in an unnumbered heading: one scan, where navigation blocks (hundreds a
/// page) would otherwise go through every test of `classify`.
fn names_a_part(s: &str) -> bool {
    // The words' first characters, checked first: navigation rarely has one.
    if !s
        .chars()
        .any(|c| PART_WORDS.iter().any(|w| w.starts_with(c)))
    {
        return false;
    }
    static WORDS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    WORDS
        .get_or_init(|| aho_corasick::AhoCorasick::new(PART_WORDS).expect("part words build"))
        .is_match(s)
}

/// Which part a heading names. Unnumbered headings must name their part in full.
fn classify(h: &str, numbered: bool) -> Option<u8> {
    let has = |k: &str| h.contains(k);
    if has("行政复议") || (has("复议") && has("诉讼")) {
        return Some(4);
    }
    if has("收到和处理") || (numbered && has("申请情况")) {
        return Some(3);
    }
    if has("存在的主要问题") || (numbered && has("问题") && (has("改进") || has("不足")))
    {
        return Some(5);
    }
    if has("其他需要报告") || (numbered && has("其他事项")) {
        return Some(6);
    }
    if has("主动公开政府信息情况") || (numbered && has("主动公开")) {
        return Some(2);
    }
    if has("总体情况") || (numbered && (has("概述") || has("基本情况"))) {
        return Some(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::text::parse_text;

    #[test]
    fn the_byte_scan_finds_exactly_the_numerals() {
        // Every ideograph, and 〇 beside them.
        for c in crate::text::ideographs().chain(['〇']) {
            let s = format!("a{c}");
            let found = memchr::memchr2_iter(0xE4, 0xE5, s.as_bytes())
                .any(|p| is_numeral_at(s.as_bytes(), p));
            assert_eq!(found, NUMERALS.contains(&c), "{c}");
        }
    }

    #[test]
    fn headings_inside_a_one_line_dump() {
        // Cut from corpus/real/pingtan_zhqgwh_2022.txt, where the body is one line.
        let doc = parse_text(
            "对本报告如有疑问，请联系。 一、总体情况 2022年，平潭综合实验区坚持。 二、主动公开政府信息情况第二十条第（一）项 信息内容 规章000 行政事业性收费9116.36 三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 四、结转下年度继续办理 0000000 四、政府信息公开行政法复议、行政诉讼情况行政复议 0 1 五、存在的主要问题及改进情况 2022年，还存在一些问题。 六、其他需要报告的事项 2022年，无收取信息处理费情况。",
        );
        let l = layout(&doc);
        assert_eq!(l.headings[1], Some("一、总体情况"));
        assert_eq!(l.headings[2], Some("二、主动公开政府信息情况"));
        assert_eq!(l.headings[3], Some("三、收到和处理政府信息公开申请情况"));
        assert_eq!(
            l.headings[4],
            Some("四、政府信息公开行政法复议、行政诉讼情况")
        );
        assert_eq!(l.headings[5], Some("五、存在的主要问题及改进情况"));
        assert_eq!(l.headings[6], Some("六、其他需要报告的事项"));
        let s3: Vec<_> = l.section_pieces(3).map(|(_, p)| *p).collect();
        assert!(s3.contains(&Piece::Text("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）四、结转下年度继续办理0000000")));
    }

    #[test]
    fn a_full_heading_glued_to_a_figure_is_found() {
        // corpus/real/pingtan_zhqgwh_2019.txt.
        let doc = parse_text("二、主动公开政府信息情况 政府集中采购13575394432.52元三、收到和处理政府信息公开申请情况（本列数据）");
        assert_eq!(
            layout(&doc).headings[3],
            Some("三、收到和处理政府信息公开申请情况")
        );
        // A short form needs a boundary: `第三、处理…` is not part 3.
        let doc = parse_text("二、主动公开政府信息情况 说明第三、处理申请情况");
        assert_eq!(layout(&doc).headings[3], None);
    }

    #[test]
    fn subheadings_and_row_labels_are_not_parts() {
        // Cut from seed 000.
        let doc = parse_text("一、总体情况\n(一)主动公开情况。\n2024年。\n二、主动公开政府信息情况\n四、结转下年度继续办理\n三、本年度办理结果");
        let l = layout(&doc);
        assert_eq!(l.n_headings(), 2);
        assert_eq!(l.section_pieces(1).count(), 2);
        assert_eq!(l.section_pieces(2).count(), 2);
    }

    #[test]
    fn tables_in_an_annex_numbered_afresh_start_their_parts() {
        // The outline of 上海市科委's report on 2024 as its PDF's text gives
        // it (KIROGOVCOMPARE's kewei-2024-source.md): a narrative numbered
        // 一 to 六, then the tables' parts numbered from 一 again. The
        // narrative's 三 and 四 name parts 2 and 3 only in part and stay
        // in part 1; part 5's heading is not in the text.
        let doc = parse_text(
            "一、总体情况\n上海市科委2024年深入贯彻《条例》。\n二、工作机制保障\n三、主动公开工作情况\n\
             四、政府信息公开申请情况\n全年收到政府信息公开申请34件。\n一、主动公开政府信息情况\n\
             第二十条第（一）项\n二、收到和处理政府信息公开申请情况\n申请人情况\n\
             三、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼\n（一）主要问题\n\
             五、其他需要报告的事项\n2024年，市科委未发生政府信息公开收费事项。",
        );
        let l = layout(&doc);
        assert_eq!(
            l.headings,
            [
                None,
                Some("一、总体情况"),
                Some("一、主动公开政府信息情况"),
                Some("二、收到和处理政府信息公开申请情况"),
                Some("三、政府信息公开行政复议、行政诉讼情况"),
                None,
                Some("五、其他需要报告的事项"),
            ]
        );
        assert!(l
            .section_pieces(1)
            .any(|(_, p)| *p == Piece::Text("全年收到政府信息公开申请34件。")));
    }

    #[test]
    fn part_5_without_its_heading_starts_at_its_first_sub_heading() {
        // 上海市人民政府办公厅's report on 2025 as its PDF's text gives it
        // (KIROGOVCOMPARE's shanghai-office-sample-source.md): part 5's
        // heading is lost, its first sub-heading follows part 4's table.
        let doc = parse_text(
            "四、政府信息公开行政复议、行政诉讼情况\n注：行政复议、行政诉讼数量含上年度结转数量。\n\
             | 40 | 0 | 10 | 5 | 55 | 2 | 0 | 4 | 6 | 12 | 6 | 0 | 9 | 7 | 22 |\n\
             （一）2024 年工作中存在问题的改进情况\n针对 2024 年工作中存在的主要问题，重点采取如下改进措\n施。\n\
             六、其他需要报告的事项\n2025 年度本机关未收取信息公开处理费。",
        );
        let l = layout(&doc);
        assert_eq!(l.headings[5], None);
        let part_5: Vec<_> = l.section_pieces(5).map(|(_, p)| *p).collect();
        assert_eq!(
            part_5[0],
            Piece::Text("（一）2024年工作中存在问题的改进情况")
        );
        assert_eq!(part_5.len(), 3);
        assert_eq!(l.headings[6], Some("六、其他需要报告的事项"));
        // Part 4's own sub-headings stay in it; part 5's heading, if it
        // follows after all, is still its heading.
        assert!(!opens_part_5_unheaded("（一）行政复议情况"));
        let doc = parse_text("四、政府信息公开行政复议、行政诉讼情况\n（一）主要问题\n五、存在的主要问题及改进情况\n无。");
        assert_eq!(
            layout(&doc).headings[5],
            Some("五、存在的主要问题及改进情况")
        );
    }

    #[test]
    fn bracketed_subheadings_are_not_parts() {
        // corpus/real/shuyang_fgj_2023_wrapped.html: part 1's first sub-heading.
        let doc = parse_text("一、总体情况\n（一）主动公开政府信息情况\n2023年，我局严格审签程序。\n二、主动公开政府信息情况");
        let l = layout(&doc);
        assert_eq!(l.headings[2], Some("二、主动公开政府信息情况"));
        assert_eq!(l.section_pieces(1).count(), 2);
    }

    #[test]
    fn a_news_list_after_the_last_part_ends_the_report() {
        // The shape of a CMS sidebar after the article (the benchmark
        // corpus's pages have no footer marker before it): date and headline
        // per line. The report's own date line and a sentence with a date stay.
        let doc = parse_text(
            "六、其他需要报告的事项\n本年度未收取信息处理费。\n某县人民政府办公室\n2025年1月20日\n\
             2024-10-26召开项目建设推进会\n2024/6/8 开展防汛应急演练\n\
             部署冬季森林防火工作 [2024.01.05]\n2024-04-11部署冬季森林防火工作",
        );
        let s6: Vec<_> = layout(&doc).section_pieces(6).map(|(_, p)| *p).collect();
        assert_eq!(
            s6,
            [
                Piece::Text("本年度未收取信息处理费。"),
                Piece::Text("某县人民政府办公室"),
                Piece::Text("2025年1月20日"),
            ]
        );
        // Two dated lines are not yet a list: part 6 keeps them.
        let doc = parse_text(
            "六、其他需要报告的事项\n2024-10-26召开项目建设推进会\n2024-06-08开展防汛应急演练\n无其他事项。",
        );
        assert_eq!(layout(&doc).section_pieces(6).count(), 3);
        assert!(!is_news_item("2024年1月5日，召开政务公开工作会议。"));
        assert!(!is_news_item("20240105"));
        assert!(!is_news_item("2024-10-26"));
        assert!(is_news_item("·召开项目建设推进会（2024-10-26）"));
    }

    #[test]
    fn footer_after_the_last_part_is_dropped() {
        // The end of seed 004.
        let doc = parse_text("六、其他需要报告的事项\n无其他需要报告事项\n扫一扫在手机打开当前页\n文件下载:\n相关阅读:");
        let l = layout(&doc);
        let s6: Vec<_> = l.section_pieces(6).map(|(_, p)| *p).collect();
        assert_eq!(s6, [Piece::Text("无其他需要报告事项")]);
    }
}
