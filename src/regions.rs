//! Where an agency sits: province, prefecture and county (GB/T 2260), its
//! level and its kind, and a key that names it the same way every year.
//!
//! Only what the page says is used: full division names (涡阳县, 余姚市) in
//! the agency's name, the title or the preamble (address lines), and a
//! prefecture's short name written right before the agency's own name
//! (赣州蓉江新区). A name that stands for several divisions (朝阳区) is only
//! settled by the province or prefecture the page also names. Unknown stays
//! null.

use std::collections::HashMap;
use std::sync::OnceLock;

/// One row of `data/reference/divisions.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Division {
    pub code: String,
    pub name: String,
    pub short: String,
    pub level: Level,
    pub province_code: String,
    pub prefecture_code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Province,
    Prefecture,
    County,
}

/// The divisions, parsed once from the table compiled into the binary.
pub fn divisions() -> &'static [Division] {
    static TABLE: OnceLock<Vec<Division>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../data/reference/divisions.csv")
            .lines()
            .skip(1)
            .filter_map(|line| {
                let f: Vec<&str> = line.split(',').collect();
                let level = match *f.get(3)? {
                    "province" => Level::Province,
                    "prefecture" => Level::Prefecture,
                    "county" => Level::County,
                    _ => return None,
                };
                Some(Division {
                    code: f[0].to_string(),
                    name: f[1].to_string(),
                    short: f[2].to_string(),
                    level,
                    province_code: f[4].to_string(),
                    prefecture_code: f[5].to_string(),
                })
            })
            .collect()
    })
}

/// The table is sorted by code (a test checks it), so a look-up is a
/// binary search: a linear scan here was about a quarter of the region
/// lookup's time in a profile of 3,000 generated pages.
fn by_code(code: &str) -> Option<&'static Division> {
    let table = divisions();
    table
        .binary_search_by(|d| d.code.as_str().cmp(code))
        .ok()
        .map(|i| &table[i])
}

/// Prefectures whose short name has two characters or more: the ones a
/// page may write right before an agency's name (赣州蓉江新区).
fn prefectures_by_short_name() -> &'static [&'static Division] {
    static LIST: OnceLock<Vec<&'static Division>> = OnceLock::new();
    LIST.get_or_init(|| {
        divisions()
            .iter()
            .filter(|d| d.level == Level::Prefecture && d.short.chars().count() >= 2)
            .collect()
    })
}

/// Where an agency sits, as far as its page says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Region {
    pub province: Option<&'static Division>,
    pub prefecture: Option<&'static Division>,
    pub county: Option<&'static Division>,
}

impl Region {
    fn from_division(d: &'static Division) -> Region {
        let province = by_code(&d.province_code);
        let prefecture = if d.prefecture_code.is_empty() {
            None
        } else {
            by_code(&d.prefecture_code)
        };
        match d.level {
            Level::Province => Region {
                province: Some(d),
                ..Region::default()
            },
            Level::Prefecture => Region {
                province,
                prefecture: Some(d),
                county: None,
            },
            Level::County => Region {
                province,
                prefecture,
                county: Some(d),
            },
        }
    }

    /// The most specific division known.
    pub fn most_specific(&self) -> Option<&'static Division> {
        self.county.or(self.prefecture).or(self.province)
    }
}

/// Division names that are ordinary words (城区 is a district of 大同 and of
/// three other cities, and the downtown of every city).
const GENERIC: &[&str] = &["城区", "矿区", "郊区", "东区", "西区"];

