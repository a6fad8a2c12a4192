//! Figures stated in the narrative: 本级栏目共发布信息164条, 200余篇,
//! 三十余条, 1.2万次. A figure is a number followed by a unit of count or
//! money (条, 件, 篇, 次, 人次, 元, 万元, %…). A number without such a
//! unit is no fact, and that is what leaves out phone numbers, postcodes,
//! dates and years (年, 月, 日), document numbers (〔2021〕30号) and counts
//! of kinds (四类). Ordinals (第3次) are left out as well.
//!
//! This is the one reader of prose figures: the narrative-versus-table
//! check uses its `requests_received` facts.

use super::Section;

/// One figure stated in the narrative.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub section_no: u8,
    /// The figure as written (`1.2` of `1.2万次`; `万次` is its unit).
    pub value: f64,
    pub unit: String,
    /// Written with 余, 多, 约, 近, 超过, 以上, 左右…
    pub approximate: bool,
    /// The sentence it stands in.
    pub sentence: String,
    /// For the figures compared across agencies.
    pub fact_key: Option<&'static str>,
}

/// Units of count and money, longest first where one begins another.
const UNITS: &[&str] = &[
    "万人次",
    "人次",
    "万次",
    "次",
    "万元",
    "亿元",
    "元",
    "万条",
    "条",
    "件",
    "篇",
    "个",
    "项",
    "期",
    "场",
    "家",
    "份",
    "批",
    "名",
    "人",
    "户",
    "%",
    "％",
    "余条",
    "余件",
    "余篇",
    "余次",
];

const APPROX_BEFORE: &[&str] = &["大约", "将近", "超过", "约", "近", "逾", "超"];
const APPROX_AFTER: &[&str] = &["余", "多"];
const APPROX_TAIL: &[&str] = &["以上", "左右"];

/// The fact keys, and what a clause must say for its figure to carry one.
pub const FACT_KEYS: &[(&str, &str)] = &[
    ("items_published", "information items proactively published (主动公开/发布…信息 N 条/篇/件), the first such figure of part 1"),
    ("policy_interpretations", "policy interpretations published (政策解读 N 条/篇/件)"),
    ("requests_received", "requests received as stated in the text (收到…申请 N 件; 未收到…申请 is 0)"),
    ("fees_charged", "fees charged for information (收取/收费/处理费 N 元/万元)"),
];

fn fold(c: char) -> char {
    crate::text::fold_width(c)
}

