//! What tests check on disk after the app or the CLI has handled a secret.

use std::path::Path;

/// No regular file under `folder` (walked without following symlinks) contains `secret`.
/// Sockets and FIFOs are skipped: they hold nothing saved (GNOME Keyring puts its control
/// socket under HOME when there is no runtime dir), and reading them fails or blocks.
/// A folder that does not exist holds nothing.
pub fn assert_no_file_holds(folder: &Path, secret: &str) {
    if !folder.exists() {
        return;
    }
    for entry in std::fs::read_dir(folder).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            assert_no_file_holds(&path, secret);
        } else if kind.is_file() {
            let contents = std::fs::read(&path).unwrap();
            assert!(!String::from_utf8_lossy(&contents).contains(secret), "{} holds the secret", path.display());
        }
    }
}
