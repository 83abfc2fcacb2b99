//! The layering is a test: every path a module of `src/` names (`use`
//! declarations, paths in code and types, `crate::…` inside macro calls,
//! `super::…` resolved to where it lands) is read with `syn`, and an import
//! across layers that `ALLOWED` (the table docs/ARCHITECTURE.md shows) does
//! not list fails, as does an import circle between sibling modules at any
//! depth (`domain::event` ↔ `domain::staff`, `ui::board::hall` ↔
//! `ui::board::region`).
//!
//! Test code (`#[cfg(test)]` items and the modules they declare) is left
//! out: a screen's test may read the store as an oracle.
//!
//! The checker is tried first on small trees with known faults (it must
//! find them), then on `src/`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// Which layers each layer may import (besides itself). Bottom up.
const ALLOWED: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("protocol", &["domain"]),
    ("i18n", &["domain"]),
    ("print", &["domain", "i18n"]),
    ("config", &["domain", "print"]),
    ("store", &["domain"]),
    // spoken calls: the board hands it calls, it reads nothing of ours else
    ("sound", &["domain"]),
    ("app", &["domain", "protocol", "config", "store", "print"]),
    ("sync", &["domain", "protocol", "config", "store"]),
    ("server", &["domain", "protocol", "i18n"]),
    (
        "ui",
        &[
            "domain", "protocol", "i18n", "config", "app", "sync", "print", "sound",
        ],
    ),
    (
        "cli",
        &[
            "domain", "protocol", "i18n", "config", "store", "app", "sync", "server", "ui",
            "print", "sound",
        ],
    ),
];

/// A module, as the path from the crate root (`["ui", "board", "hall"]`).
type ModPath = Vec<String>;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Reference {
    from: ModPath,
    /// The module the path lands in (the longest prefix that is a module).
    to: ModPath,
    file: PathBuf,
    line: usize,
}

