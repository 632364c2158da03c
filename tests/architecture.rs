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

/// The protocol runs on the openidconnect crate, with no HTTP stack or trust roots of its
/// own: its requests go through the hardened client (`oidc::token_transport`), which trusts the
/// operating system's roots only. Its default features would turn on bundled web-PKI roots in
/// our reqwest, by feature unification, and a second TLS stack; jsonwebtoken is for tests only.
#[test]
fn the_protocol_crate_brings_no_http_stack_or_trust_roots() {
    let names = runtime_dependency_names("sso-setup");
    assert!(names.iter().any(|name| name == "openidconnect"), "the core verifies with openidconnect: {names:?}");
    for unwanted in ["webpki-roots", "curl", "ureq", "native-tls", "jsonwebtoken", "aws-lc-rs"] {
        assert!(!names.iter().any(|name| name == unwanted), "the core library reaches {unwanted}");
    }
    let metadata = support::cargo_metadata::cargo_metadata();
    let reqwest_features: Vec<String> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|node| node["id"].as_str().unwrap().contains("reqwest@0.12"))
        .flat_map(|node| node["features"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_owned()))
        .collect();
    assert!(reqwest_features.iter().any(|feature| feature == "rustls-tls-native-roots"), "{reqwest_features:?}");
    assert!(!reqwest_features.iter().any(|feature| feature.contains("webpki")), "{reqwest_features:?}");
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

/// Every struct the desktop shell serialises to the web view, with its field names.
fn serialised_shell_structs() -> Vec<(String, Vec<String>)> {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src/dto"), &mut files);
    let text: String = files.iter().map(|file| std::fs::read_to_string(file).unwrap() + "\n").collect();
    let mut found = Vec::new();
    let mut serialised = false;
    let mut current: Option<(String, Vec<String>)> = None;
    for line in text.lines().map(str::trim) {
        if line.starts_with("#[derive(") {
            serialised = line.contains("Serialize");
        } else if let Some(rest) = line.strip_prefix("pub struct ").or_else(|| line.strip_prefix("pub enum ")) {
            if serialised {
                current = Some((rest.split_whitespace().next().unwrap().to_owned(), Vec::new()));
            }
        } else if line == "}" {
            if let Some(done) = current.take() {
                found.push(done);
            }
            serialised = false;
        } else if let Some((name, fields)) = current.as_mut() {
            let _ = name;
            let field = line.strip_prefix("pub ").unwrap_or(line);
            if let Some((field_name, _)) = field.split_once(':') {
                fields.push(field_name.trim().to_owned());
            } else if let Some((variant, _)) = field.split_once(" {") {
                fields.push(variant.trim().to_owned());
                fields.extend(
                    field
                        .split(['{', ',', '}'])
                        .filter_map(|part| part.split_once(':'))
                        .map(|(n, _)| n.trim().to_owned()),
                );
            }
        }
    }
    found
}

/// No command can hand the client secret to the web view: no serialised shell type has a
/// field that could hold it. (The secret enters through `ConnectionInput`, which is only
/// deserialised.)
#[test]
fn no_shape_sent_to_the_web_view_can_carry_a_secret() {
    let structs = serialised_shell_structs();
    assert!(
        structs.iter().any(|(name, _)| name == "ConnectionView"),
        "the parser found the shell's types: {structs:?}"
    );
    // Names that contain a suspicious word but hold something else: a date, a warning, the
    // claims decoded from the ID token (never the token), an auth method name, and the code the
    // admin types at the device sign-in (RFC 8628 §3.3: shown to the user; the device code,
    // which redeems it, stays in the shell).
    let allowed = [
        "secret_expires",
        "secret_expiry",
        "secret_warning",
        "id_token_claims",
        "token_endpoint_auth_method",
        "user_code",
    ];
    for (name, fields) in &structs {
        for field in fields {
            let lower = field.to_lowercase();
            let suspicious = ["secret", "password", "passphrase", "token", "verifier", "code"]
                .iter()
                .any(|word| lower.contains(word))
                && !allowed.contains(&field.as_str())
                && field != "code"; // IpcError's error code, e.g. "keychain-locked".
            assert!(!suspicious, "{name}.{field} is sent to the web view and could carry a secret");
        }
    }
}

