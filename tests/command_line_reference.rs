//! The command-line reference in the repository (`docs/command-line.md`, `docs/man/`) is
//! generated from the clap definitions the command line parses with; this test fails when a
//! checked-in copy is stale, and says how to regenerate it. The completion scripts are
//! checked by the shells themselves.

use std::path::Path;
use std::process::Command;

fn sso_setup(arguments: &[&str]) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_sso-setup")).args(arguments).output().unwrap();
    assert!(output.status.success(), "{arguments:?}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

const REGENERATE: &str = "regenerate with `cargo run --bin sso-setup -- reference > docs/command-line.md && \
     cargo run --bin sso-setup -- reference --format man --output docs/man`";

#[test]
fn the_markdown_reference_is_the_one_the_command_line_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let printed = String::from_utf8(sso_setup(&["reference"]).stdout).unwrap();
    let checked_in = std::fs::read_to_string(root.join("docs/command-line.md")).unwrap();
    assert!(printed == checked_in, "docs/command-line.md is stale: {REGENERATE}");
    // Every command the admin can run has its section.
    for command in ["sso-setup test-flow", "sso-setup connection save", "sso-setup export", "sso-setup completions"] {
        assert!(checked_in.contains(&format!("\n## {command}\n")), "{command}");
    }
    assert!(!checked_in.contains("\n## sso-setup reference\n"), "the generator itself is hidden");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("docs/command-line.md"), "the README links the reference in the repository");
}

#[test]
fn the_man_pages_are_the_ones_the_command_line_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folder = tempfile::tempdir().unwrap();
    sso_setup(&["reference", "--format", "man", "--output", folder.path().to_str().unwrap()]);
    let names = |path: &Path| {
        let mut names: Vec<String> =
            std::fs::read_dir(path).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        names
    };
    let written = names(folder.path());
    assert_eq!(written, names(&root.join("docs/man")), "the set of pages: {REGENERATE}");
    assert!(written.contains(&"sso-setup-test-flow.1".to_owned()), "{written:?}");
    for name in written {
        let fresh = std::fs::read(folder.path().join(&name)).unwrap();
        assert!(
            fresh == std::fs::read(root.join("docs/man").join(&name)).unwrap(),
            "docs/man/{name} is stale: {REGENERATE}"
        );
    }
}

#[test]
fn the_bash_completion_script_is_valid_and_knows_the_commands() {
    let script = String::from_utf8(sso_setup(&["completions", "bash"]).stdout).unwrap();
    for command in ["test-flow", "connection", "export", "explain"] {
        assert!(script.contains(command), "{command}");
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &script).unwrap();
    let checked = Command::new("bash").arg("-n").arg(file.path()).output().unwrap();
    assert!(checked.status.success(), "bash -n: {}", String::from_utf8_lossy(&checked.stderr));
    // zsh and fish scripts are made from the same definitions.
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert!(!sso_setup(&["completions", shell]).stdout.is_empty(), "{shell}");
    }
}

/// The systemd user service in docs/systemd runs a command this command line accepts, and the
/// README's cron line is the same command; with nothing to check it prints nothing and exits 0,
/// so a timer stays quiet until something is wrong.
#[test]
fn the_documented_timer_and_cron_line_run_a_command_that_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let service = std::fs::read_to_string(root.join("docs/systemd/sso-setup-check.service")).unwrap();
    let exec = service.lines().find_map(|line| line.strip_prefix("ExecStart=")).expect("an ExecStart line");
    let arguments: Vec<&str> = exec.split_whitespace().skip(1).collect();
    assert_eq!(arguments, ["check", "--all", "--quiet"]);
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("0 7 * * * sso-setup check --all --quiet"), "the README's cron line is the same command");
    let timer = std::fs::read_to_string(root.join("docs/systemd/sso-setup-check.timer")).unwrap();
    assert!(timer.contains("OnCalendar=") && timer.contains("WantedBy=timers.target"));
    let empty = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sso-setup"))
        .args(&arguments)
        .env("XDG_CONFIG_HOME", empty.path())
        .env("HOME", empty.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "", "--quiet prints nothing when nothing is wrong");
}
