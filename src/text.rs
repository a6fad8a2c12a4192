//! Small text utilities shared by the stages: white space folding, the
//! normalised form labels are matched in, and script detection.

use std::borrow::Cow;

/// The script a page was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Simplified,
    Traditional,
}

impl Script {
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
        }
    }
}

/// True for CJK ideographs and CJK punctuation: characters between which a
/// space is layout noise (`2023<font>年，我局` pasted across lines).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'   // CJK punctuation
        | '\u{3400}'..='\u{4DBF}' // extension A
        | '\u{4E00}'..='\u{9FFF}' // unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}' // full-width forms
    )
}

/// The ideograph blocks, in order: extension A, unified, compatibility.
const IDEOGRAPH_BLOCKS: [std::ops::RangeInclusive<char>; 3] = [
    '\u{3400}'..='\u{4DBF}',
    '\u{4E00}'..='\u{9FFF}',
    '\u{F900}'..='\u{FAFF}',
];

pub fn is_ideograph(c: char) -> bool {
    IDEOGRAPH_BLOCKS.iter().any(|block| block.contains(&c))
}

/// Every char [`is_ideograph`] accepts, in order.
pub fn ideographs() -> impl Iterator<Item = char> {
    IDEOGRAPH_BLOCKS.into_iter().flatten()
}

/// Fold every run of white space (including `&nbsp;` and U+3000) to one
/// ASCII space, trim, and drop spaces that sit between two CJK characters
/// or between a CJK character and a digit: in Chinese text those come from
/// markup and line wrapping, not from the writer.
pub fn fold_whitespace(s: &str) -> String {
    // Every paragraph of every page comes through here. Between spaces the
    // scan only looks for the next byte that may start white space (a
    // table lookup a byte, with nothing else in the loop: stepping char by
    // char instead made each step wait on the last byte read, and was
    // slower), text between spaces is copied a run at a time, and only the
    // lead bytes that can start a white-space character are decoded. The
    // definition, char by char, is the test's `fold_whitespace_by_chars`.
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut last: Option<char> = None;
    let mut pending_space = false;
    let mut run_start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        // `i` is at a char boundary: the start of the text, the char after
        // a space, or a byte that may start white space (never a UTF-8
        // continuation byte).
        if MAY_START_SPACE[usize::from(bytes[i])] {
            let space_len = if bytes[i].is_ascii() {
                1
            } else {
                let c = s[i..].chars().next().expect("a lead byte starts a char");
                if is_space(c) {
                    c.len_utf8()
                } else {
                    0
                }
            };
            if space_len > 0 {
                if let Some(start) = run_start.take() {
                    out.push_str(&s[start..i]);
                    last = s[start..i].chars().next_back();
                }
                pending_space = last.is_some();
                i += space_len;
                continue;
            }
        }
        if run_start.is_none() {
            if pending_space {
                let c = s[i..].chars().next().expect("a run starts at a char");
                if !last.is_some_and(|l| joins(l, c) || joins(c, l)) {
                    out.push(' ');
                }
                pending_space = false;
            }
            run_start = Some(i);
        }
        i += 1;
        i += bytes[i..]
            .iter()
            .position(|&b| MAY_START_SPACE[usize::from(b)])
            .unwrap_or(bytes.len() - i);
    }
    if let Some(start) = run_start {
        out.push_str(&s[start..]);
    }
    out
}

/// The bytes that may start white space: ASCII white space, and the lead
/// bytes of U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000 and U+FEFF.
const MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = [
        b' ', b'\t', b'\n', b'\r', 0x0B, 0x0C, 0xC2, 0xE1, 0xE2, 0xE3, 0xEF,
    ];
    let mut k = 0;
    while k < bytes.len() {
        table[bytes[k] as usize] = true;
        k += 1;
    }
    table
};

/// White space as [`fold_whitespace`] folds it: Unicode's, plus the zero
/// width space and the byte-order mark that Word and CMS editors leave.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'
}

/// Whether a space between `a` and `b` is layout noise in Chinese text.
fn joins(a: char, b: char) -> bool {
    is_cjk(a) && (is_cjk(b) || b.is_ascii_digit())
}

