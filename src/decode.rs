//! Stage 2: bytes to text.
//!
//! Order of evidence: a byte-order mark, then a charset the page declares,
//! then detection. Detection (chardetng) is slow next to decoding (≈12 MB/s
//! against ≈2 GB/s), so it runs only on the first 2 KB of a page's non-ASCII text, when its
//! declaration is missing or contradicted by the bytes.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, GBK, UTF_8};

/// How the encoding was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    Bom,
    Declared,
    /// The page declared one encoding but its bytes are in another.
    DeclarationContradicted,
    Detected,
    /// Pure ASCII or valid UTF-8 with nothing declared.
    Default,
}

impl EncodingSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EncodingSource::Bom => "bom",
            EncodingSource::Declared => "declared",
            EncodingSource::DeclarationContradicted => "declaration_contradicted",
            EncodingSource::Detected => "detected",
            EncodingSource::Default => "default",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<'a> {
    /// The page's text. It borrows the page's bytes when they are valid
    /// UTF-8 (or plain ASCII in a legacy encoding): no copy of the page.
    pub text: Cow<'a, str>,
    /// WHATWG name of the encoding used (`UTF-8`, `GBK`, `gb18030`, `Big5`, `UTF-16LE`…).
    pub encoding: &'static str,
    pub source: EncodingSource,
    /// The charset label the page declared, if any.
    pub declared: Option<String>,
    /// Bytes that were malformed in the chosen encoding were replaced by U+FFFD.
    pub had_errors: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    /// Not text: NUL bytes, or a known binary format.
    Binary(&'static str),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "empty file"),
            DecodeError::Binary(kind) => write!(f, "binary file ({kind}), not a text page"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// How far into a page a charset declaration is looked for.
const DECLARATION_WINDOW: usize = 4096;
/// How many bytes of the page's non-ASCII text chardetng sees.
const DETECTION_BYTES: usize = 2048;

/// Decode a saved page.
///
/// ```
/// use xxgk::decode::{decode, EncodingSource};
/// let (gbk, _, _) = encoding_rs::GBK.encode("<p>政府信息公开工作年度报告</p>");
/// let d = decode(&gbk).unwrap();
/// assert_eq!(d.text, "<p>政府信息公开工作年度报告</p>");
/// assert_eq!(d.source, EncodingSource::Detected);
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return non_empty(Decoded {
            text,
            encoding: encoding.name(),
            source: EncodingSource::Bom,
            declared: None,
            had_errors,
        });
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(DecodeError::Binary(kind));
    }

    let declared = declared_charset(bytes);
    let declared_encoding = declared
        .as_deref()
        .and_then(|l| Encoding::for_label(l.as_bytes()))
        // A page cannot really be in UTF-16 if we are reading its ASCII
        // declaration byte by byte; browsers treat that label as UTF-8.
        .map(|e| {
            if e.output_encoding() == UTF_8 {
                UTF_8
            } else {
                e
            }
        });
    // Every page is checked; simdutf8 checks 32 bytes at a time where std's
    // check is fast only over ASCII, and pages are mostly CJK.
    let utf8 = simdutf8::basic::from_utf8(bytes).ok();
    let has_non_ascii = !bytes.is_ascii();

    let (encoding, source) = match (declared_encoding, utf8) {
        // Declared UTF-8, and it is.
        (Some(e), Some(_)) if e == UTF_8 => (UTF_8, EncodingSource::Declared),
        // Declared something else, but the bytes are valid UTF-8 with
        // non-ASCII text: legacy encodings almost never validate as UTF-8.
        (Some(_), Some(_)) if has_non_ascii => (UTF_8, EncodingSource::DeclarationContradicted),
        (Some(e), Some(_)) => (e, EncodingSource::Declared),
        (Some(e), None) if e != UTF_8 => {
            // Decode once as declared; only a page whose bytes are not
            // clean in that encoding pays for detection and a second pass.
            let (text, had_errors) = e.decode_without_bom_handling(bytes);
            if !had_errors {
                return non_empty(decoded(text, e, EncodingSource::Declared, declared, false));
            }
            match detect(bytes) {
                d if d != e && decodes_cleanly(d, bytes) => {
                    (d, EncodingSource::DeclarationContradicted)
                }
                _ => {
                    return non_empty(decoded(text, e, EncodingSource::Declared, declared, true));
                }
            }
        }
        // Declared UTF-8 and mostly UTF-8: a few corrupt bytes, not another encoding.
        (Some(_), None) if mostly_utf8(bytes) => (UTF_8, EncodingSource::Declared),
        (Some(_), None) => match detect(bytes) {
            // Declared UTF-8 but a legacy page.
            d if d != UTF_8 && decodes_cleanly(d, bytes) => {
                (d, EncodingSource::DeclarationContradicted)
            }
            _ => (UTF_8, EncodingSource::Declared),
        },
        (None, Some(_)) => (UTF_8, EncodingSource::Default),
        (None, None) if mostly_utf8(bytes) => (UTF_8, EncodingSource::Detected),
        (None, None) => {
            let d = detect(bytes);
            // GB18030 decodes everything GBK does and more; Chinese pages
            // that detection calls GBK may still hold four-byte sequences.
            let d = if d == GBK { GB18030 } else { d };
            (d, EncodingSource::Detected)
        }
    };
    if let (Some(valid), true) = (utf8, encoding == UTF_8) {
        // Already validated: borrow, do not decode (or copy) again.
        return non_empty(decoded(
            Cow::Borrowed(valid),
            UTF_8,
            source,
            declared,
            false,
        ));
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    non_empty(decoded(text, encoding, source, declared, had_errors))
}

fn decoded<'a>(
    text: Cow<'a, str>,
    encoding: &'static Encoding,
    source: EncodingSource,
    declared: Option<String>,
    had_errors: bool,
) -> Decoded<'a> {
    Decoded {
        text,
        encoding: encoding.name(),
        source,
        declared,
        had_errors,
    }
}

