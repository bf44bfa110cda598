//! The names of the built stylesheet, script and wasm bundle under `/pkg/`.
//!
//! cargo-leptos (`hash-files = true`) puts a hash of each file's content in its name and
//! writes the hashes to `hash.txt` next to the server binary, so browsers may keep the
//! files for a year: a new build has new names. Without that file (a test binary) the
//! plain names are used and the server tells browsers to check again.
use std::path::PathBuf;
use std::sync::OnceLock;

/// The name of the wasm/js/css bundle cargo-leptos writes to `<site-root>/pkg/`.
pub const OUTPUT_NAME: &str = "mijn-portaal";

/// The hash file cargo-leptos writes next to the server binary (its default name).
pub const HASH_FILE: &str = "hash.txt";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hashes {
    pub js: Option<String>,
    pub wasm: Option<String>,
    pub css: Option<String>,
}

impl Hashes {
    /// `js: <hash>` lines, as cargo-leptos writes them.
    pub fn parse(text: &str) -> Hashes {
        let mut hashes = Hashes::default();
        for line in text.lines() {
            let Some((kind, hash)) = line.split_once(':') else {
                continue;
            };
            let hash = hash.trim();
            if hash.is_empty()
                || !hash
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                continue;
            }
            let slot = match kind.trim() {
                "js" => &mut hashes.js,
                "wasm" => &mut hashes.wasm,
                "css" => &mut hashes.css,
                _ => continue,
            };
            *slot = Some(hash.to_string());
        }
        hashes
    }

    /// `mijn-portaal.<hash>.css`, or `mijn-portaal.css` without a hash.
    pub fn file_name(&self, extension: &str) -> String {
        let hash = match extension {
            "js" => &self.js,
            "wasm" => &self.wasm,
            "css" => &self.css,
            _ => &None,
        };
        match hash {
            Some(hash) => format!("{OUTPUT_NAME}.{hash}.{extension}"),
            None => format!("{OUTPUT_NAME}.{extension}"),
        }
    }

    pub fn is_hashed(&self) -> bool {
        self.js.is_some() && self.wasm.is_some() && self.css.is_some()
    }
}

fn hash_file_path() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(HASH_FILE))
}

/// The hashes of this build, read once.
pub fn hashes() -> &'static Hashes {
    static HASHES: OnceLock<Hashes> = OnceLock::new();
    HASHES.get_or_init(|| {
        hash_file_path()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .map(|text| Hashes::parse(&text))
            .unwrap_or_default()
    })
}

/// `/pkg/mijn-portaal.<hash>.css`
pub fn stylesheet_href() -> String {
    format!("/pkg/{}", hashes().file_name("css"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_hash_file_of_cargo_leptos() {
        let hashes = Hashes::parse("js: abc_1-2\nwasm: DEF\ncss: x9\nmanifest: zz\n");
        assert!(hashes.is_hashed());
        assert_eq!(hashes.file_name("css"), "mijn-portaal.x9.css");
        assert_eq!(hashes.file_name("wasm"), "mijn-portaal.DEF.wasm");
    }

    #[test]
    fn plain_names_without_hashes_and_nothing_odd_in_a_name() {
        assert_eq!(Hashes::default().file_name("css"), "mijn-portaal.css");
        let odd = Hashes::parse("css: ../../etc/passwd\njs:\n");
        assert_eq!(odd.css, None);
        assert_eq!(odd.js, None);
        assert!(!odd.is_hashed());
    }
}
