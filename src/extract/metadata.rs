//! Report metadata that pages bury in titles, first sentences and contact lines.

use chrono::NaiveDate;

use super::sections::{Layout, Piece};
use crate::document::PageInfo;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub title: Option<String>,
    pub agency: Option<String>,
    /// The year reported on (not the year of publication).
    pub year: Option<i32>,
    pub published: Option<NaiveDate>,
    pub source_url: Option<String>,
}

const REPORT_WORDS: &[&str] = &[
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "政务公开工作年度报告",
    "信息公开工作年度报告",
    "年度报告",
];

pub fn read_metadata(page: &PageInfo, layout: &Layout<'_>) -> Metadata {
    let texts: Vec<&str> = layout
        .pieces
        .iter()
        .filter_map(|(_, p)| match p {
            Piece::Text(t) => Some(*t),
            Piece::Table(_) => None,
        })
        .collect();
    let title = find_title(page, &texts);
    let (mut agency, mut year) = title.as_deref().map(agency_and_year).unwrap_or_default();
    // The first sentence often names the report: 《XX2024年政府信息公开工作年度报告》.
    for t in texts.iter().take(40) {
        if agency.is_some() && year.is_some() {
            break;
        }
        for quoted in quoted_titles(t) {
            if REPORT_WORDS.iter().any(|w| quoted.contains(w)) {
                let (a, y) = agency_and_year(quoted);
                agency = agency.or(a);
                year = year.or(y);
            }
        }
    }
    let all_text = texts.join("\n");
    if agency.is_none() {
        agency = contact_agency(&all_text)
            .or_else(|| signature_agency(layout))
            .or_else(|| {
                page.meta("ContentSource")
                    .map(str::to_string)
                    .filter(|a| is_agency_like(a))
            });
    }
    if year.is_none() {
        year = statistics_year(&all_text);
    }
    Metadata {
        title,
        agency,
        year,
        published: published_date(page, layout, &texts),
        source_url: page.source_url.clone(),
    }
}

/// Whether the page's own title (`ArticleTitle`, `<title>`, a dump's `标题:`)
/// names an annual report of a year. Reports on years before 2019 follow an
/// older outline (一、概述 … 五、申请行政复议…), so few of their headings are the
/// template's; their title still says what they are. Text blocks are not
/// asked: a column's list page carries report titles as its links.
pub fn page_titled_as_report(page: &PageInfo) -> bool {
    own_titles(page)
        .map(clean_title)
        .any(|t| is_report_title(&t) && agency_and_year(&t).1.is_some())
}

/// True when the page's title is a notice's (`…有关事项的通知`) or names the
/// template's format (`关于印发《…年度报告格式》的通知`), and gives no year:
/// what a site's 政务公开 column reposts from the State Council. A report
/// sent out by a notice names its year (`关于印发XX县2022年…年度报告的通知`).
pub fn page_titled_as_notice(page: &PageInfo, title: Option<&str>) -> bool {
    own_titles(page)
        .map(clean_title)
        .chain(title.map(str::to_string))
        .any(|t| (t.ends_with("通知") || t.contains("报告格式")) && agency_and_year(&t).1.is_none())
}

fn is_report_title(s: &str) -> bool {
    REPORT_WORDS.iter().any(|w| s.contains(w)) && s.chars().count() <= 100
}

/// The titles the page gives itself: the CMS's `ArticleTitle`, then every
/// `<title>` (or a dump's `标题:`).
fn own_titles(page: &PageInfo) -> impl Iterator<Item = &str> {
    page.meta("ArticleTitle")
        .into_iter()
        .chain(page.titles.iter().map(String::as_str))
}

