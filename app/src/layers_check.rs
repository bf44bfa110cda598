//! Dependencies point one way (see docs/architecture.md): shared basics ← base areas ←
//! areas acting on an order or a customer ← composition pages ← the routes in `lib.rs`.
//! This test reads every source file of the crate, finds which top-level modules it
//! names (`crate::orders::…`, `use crate::{db::Db, …}`), and fails when
//! - a module names one in a higher layer, or
//! - two modules name each other, directly or through others (a cycle),
//! - or a module is in no layer (a new area must be placed deliberately).
//!
//! The server crate has no layers of its own, but its modules must not form cycles either.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first. A module may use modules of its own layer (as long as no
/// cycle arises) and of every layer below it.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "shared basics",
        &[
            "error",
            "i18n",
            "language",
            "time",
            "db",
            "validate",
            "limits",
            "decisions",
            "codes",
            "pdf",
            "branding",
            "assets",
            "navigation",
            "context",
            "mail",
            "outbox",
            "audit",
            "ui",
        ],
    ),
    (
        "base areas",
        &[
            "catalog",
            "stores",
            "customers",
            "companies",
            "accounts",
            "apikeys",
            "shipments",
            "orders",
        ],
    ),
    (
        "areas acting on an order or a customer",
        &[
            "cancellations",
            "reorders",
            "quick_orders",
            "company_orders",
            "returns",
            "tracking",
            "loyalty",
            "privacy",
            "profile",
            "addresses",
            "staff",
            "customer_service",
            "advisor",
        ],
    ),
    (
        "composition pages",
        &["my_account", "site", "customer_story"],
    ),
    ("routes", &["lib"]),
];

/// Crate-root macros and items, by the module that defines them.
const ROOT_ITEMS: &[(&str, &str)] = &[("db_run", "db"), ("tx_run", "db")];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The source without comments and string literals, so that prose never counts as a use.
fn code_only(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            // A character literal (`'"'`, `'\\''`), not a lifetime.
            '\'' if chars.peek() == Some(&'\\') => {
                chars.nth(1);
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                }
            }
            '\'' if chars.clone().nth(1) == Some('\'') => {
                chars.nth(1);
            }
            // A raw string `r#"…"#` may hold quotes.
            'r' if chars.clone().take(2).collect::<String>() == "#\"" => {
                let mut previous = ' ';
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if previous == '"' && c == '#' {
                        break;
                    }
                    previous = c;
                }
                out.push_str("\"\"");
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

fn ident_at(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules one file names, with the line of the first mention. A
/// `use crate::{…}` group may span lines.
fn uses(source: &str) -> BTreeMap<String, usize> {
    let code = code_only(source);
    let line_at = |offset: usize| code[..offset].matches('\n').count() + 1;
    let mut found = BTreeMap::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let start = from + at + "crate::".len();
        let after = &code[start..];
        let mut names = Vec::new();
        if let Some(group) = after.strip_prefix('{') {
            // The first segment of each top-level item of the group.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        names.push((ident_at(&group[i..]).to_string(), start + 1 + i));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            names.push((ident_at(after).to_string(), start));
        }
        for (name, offset) in names {
            found.entry(name).or_insert_with(|| line_at(offset));
        }
        from = start;
    }
    found
}

