//! Writing a file so that it is either all there or not there at all: a temporary file in
//! the same folder, flushed to disk, then renamed over the target (rename is atomic within a
//! file system). A crash or a full disk leaves the old file, never half a new one.

use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically. With `private`, the file is created with mode 0600
/// on Unix before any byte is written, so it is never readable by others, even briefly.
pub fn write_atomically(path: &Path, contents: &[u8], private: bool) -> std::io::Result<()> {
    let temporary = write_temporary_beside(path, contents, private)?;
    // On failure the temporary file is removed when it drops.
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// Writes a new file atomically, never replacing anything: if `path` exists (a file, a
/// folder, or a symbolic link, even a dangling one), this fails with `AlreadyExists` and
/// leaves it alone. The check and the write are one step (a hard link that fails if the name
/// is taken), so nothing can appear at `path` between them. For a private key.
pub fn write_new_file_atomically(path: &Path, contents: &[u8], private: bool) -> std::io::Result<()> {
    let temporary = write_temporary_beside(path, contents, private)?;
    temporary.persist_noclobber(path).map_err(|error| error.error)?;
    Ok(())
}

fn write_temporary_beside(path: &Path, contents: &[u8], private: bool) -> std::io::Result<tempfile::NamedTempFile> {
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
    Ok(temporary)
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
    fn a_new_file_never_replaces_what_is_there() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("key.txt");
        write_new_file_atomically(&path, b"first", true).unwrap();
        let error = write_new_file_atomically(&path, b"second", true).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_not_written_over_a_dangling_symbolic_link() {
        // `Path::exists` says false for a dangling link, so "check, then write" replaced it.
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("key.txt");
        std::os::unix::fs::symlink(folder.path().join("elsewhere"), &path).unwrap();
        assert!(!path.exists());
        assert!(write_new_file_atomically(&path, b"secret", true).is_err());
        assert!(std::fs::symlink_metadata(&path).unwrap().file_type().is_symlink(), "the link is untouched");
        assert!(!folder.path().join("elsewhere").exists());
    }

    #[test]
    fn a_missing_folder_fails_and_writes_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("no-such-folder").join("file.json");
        assert!(write_atomically(&path, b"x", false).is_err());
        assert!(!path.exists());
    }
}
