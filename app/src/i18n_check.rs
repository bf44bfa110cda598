//! Every text exists in both languages: the two translation files have the same keys,
//! and no text is empty.
use std::collections::BTreeSet;

fn keys(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                keys(child, &path, out);
            }
        }
        serde_json::Value::String(text) => {
            assert!(!text.trim().is_empty(), "empty translation for {prefix}");
            out.insert(prefix.to_string());
        }
        other => panic!("unexpected value at {prefix}: {other}"),
    }
}

fn load(file: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(format!("{}/locales/{file}", env!("CARGO_MANIFEST_DIR")))
        .expect("translation file");
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let mut out = BTreeSet::new();
    keys(&json, "", &mut out);
    out
}

#[test]
fn dutch_and_english_have_the_same_texts() {
    let nl = load("nl.json");
    let en = load("en.json");
    let only_nl: Vec<_> = nl.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&nl).collect();
    assert!(
        only_nl.is_empty() && only_en.is_empty(),
        "only in nl: {only_nl:?}; only in en: {only_en:?}"
    );
}
