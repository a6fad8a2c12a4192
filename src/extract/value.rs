//! Reading one cell's text as a number, per the spec's "Cell values" rules.

use crate::text::fold_width;

/// Why a cell holds no number, or how its number was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CellFlag {
    /// The cell is empty (often `&nbsp;` or `<o:p></o:p>`).
    Blank,
    /// `/`, `-`, `—`, `——`, `无`…: not a number.
    Placeholder,
    /// Text that is not a number and not a known placeholder.
    Unreadable,
    /// The number was cut out of a run of cells written together
    /// (`0000000`) and exactly one cut fits the template.
    ResolvedFromRun,
    /// A run of cells that more than one cut (or none) fits: left null.
    Ambiguous,
    /// The table was found but this cell was not on the page.
    Missing,
}

impl CellFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            CellFlag::Blank => "blank",
            CellFlag::Placeholder => "placeholder",
            CellFlag::Unreadable => "unreadable",
            CellFlag::ResolvedFromRun => "resolved_from_run",
            CellFlag::Ambiguous => "ambiguous",
            CellFlag::Missing => "missing",
        }
    }

    /// True when the page had the cell but it was not read as a number.
    pub fn is_unread(self) -> bool {
        matches!(
            self,
            CellFlag::Ambiguous | CellFlag::Missing | CellFlag::Unreadable
        )
    }
}

/// A cell's text read as a value.
#[derive(Debug, Clone, PartialEq)]
pub struct CellValue {
    pub value: Option<f64>,
    /// The unit written after the number (`件`, `元`, `万元`), if any.
    pub unit: Option<String>,
    pub flag: Option<CellFlag>,
}

const PLACEHOLDERS: &[&str] = &[
    "/", "-", "—", "——", "–", "－", "/", "无", "暂无", "空", "／", "\\", "*", "×", "…", "……", "-/-",
];
/// What pages write in a figure's place for "not applicable" or a Chinese
/// zero. Not a number, and not a placeholder the spec lists: read as null,
/// flagged unreadable (`〇` is not read as 0), but a cell all the same.
pub const NOT_FIGURES: &[&str] = &["不涉及", "未涉及", "N/A", "n/a", "〇", "零"];

/// Where a word of [`NOT_FIGURES`] that ends `label` begins, if one does.
pub fn no_figure_suffix(label: &str) -> Option<usize> {
    let label = label.trim_end();
    NOT_FIGURES
        .iter()
        .find(|w| label.ends_with(**w))
        .map(|w| label.len() - w.len())
}

/// Whether `word` (a cell's whole text, or a word of a dump's line) stands
/// in a figure's place without being a figure: a placeholder (`/`, `—`,
/// `无`) or a word of [`NOT_FIGURES`]. Such a word is a cell, never a label.
///
/// ```
/// use xxgk::extract::value::stands_for_no_figure;
/// assert!(stands_for_no_figure("不涉及"));
/// assert!(stands_for_no_figure("——"));
/// assert!(!stands_for_no_figure("规章"));
/// assert!(!stands_for_no_figure("12"));
/// ```
pub fn stands_for_no_figure(word: &str) -> bool {
    let word = word.trim();
    // The words are short: a label is not folded and searched for them.
    if word.is_empty() || word.chars().nth(3).is_some() {
        return false;
    }
    NOT_FIGURES.contains(&word) || read_value(word).flag == Some(CellFlag::Placeholder)
}

const UNITS: &[&str] = &[
    "万元", "元", "件", "个", "项", "次", "条", "人次", "宗", "起",
];

/// Read a cell's text.
///
/// ```
/// use xxgk::extract::value::{read_value, CellFlag};
/// assert_eq!(read_value("1,491").value, Some(1491.0));
/// assert_eq!(read_value("１２件").value, Some(12.0));
/// assert_eq!(read_value("251000元").unit.as_deref(), Some("元"));
/// assert_eq!(read_value("——").flag, Some(CellFlag::Placeholder));
/// assert_eq!(read_value("\u{a0}").flag, Some(CellFlag::Blank));
/// ```
pub fn read_value(raw: &str) -> CellValue {
    // Most cells are plain digits: read them without the folded copy
    // (the general path below gives the same value for them).
    let plain = raw.trim_ascii();
    if !plain.is_empty() && plain.bytes().all(|b| b.is_ascii_digit()) {
        return CellValue {
            value: plain.parse::<f64>().ok(),
            unit: None,
            flag: None,
        };
    }
    let folded: String = raw
        .chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}')
        .collect();
    if folded.is_empty() {
        return CellValue {
            value: None,
            unit: None,
            flag: Some(CellFlag::Blank),
        };
    }
    if PLACEHOLDERS.contains(&folded.as_str())
        || folded
            .chars()
            .all(|c| matches!(c, '-' | '—' | '/' | '－' | '–'))
    {
        return CellValue {
            value: None,
            unit: None,
            flag: Some(CellFlag::Placeholder),
        };
    }
    let (number, unit) = match UNITS.iter().find(|u| folded.ends_with(*u)) {
        Some(u) => (&folded[..folded.len() - u.len()], Some(u.to_string())),
        None => (folded.as_str(), None),
    };
    match parse_number(number) {
        Some(v) => CellValue {
            value: Some(v),
            unit,
            flag: None,
        },
        None => CellValue {
            value: None,
            unit: None,
            flag: Some(CellFlag::Unreadable),
        },
    }
}

/// A plain decimal number: optional sign, digits with optional thousands
/// separators, optional fraction. Nothing else (no exponent, no `12.3.4`).
pub fn parse_number(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let digits_ok = if int.contains(',') {
        // Thousands separators must group by three.
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or("");
        (1..=3).contains(&first.len())
            && first.bytes().all(|b| b.is_ascii_digit())
            && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
    } else {
        int.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits_ok {
        return None;
    }
    s.replace(',', "").parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_sites_write_them() {
        assert_eq!(read_value(" 12 ").value, Some(12.0));
        assert_eq!(read_value("0.0000").value, Some(0.0));
        assert_eq!(read_value("116.36").value, Some(116.36));
        assert_eq!(read_value("+5174").value, Some(5174.0));
        assert_eq!(read_value("-1").value, Some(-1.0));
        assert_eq!(read_value("251000元").value, Some(251000.0));
        assert_eq!(read_value("1.2万元").value, Some(1.2));
    }

    #[test]
    fn plain_digits_read_as_the_general_path_reads_them() {
        for raw in ["0", " 12 ", "\t007\n", "18446744073709551617", "5174"] {
            let general = read_value(&format!("{raw}件"));
            assert_eq!(read_value(raw).value, general.value, "{raw:?}");
            assert_eq!(read_value(raw).flag, None);
        }
        assert_eq!(read_value(" 12 ").value, Some(12.0));
    }

    #[test]
    fn what_is_not_a_number_stays_null() {
        for p in ["/", "—", "——", "无", "-", "／"] {
            assert_eq!(
                read_value(p),
                CellValue {
                    value: None,
                    unit: None,
                    flag: Some(CellFlag::Placeholder)
                },
                "{p}"
            );
        }
        assert_eq!(read_value("1,49").flag, Some(CellFlag::Unreadable));
        assert_eq!(read_value("12.3.4").flag, Some(CellFlag::Unreadable));
        assert_eq!(read_value("见附件").flag, Some(CellFlag::Unreadable));
    }
}