/// Map full-width ASCII variants (`０１２`, `（`, `：`) to ASCII.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The form in which labels and headings are compared: full-width folded,
/// white space and quotation marks removed, `、` after a digit read as `.`,
/// and `【】〔〕` read as parentheses. Expects simplified script. Borrows
/// `s` when it is already in that form, as most labels are (the table
/// reader normalises every label of every table).
///
/// ```
/// assert_eq!(xxgk::text::normalize_label("3.危及“三安全一稳定”"), "3.危及三安全一稳定");
/// assert_eq!(xxgk::text::normalize_label("（七） 总 计"), "(七)总计");
/// assert_eq!(xxgk::text::normalize_label("２、重复申请"), "2.重复申请");
/// ```
pub fn normalize_label(s: &str) -> Cow<'_, str> {
    let mut prev_digit = false;
    let unchanged = s.chars().all(|c| {
        let same = label_char(fold_width(c), prev_digit) == Some(c);
        prev_digit = c.is_ascii_digit();
        same
    });
    if unchanged {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut prev_digit = false;
    for c in s.chars().map(fold_width) {
        if let Some(n) = label_char(c, prev_digit) {
            out.push(n);
            prev_digit = c.is_ascii_digit();
        }
    }
    Cow::Owned(out)
}

/// What a label's (width-folded) char becomes in [`normalize_label`]:
/// `None` when it is dropped. `prev_digit`: the last char kept was a digit.
fn label_char(c: char, prev_digit: bool) -> Option<char> {
    if c.is_whitespace() {
        return None;
    }
    match c {
        '\u{200B}' | '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' | '《'
        | '》' => None,
        '、' | '．' if prev_digit => Some('.'),
        '【' | '〔' => Some('('),
        '】' | '〕' => Some(')'),
        _ => Some(c),
    }
}

/// Decide the script of a page by how many of its ideographs the
/// traditional-to-simplified converter would change.
pub fn detect_script(s: &str) -> Script {
    // A prefix is enough to decide and keeps this cheap on large pages.
    let sample = || s.chars().filter(|&c| is_ideograph(c)).take(3000);
    // The converter changes only chars it may convert, so a page with too
    // few of those is simplified without converting anything (most pages:
    // converting the sample was a tenth of extraction).
    let (ideographs, convertibles) =
        sample().fold((0, 0), |(n, k), c| (n + 1, k + usize::from(convertible(c))));
    if !mostly_changed(convertibles, ideographs) {
        return Script::Simplified;
    }
    let sample: String = sample().collect();
    let converted = fast2s::convert(&sample);
    let changed = sample
        .chars()
        .zip(converted.chars())
        .filter(|(a, b)| a != b)
        .count();
    if mostly_changed(changed, ideographs) {
        Script::Traditional
    } else {
        Script::Simplified
    }
}

/// The share of changed ideographs that makes a page traditional. Simplified
/// pages still hold a few characters the converter maps (names, 乾/著-like
/// cases), so ask for a clear share.
fn mostly_changed(changed: usize, ideographs: usize) -> bool {
    changed >= 8 && changed * 100 >= ideographs * 3
}

