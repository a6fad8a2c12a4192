//! Any bytes through decode → parse → extract → validate: none may panic,
//! hang or blow the stack. (`pipeline::process_bytes` would catch a panic;
//! this calls the stages directly so that the fuzzer sees it.)
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = xxgk::decode::decode(data) else { return };
    let doc = xxgk::parse::parse(&decoded.text);
    let extraction = xxgk::extract::extract(&doc);
    let _ = xxgk::validate::validate(&extraction);
});