/// The window may call the app's own commands and nothing else: no remote URL is granted
/// anything, no plugin command is allowed from the page, and the CSP loads nothing remote.
#[test]
fn the_desktop_window_gets_the_smallest_capability_set_and_a_strict_csp() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri");
    for entry in std::fs::read_dir(root.join("capabilities")).unwrap() {
        let capability: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        assert!(capability.get("remote").is_none(), "a capability grants a remote URL: {capability}");
        assert_eq!(capability["permissions"], serde_json::json!(["core:default"]), "{capability}");
    }
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("tauri.conf.json")).unwrap()).unwrap();
    let csp = config["app"]["security"]["csp"].as_str().expect("a CSP is set");
    for directive in ["default-src 'self'", "script-src 'self'", "style-src 'self'"] {
        assert!(csp.split(';').any(|part| part.trim() == directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
    let remote: Vec<&str> = csp
        .split_whitespace()
        .filter(|source| source.starts_with("http") && *source != "http://ipc.localhost")
        .collect();
    assert!(remote.is_empty(), "the CSP allows remote sources: {remote:?}");
    assert_eq!(config["app"]["withGlobalTauri"], false);
}

/// Security review finding 5: the command line writes nothing to a terminal except through
/// its escaping macros (`outln!`, `out!`, `errln!`, `print_json`), so text from a provider,
/// a profile file or a bundle can never carry control characters there. The only direct
/// uses of the standard macros are inside those definitions.
#[test]
fn the_command_line_prints_only_through_the_terminal_escape() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin/sso-setup"), &mut files);
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for raw in ["println!", "print!", "eprintln!", "eprint!", "io::stdout()", "io::stderr()"] {
                for (at, _) in code.match_indices(raw) {
                    // Part of a longer name (`eprintln!` holds `println!`) is not this macro.
                    if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    // One function writes what sso-setup generates from its own definitions
                    // (completion scripts, the reference), byte for byte: `print_generated`.
                    let generated = file.ends_with("main.rs") && line.contains("// print_generated: ");
                    assert!(
                        generated || (raw.ends_with('!') && code[..at].ends_with("::std::")),
                        "{}:{}: `{raw}` writes to the terminal without the escape; use outln!/out!/errln!/print_json",
                        file.display(),
                        number + 1
                    );
                }
            }
        }
    }
}

/// Security review finding 9: the variables that redirect the bundle and the setup report
/// away from the save dialog are read only by test builds (debug assertions, or the
/// `test-hooks` feature that only `make bench` turns on), never by a build that is shipped.
/// Checked in the source: the one function that reads them returns first otherwise, each
/// variable reaches the environment only through it, and nothing enables the feature by
/// default.
#[test]
fn the_test_only_save_path_is_read_only_by_test_builds() {
    let shell = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src/state.rs")).unwrap();
    let reads: Vec<usize> = shell.match_indices("std::env::var_os(").map(|(at, _)| at).collect();
    let override_reads: Vec<usize> = reads
        .iter()
        .copied()
        .filter(|&at| shell[..at].rfind("fn ").is_some_and(|start| shell[start..].starts_with("fn path_override(")))
        .collect();
    assert_eq!(override_reads.len(), 1, "read in one place");
    for variable in ["SAVE_PATH_OVERRIDE_VARIABLE", "REPORT_PATH_OVERRIDE_VARIABLE"] {
        let uses: Vec<&str> = shell
            .match_indices(variable)
            .map(|(at, _)| shell[..at].rsplit('\n').next().unwrap_or_default())
            .filter(|before| !before.trim_start().starts_with("pub const") && !before.trim_start().starts_with("///"))
            .collect();
        assert!(
            !uses.is_empty() && uses.iter().all(|before| before.ends_with("path_override(")),
            "{variable}: {uses:?}"
        );
    }
    assert!(!shell.contains("var_os(SAVE_PATH") && !shell.contains("var_os(REPORT_PATH"), "only through path_override");
    let function = &shell[shell[..override_reads[0]].rfind("fn ").unwrap()..override_reads[0]];
    assert!(function.starts_with("fn path_override(variable: &str)"), "{function}");
    assert!(
        function.contains("if !cfg!(any(debug_assertions, feature = \"test-hooks\")) {\n        return None;\n    }"),
        "{function}"
    );
    // And no build that is shipped turns the feature on.
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/Cargo.toml")).unwrap();
    let default_features = manifest.lines().find(|line| line.trim_start().starts_with("default ="));
    assert!(default_features.is_none_or(|line| !line.contains("test-hooks")), "{default_features:?}");
    let configuration =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/tauri.conf.json")).unwrap();
    assert!(!configuration.contains("test-hooks"), "the packaged build does not enable test-hooks");
}

