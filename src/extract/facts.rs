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

/// Units of count, money, share and time span, longest first where one
/// begins another. 万 and 亿 before them are part of the unit as written
/// (万次, 亿元); alone they are a unit too (粉丝1900万).
const UNITS: &[&str] = &[
    "个百分点",
    "个工作日",
    "人次",
    "家次",
    "批次",
    "场次",
    "大类",
    "大项",
    "小项",
    "分钟",
    "条",
    "件",
    "篇",
    "次",
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
    "起",
    "通",
    "轮",
    "类",
    "种",
    "位",
    "元",
    "%",
    "％",
];

const APPROX_BEFORE: &[&str] = &["大约", "将近", "超过", "突破", "约", "近", "逾", "超"];
const APPROX_AFTER: &[&str] = &["余", "多"];
/// Bounds count as approximate too; 内 alone does not (30分钟内办结).
const APPROX_TAIL: &[&str] = &["以上", "以下", "以内", "左右"];

/// The fact keys, and what a clause must say for its figure to carry one.
pub const FACT_KEYS: &[(&str, &str)] = &[
    ("items_published", "information items proactively published in the year (共/全年/累计/主动公开/2023年 …公开/发布/公布…信息 N 条/篇/件), the first such figure of part 1; parts (其中, 重点领域) and other flows (转化, 浏览) carry none"),
    ("policy_interpretations", "policy interpretations published (政策解读 N 条/篇/件), the first; none when mixed with another kind (行政公文和政策解读信息)"),
    ("requests_received", "requests received as stated in the text (收到/受理/接收…申请 N 件, the first; 未收到…申请 is 0)"),
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

/// The characters of numbers written in Chinese numerals.
const CHINESE_DIGITS: [char; 16] = [
    '〇', '零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '两', '十', '百', '千', '万',
];

/// A character of a number written in Chinese numerals.
fn is_chinese_digit(c: char) -> bool {
    CHINESE_DIGITS.contains(&c)
}

/// Finds where a number may start: an ASCII or full-width digit, or a
/// Chinese numeral. Real narratives run to tens of KB (37 KB in Shanghai's
/// 2020 summary); the automaton finds the next start faster than a test of
/// every char.
fn number_starts() -> &'static aho_corasick::AhoCorasick {
    static FINDER: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    FINDER.get_or_init(|| {
        let starts = ('0'..='9')
            .chain('０'..='９')
            .chain(CHINESE_DIGITS)
            .map(String::from);
        aho_corasick::AhoCorasick::new(starts).expect("number starts build")
    })
}

/// Where the number starting with `first` at byte `start` of `s` ends:
/// digits, and `.`/`,` between digits; or Chinese numerals.
fn number_end(s: &str, start: usize, first: char) -> usize {
    let arabic = fold(first).is_ascii_digit();
    let mut end = start + first.len_utf8();
    let mut rest = s[end..].chars();
    while let Some(c) = rest.next() {
        let d = fold(c);
        let ok = if arabic {
            d.is_ascii_digit()
                || (matches!(d, '.' | ',')
                    && rest
                        .clone()
                        .next()
                        .is_some_and(|n| fold(n).is_ascii_digit()))
        } else {
            is_chinese_digit(c)
        };
        if !ok {
            break;
        }
        end += c.len_utf8();
    }
    end
}

