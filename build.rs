//! Turns the built-in catalog's TOML files (`catalog/**/*.toml`) into JSON in `OUT_DIR`,
//! which the library embeds. Every command starts by loading the catalog, and serde_json
//! reads the same data several times faster than the TOML parser (docs/benchmarks.md).
//! The TOML files stay the source: people edit them, the schemas describe them, and
//! admins' own vendor profiles are TOML. A test (`catalog::tests`) checks that each file
//! reads the same both ways.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=catalog");
    let source = Path::new("catalog");
    let output = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("catalog");
    convert_folder(source, &output);
}

fn convert_folder(source: &Path, output: &Path) {
    std::fs::create_dir_all(output).expect("OUT_DIR is writable");
    let mut entries: Vec<_> = std::fs::read_dir(source)
        .unwrap_or_else(|error| panic!("{} cannot be read: {error}", source.display()))
        .map(|entry| entry.expect("a readable catalog folder").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            convert_folder(&path, &output.join(path.file_name().unwrap()));
        } else if path.extension().is_some_and(|extension| extension == "toml") {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{} cannot be read: {error}", path.display()));
            // A broken built-in file is a build defect: stop the build, naming the file.
            let table: toml::Table =
                toml::from_str(&text).unwrap_or_else(|error| panic!("{} is not valid TOML: {error}", path.display()));
            let json = serde_json::to_string(&table).expect("a TOML table converts to JSON");
            std::fs::write(output.join(path.with_extension("json").file_name().unwrap()), json)
                .expect("OUT_DIR is writable");
        }
    }
}