/// Both faces find the admin's files in one way, the core's `ConfigFolder` (they used to
/// differ on macOS and Windows when XDG_CONFIG_HOME was set).
#[test]
fn neither_face_finds_the_config_folder_on_its_own() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin"), &mut files);
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src"), &mut files);
    assert!(files.len() > 4);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for own_way in ["dirs::config_dir", "XDG_CONFIG_HOME\")", "in_config_folder("] {
            assert!(!text.contains(own_way), "{} finds the config folder itself ({own_way})", file.display());
        }
    }
}

/// Each face builds its side effects in one place, its composition root (the command line's
/// `main.rs`, the shell's `state.rs`); every other file of a face only borrows them. So a
/// test that hands a face stand-ins reaches every command, and no command can quietly use
/// the real keychain, clock or browser (the desktop commands used to build `OsKeychain`
/// and the HTTP client inside each command).
#[test]
fn no_face_builds_a_side_effect_outside_its_composition_root() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let builders = [
        "OsKeychain",
        "HardenedHttpClient::new",
        "SystemClock",
        "SystemTime::now",
        "SystemBrowser",
        "of_this_computer",
        "ConfigFolder::of_this_user",
        "LazySystemClipboard",
        "SystemClipboard::open",
        "browser_program",
    ];
    let mut checked = 0;
    for (folder, composition_root) in [("src/bin/sso-setup", "main.rs"), ("src-tauri/src", "state.rs")] {
        let mut files = Vec::new();
        rust_files(&root.join(folder), &mut files);
        for file in files.iter().filter(|file| !file.ends_with(composition_root)) {
            let text = std::fs::read_to_string(file).unwrap();
            for builder in builders {
                assert!(
                    !text.contains(builder),
                    "{} builds a side effect ({builder}); only {composition_root} may",
                    file.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "the faces' files were found ({checked})");
    // In the core, only the clock itself reads the system time (and the demo provider, which
    // plays an IdP with a clock of its own).
    let mut core = Vec::new();
    rust_files(&root.join("src"), &mut core);
    for file in core.iter().filter(|file| !file.starts_with(root.join("src/bin"))) {
        let text = std::fs::read_to_string(file).unwrap();
        if text.contains("SystemTime::now") {
            assert!(
                file.ends_with("journeys/mod.rs") || file.ends_with("demo_provider.rs"),
                "{} reads the system clock; take a `Clock` instead",
                file.display()
            );
        }
    }
}

/// The shell stays thin: a file that grows past about 300 lines is holding logic that
/// belongs in the core.
#[test]
fn no_shell_file_is_over_300_lines() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src"), &mut files);
    assert!(files.len() > 5);
    for file in files {
        let lines = std::fs::read_to_string(&file).unwrap().lines().count();
        assert!(lines <= 300, "{} has {lines} lines", file.display());
    }
}

/// Every file git tracks, as text (binary files skipped).
fn tracked_text_files() -> Vec<(std::path::PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = std::process::Command::new("git").arg("ls-files").current_dir(root).output().unwrap();
    assert!(listed.status.success(), "git ls-files");
    String::from_utf8(listed.stdout)
        .unwrap()
        .lines()
        .filter_map(|name| {
            let path = root.join(name);
            std::fs::read_to_string(&path).ok().map(|text| (path, text))
        })
        .collect()
}

/// The repository stands alone: no file cites a document outside it (the notes the project
/// was started from), which no user could open. Sources are public links.
#[test]
fn nothing_cites_a_document_outside_the_repository() {
    // Spelled in parts, so this file does not match itself.
    let outside = [
        ["idp", "-facts"].concat(),
        ["shared", "/docs"].concat(),
        ["shared", "/seeds"].concat(),
        ["peers-and", "-failure-modes"].concat(),
        ["security", "-catalogue"].concat(),
        ["cli", "-contract"].concat(),
        ["stack", "-notes"].concat(),
        ["../", "shared"].concat(),
    ];
    let files = tracked_text_files();
    assert!(files.len() > 100, "git lists the repository's files");
    for (path, text) in &files {
        for name in &outside {
            assert!(!text.contains(name.as_str()), "{} cites {name}, outside the repository", path.display());
        }
    }
}

/// Every fact in the catalog names the public page it comes from: each `sources` entry of
/// the identity providers, their guides and the diagnoses is an https URL a reader can open.
#[test]
fn every_catalog_source_is_a_public_link() {
    fn sources_in(value: &toml::Value, found: &mut Vec<String>) {
        match value {
            toml::Value::Table(table) => {
                for (key, inner) in table {
                    match (key.as_str(), inner) {
                        ("sources", toml::Value::Array(entries)) => {
                            found.extend(entries.iter().filter_map(|entry| entry.as_str().map(str::to_owned)))
                        }
                        _ => sources_in(inner, found),
                    }
                }
            }
            toml::Value::Array(entries) => entries.iter().for_each(|entry| sources_in(entry, found)),
            _ => {}
        }
    }
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
    let mut files = vec![catalog.join("identity-providers.toml"), catalog.join("diagnoses.toml")];
    for entry in std::fs::read_dir(catalog.join("idp-guides")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut sources = Vec::new();
    for file in &files {
        let value: toml::Value = toml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        sources_in(&value, &mut sources);
    }
    assert!(sources.len() > 100, "the sources were found ({})", sources.len());
    for source in sources {
        let url = url::Url::parse(&source).unwrap_or_else(|_| panic!("{source:?} is not a URL"));
        assert_eq!(url.scheme(), "https", "{source}");
        assert!(url.host_str().is_some_and(|host| host.contains('.')), "{source}");
    }
}

/// The core's messages and hints name no command-line flag: the desktop app shows the same
/// errors, and `--idp` means nothing there. The command line adds its own words by code
/// (`src/bin/sso-setup/wording.rs`). The one exception is the guide's text rendering, a
/// document only the command line prints, which says which flag fills in the values.
#[test]
fn the_core_names_no_command_line_flag() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut checked = 0;
    for file in files.iter().filter(|file| !file.starts_with(root.join("src/bin"))) {
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests may say anything.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or_default();
            for literal in line.split('"').skip(1).step_by(2) {
                let names_flag = literal.match_indices("--").any(|(at, _)| {
                    literal[at + 2..].starts_with(|c: char| c.is_ascii_lowercase())
                        && !literal[..at].ends_with(|c: char| c.is_alphanumeric())
                });
                let allowed = file.ends_with("guidance/guide.rs") && literal.contains("add --org");
                assert!(
                    !names_flag || allowed,
                    "{}:{}: the core names a command-line flag in {literal:?}; word it for both faces and add the flag in wording.rs",
                    file.display(),
                    number + 1
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 30, "the core's files were read ({checked})");
}
