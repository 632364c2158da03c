//! Writing a file so that it is either all there or not there at all: a temporary file in
//! the same folder, flushed to disk, then renamed over the target (rename is atomic within a
//! file system). A crash or a full disk leaves the old file, never half a new one.

use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically. With `private`, the file is created with mode 0600
/// on Unix before any byte is written, so it is never readable by others, even briefly.
pub fn write_atomically(path: &Path, contents: &[u8], private: bool) -> std::io::Result<()> {
    let folder = path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".sso-setup-").suffix(".tmp");
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut temporary = builder.tempfile_in(folder)?;
    temporary.write_all(contents)?;
    temporary.as_file().sync_all()?;
    // On failure the temporary file is removed when `temporary` drops.
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temporary_behind() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("file.json");
        write_atomically(&path, b"first", false).unwrap();
        write_atomically(&path, b"second", false).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_0600() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("bundle.age");
        write_atomically(&path, b"x", true).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn a_missing_folder_fails_and_writes_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("no-such-folder").join("file.json");
        assert!(write_atomically(&path, b"x", false).is_err());
        assert!(!path.exists());
    }
}