/// Every figure in a section's text.
pub fn read_facts(section: &Section) -> Vec<Fact> {
    let mut out = Vec::new();
    let finder = number_starts();
    // Most sentences say nothing of requests received: one search of the
    // whole text spares one a sentence.
    let mentions_received = section.text.contains("收到");
    for sentence in section.text.split(['。', '！', '？', '；', ';', '\n']) {
        let sentence = sentence.trim();
        if sentence.is_empty() {
            continue;
        }
        // A sentence's names are found only once it has a figure to test
        // against them.
        let mut names: Option<Vec<(usize, usize)>> = None;
        let mut from = 0;
        while let Some(m) =
            finder.find(aho_corasick::Input::new(sentence).span(from..sentence.len()))
        {
            let start = m.start();
            let c = sentence[start..]
                .chars()
                .next()
                .expect("a match starts a char");
            let arabic = fold(c).is_ascii_digit();
            let end = number_end(sentence, start, c);
            let written = &sentence[start..end];
            from = end;
            // Part of a longer run of digits and dashes (a phone number), or an ordinal.
            let before = &sentence[..start];
            let prev = before.chars().next_back();
            if prev.is_some_and(|p| {
                p == '第' || p == '-' || p == '—' || fold(p).is_ascii_alphanumeric()
            }) || sentence[end..].starts_with(['-', '—', '/'])
            {
                continue;
            }
            // A lone 一 or 二 is a word (一批, 二次供水): counts of two are
            // written 两. Most numbers in prose are these, or have no unit
            // after them: both are ruled out before the names are looked for.
            if !arabic && (written == "一" || written == "二") {
                continue;
            }
            let Some(figure) = figure_after(&sentence[end..]) else {
                continue;
            };
            if in_name(names.get_or_insert_with(|| name_spans(sentence)), start) {
                continue;
            }
            let approximate =
                figure.approximate || APPROX_BEFORE.iter().any(|a| before.ends_with(a));
            let unit = figure.unit;
            let value = if arabic {
                written
                    .chars()
                    .map(fold)
                    .filter(|c| *c != ',')
                    .collect::<String>()
                    .parse::<f64>()
                    .ok()
            } else {
                // 四类, 三类 name kinds the rules define (四类过程性信息),
                // where 360类 counts them.
                if unit.ends_with('类') {
                    continue;
                }
                chinese_number(written)
            };
            let Some(value) = value else { continue };
            let clause = clause_before(sentence, start);
            out.push(Fact {
                section_no: section.no,
                value,
                unit,
                approximate,
                sentence: sentence.to_string(),
                fact_key: None,
            });
            let key = key_for(
                section.no,
                Clause {
                    narrow: clause,
                    wide: wide_clause_before(sentence, start),
                    after: figure.after,
                },
                &out.last().expect("just pushed").unit,
            );
            out.last_mut().expect("just pushed").fact_key = key;
        }
        // 未收到…申请: the text states none were received.
        let received_at = if mentions_received {
            sentence.find("收到")
        } else {
            None
        };
        if let Some(pos) = received_at {
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

/// What follows a number when it is a figure: its unit as written and
/// whether 余/多/以上… make it approximate.
struct FigureTail<'a> {
    unit: String,
    approximate: bool,
    /// The text after the unit (and after 以上/左右…).
    after: &'a str,
}

/// 万 and 亿 after a number: part of its unit (1.2万次), or the unit alone.
const MULTIPLIERS: &[&str] = &["万", "亿"];
/// What may stand between a number and a percent sign (6.62 %).
const SPACES_BEFORE_PERCENT: [char; 2] = [' ', '\u{a0}'];

/// The chars a figure's tail may start with: spaces before a percent sign,
/// and the first chars of 余/多, 万/亿 and the units. Worked out once, not
/// once a number: most numbers in prose are followed by none of them.
fn tail_starts() -> &'static [char] {
    static STARTS: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    STARTS.get_or_init(|| {
        let mut starts: Vec<char> = APPROX_AFTER
            .iter()
            .chain(MULTIPLIERS)
            .chain(UNITS)
            .filter_map(|w| w.chars().next())
            .chain(SPACES_BEFORE_PERCENT)
            .collect();
        starts.sort_unstable();
        starts.dedup();
        starts
    })
}

/// Read `[余|多][万|亿][余|多]UNIT[以上|左右…]` after a number: 200余篇,
/// 2.7万余人次, 500余万, 1.2万次, 6.62 %. None when no unit follows.
fn figure_after(rest: &str) -> Option<FigureTail<'_>> {
    // Nothing below can match unless the text goes on with one of these
    // words or spaces: most numbers in prose are followed by none.
    let next = rest.chars().next()?;
    if !tail_starts().contains(&next) {
        return None;
    }
    let mut rest = rest;
    let mut approximate = false;
    let mut approx = |rest: &mut &str| {
        if let Some(a) = APPROX_AFTER.iter().find(|a| rest.starts_with(*a)) {
            approximate = true;
            *rest = &rest[a.len()..];
        }
    };
    approx(&mut rest);
    let multiplier = MULTIPLIERS.iter().copied().find(|m| rest.starts_with(m));
    if let Some(m) = multiplier {
        rest = &rest[m.len()..];
        approx(&mut rest);
    }
    // A space may stand before a percent sign (6.62 %), nowhere else.
    let spaced = rest.trim_start_matches(SPACES_BEFORE_PERCENT);
    let base = UNITS.iter().find(|u| rest.starts_with(*u)).or_else(|| {
        UNITS[UNITS.len() - 2..]
            .iter()
            .find(|u| spaced.starts_with(*u))
    });
    let (unit, after) = match (multiplier, base) {
        (m, Some(u)) => {
            let after = &spaced[spaced.find(u).expect("starts with it") + u.len()..];
            (format!("{}{u}", m.unwrap_or("")), after)
        }
        (Some(m), None) => (m.to_string(), rest),
        (None, None) => return None,
    };
    let tail = APPROX_TAIL.iter().find(|a| after.starts_with(*a));
    Some(FigureTail {
        unit,
        approximate: approximate || tail.is_some(),
        after: tail.map_or(after, |t| &after[t.len()..]),
    })
}

