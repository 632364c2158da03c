//! Invariants of the code base that the compiler does not check (rust-analyzer's "tidy"
//! tests): the core library never depends on Tauri, and every module says what it is for.

#[allow(dead_code)]
mod support;

use std::path::Path;

/// Walks the resolved dependency graph of `package` (normal and build dependencies, on
/// every platform) and returns every package name reachable from it.
fn runtime_dependency_names(package: &str) -> Vec<String> {
    let metadata = support::cargo_metadata::cargo_metadata();
    let packages = metadata["packages"].as_array().unwrap();
    let name_of = |id: &str| -> String {
        packages
            .iter()
            .find(|package| package["id"] == id)
            .map(|package| package["name"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let nodes = metadata["resolve"]["nodes"].as_array().unwrap();
    let root = packages
        .iter()
        .find(|candidate| candidate["name"] == package)
        .map(|package| package["id"].as_str().unwrap().to_owned())
        .unwrap();
    let mut seen = vec![root.clone()];
    let mut queue = vec![root];
    while let Some(id) = queue.pop() {
        let node = nodes.iter().find(|node| node["id"] == id.as_str()).unwrap();
        for dependency in node["deps"].as_array().unwrap() {
            let is_runtime = dependency["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|kind| kind["kind"].is_null() || kind["kind"] == "build");
            let dependency_id = dependency["pkg"].as_str().unwrap().to_owned();
            if is_runtime && !seen.contains(&dependency_id) {
                seen.push(dependency_id.clone());
                queue.push(dependency_id);
            }
        }
    }
    seen.iter().map(|id| name_of(id)).collect()
}

#[test]
fn the_core_library_does_not_depend_on_tauri() {
    let names = runtime_dependency_names("sso-setup");
    assert!(names.iter().any(|name| name == "url"), "the walk found the core's own dependencies: {names:?}");
    let tauri: Vec<&String> =
        names.iter().filter(|name| name.starts_with("tauri") || name.starts_with("wry")).collect();
    assert!(tauri.is_empty(), "the core library reaches {tauri:?}; keep Tauri in src-tauri/");
}

#[test]
fn the_desktop_shell_does_depend_on_tauri() {
    // The other half of the invariant: the same walk does see Tauri where it is, so the
    // test above cannot pass by failing to look.
    let names = runtime_dependency_names("sso-setup-desktop");
    assert!(names.iter().any(|name| name == "tauri"), "the walk from the desktop shell finds tauri");
    assert!(names.iter().any(|name| name == "sso-setup"), "the desktop shell is built on the core");
}

fn rust_files(folder: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_module_starts_with_a_doc_header() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("src-tauri/src"), &mut files);
    rust_files(&root.join("tests"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|path| !std::fs::read_to_string(path).unwrap().starts_with("//!"))
        .map(|path| path.strip_prefix(root).unwrap().display().to_string())
        .collect();
    assert!(missing.is_empty(), "these files need a `//!` header saying what they are for: {missing:?}");
}

#[test]
fn no_names_that_hide_what_a_thing_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("src-tauri/src"), &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for vague in ["Manager", "Helper", "Util"] {
            for keyword in ["struct ", "enum ", "trait ", "mod "] {
                let pattern = format!("{keyword}{vague}");
                let suffix_pattern = |line: &str| {
                    line.trim_start().starts_with(&format!("pub {keyword}")) || line.trim_start().starts_with(keyword)
                };
                for line in text.lines().filter(|line| suffix_pattern(line)) {
                    let name = line
                        .split(keyword)
                        .nth(1)
                        .unwrap_or("")
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                        .unwrap_or("");
                    assert!(
                        !name.contains(vague),
                        "{}: `{}` — name it after what it does, not `{vague}` ({pattern})",
                        path.display(),
                        line.trim()
                    );
                }
            }
        }
    }
}