fn find_title(page: &PageInfo, texts: &[&str]) -> Option<String> {
    if let Some(t) = own_titles(page).find(|t| is_report_title(t)) {
        return Some(clean_title(t));
    }
    let texts = &texts[..texts.len().min(40)];
    let (i, t) = texts
        .iter()
        .enumerate()
        .find(|(_, t)| t.chars().count() <= 80 && is_report_title(t))?;
    // A PDF's text breaks a long title where the page's line ended
    // (`2025年上海市人民政府办公厅政府信息公开` / `工作年度报告`): a title line
    // without its year goes on from the line before, when that line is a
    // phrase, not a sentence, and brings the year.
    if let Some(before) = i.checked_sub(1).map(|b| texts[b]) {
        if year_at(t).is_none()
            && !before.contains(['。', '，', ',', '；', '：', ':'])
            && before.chars().count() <= 60
        {
            let joined = [before, t].concat();
            if year_at(&joined).is_some() {
                return Some(clean_title(&joined));
            }
        }
    }
    Some(clean_title(t))
}

/// Drop the site name that `<title>` elements append (`…年度报告-沭阳县发改局`).
fn clean_title(t: &str) -> String {
    let t = t.trim().trim_start_matches('《');
    let mut end = t.len();
    for sep in ["-", "_", "|", " - ", "——", "－"] {
        if let Some(pos) = t.rfind(sep) {
            if is_report_title(&t[..pos]) && !is_report_title(&t[pos + sep.len()..]) {
                end = end.min(pos);
            }
        }
    }
    let t = &t[..end];
    let t = t.split('》').next().unwrap_or(t);
    t.trim().to_string()
}

/// Text inside 《》.
fn quoted_titles(s: &str) -> impl Iterator<Item = &str> {
    s.split('《')
        .skip(1)
        .filter_map(|p| p.split_once('》').map(|(q, _)| q))
}

/// A four-digit year 1990–2099 followed by 年: (byte start, byte end incl. 年/年度, year).
fn year_at(s: &str) -> Option<(usize, usize, i32)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        if b[i..i + 4].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && s[i + 4..].starts_with('年')
        {
            let y: i32 = s[i..i + 4].parse().ok()?;
            if (1990..2100).contains(&y) {
                let mut end = i + 4 + '年'.len_utf8();
                if s[end..].starts_with('度') {
                    end += '度'.len_utf8();
                }
                return Some((i, end, y));
            }
        }
        i += 1;
    }
    None
}

/// Agency and year from a report title in either order:
/// `XX局2024年政府信息公开…` or `2019年XX局政府信息公开…`.
pub fn agency_and_year(title: &str) -> (Option<String>, Option<i32>) {
    let title = title.trim().trim_start_matches('《');
    let Some((start, end, year)) = year_at(title) else {
        return (None, None);
    };
    let before = title[..start].trim();
    let agency = if !before.is_empty() {
        before.to_string()
    } else {
        let rest = &title[end..];
        let cut = ["政府信息公开", "政务公开", "信息公开"]
            .iter()
            .filter_map(|w| rest.find(w))
            .min()
            .unwrap_or(0);
        rest[..cut].trim().to_string()
    };
    let agency = clean_agency(&agency);
    (agency, Some(year))
}

fn clean_agency(a: &str) -> Option<String> {
    let a = a
        .trim()
        .trim_start_matches(['《', '“', '"', '（', '('])
        .trim_end_matches(['的', '》', ':', '：'])
        .trim();
    let a = a.strip_prefix("关于").unwrap_or(a).trim();
    is_agency_like(a).then(|| a.to_string())
}

/// Short, Chinese, and not a sentence.
fn is_agency_like(a: &str) -> bool {
    let n = a.chars().count();
    (2..=40).contains(&n)
        && !a.contains(['。', '，', ',', '；', ':', '：'])
        && a.chars().any(crate::text::is_ideograph)
}

/// `请与XX联系` / `联系单位：XX`: the contact line names the agency.
fn contact_agency(text: &str) -> Option<String> {
    for part in text.split("请与").skip(1) {
        if let Some((name, _)) = part.split_once("联系") {
            if let Some(a) = clean_agency(name) {
                return Some(a);
            }
        }
    }
    None
}

