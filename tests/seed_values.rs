//! Every URL the vendor guides publish comes out of `sso-setup` exactly as the guide writes
//! it, and the headline example of the foundation issue holds byte for byte.

use std::collections::BTreeSet;
use std::process::Command;

fn sso_setup(arguments: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_sso-setup"))
        .args(arguments)
        .env("SSO_SETUP_VENDOR_DIR", env!("CARGO_MANIFEST_DIR").to_owned() + "/tests/fixtures/empty-vendor-dir")
        .output()
        .expect("the sso-setup binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}

/// The URLs in a seed text, as far as a URL runs in plain text or markdown.
fn urls_in(text: &str) -> BTreeSet<String> {
    let mut urls = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find("https://") {
        let tail = &rest[start..];
        let end = tail
            .find(|character: char| character.is_whitespace() || matches!(character, '`' | '"' | '<' | '>' | '|' | ')'))
            .unwrap_or(tail.len());
        let mut url = tail[..end].trim_end_matches(['.', ',']).to_owned();
        // Pacvue writes its placeholder with a space: `[client name]`.
        if url.ends_with("[client") && tail[end..].starts_with(" name]") {
            url.push_str(" name]");
        }
        urls.insert(url);
        rest = &tail[end..];
    }
    urls
}

/// Images and the documentation index are links in the page, not values an admin uses.
fn is_value(url: &str) -> bool {
    !url.contains("mintlify.s3") && !url.ends_with("llms.txt") && url != "https://docs.pelanor.io"
}

#[test]
fn every_url_in_the_seed_guides_comes_out_exactly() {
    let seeds_folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seeds");
    let vendors_and_idps = [
        ("pelanor", vec!["entra", "okta", "jumpcloud"]),
        ("peerpanda", vec!["okta", "entra"]),
        ("pacvue", vec!["okta", "entra", "generic"]),
        ("pivott", vec!["okta"]),
    ];
    let mut everything_printed = String::new();
    for (vendor, idps) in &vendors_and_idps {
        let (status, stdout, stderr) = sso_setup(&["vendor", "show", vendor]);
        assert_eq!(status, 0, "vendor show {vendor}: {stderr}");
        everything_printed.push_str(&stdout);
        for idp in idps {
            for region in ["us", "eu", "global"] {
                let (status, stdout, _) = sso_setup(&["guide", "--vendor", vendor, "--idp", idp, "--region", region]);
                if status == 0 {
                    everything_printed.push_str(&stdout);
                }
            }
        }
    }
    let mut checked = 0;
    for entry in std::fs::read_dir(seeds_folder).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == "SOURCE.md" || path.file_name().unwrap() == "README.md" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for url in urls_in(&text).into_iter().filter(|url| is_value(url)) {
            assert!(
                everything_printed.contains(&url),
                "{} publishes {url}, and sso-setup never prints it exactly",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "the seeds hold at least 15 URL values; found {checked}");
}

#[test]
fn the_headline_example_is_byte_exact() {
    let (status, stdout, stderr) =
        sso_setup(&["redirect-uri", "--vendor", "pelanor", "--idp", "okta", "--region", "eu", "--org", "acme"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "https://app-eu.pelanor.io/api/auth/callback/okta-acme\n");
    assert_eq!(stderr, "");
}

#[test]
fn every_pelanor_idp_and_region_gives_the_guide_s_uri() {
    for (region, host) in [("us", "app.pelanor.io"), ("eu", "app-eu.pelanor.io")] {
        for idp in ["entra", "okta", "jumpcloud"] {
            let (status, stdout, stderr) =
                sso_setup(&["redirect-uri", "--vendor", "pelanor", "--idp", idp, "--region", region, "--org", "acme"]);
            assert_eq!(status, 0, "{stderr}");
            assert_eq!(stdout, format!("https://{host}/api/auth/callback/{idp}-acme\n"));
        }
    }
}