/// Byte spans of names, whose numbers are no figures: titles in 《…》,
/// phrases in “…” (“八项行动”), and the nickname in （…） right after a
/// title (《…》（稳定外贸11条）).
fn name_spans(sentence: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char)> = None;
    let mut depth = 0;
    let mut after_title = false;
    for (i, c) in sentence.char_indices() {
        match (open, c) {
            (None, '《' | '“' | '（') if c != '（' || after_title => {
                open = Some((i, c));
                depth = 1;
            }
            (Some((_, o)), _) if c == o && o == '《' => depth += 1,
            (Some((from, o)), _) if matches!((o, c), ('《', '》') | ('“', '”') | ('（', '）')) =>
            {
                depth -= 1;
                if depth == 0 {
                    spans.push((from, i + c.len_utf8()));
                    open = None;
                }
            }
            _ => {}
        }
        after_title = c == '》';
    }
    if let Some((from, _)) = open {
        spans.push((from, sentence.len()));
    }
    spans
}

fn in_name(spans: &[(usize, usize)], at: usize) -> bool {
    spans.iter().any(|&(a, b)| a <= at && at < b)
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

/// The clause up to the figure across 、 lists: 接收通过邮寄、网络提交的…申请共计81件.
fn wide_clause_before(sentence: &str, at: usize) -> &str {
    let head = &sentence[..at];
    let from = head.rfind(['，', ',', '：', ':']).map_or(0, |p| {
        p + head[p..].chars().next().map_or(1, char::len_utf8)
    });
    &head[from..]
}

/// The words around a figure that decide its key.
struct Clause<'a> {
    /// Up to the figure from the last comma or 、.
    narrow: &'a str,
    /// Up to the figure from the last comma.
    wide: &'a str,
    /// After the unit: 收到70件申请.
    after: &'a str,
}

/// Words that make a count of information items a total for the year.
const TOTAL_WORDS: &[&str] = &["共", "累计", "全年", "主动公开", "合计", "总计"];
/// Words that make it a part or some other flow: 其中重点领域发布信息26条,
/// 转化公开政府信息, 浏览, 申请.
const PART_WORDS: &[&str] = &["其中", "重点", "领域", "转化", "浏览", "申请"];