#[derive(Debug, PartialEq, Eq)]
enum Fault {
    Forbidden(Reference),
    Circle(Vec<ModPath>, Vec<Reference>),
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Forbidden(r) => write!(
                f,
                "{}:{}: {} imports {}, which layer `{}` may not",
                r.file.display(),
                r.line,
                r.from.join("::"),
                r.to.join("::"),
                r.from[0]
            ),
            Fault::Circle(circle, witnesses) => {
                let names: Vec<String> = circle.iter().map(|m| m.join("::")).collect();
                write!(f, "import circle: {} → {}", names.join(" → "), names[0])?;
                for w in witnesses {
                    write!(
                        f,
                        "\n    {}:{}: {} → {}",
                        w.file.display(),
                        w.line,
                        w.from.join("::"),
                        w.to.join("::")
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// Every module of the crate under `src` and the file it is in, following
/// the `mod` declarations from `lib.rs` (as the compiler does), test
/// modules left out.
fn module_files(src: &Path) -> BTreeMap<ModPath, (PathBuf, syn::File)> {
    let mut out = BTreeMap::new();
    let mut todo = vec![(Vec::new(), src.join("lib.rs"), src.to_path_buf())];
    while let Some((path, file, dir)) = todo.pop() {
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let ast = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
        let mut found = Vec::new();
        outlined_mods(&ast.items, &path, &dir, &mut found);
        for (child, child_dir) in found {
            let name = child.last().unwrap().clone();
            let flat = child_dir.join(format!("{name}.rs"));
            let nested = child_dir.join(&name).join("mod.rs");
            let (f, d) = if flat.exists() {
                (flat, child_dir.join(&name))
            } else if nested.exists() {
                (nested, child_dir.join(&name))
            } else {
                panic!(
                    "module {} has no file under {}",
                    child.join("::"),
                    child_dir.display()
                );
            };
            todo.push((child, f, d));
        }
        out.insert(path, (file, ast));
    }
    out
}

/// The `mod name;` declarations of a file (inside inline modules too),
/// each with the directory its file is looked up in.
fn outlined_mods(items: &[syn::Item], at: &ModPath, dir: &Path, out: &mut Vec<(ModPath, PathBuf)>) {
    for item in items {
        let syn::Item::Mod(m) = item else { continue };
        if is_test_only(&m.attrs) {
            continue;
        }
        let mut child = at.clone();
        child.push(m.ident.to_string());
        match &m.content {
            None => out.push((child, dir.to_path_buf())),
            Some((_, inner)) => outlined_mods(inner, &child, &dir.join(m.ident.to_string()), out),
        }
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && {
            let mut test = false;
            let _ = a.parse_nested_meta(|meta| {
                test |= meta.path.is_ident("test");
                Ok(())
            });
            test
        }
    })
}

struct Collector<'a> {
    modules: &'a BTreeSet<ModPath>,
    /// The module being read (inline modules push onto it).
    at: ModPath,
    file: PathBuf,
    found: Vec<Reference>,
}

impl Collector<'_> {
    /// Records a path given as segments (`crate`, `super`, `self` or a
    /// name) written in module `self.at`.
    fn path(&mut self, segments: &[String], line: usize) {
        let Some(first) = segments.first() else {
            return;
        };
        let (mut base, rest): (ModPath, &[String]) = match first.as_str() {
            "crate" => (Vec::new(), &segments[1..]),
            "super" => {
                let mut base = self.at.clone();
                let mut i = 0;
                while segments.get(i).map(String::as_str) == Some("super") {
                    base.pop();
                    i += 1;
                }
                (base, &segments[i..])
            }
            "self" => (self.at.clone(), &segments[1..]),
            // a plain name: a child module, or something in scope here
            _ => (self.at.clone(), segments),
        };
        for s in rest {
            base.push(s.clone());
            if !self.modules.contains(&base) {
                base.pop();
                break;
            }
        }
        if base.is_empty() || base == self.at {
            return;
        }
        self.found.push(Reference {
            from: self.at.clone(),
            to: base,
            file: self.file.clone(),
            line,
        });
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree, line: usize) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree, line);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.path(&prefix.clone(), line);
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.path(&prefix.clone(), line);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.path(&prefix.clone(), line),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t, line);
                }
            }
        }
    }
}