/// One automaton over every division name (names repeat: 鼓楼区 is a
/// district of four cities), so that a page is scanned once, not once per
/// division.
fn name_finder() -> &'static (aho_corasick::AhoCorasick, Vec<Vec<&'static Division>>) {
    static FINDER: OnceLock<(aho_corasick::AhoCorasick, Vec<Vec<&'static Division>>)> =
        OnceLock::new();
    FINDER.get_or_init(|| {
        let mut names: Vec<&'static str> = Vec::new();
        let mut of_name: Vec<Vec<&'static Division>> = Vec::new();
        let mut index: HashMap<&'static str, usize> = HashMap::new();
        for d in divisions()
            .iter()
            .filter(|d| !GENERIC.contains(&d.name.as_str()))
        {
            let i = *index.entry(d.name.as_str()).or_insert_with(|| {
                names.push(d.name.as_str());
                of_name.push(Vec::new());
                names.len() - 1
            });
            of_name[i].push(d);
        }
        let finder = aho_corasick::AhoCorasick::new(&names).expect("division names build");
        (finder, of_name)
    })
}

/// Divisions named in full in `text`, longest names first where they overlap.
fn named_in(text: &str) -> Vec<&'static Division> {
    let (finder, of_name) = name_finder();
    // Each name's first place that counts.
    let mut first: HashMap<usize, usize> = HashMap::new();
    for m in finder.find_overlapping_iter(text) {
        let name = m.pattern().as_usize();
        if first.contains_key(&name) {
            continue;
        }
        let p = m.start();
        // 和县 hides in 和县委, 南县 in 湖南县级: a two-character name
        // counts only at the start or right after a larger division.
        let short = text[p..m.end()].chars().count() <= 2;
        if !short || p == 0 || text[..p].ends_with(['省', '市', '州', '盟']) {
            first.insert(name, p);
        }
    }
    let mut hits: Vec<(usize, usize, &'static Division)> = first
        .into_iter()
        .flat_map(|(name, p)| of_name[name].iter().map(move |d| (p, d.name.len(), *d)))
        .collect();
    // Drop a name inside a longer one at the same place (市 inside 自治州…).
    hits.sort_by_key(|&(p, len, d)| (p, std::cmp::Reverse(len), d.code.clone()));
    let mut kept: Vec<(usize, usize, &'static Division)> = Vec::new();
    for h in hits {
        let inside = kept
            .iter()
            .any(|k| h.0 >= k.0 && h.0 + h.1 <= k.0 + k.1 && h.1 < k.1);
        if !inside {
            kept.push(h);
        }
    }
    kept.into_iter().map(|(_, _, d)| d).collect()
}

/// The region that every named division agrees with, or as much of it as
/// they agree on.
fn settle(named: &[&'static Division]) -> Region {
    if named.is_empty() {
        return Region::default();
    }
    let regions: Vec<Region> = named.iter().map(|d| Region::from_division(d)).collect();
    // The candidates for the most specific level named.
    let deepest = named.iter().map(|d| d.level).max().expect("not empty");
    let consistent = |r: &Region| {
        regions.iter().all(|o| {
            let same = |a: Option<&Division>, b: Option<&Division>| match (a, b) {
                (Some(a), Some(b)) => a.code == b.code,
                _ => true,
            };
            // A less specific name must contain the candidate.
            o.most_specific().map(|d| d.level) == Some(deepest)
                || (same(o.province, r.province) && same(o.prefecture, r.prefecture))
        })
    };
    let candidates: Vec<&Region> = regions
        .iter()
        .filter(|r| r.most_specific().map(|d| d.level) == Some(deepest))
        .filter(|r| consistent(r))
        .collect();
    match candidates.as_slice() {
        [one] => (*one).clone(),
        [] => Region::default(),
        many => {
            // Several divisions share the name: keep what they all share.
            let all_same = |f: fn(&Region) -> Option<&'static Division>| {
                let first = f(many[0]).map(|d| &d.code);
                many.iter()
                    .all(|r| f(r).map(|d| &d.code) == first)
                    .then(|| f(many[0]))
                    .flatten()
            };
            Region {
                province: all_same(|r| r.province),
                prefecture: all_same(|r| r.prefecture),
                county: None,
            }
        }
    }
}

/// Place an agency: by its name, then the title, then `context` (the
/// preamble: address and contact lines), then a prefecture's short name
/// written before the agency's name anywhere in `page_text`.
///
/// The two texts are asked for only when the names before them did not
/// settle the region: most agencies' names do, and joining a page's text
/// is a copy of all of it.
pub fn locate(
    agency: Option<&str>,
    title: Option<&str>,
    context: impl FnOnce() -> String,
    page_text: impl FnOnce() -> String,
) -> Region {
    for source in [agency.unwrap_or(""), title.unwrap_or("")] {
        let region = settle(&named_in(source));
        if region.most_specific().is_some() {
            // A name found alone may still gain its province from the others.
            return region;
        }
    }
    let region = settle(&named_in(&context()));
    if region.most_specific().is_some() {
        return region;
    }
    if let Some(agency) = agency {
        let head: String = agency.chars().take(4).collect();
        if head.chars().count() >= 2 {
            // Where the name's head stands, which prefecture is written
            // right before it (one scan for the head, not one per prefecture).
            let page_text = page_text();
            let mut found: Vec<&'static Division> = Vec::new();
            for (p, _) in page_text.match_indices(head.as_str()) {
                let before = &page_text[..p];
                for d in prefectures_by_short_name()
                    .iter()
                    .filter(|d| before.ends_with(d.short.as_str()))
                {
                    if !found.iter().any(|f| f.code == d.code) {
                        found.push(d);
                    }
                }
            }
            if let [one] = found.as_slice() {
                return Region::from_division(one);
            }
        }
    }
    Region::default()
}

/// The administrative level of an agency: 乡镇 when it names a township or
/// street, else that of the most specific division it sits in.
pub fn level(agency: &str, region: &Region) -> Option<&'static str> {
    let township = [
        "乡人民政府",
        "镇人民政府",
        "街道办事处",
        "街道",
        "乡政府",
        "镇政府",
    ];
    if township.iter().any(|t| agency.contains(t)) {
        return Some("乡镇");
    }
    match region.most_specific()?.level {
        Level::Province => Some("省"),
        Level::Prefecture => Some("市"),
        Level::County => Some("县"),
    }
}

/// What kind of body an agency is, by how its name ends.
pub fn kind(agency: &str) -> Option<&'static str> {
    const KINDS: &[(&str, &str)] = &[
        ("街道办事处", "街道办事处"),
        ("人民政府办公室", "办公室"),
        ("人民政府办公厅", "办公厅"),
        ("人民政府", "人民政府"),
        ("管理委员会", "管理委员会"),
        ("管委会", "管理委员会"),
        ("委员会", "委员会"),
        ("办事处", "办事处"),
        ("办公室", "办公室"),
        ("办公厅", "办公厅"),
        ("中心", "中心"),
        ("局", "局"),
        ("厅", "厅"),
        ("委", "委员会"),
        ("院", "院"),
        ("所", "所"),
        ("站", "站"),
        ("队", "队"),
    ];
    KINDS
        .iter()
        .find(|(suffix, _)| agency.ends_with(suffix))
        .map(|&(_, k)| k)
}