/// The last `n` non-empty texts of the report's parts, last first: where a
/// signature stands.
fn last_lines<'a>(layout: &Layout<'a>, n: usize) -> Vec<&'a str> {
    layout
        .pieces
        .iter()
        .rev()
        .filter(|(s, _)| *s > 0)
        .filter_map(|(_, p)| match p {
            Piece::Text(t) if !t.trim().is_empty() => Some(t.trim()),
            _ => None,
        })
        .take(n)
        .collect()
}

/// The signature that ends a report: `XX局 2024年1月17日`, or the agency on
/// the line before the date.
fn signature_agency(layout: &Layout<'_>) -> Option<String> {
    let last = last_lines(layout, 3);
    for (i, t) in last.iter().enumerate() {
        let Some((start, _, _)) = year_at(t) else {
            continue;
        };
        if parse_date_prefix(&t[start..]).is_none() || !t.ends_with('日') {
            continue;
        }
        // The name is what stands before the date on its line, else the line above.
        let before = t[..start].trim();
        let name = if before.is_empty() {
            last.get(i + 1).copied().unwrap_or("")
        } else {
            before
        };
        // Only the last words of a sentence-long line can be a name.
        let name = name.rsplit(['。', ' ']).next().unwrap_or(name);
        if AGENCY_ENDINGS.iter().any(|e| name.ends_with(e)) {
            if let Some(a) = clean_agency(name) {
                return Some(a);
            }
        }
    }
    None
}

/// How agency names end (局, 委员会, 人民政府, 办公室, 中心…).
const AGENCY_ENDINGS: &[&str] = &[
    "局",
    "委员会",
    "委",
    "政府",
    "办公室",
    "办公厅",
    "中心",
    "管委会",
    "办事处",
    "厅",
    "院",
    "所",
    "站",
    "队",
    "部",
    "署",
    "会",
    "处",
    "室",
    "馆",
    "区",
    "街道",
];

/// `统计时间为2024年1月1日至12月31日`, `数据统计期限从2019年1月1日到…`.
fn statistics_year(text: &str) -> Option<i32> {
    for key in [
        "统计时间",
        "统计期限",
        "统计时限",
        "统计区间",
        "统计周期",
        "数据统计",
    ] {
        let mut rest = text;
        while let Some(pos) = rest.find(key) {
            // A PDF's text may break the line inside the date (`为 2025` / `年 1 月`).
            let window: String = rest[pos..]
                .chars()
                .filter(|c| !c.is_whitespace())
                .take(30)
                .collect();
            if let Some((_, _, y)) = year_at(&window) {
                return Some(y);
            }
            rest = &rest[pos + key.len()..];
        }
    }
    None
}

/// The publication date: the page's metadata, a date labelled as the
/// publication date near the top (also in the 索引号 table many CMSes print),
/// the signature date at the end, then a date labelled only 时间/日期.
fn published_date(page: &PageInfo, layout: &Layout<'_>, texts: &[&str]) -> Option<NaiveDate> {
    for key in ["PubDate", "pubdate", "publishdate", "firstpublishedtime"] {
        if let Some(d) = page.meta(key).and_then(parse_date_prefix) {
            return Some(d);
        }
    }
    const PUBLISHED: &[&str] = &[
        "发布时间",
        "发布日期",
        "发文日期",
        "成文日期",
        "公开日期",
        "生成日期",
    ];
    const ANY_DATE: &[&str] = &["日期", "时间"];
    // Every label holds 日期 or 时间: the lines without either (most of the
    // navigation at the top) are set aside in one pass each.
    let head: Vec<&str> = texts
        .iter()
        .take(40)
        .copied()
        .filter(|t| ANY_DATE.iter().any(|w| t.contains(w)))
        .collect();
    labelled_date(&head, PUBLISHED)
        .or_else(|| table_date(layout, PUBLISHED))
        .or_else(|| signature_date(layout))
        .or_else(|| labelled_date(&head, ANY_DATE))
        .or_else(|| table_date(layout, ANY_DATE))
}

/// Who wrote a date matters: a crawler's 采集时间 is not the publication.
const NOT_PUBLISHED: &[&str] = &["采集", "访问", "更新", "生成", "打印", "统计", "浏览"];