/// Whether the converter may change ideograph `c` anywhere: it changes the
/// char alone, or it is one of the three chars fast2s converts only beside
/// certain neighbours (藉口, 看著, 苧麻); see the test of this.
fn convertible(c: char) -> bool {
    const FROM: u32 = *IDEOGRAPH_BLOCKS[0].start() as u32;
    const TO: u32 = *IDEOGRAPH_BLOCKS[2].end() as u32;
    static SET: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let set = SET.get_or_init(|| {
        let mut set = vec![0u64; ((TO - FROM + 1) as usize).div_ceil(64)];
        for c in ideographs() {
            let mut buf = [0u8; 4];
            let alone = c.encode_utf8(&mut buf);
            if matches!(c, '藉' | '著' | '苧') || fast2s::convert(alone) != *alone {
                let i = (c as u32 - FROM) as usize;
                set[i / 64] |= 1 << (i % 64);
            }
        }
        set
    });
    let Some(i) = (c as u32).checked_sub(FROM).map(|i| i as usize) else {
        return false;
    };
    set.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// Convert traditional characters to simplified ones.
pub fn to_simplified(s: &str) -> String {
    fast2s::convert(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_spaces_between_cjk_but_not_between_words() {
        assert_eq!(fold_whitespace("  商业 \u{a0}企业 "), "商业企业");
        assert_eq!(fold_whitespace("2023 年"), "2023年");
        assert_eq!(fold_whitespace("0 1\n1"), "0 1 1");
        assert_eq!(fold_whitespace("结果\n纠正"), "结果纠正");
    }

    #[test]
    fn every_char_the_converter_changes_is_convertible() {
        // fast2s's words with special cases, then every ideograph between
        // neighbours taken across the blocks.
        let words = [
            "藉口", "憑藉", "看著", "苧麻", "闔家", "鍾書", "校讎", "計畫", "企畫", "乾隆", "乾坤",
            "答覆", "甚夥", "瞭望", "兒寬", "慰藉", "樊於", "幺麽",
        ];
        let all: Vec<char> = ideographs().collect();
        let triples = (0..all.len()).map(|i| {
            [
                all[(i * 7919) % all.len()],
                all[i],
                all[(i * 104_729) % all.len()],
            ]
            .iter()
            .collect::<String>()
        });
        let mut changed = 0;
        for text in words.iter().map(|w| w.to_string()).chain(triples) {
            for (a, b) in text.chars().zip(fast2s::convert(&text).chars()) {
                if a != b {
                    changed += 1;
                    assert!(convertible(a), "{a} in {text}");
                }
            }
        }
        assert!(changed > 2000, "{changed}");
    }

    /// [`normalize_label`] as it was before it could borrow.
    fn normalize_label_owned(s: &str) -> String {
        let mut out = String::new();
        let mut prev_digit = false;
        for c in s.chars() {
            let c = fold_width(c);
            if c.is_whitespace() || c == '\u{200B}' {
                continue;
            }
            match c {
                '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' | '《' | '》' => {
                    continue
                }
                '、' | '．' if prev_digit => out.push('.'),
                '【' | '〔' => out.push('('),
                '】' | '〕' => out.push(')'),
                _ => out.push(c),
            }
            prev_digit = c.is_ascii_digit();
        }
        out
    }

    #[test]
    fn normalize_label_borrows_only_what_it_would_not_change() {
        use crate::template::{spec, TableName, Template};
        let mut borrowed = 0;
        for table in TableName::ALL {
            for template in [Template::T2019, Template::T2021] {
                for row in spec(table, template).rows {
                    let l = row.label;
                    for s in [
                        l.to_string(),
                        format!("（{l}） "),
                        format!("2、{l}"),
                        format!("2 、“{l}”"),
                        format!("【{l}】１２"),
                        format!("{l}\u{200B}〔3．〕"),
                    ] {
                        let n = normalize_label(&s);
                        assert_eq!(n, normalize_label_owned(&s), "{s}");
                        borrowed += usize::from(matches!(n, Cow::Borrowed(_)));
                    }
                }
            }
        }
        assert!(borrowed > 50, "{borrowed}");
    }

    /// The definition of [`fold_whitespace`], a char at a time.
    fn fold_whitespace_by_chars(s: &str) -> String {
        let mut out = String::new();
        let mut pending_space = false;
        let mut last: Option<char> = None;
        for c in s.chars() {
            if is_space(c) {
                pending_space = last.is_some();
                continue;
            }
            if pending_space {
                if !last.is_some_and(|l| joins(l, c) || joins(c, l)) {
                    out.push(' ');
                }
                pending_space = false;
            }
            out.push(c);
            last = Some(c);
        }
        out
    }

    #[test]
    fn every_space_starts_with_a_byte_the_scan_stops_at() {
        let mut spaces = 0;
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if is_space(c) {
                let mut utf8 = [0; 4];
                let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
                assert!(MAY_START_SPACE[usize::from(lead)], "{c:?}");
                spaces += 1;
            }
        }
        // Unicode's 25 white-space chars, the zero width space and the BOM.
        assert_eq!(spaces, 27);
    }

    #[test]
    fn fold_whitespace_matches_its_definition() {
        // Every kind of white space next to CJK, digits, ASCII and the
        // non-space characters that share a lead byte with a space (¢, ‐, 、, ｡).
        let alphabet = [
            " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{a0}", "\u{1680}", "\u{2000}",
            "\u{200a}", "\u{200b}", "\u{2028}", "\u{202f}", "\u{205f}", "\u{3000}", "\u{feff}",
            "年", "报告", "、", "。", "（", "０", "7", "a", "¢", "‐", "｡", "\u{1681}", "\u{20ac}",
            // Chars of every UTF-8 length.
            "é", "𠮷",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 12) as usize;
            let mut x = seed;
            for _ in 0..len {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push_str(alphabet[(x >> 33) as usize % alphabet.len()]);
            }
            assert_eq!(fold_whitespace(&s), fold_whitespace_by_chars(&s), "{s:?}");
        }
    }

    #[test]
    fn detects_the_traditional_seed() {
        // Cut from seed 003 (郎溪县科技工信局, served in traditional script).
        let trad = "本年報根據《中華人民共和國政府信息公開條例》(國務院令第711號)、《國務院辦公廳政府信息與政務公開辦公室關于印發";
        assert_eq!(detect_script(trad), Script::Traditional);
        assert_eq!(to_simplified("郎溪縣科技工信局"), "郎溪县科技工信局");
        // Cut from seed 000.
        let simp = "根据《中华人民共和国政府信息公开条例》(国务院令第711号)、国务院办公厅政府信息与政务公开办公室关于印发";
        assert_eq!(detect_script(simp), Script::Simplified);
    }
}