/// A name for the agency that stays the same across years and spellings:
/// white space and brackets removed, full-width folded, 人民政府 written 政府.
///
/// ```
/// use xxgk::regions::agency_key;
/// assert_eq!(agency_key("余姚市人民政府 招商中心"), agency_key("余姚市政府招商中心"));
/// assert_eq!(agency_key("XX局（XX办）"), "XX局XX办");
/// ```
pub fn agency_key(agency: &str) -> String {
    let folded: String = agency
        .chars()
        .map(crate::text::fold_width)
        .filter(|c| !c.is_whitespace() && !"()（）【】[]〔〕《》\"“”".contains(*c))
        .collect();
    folded.replace("人民政府", "政府")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(r: &Region) -> (Option<&str>, Option<&str>, Option<&str>) {
        (
            r.province.map(|d| d.name.as_str()),
            r.prefecture.map(|d| d.name.as_str()),
            r.county.map(|d| d.name.as_str()),
        )
    }

    #[test]
    fn the_seeds_agencies() {
        let r = locate(Some("涡阳县招商服务中心"), None, String::new, String::new);
        assert_eq!(names(&r), (Some("安徽省"), Some("亳州市"), Some("涡阳县")));
        assert_eq!(r.county.unwrap().code, "341621");
        let r = locate(
            Some("余姚市人民政府招商中心"),
            None,
            String::new,
            String::new,
        );
        assert_eq!(names(&r), (Some("浙江省"), Some("宁波市"), Some("余姚市")));
        let r = locate(Some("上海市人民政府办公厅"), None, String::new, String::new);
        assert_eq!(names(&r), (Some("上海市"), None, None));
        assert_eq!(level("上海市人民政府办公厅", &r), Some("省"));
        // Seed 002: 蓉江新区 is no division; the page writes 赣州蓉江新区.
        let r = locate(
            Some("蓉江新区政务服务和大数据发展中心"),
            None,
            String::new,
            || "赣州蓉江新区政务服务中心微信公众号".to_string(),
        );
        assert_eq!(names(&r), (Some("江西省"), Some("赣州市"), None));
    }

    #[test]
    fn a_shared_name_needs_its_province() {
        let r = locate(Some("朝阳区教育委员会"), None, String::new, String::new);
        assert_eq!(names(&r), (None, None, None));
        let r = locate(
            Some("朝阳区教育委员会"),
            Some("北京市朝阳区教育委员会2024年政府信息公开工作年度报告"),
            String::new,
            String::new,
        );
        assert_eq!(names(&r), (Some("北京市"), None, Some("朝阳区")));
        // Unknown stays unknown.
        let r = locate(Some("平潭综合实验区"), None, String::new, || {
            "平潭综合实验区管委会".to_string()
        });
        assert_eq!(names(&r), (None, None, None));
    }

    #[test]
    fn codes_are_sorted_for_the_binary_search() {
        let table = divisions();
        assert!(table.len() > 3000);
        assert!(table.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(by_code("341621").map(|d| d.name.as_str()), Some("涡阳县"));
        assert_eq!(by_code("341620"), None);
    }

    #[test]
    fn short_names_inside_words_are_not_divisions() {
        assert!(named_in("湖南县级融媒体中心")
            .iter()
            .all(|d| d.name != "南县"));
        assert!(named_in("城区管理局").is_empty());
        assert_eq!(named_in("安徽省和县人民政府")[1].name, "和县");
    }

    #[test]
    fn kinds_and_levels() {
        assert_eq!(kind("桐柏县产业集聚区管理委员会"), Some("管理委员会"));
        assert_eq!(kind("沭阳县发展和改革局"), Some("局"));
        assert_eq!(kind("涡阳县人民政府"), Some("人民政府"));
        assert_eq!(kind("淮北街道办事处"), Some("街道办事处"));
        let r = locate(
            Some("桐柏县产业集聚区管理委员会"),
            None,
            String::new,
            String::new,
        );
        assert_eq!(level("桐柏县产业集聚区管理委员会", &r), Some("县"));
        assert_eq!(level("涡阳县城关街道办事处", &r), Some("乡镇"));
    }
}