fn labelled_date(texts: &[&str], labels: &[&str]) -> Option<NaiveDate> {
    debug_assert!(labels
        .iter()
        .all(|l| l.contains("日期") || l.contains("时间")));
    for label in labels {
        for t in texts {
            let mut from = 0;
            while let Some(pos) = t[from..].find(label).map(|p| p + from) {
                from = pos + label.len();
                let before: String = t[..pos]
                    .chars()
                    .rev()
                    .take(2)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                if NOT_PUBLISHED.iter().any(|n| before.ends_with(n)) {
                    continue;
                }
                let after = t[from..].trim_start_matches([':', '：', ' ', '\u{a0}']);
                if let Some(d) = parse_date_prefix(after) {
                    return Some(d);
                }
            }
        }
    }
    None
}

/// `| 发布日期 | 2024-01-17 |` in a metadata table before the body.
fn table_date(layout: &Layout<'_>, labels: &[&str]) -> Option<NaiveDate> {
    for (_, piece) in layout.pieces.iter().filter(|(s, _)| *s == 0) {
        let Piece::Table(t) = piece else { continue };
        for pair in t.cells.windows(2) {
            let label = pair[0].text.trim().trim_end_matches([':', '：']);
            if labels.iter().any(|l| label.ends_with(l))
                && !NOT_PUBLISHED.iter().any(|n| label.contains(n))
            {
                if let Some(d) = parse_date_prefix(&pair[1].text) {
                    return Some(d);
                }
            }
        }
    }
    None
}

/// The report's last lines: `XX局 2024年1月17日`.
fn signature_date(layout: &Layout<'_>) -> Option<NaiveDate> {
    let last = last_lines(layout, 2);
    for t in last {
        let tail: String = t
            .chars()
            .rev()
            .take(12)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let Some(pos) = tail.find(|c: char| c.is_ascii_digit()) else {
            continue;
        };
        let candidate = &tail[pos..];
        if let Some(d) = parse_date_prefix(candidate) {
            // Only a date that ends the text is a signature.
            if candidate.trim_end().ends_with('日') {
                return Some(d);
            }
        }
    }
    None
}