/// Read a number written in Chinese numerals (三十, 一百二十, 两千, 十五).
pub fn chinese_number(s: &str) -> Option<f64> {
    let digit = |c: char| -> Option<u64> {
        Some(match c {
            '〇' | '零' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let mut total = 0u64;
    let mut section = 0u64;
    let mut current: Option<u64> = None;
    let mut any = false;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = Some(d);
            any = true;
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => {
                section = (section + current.take().unwrap_or(0)) * 10_000;
                total += section;
                section = 0;
                any = true;
                continue;
            }
            _ => return None,
        };
        // 十五: a unit with no digit before it counts one of itself.
        section += current.take().unwrap_or(1) * unit;
        any = true;
    }
    any.then(|| (total + section + current.unwrap_or(0)) as f64)
}

const CHINESE_DIGITS: &str = "〇零一二三四五六七八九两十百千万";

/// Every figure in a section's text.
pub fn read_facts(section: &Section) -> Vec<Fact> {
    let mut out = Vec::new();
    for sentence in section.text.split(['。', '！', '？', '；', ';', '\n']) {
        let sentence = sentence.trim();
        if sentence.is_empty() {
            continue;
        }
        let chars: Vec<(usize, char)> = sentence.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (start, c) = chars[i];
            let arabic = fold(c).is_ascii_digit();
            let chinese = CHINESE_DIGITS.contains(c);
            if !arabic && !chinese {
                i += 1;
                continue;
            }
            // The number's extent.
            let mut j = i + 1;
            while j < chars.len() {
                let d = fold(chars[j].1);
                let ok = if arabic {
                    d.is_ascii_digit()
                        || (matches!(d, '.' | ',')
                            && chars
                                .get(j + 1)
                                .is_some_and(|&(_, n)| fold(n).is_ascii_digit()))
                } else {
                    CHINESE_DIGITS.contains(chars[j].1)
                };
                if !ok {
                    break;
                }
                j += 1;
            }
            let end = chars.get(j).map_or(sentence.len(), |&(b, _)| b);
            let written = &sentence[start..end];
            i = j;
            // Part of a longer run of digits and dashes (a phone number), or an ordinal.
            let before = &sentence[..start];
            let prev = before.chars().next_back();
            if prev.is_some_and(|p| {
                p == '第' || p == '-' || p == '—' || fold(p).is_ascii_alphanumeric()
            }) || sentence[end..].starts_with(['-', '—', '/'])
            {
                continue;
            }
            let mut rest = &sentence[end..];
            let mut approximate = APPROX_BEFORE.iter().any(|a| before.ends_with(a));
            if let Some(a) = APPROX_AFTER.iter().find(|a| rest.starts_with(*a)) {
                approximate = true;
                rest = &rest[a.len()..];
            }
            // 1.2万次: 万 belongs to the unit when a unit follows it.
            let Some(unit) = UNITS.iter().find(|u| rest.starts_with(*u)) else {
                continue;
            };
            let after_unit = &rest[unit.len()..];
            if APPROX_TAIL.iter().any(|a| after_unit.starts_with(a)) || unit.starts_with('余') {
                approximate = true;
            }
            let value = if arabic {
                written
                    .chars()
                    .map(fold)
                    .filter(|c| *c != ',')
                    .collect::<String>()
                    .parse::<f64>()
                    .ok()
            } else {
                // A lone 一 before a unit is mostly a word (一次, 一批), not a count.
                if written == "一" {
                    continue;
                }
                chinese_number(written)
            };
            let Some(value) = value else { continue };
            let unit = unit.trim_start_matches('余').to_string();
            let clause = clause_before(sentence, start);
            out.push(Fact {
                section_no: section.no,
                value,
                unit,
                approximate,
                sentence: sentence.to_string(),
                fact_key: None,
            });
            let key = key_for(section.no, clause, &out.last().expect("just pushed").unit);
            out.last_mut().expect("just pushed").fact_key = key;
        }
        // 未收到…申请: the text states none were received.
        if let Some(pos) = sentence.find("收到") {
            let before = &sentence[..pos];
            if (before.ends_with('未') || before.ends_with("没有"))
                && sentence[pos..].contains("申请")
            {
                out.push(Fact {
                    section_no: section.no,
                    value: 0.0,
                    unit: "件".to_string(),
                    approximate: false,
                    sentence: sentence.to_string(),
                    fact_key: Some("requests_received"),
                });
            }
        }
    }
    out
}

/// The clause a figure stands in, up to the figure.
fn clause_before(sentence: &str, at: usize) -> &str {
    let head = &sentence[..at];
    // 、 separates items of a list: 政策解读类8条、回应关切类13条.
    let from = head.rfind(['，', ',', '：', ':', '、']).map_or(0, |p| {
        p + head[p..].chars().next().map_or(1, char::len_utf8)
    });
    &head[from..]
}

fn key_for(section_no: u8, clause: &str, unit: &str) -> Option<&'static str> {
    let has = |k: &str| clause.contains(k);
    let count = matches!(unit, "条" | "篇" | "件");
    if has("解读") && (count || unit == "次") {
        return Some("policy_interpretations");
    }
    if has("收到") && has("申请") && unit == "件" {
        return Some("requests_received");
    }
    if (has("收取") || has("收费") || has("处理费")) && matches!(unit, "元" | "万元") {
        return Some("fees_charged");
    }
    if section_no == 1
        && count
        && (has("公开") || has("发布"))
        && has("信息")
        && !has("申请")
        && !has("浏览")
    {
        return Some("items_published");
    }
    None
}