fn non_empty(d: Decoded<'_>) -> Result<Decoded<'_>, DecodeError> {
    if d.text.trim().is_empty() {
        Err(DecodeError::Empty)
    } else {
        Ok(d)
    }
}

/// True when nine in ten non-ASCII bytes form valid UTF-8: a UTF-8 page
/// with some corruption. Legacy CJK text almost never validates that well.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    valid > 0 && invalid * 10 <= valid + invalid
}

fn decodes_cleanly(encoding: &'static Encoding, bytes: &[u8]) -> bool {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some()
}

/// Guess the encoding from the page's first non-ASCII text.
///
/// chardetng runs every candidate encoding over every byte it is fed (about
/// 0.14 µs a byte here, so a 16 KB window cost more than parsing the whole
/// page). The markup between runs of text tells it nothing about a CJK
/// encoding, so it is fed only the runs: each non-ASCII byte with the byte
/// after it (the pair of a double-byte character, whose trail may be ASCII),
/// runs separated by a space, up to `DETECTION_BYTES`. On every non-UTF-8
/// page of the test corpora this gives the same guess as a 16 KB window of
/// raw bytes.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut text_runs = Vec::with_capacity(DETECTION_BYTES + 2);
    let mut i = 0;
    while i < bytes.len() && text_runs.len() < DETECTION_BYTES {
        if bytes[i].is_ascii() {
            i += 1;
            continue;
        }
        while i < bytes.len() && !bytes[i].is_ascii() {
            let pair_end = (i + 2).min(bytes.len());
            text_runs.extend_from_slice(&bytes[i..pair_end]);
            i = pair_end;
        }
        text_runs.push(b' ');
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&text_runs, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// The charset named by `<meta charset>` or `http-equiv` content, or an XML declaration.
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let window = &bytes[..bytes.len().min(DECLARATION_WINDOW)];
    let lower: Vec<u8> = window.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < lower.len() && lower[i].is_ascii_whitespace() {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < lower.len() && matches!(lower[i], b' ' | b'"' | b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len()
            && (lower[i].is_ascii_alphanumeric() || matches!(lower[i], b'-' | b'_' | b'.' | b':'))
        {
            i += 1;
        }
        if i > start {
            return Some(String::from_utf8_lossy(&lower[start..i]).into_owned());
        }
    }
    // <?xml version="1.0" encoding="gb2312"?>
    if lower.starts_with(b"<?xml") {
        if let Some(pos) = find(&lower, b"encoding=") {
            let rest = &lower[pos + 9..];
            let rest = rest
                .strip_prefix(b"\"")
                .or_else(|| rest.strip_prefix(b"'"))
                .unwrap_or(rest);
            let end = rest
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b'?' | b' '))
                .unwrap_or(rest.len());
            if end > 0 {
                return Some(String::from_utf8_lossy(&rest[..end]).into_owned());
            }
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A name for bytes that are plainly not a text page.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG"),
        (b"\xFF\xD8\xFF", "JPEG"),
        (b"GIF8", "GIF"),
        (b"PK\x03\x04", "ZIP/Office"),
        (b"\xD0\xCF\x11\xE0", "OLE/Word 97"),
        (b"\x1F\x8B", "gzip"),
    ];
    for (magic, kind) in MAGIC {
        if bytes.starts_with(magic) {
            return Some(kind);
        }
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)))
        .count();
    if head.contains(&0) || controls * 20 > head.len().max(1) {
        return Some("control bytes");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>涡阳县招商服务中心2024年政府信息公开工作年度报告</p></body></html>";

    #[test]
    fn declared_gb2312_page_decodes() {
        let (bytes, _, _) = GBK.encode(REPORT);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, REPORT);
        assert_eq!(d.encoding, "GBK");
        assert_eq!(d.source, EncodingSource::Declared);
        assert_eq!(d.declared.as_deref(), Some("gb2312"));
    }

    #[test]
    fn declaration_that_lies_is_overruled() {
        // Declared gb2312, bytes UTF-8.
        let d = decode(REPORT.as_bytes()).unwrap();
        assert_eq!(d.text, REPORT);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.source, EncodingSource::DeclarationContradicted);
    }

    #[test]
    fn undeclared_gbk_and_big5_are_detected() {
        let text = "<p>本年度報告根據《中華人民共和國政府信息公開條例》要求編制，全文包括總體情況、主動公開政府信息情況。</p>";
        let (big5, _, _) = encoding_rs::BIG5.encode(text);
        let d = decode(&big5).unwrap();
        assert_eq!(d.encoding, "Big5");
        assert_eq!(d.text, text);
        let simp = "<p>本年度报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括总体情况、主动公开政府信息情况。</p>";
        let (gbk, _, _) = GBK.encode(simp);
        let d = decode(&gbk).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(d.text, simp);
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "年度报告".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "年度报告");
        assert_eq!(d.source, EncodingSource::Bom);
    }

    #[test]
    fn invalid_utf8_in_a_utf8_page_is_replaced_and_recorded() {
        let mut bytes =
            "<meta charset=\"utf-8\"><p>涡阳县招商服务中心2024年政府信息公开工作年度报告"
                .as_bytes()
                .to_vec();
        bytes.extend_from_slice(b"\xFF\xFE\xFD</p>");
        let d = decode(&bytes).unwrap();
        assert!(d.had_errors);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains("年度报告\u{FFFD}"));
    }

    #[test]
    fn empty_and_binary_files_are_errors() {
        assert_eq!(decode(b"").unwrap_err(), DecodeError::Empty);
        assert_eq!(decode(b"  \n ").unwrap_err(), DecodeError::Empty);
        assert_eq!(
            decode(b"%PDF-1.7\n...").unwrap_err(),
            DecodeError::Binary("PDF")
        );
        assert_eq!(
            decode(&[0u8, 1, 2, 3, 0, 0]).unwrap_err(),
            DecodeError::Binary("control bytes")
        );
    }
}
