//! The layer rule of `app/src` (see docs/architecture.md), checked on the source text:
//! no import cycles between files, none between domains, and no file importing a higher layer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A file may use its own layer and the ones below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// Vocabulary, errors, clock: used by everything.
    Core,
    /// Pure domain rules and wire types, compiled for the browser too.
    Rules,
    /// Entities and services (server only).
    Services,
    /// Server functions.
    Api,
    /// Shared UI components: they show what the layers below give them.
    Ui,
    /// Pages of a domain.
    Pages,
    /// The application shell: router, header, home page.
    Shell,
}

/// A file's layer follows from its place in the domain template.
fn layer_of(module: &[String]) -> Layer {
    let name = |i: usize| module.get(i).map(String::as_str);
    match (name(0), module.len()) {
        (None, _) => Layer::Shell, // lib.rs
        (
            Some(
                "vocabulary" | "error" | "clock" | "dates" | "context" | "db" | "csp" | "paths"
                | "flash" | "csv_file" | "ics" | "plain_text" | "answer" | "download" | "notice"
                | "small_count" | "privacy_guard",
            ),
            _,
        ) => Layer::Core,
        (Some("ui"), _) => Layer::Ui,
        (
            Some(
                "layout" | "home" | "personal_data" | "erasure_page" | "privacy_statement"
                | "calendar_feed" | "demo",
            ),
            _,
        ) => Layer::Shell,
        (Some(_domain), 1) => Layer::Rules, // the domain's mod.rs: its public surface only
        (Some(_domain), _) => {
            let part = module[1].as_str();
            match part {
                "pages" => Layer::Pages,
                "api" | "routes" => Layer::Api,
                "entity" | "service" => Layer::Services,
                "model" | "rules" | "policy" | "access" => Layer::Rules,
                other => panic!(
                    "{}: not a part of the domain template (model, rules, policy, entity, service, api, routes, pages): {other}",
                    module.join("::")
                ),
            }
        }
    }
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `knowledge/service/import.rs` → `["knowledge", "service", "import"]`; `mod.rs` and `lib.rs`
/// stand for their folder.
fn module_of(path: &Path) -> Vec<String> {
    let relative = path.strip_prefix(src_dir()).expect("under src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().expect("a file name");
    let stem = file.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Source without comments and string literals, so neither can fake or hide a path.
fn code_only(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'"' => {
                // Raw strings (r"…", r#"…"#) hold no quotes we would misread in this code base.
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            b'\'' if bytes.get(i + 2) == Some(&b'\'') || bytes.get(i + 1) == Some(&b'\\') => {
                // A char literal ('"', '\\'); lifetimes ('a) pass through.
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            _ => {
                let c = source[i..].chars().next().expect("char boundary");
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// Every path a file names through `crate::`, `super::` or `self::`, made absolute, including
/// each leaf of a grouped `use a::{b, c::d}`.
/// In `foo.rs` and `foo/mod.rs` alike, `self` is `foo` and `super` is its parent.
fn referenced_paths(module: &[String], code: &str) -> Vec<Vec<String>> {
    let tokens = tokenize(code);
    let mut paths = Vec::new();
    // Inline modules (`mod server { … }`) shift what `self` and `super` mean.
    let mut inline: Vec<(usize, String)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        let start = tokens[i].as_str();
        match start {
            "mod" if tokens.get(i + 2).map(String::as_str) == Some("{") => {
                inline.push((depth, tokens[i + 1].clone()));
                depth += 1;
                i += 3;
                continue;
            }
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if inline.last().is_some_and(|(d, _)| *d == depth) {
                    inline.pop();
                }
            }
            _ => {}
        }
        let preceded_by_path = i > 0 && tokens[i - 1] == "::";
        if !preceded_by_path && matches!(start, "crate" | "super" | "self") {
            let here: Vec<String> = module
                .iter()
                .cloned()
                .chain(inline.iter().map(|(_, name)| name.clone()))
                .collect();
            let mut base: Vec<String> = match start {
                "crate" => Vec::new(),
                "self" => here,
                _ => here[..here.len().saturating_sub(1)].to_vec(),
            };
            i += 1;
            while i + 1 < tokens.len() && tokens[i] == "::" && tokens[i + 1] == "super" {
                base.pop();
                i += 2;
            }
            if i < tokens.len() && tokens[i] == "::" {
                i += 1;
                i = use_tree(&tokens, i, base, &mut paths);
            }
            continue;
        }
        i += 1;
    }
    paths
}

/// Parses `a::b`, `a::{…}` or `*` at `i`, appending full paths; returns the index after it.
fn use_tree(
    tokens: &[String],
    mut i: usize,
    mut base: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                loop {
                    match tokens.get(i).map(String::as_str) {
                        Some("}") => return i + 1,
                        Some(",") => i += 1,
                        Some(_) => i = use_tree(tokens, i, base.clone(), out),
                        None => return i,
                    }
                }
            }
            Some("*") => {
                out.push(base);
                return i + 1;
            }
            Some("self") => {
                out.push(base);
                return i + 1;
            }
            Some(word) if is_ident(word) => {
                base.push(word.to_owned());
                i += 1;
                if tokens.get(i).map(String::as_str) == Some("::") {
                    i += 1;
                } else {
                    out.push(base);
                    return i;
                }
            }
            _ => {
                out.push(base);
                return i;
            }
        }
    }
}

fn is_ident(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && word.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn tokenize(code: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".into());
            i += 2;
        } else if c.is_whitespace() {
            i += 1;
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    tokens
}

struct Graph {
    /// file module → the file modules it uses (other than itself).
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn graph() -> Graph {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f)).collect();
    let mut edges = BTreeMap::new();
    for file in &files {
        let module = module_of(file);
        let source = std::fs::read_to_string(file).expect("readable source");
        let mut targets = BTreeSet::new();
        for path in referenced_paths(&module, &code_only(&source)) {
            // The longest prefix that is a file: `knowledge::service::PUBLISHED` → service.rs.
            // Paths into the file's own inline modules end at the file.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|prefix| modules.contains(prefix))
                .unwrap_or_default();
            // A file's own children are declared, not used (`pub mod x;` + re-exports).
            let is_own_child = target.len() > module.len() && target.starts_with(&module);
            if target != module && !target.is_empty() && !is_own_child {
                targets.insert(target);
            }
        }
        edges.insert(module, targets);
    }
    Graph { edges }
}

/// Strongly connected components with more than one member (Tarjan).
fn cycles<N: Ord + Clone>(edges: &BTreeMap<N, BTreeSet<N>>) -> Vec<Vec<N>> {
    struct State<N> {
        index: BTreeMap<N, usize>,
        low: BTreeMap<N, usize>,
        stack: Vec<N>,
        on_stack: BTreeSet<N>,
        next: usize,
        found: Vec<Vec<N>>,
    }
    fn visit<N: Ord + Clone>(node: &N, edges: &BTreeMap<N, BTreeSet<N>>, s: &mut State<N>) {
        s.index.insert(node.clone(), s.next);
        s.low.insert(node.clone(), s.next);
        s.next += 1;
        s.stack.push(node.clone());
        s.on_stack.insert(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            if !s.index.contains_key(next) {
                visit(next, edges, s);
                let low = s.low[node].min(s.low[next]);
                s.low.insert(node.clone(), low);
            } else if s.on_stack.contains(next) {
                let low = s.low[node].min(s.index[next]);
                s.low.insert(node.clone(), low);
            }
        }
        if s.low[node] == s.index[node] {
            let mut component = Vec::new();
            while let Some(member) = s.stack.pop() {
                s.on_stack.remove(&member);
                let done = &member == node;
                component.push(member);
                if done {
                    break;
                }
            }
            if component.len() > 1 {
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for node in edges.keys() {
        if !state.index.contains_key(node) {
            visit(node, edges, &mut state);
        }
    }
    state.found
}

fn show(module: &[String]) -> String {
    if module.is_empty() {
        "lib".into()
    } else {
        module.join("::")
    }
}

#[test]
fn no_import_cycles_between_files() {
    let graph = graph();
    let found: Vec<String> = cycles(&graph.edges)
        .iter()
        .map(|c| c.iter().map(|m| show(m)).collect::<Vec<_>>().join(" ↔ "))
        .collect();
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

#[test]
fn no_import_cycles_between_domains() {
    let graph = graph();
    let top = |m: &Vec<String>| m.first().cloned().unwrap_or_else(|| "lib".into());
    let mut domains: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &graph.edges {
        let entry = domains.entry(top(from)).or_default();
        for to in targets {
            if top(to) != top(from) {
                entry.insert(top(to));
            }
        }
    }
    let found = cycles(&domains);
    assert!(
        found.is_empty(),
        "domains that import each other: {found:?}"
    );
}

#[test]
fn no_file_imports_a_higher_layer() {
    let graph = graph();
    let mut violations = Vec::new();
    for (from, targets) in &graph.edges {
        for to in targets {
            let (lower, higher) = (layer_of(from), layer_of(to));
            if higher > lower {
                violations.push(format!(
                    "{} ({lower:?}) uses {} ({higher:?})",
                    show(from),
                    show(to)
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layer rule broken:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_checker_sees_grouped_relative_and_nested_paths() {
    let module = vec!["knowledge".to_owned(), "pages".to_owned()];
    let code = code_only(
        "use super::model::{A, b::{C, D}};\nuse crate::ui::*;\n// use crate::fake::X;\nlet s = \"crate::nope::Y\";\nsuper::super::error::AppError::NotFound;\nmod server { use super::super::api::E; }",
    );
    let paths = referenced_paths(&module, &code);
    let shown: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        shown,
        [
            "knowledge::model::A",
            "knowledge::model::b::C",
            "knowledge::model::b::D",
            "ui",
            "error::AppError::NotFound",
            "knowledge::api::E"
        ]
    );
    let mut edges = BTreeMap::new();
    edges.insert(1, BTreeSet::from([2]));
    edges.insert(2, BTreeSet::from([3]));
    edges.insert(3, BTreeSet::from([1]));
    assert_eq!(cycles(&edges).len(), 1);
}