fn line_of(span: proc_macro2::Span) -> usize {
    span.start().line
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Enum(i) => &i.attrs,
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Static(i) => &i.attrs,
            syn::Item::Struct(i) => &i.attrs,
            syn::Item::Trait(i) => &i.attrs,
            syn::Item::Type(i) => &i.attrs,
            syn::Item::Use(i) => &i.attrs,
            syn::Item::Macro(i) => &i.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if is_test_only(attrs) {
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if let Some((_, items)) = &m.content {
            self.at.push(m.ident.to_string());
            for i in items {
                self.visit_item(i);
            }
            self.at.pop();
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree, line_of(u.use_token.span));
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(s) = p.segments.first() {
            self.path(&segments, line_of(s.ident.span()));
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        // macro bodies are tokens to syn: find `crate :: a :: b` in them
        let tokens: Vec<proc_macro2::TokenTree> = flatten(m.tokens.clone());
        for (i, t) in tokens.iter().enumerate() {
            let proc_macro2::TokenTree::Ident(id) = t else {
                continue;
            };
            if id != "crate" && id != "super" {
                continue;
            }
            let mut segments = vec![id.to_string()];
            let mut j = i + 1;
            while let (
                Some(proc_macro2::TokenTree::Punct(a)),
                Some(proc_macro2::TokenTree::Punct(b)),
                Some(proc_macro2::TokenTree::Ident(next)),
            ) = (tokens.get(j), tokens.get(j + 1), tokens.get(j + 2))
            {
                if a.as_char() != ':' || b.as_char() != ':' {
                    break;
                }
                segments.push(next.to_string());
                j += 3;
            }
            if segments.len() > 1 {
                self.path(&segments, line_of(id.span()));
            }
        }
        syn::visit::visit_macro(self, m);
    }
}

fn flatten(ts: proc_macro2::TokenStream) -> Vec<proc_macro2::TokenTree> {
    let mut out = Vec::new();
    for t in ts {
        match t {
            proc_macro2::TokenTree::Group(g) => out.extend(flatten(g.stream())),
            t => out.push(t),
        }
    }
    out
}

fn references(src: &Path) -> Vec<Reference> {
    let files = module_files(src);
    let modules: BTreeSet<ModPath> = files.keys().cloned().collect();
    let mut all = Vec::new();
    for (path, (file, ast)) in &files {
        let mut c = Collector {
            modules: &modules,
            at: path.clone(),
            file: file.strip_prefix(src).unwrap_or(file).to_path_buf(),
            found: Vec::new(),
        };
        for item in &ast.items {
            c.visit_item(item);
        }
        all.extend(c.found);
    }
    all.sort();
    all.dedup_by(|a, b| a.from == b.from && a.to == b.to);
    all
}

fn check(src: &Path) -> Vec<Fault> {
    let refs = references(src);
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut faults = Vec::new();
    // 1. across layers: the table
    for r in refs.iter().filter(|r| !r.from.is_empty()) {
        let (from, to) = (r.from[0].as_str(), r.to[0].as_str());
        if from == to {
            continue;
        }
        let ok = allowed.get(from).is_some_and(|l| l.contains(&to));
        if !ok {
            faults.push(Fault::Forbidden(r.clone()));
        }
    }
    // 2. inside a layer: the children of each module import one another
    // without a circle
    let mut edges: BTreeMap<ModPath, BTreeMap<(String, String), Vec<Reference>>> = BTreeMap::new();
    for r in &refs {
        let common = r.from.iter().zip(&r.to).take_while(|(a, b)| a == b).count();
        let (Some(a), Some(b)) = (r.from.get(common), r.to.get(common)) else {
            continue; // one contains the other
        };
        edges
            .entry(r.from[..common].to_vec())
            .or_default()
            .entry((a.clone(), b.clone()))
            .or_default()
            .push(r.clone());
    }
    // (between layers the table decides, and it has no circle)
    for (parent, graph) in edges.iter().filter(|(p, _)| !p.is_empty()) {
        for circle in circles(graph.keys()) {
            let mut witnesses = Vec::new();
            for (i, a) in circle.iter().enumerate() {
                let b = &circle[(i + 1) % circle.len()];
                witnesses.extend(graph[&(a.clone(), b.clone())].iter().take(1).cloned());
            }
            let named = circle
                .iter()
                .map(|c| {
                    let mut m = parent.clone();
                    m.push(c.clone());
                    m
                })
                .collect();
            faults.push(Fault::Circle(named, witnesses));
        }
    }
    faults
}

/// One circle through each strongly connected group of more than one node.
fn circles<'a>(edges: impl Iterator<Item = &'a (String, String)>) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().insert(b);
    }
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(n) = todo.pop() {
            for &m in next.get(n.as_str()).into_iter().flatten() {
                if seen.insert(m.to_string()) {
                    todo.push(m.to_string());
                }
            }
        }
        seen
    };
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for &start in next.keys() {
        if done.contains(start) || !reach(start).contains(start) {
            continue;
        }
        // the shortest way back to the start, breadth first
        let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        'search: while let Some(n) = queue.pop_front() {
            for &m in next.get(n).into_iter().flatten() {
                if m == start {
                    parent.insert(start, n);
                    break 'search;
                }
                if !parent.contains_key(m) {
                    parent.insert(m, n);
                    queue.push_back(m);
                }
            }
        }
        let mut circle = vec![start.to_string()];
        let mut at = parent[start];
        while at != start {
            circle.push(at.to_string());
            at = parent[at];
        }
        circle[1..].reverse();
        done.extend(circle.iter().cloned());
        out.push(circle);
    }
    out
}