/// Every fact of a report, with at most one `items_published` (the first:
/// later ones are parts of it, as 其中重点领域发布信息26条).
pub fn facts(sections: &[Section]) -> Vec<Fact> {
    let mut all: Vec<Fact> = sections
        .iter()
        .filter(|s| s.no >= 1)
        .flat_map(read_facts)
        .collect();
    let mut seen = std::collections::HashSet::new();
    for f in &mut all {
        if let Some(k) = f.fact_key {
            if matches!(k, "items_published" | "requests_received") && !seen.insert(k) {
                f.fact_key = None;
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(text: &str) -> Section {
        Section {
            no: 1,
            heading: None,
            text: text.to_string(),
        }
    }

    fn figures(text: &str) -> Vec<(f64, String, bool, Option<&'static str>)> {
        facts(&[section(text)])
            .into_iter()
            .map(|f| (f.value, f.unit, f.approximate, f.fact_key))
            .collect()
    }

    #[test]
    fn items_published_in_the_seeds() {
        // Seed 000.
        let f = figures("主动公开政府网站各类信息,本级栏目共发布信息164条,浏览达34515次,其中重点领域发布信息26条,浏览7247次");
        assert_eq!(f[0], (164.0, "条".into(), false, Some("items_published")));
        assert_eq!(f[1], (34515.0, "次".into(), false, None));
        assert_eq!(f[2], (26.0, "条".into(), false, None));
        // Seeds 001, 002, 003, 004.
        assert_eq!(
            figures(
                "2023年通过市政府门户网站公开政务信息113条,未收到依申请公开政府信息和咨询的情况"
            )[0]
            .0,
            113.0
        );
        assert_eq!(
            figures("主动公开各类工作动态信息200余篇")[0],
            (200.0, "篇".into(), true, Some("items_published"))
        );
        let f = figures("全年我局共主动公开各类信息151条，其中执行和结果类共更新26条、管理和服务类共104条、政策解读类8条、回应关切类13条");
        assert_eq!(f[0].3, Some("items_published"));
        assert_eq!(f[0].0, 151.0);
        assert_eq!(
            f[3],
            (8.0, "条".into(), false, Some("policy_interpretations"))
        );
        assert_eq!(
            figures("全年主动公开政府信息共计120余条，刊登学习强国800余条")[0],
            (120.0, "条".into(), true, Some("items_published"))
        );
    }

    #[test]
    fn what_is_not_a_figure() {
        // Phone, postcode, dates, a document number, ordinals, counts of kinds: from the seeds.
        let text = "如对本报告有任何疑问,请与涡阳县招商服务中心联系(地址:安徽省涡阳县经济开发区管委会六楼,电话:0558-7230906,邮编:233600)。\
                    截止到2024年12月31日。根据(国务院令第711号)、(国办公开办函〔2021〕30号)规定。属于四类过程性信息。第3次会议。设置热线0558-7230906。";
        let f = figures(text);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn chinese_numerals_and_approximations() {
        assert_eq!(chinese_number("三十"), Some(30.0));
        assert_eq!(chinese_number("一百二十"), Some(120.0));
        assert_eq!(chinese_number("两千"), Some(2000.0));
        assert_eq!(chinese_number("十五"), Some(15.0));
        assert_eq!(
            figures("开展培训三十余场"),
            [(30.0, "场".into(), true, None)]
        );
        assert_eq!(
            figures("浏览量1.2万次"),
            [(1.2, "万次".into(), false, None)]
        );
        assert_eq!(figures("满意率近40%"), [(40.0, "%".into(), true, None)]);
        assert_eq!(
            figures("收取信息处理费150元"),
            [(150.0, "元".into(), false, Some("fees_charged"))]
        );
        // Seed 002 states its requests; seed 000 states there were none.
        assert_eq!(
            figures("2024年共收到依申请公开6件")[0],
            (6.0, "件".into(), false, Some("requests_received"))
        );
        assert_eq!(
            figures("截止到2024年12月31日,未收到相关政府信息公开的申请"),
            [(0.0, "件".into(), false, Some("requests_received"))]
        );
    }
}