/// `2025-01-16 10:40`, `2020年1月31日`, `2024/01/31`, `2024.1.31`.
pub fn parse_date_prefix(s: &str) -> Option<NaiveDate> {
    let s = s.trim_start();
    let mut nums = [0u32; 3];
    let mut rest = s;
    for (i, num) in nums.iter_mut().enumerate() {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let max_len = if i == 0 { 4 } else { 2 };
        if digits.is_empty() || digits.len() > max_len || (i == 0 && digits.len() != 4) {
            return None;
        }
        *num = digits.parse().ok()?;
        rest = &rest[digits.len()..];
        let sep = match i {
            0 => ["-", "年", "/", "."].iter().find(|p| rest.starts_with(*p)),
            1 => ["-", "月", "/", "."].iter().find(|p| rest.starts_with(*p)),
            _ => None,
        };
        if i < 2 {
            rest = &rest[sep?.len()..];
        }
    }
    let d = NaiveDate::from_ymd_opt(nums[0] as i32, nums[1], nums[2])?;
    (1990..2100).contains(&(nums[0] as i32)).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_without_a_year_is_titled_as_one() {
        let titled = |t: &str| PageInfo {
            titles: vec![t.to_string()],
            ..PageInfo::default()
        };
        // The State Council's notices, as sites repost them (the 2021 one on
        // zrzy.smx.gov.cn, with its column's name after the title).
        for notice in [
            "国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知_政府信息公开机制",
            "国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知",
        ] {
            assert!(page_titled_as_notice(&titled(notice), None), "{notice}");
        }
        // A title-less page's title as read from its text.
        assert!(page_titled_as_notice(
            &PageInfo::default(),
            Some("中华人民共和国政府信息公开工作年度报告格式")
        ));
        // A report sent out by a notice names its year; a report is no notice.
        for report in [
            "郎溪县人民政府办公室关于印发郎溪县2022年政府信息公开工作年度报告的通知",
            "涡阳县招商服务中心2024年政府信息公开工作年度报告",
        ] {
            assert!(
                !page_titled_as_notice(&titled(report), Some(report)),
                "{report}"
            );
        }
    }

    #[test]
    fn titles_in_both_orders() {
        assert_eq!(
            agency_and_year("涡阳县招商服务中心2024年政府信息公开工作年度报告"),
            (Some("涡阳县招商服务中心".into()), Some(2024))
        );
        assert_eq!(
            agency_and_year("2019年上海市人民政府办公厅政府信息公开工作年度报告"),
            (Some("上海市人民政府办公厅".into()), Some(2019))
        );
        assert_eq!(
            agency_and_year("余姚市人民政府招商中心2023年度政府信息公开工作年度报告"),
            (Some("余姚市人民政府招商中心".into()), Some(2023))
        );
    }

    #[test]
    fn a_title_broken_over_two_lines_is_joined() {
        // The PDF text of 上海市人民政府办公厅's report on 2025
        // (KIROGOVCOMPARE's shanghai-office-sample-source.md), where the
        // statistics period is broken inside its date too.
        let doc = crate::parse::text::parse_text(
            "正文\n2025 年上海市人民政府办公厅政府信息公开\n工作年度报告\n\
             本年度报告中所列数据统计期限为 2025\n年 1 月 1 日至 12 月 31 日。\n一、总体情况",
        );
        let layout = crate::extract::sections::layout(&doc);
        let meta = read_metadata(&doc.page, &layout);
        assert_eq!(
            meta.title.as_deref(),
            Some("2025年上海市人民政府办公厅政府信息公开工作年度报告")
        );
        assert_eq!(meta.agency.as_deref(), Some("上海市人民政府办公厅"));
        assert_eq!(meta.year, Some(2025));
        let texts = ["2025", "年 1 月 1 日至 12 月 31 日"].join("\n");
        assert_eq!(
            statistics_year(&format!("数据统计期限为{texts}")),
            Some(2025)
        );
    }

    #[test]
    fn site_names_are_cut_from_titles() {
        assert_eq!(
            clean_title("沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局"),
            "沭阳县发展和改革局2023年政府信息公开年度报告"
        );
    }

    #[test]
    fn dates_as_pages_write_them() {
        assert_eq!(
            parse_date_prefix("2025-01-16 10:40"),
            NaiveDate::from_ymd_opt(2025, 1, 16)
        );
        assert_eq!(
            parse_date_prefix("2024年1月17日"),
            NaiveDate::from_ymd_opt(2024, 1, 17)
        );
        assert_eq!(parse_date_prefix("2024-13-01"), None);
        assert_eq!(parse_date_prefix("20240101"), None);
    }

    #[test]
    fn the_signature_names_the_agency() {
        // The end of seed 001, its title taken away.
        let doc = crate::parse::text::parse_text(
            "一、总体情况\n2023年,我中心公开政务信息113条。\n六、其他需要报告的事项 无。 余姚市人民政府招商中心 2024年1月17日 |",
        );
        let layout = crate::extract::sections::layout(&doc);
        assert_eq!(
            signature_agency(&layout),
            Some("余姚市人民政府招商中心".into())
        );
        let doc =
            crate::parse::text::parse_text("一、总体情况\n无。\n沭阳县发展和改革局\n2024年1月17日");
        let layout = crate::extract::sections::layout(&doc);
        assert_eq!(signature_agency(&layout), Some("沭阳县发展和改革局".into()));
    }

    #[test]
    fn statistics_period_gives_the_year() {
        // Seed 003, after conversion to simplified script.
        let t = "要求编制,使用数据统计时间为2024年1月1日至12月31日。";
        assert_eq!(statistics_year(t), Some(2024));
        assert_eq!(
            contact_agency("如对本报告有疑问,请与郎溪县科技工信局联系(地址:"),
            Some("郎溪县科技工信局".into())
        );
    }
}