/// Writes a small crate under a temporary directory: `(path, text)`.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

const LIB: &str = "pub mod domain; pub mod store; pub mod app; pub mod server; pub mod ui;";

#[test]
fn the_checker_finds_a_forbidden_import_in_each_form_it_can_take() {
    let dir = tree(&[
        ("lib.rs", LIB),
        ("domain/mod.rs", "pub mod event; pub struct Id;"),
        ("domain/event.rs", "pub struct Event;"),
        ("store/mod.rs", "pub struct Store;"),
        // a use, a path in code, super:: climbing out, a macro's body
        ("server/mod.rs", "pub mod api; use crate::store::Store;"),
        ("server/api.rs", "fn f() { let _ = crate::app::go(); }"),
        ("app/mod.rs", "pub fn go() {} use super::ui;"),
        (
            "ui/mod.rs",
            "fn f() { tracing::info!(\"{}\", crate::server::api::X); }",
        ),
    ]);
    let faults: Vec<String> = check(dir.path()).iter().map(|f| f.to_string()).collect();
    let expect = [
        "server imports store",
        "server::api imports app",
        "app imports ui",
        "ui imports server::api",
    ];
    for e in expect {
        assert!(
            faults.iter().any(|f| f.contains(e)),
            "{e:?} not found in {faults:#?}"
        );
    }
    assert_eq!(faults.len(), expect.len(), "{faults:#?}");
}

#[test]
fn the_checker_finds_circles_between_siblings_and_leaves_test_code_alone() {
    let dir = tree(&[
        ("lib.rs", LIB),
        ("domain/mod.rs", "pub mod event; pub mod staff;"),
        (
            "domain/event.rs",
            "use super::staff::Role; pub struct Event;",
        ),
        (
            "domain/staff.rs",
            "pub struct Role; fn f(_: crate::domain::event::Event) {}",
        ),
        ("store/mod.rs", ""),
        ("server/mod.rs", ""),
        (
            "app/mod.rs",
            "#[cfg(test)] mod tests; #[cfg(test)] fn t() { crate::ui::x(); }",
        ),
        ("app/tests.rs", "use crate::ui::Oracle;"),
        ("ui/mod.rs", "pub mod board;"),
        ("ui/board/mod.rs", "pub mod hall; pub mod region;"),
        ("ui/board/hall.rs", "use super::region::R; pub struct H;"),
        (
            "ui/board/region.rs",
            "pub struct R; fn f(_: super::hall::H) {}",
        ),
    ]);
    let faults: Vec<String> = check(dir.path()).iter().map(|f| f.to_string()).collect();
    assert_eq!(faults.len(), 2, "{faults:#?}");
    assert!(
        faults
            .iter()
            .any(|f| f.contains("domain::event → domain::staff")),
        "{faults:#?}"
    );
    assert!(
        faults
            .iter()
            .any(|f| f.contains("ui::board::hall → ui::board::region")),
        "{faults:#?}"
    );
}

#[test]
fn every_import_in_src_follows_the_table_of_layers() {
    // QABYLDAU_LAYERS_SRC checks another tree (an old checkout, say)
    let src = std::env::var_os("QABYLDAU_LAYERS_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let faults = check(&src);
    let text: Vec<String> = faults.iter().map(|f| f.to_string()).collect();
    assert!(
        faults.is_empty(),
        "{} faults against the table of layers (docs/ARCHITECTURE.md):\n{}",
        faults.len(),
        text.join("\n")
    );
    let refs = references(&src);
    // the walk saw the crate: every layer, and imports between them
    let layers: BTreeSet<&str> = refs
        .iter()
        .filter(|r| !r.from.is_empty())
        .map(|r| r.from[0].as_str())
        .collect();
    for (layer, _) in ALLOWED {
        assert!(layers.contains(layer), "no import read from layer {layer}");
    }
}
