//! The TOML config file: any text is a checked configuration or a one-line error
//! naming the problem, never a panic.
#![no_main]

use dateline::config::{Overrides, Settings};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|text: &str| {
    match Settings::from_file_text(Path::new("fuzz.toml"), text, &Overrides::default()) {
        Ok(settings) => {
            assert!(!settings.site.name.is_empty());
            assert!(!settings.site.base_url.ends_with('/'));
        }
        Err(e) => {
            let message = e.to_string();
            assert!(
                !message.is_empty() && !message.contains('\n'),
                "{message:?}"
            );
        }
    }
});