/// The module a name after `crate::` belongs to: a folder or file of `src/`, a root macro,
/// or else an item of `lib.rs` itself.
fn module_of(name: &str, modules: &BTreeSet<String>) -> String {
    if modules.contains(name) {
        return name.to_string();
    }
    match ROOT_ITEMS.iter().find(|(item, _)| *item == name) {
        Some((_, module)) => module.to_string(),
        None => "lib".to_string(),
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn dependencies_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut modules: BTreeSet<String> = BTreeSet::from(["i18n".to_string()]);
    for file in &files {
        let relative = file.strip_prefix(&src).expect("inside src");
        let first = relative.components().next().expect("a component");
        let name = first.as_os_str().to_string_lossy();
        modules.insert(name.trim_end_matches(".rs").to_string());
    }
    let mut problems = Vec::new();
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("inside src");
        let shown = format!("app/src/{}", relative.display());
        let name = relative.components().next().expect("a component");
        let from = name
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        // Tests of the crate as a whole (this one, the translation check) stand outside.
        if from.ends_with("_check") {
            continue;
        }
        let Some(from_layer) = layer_of(&from) else {
            problems.push(format!("{shown}: module `{from}` is in no layer of LAYERS"));
            continue;
        };
        let source = std::fs::read_to_string(file).expect("readable source");
        for (name, line) in uses(&source) {
            let to = module_of(&name, &modules);
            if to == from {
                continue;
            }
            let Some(to_layer) = layer_of(&to) else {
                problems.push(format!("{shown}:{line}: `{to}` is in no layer of LAYERS"));
                continue;
            };
            if to_layer > from_layer {
                problems.push(format!(
                    "{shown}:{line}: `{from}` ({}) uses `{to}` ({}), a layer above it",
                    LAYERS[from_layer].0, LAYERS[to_layer].0
                ));
            }
            graph
                .entry(from.clone())
                .or_default()
                .entry(to)
                .or_insert_with(|| format!("{shown}:{line}"));
        }
    }
    problems.extend(cycles(&graph).into_iter().map(|c| format!("cycle: {c}")));
    problems.dedup();
    assert!(
        problems.is_empty(),
        "dependencies must point one way (docs/architecture.md):\n{}",
        problems.join("\n")
    );
}

/// Every cycle of the graph once, each step with the place of its first use.
fn cycles(graph: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<String> {
    let mut found = Vec::new();
    for start in graph.keys() {
        let mut path = vec![start.clone()];
        if let Some(cycle) = find_cycle(graph, start, &mut path) {
            let steps: Vec<String> = cycle
                .windows(2)
                .map(|pair| format!("{} → {} ({})", pair[0], pair[1], graph[&pair[0]][&pair[1]]))
                .collect();
            found.push(steps.join(", "));
        }
    }
    found
}

fn find_cycle(
    graph: &BTreeMap<String, BTreeMap<String, String>>,
    start: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    let current = path.last().expect("non-empty").clone();
    for next in graph.get(&current).into_iter().flat_map(|m| m.keys()) {
        if next == start {
            let mut cycle = path.clone();
            cycle.push(next.clone());
            return Some(cycle);
        }
        if path.contains(next) || next.as_str() < start {
            // Each cycle is reported once, from its smallest module.
            continue;
        }
        path.push(next.clone());
        if let Some(cycle) = find_cycle(graph, start, path) {
            return Some(cycle);
        }
        path.pop();
    }
    None
}

#[test]
fn finds_uses_in_code_only() {
    let source = "use crate::{db::Db, error::AppError};\nuse crate::{\n    time::clock,\n    validate::Checks,\n};\n// crate::orders in prose\nlet x = \"crate::returns\";\nlet q = '\"'; let e = '\\''; let r = r#\"a \" crate::cancellations\"#;\ncrate::tracking::service::run();\n";
    let found: Vec<String> = uses(source).into_keys().collect();
    assert_eq!(found, ["db", "error", "time", "tracking", "validate"]);
    assert_eq!(
        uses(source)["validate"],
        4,
        "the line of the item, not of the group"
    );
}

#[test]
fn server_modules_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut modules = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("inside src");
        let first = relative.components().next().expect("a component");
        modules.insert(
            first
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string(),
        );
    }
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("inside src");
        let first = relative.components().next().expect("a component");
        let from = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let source = std::fs::read_to_string(file).expect("readable source");
        for (name, line) in uses(&source) {
            if name != from && modules.contains(&name) {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(name)
                    .or_insert_with(|| format!("server/src/{}:{line}", relative.display()));
            }
        }
    }
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "server modules in a cycle:\n{}",
        found.join("\n")
    );
}