fn key_for(section_no: u8, clause: Clause<'_>, unit: &str) -> Option<&'static str> {
    // Every key below is a count (条, 篇, 件, 次) or money (元, 万元): the
    // clause's words are looked for only then.
    if !matches!(unit, "条" | "篇" | "件" | "次" | "元" | "万元") {
        return None;
    }
    let has = |k: &str| clause.narrow.contains(k);
    let count = matches!(unit, "条" | "篇" | "件");
    // 行政公文和政策解读信息9条 mixes two kinds: no key rather than a wrong one.
    // 政策 too: 新闻报道和深度解读410余篇 are the media's.
    if has("政策") && has("解读") && (count || unit == "次") {
        let mixed = clause.narrow.split("解读").next().is_some_and(|head| {
            head.trim_end_matches("政策")
                .ends_with(['和', '及', '与', '、'])
        });
        return (!mixed).then_some("policy_interpretations");
    }
    let received = ["收到", "受理", "接收"]
        .iter()
        .any(|w| clause.wide.contains(w));
    if received
        && unit == "件"
        && (clause.wide.contains("申请") || clause.after.starts_with("申请"))
    {
        return Some("requests_received");
    }
    if (has("收取") || has("收费") || has("处理费")) && matches!(unit, "元" | "万元") {
        return Some("fees_charged");
    }
    let total = TOTAL_WORDS.iter().any(|w| has(w)) || has_year(clause.narrow);
    if section_no == 1
        && count
        && total
        && (has("公开") || has("发布") || has("公布"))
        && has("信息")
        && !PART_WORDS.iter().any(|w| has(w))
    {
        return Some("items_published");
    }
    None
}

/// A four-digit year (2023年) states the figure is the year's.
fn has_year(s: &str) -> bool {
    s.match_indices('年').any(|(i, _)| {
        let digits = s[..i]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        digits == 4
    })
}

/// Every fact of a report, with at most one `items_published`,
/// `requests_received` and `policy_interpretations` each (the first: later
/// ones are parts or other channels, as 公报…政策解读97件 after the site's 123篇).
pub fn facts(sections: &[Section]) -> Vec<Fact> {
    let mut all: Vec<Fact> = sections
        .iter()
        .filter(|s| s.no >= 1)
        .flat_map(read_facts)
        .collect();
    let mut seen = std::collections::HashSet::new();
    for f in &mut all {
        if let Some(k) = f.fact_key {
            if matches!(
                k,
                "items_published" | "requests_received" | "policy_interpretations"
            ) && !seen.insert(k)
            {
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
    fn units_as_written() {
        // From shanghai_city_summary_2020 and shanghai_gov_office_2019.
        assert_eq!(
            figures("培训2.7万余人次"),
            [(2.7, "万人次".into(), true, None)]
        );
        assert_eq!(figures("增加500余万"), [(500.0, "万".into(), true, None)]);
        assert_eq!(
            figures("用户已突破550万"),
            [(550.0, "万".into(), true, None)]
        );
        assert_eq!(figures("下降6.62 %"), [(6.62, "%".into(), false, None)]);
        assert_eq!(
            figures("上升0.87个百分点"),
            [(0.87, "个百分点".into(), false, None)]
        );
        assert_eq!(
            figures("抽查信息156家次"),
            [(156.0, "家次".into(), false, None)]
        );
    }

    #[test]
    fn names_are_not_figures() {
        // Titles, quoted slogans and a title's nickname, from the real corpus.
        let text = "出台《支持涉旅企业应对疫情共渡难关八条措施实施细则》，\
                    深入开展“八项行动”，发布《关于应对新冠肺炎疫情支持外贸企业稳定发展的政策措施》（稳定外贸11条），\
                    按季度公布本市二次供水水质，发放宣传册一批";
        assert_eq!(figures(text), []);
        // A number in parentheses that follow no title is a figure.
        assert_eq!(
            figures("省级食品抽检信息49期（涉及32563批次食品）"),
            [
                (49.0, "期".into(), false, None),
                (32563.0, "批次".into(), false, None)
            ]
        );
    }

    #[test]
    fn keys_in_the_real_corpus() {
        // 行政公文和政策解读 mixes two kinds; 新闻报道和深度解读 is the media's.
        assert_eq!(figures("其中：发布行政公文和政策解读信息9条")[0].3, None);
        assert_eq!(figures("主流媒体新闻报道和深度解读410余篇")[0].3, None);
        // The figure before 申请, and 受理/接收 for 收到.
        assert_eq!(
            figures("本年度全区共收到70件申请")[0].3,
            Some("requests_received")
        );
        assert_eq!(
            figures("2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件")[0].3,
            Some("requests_received")
        );
        // A column's count is no total for the year; 其中 and 转化 are parts.
        assert_eq!(figures("疫情防控专栏，发布各类权威信息201条")[0].3, None);
        assert_eq!(figures("年内全市合计共转化公开政府信息5080条")[0].3, None);
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
