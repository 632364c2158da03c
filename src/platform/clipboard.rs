//! Copying values to the system clipboard, byte-exact, and copying a secret so that it
//! stays out of clipboard history and is cleared again.
//!
//! [`ClipboardAccess`] is the seam; [`SystemClipboard`] wraps `arboard`. A secret is copied
//! only on an explicit request, marked as concealed where the platform has a convention for
//! it (Windows: excluded from history, cloud and monitoring; macOS: the concealed type; Linux:
//! the password-manager hint KDE's Klipper honours), and [`clear_if_still_ours`] removes it
//! later only if the clipboard still holds that value, so something the admin copied since is
//! never wiped.
//!
//! On Linux/X11 the copying process serves the clipboard: the value is there only while the
//! process (the desktop app) is alive.

use crate::error::UserFacingError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClipboardError {
    #[error("the clipboard is not available: {0}")]
    Unavailable(String),
    #[error("the clipboard refused the value: {0}")]
    Refused(String),
}

impl UserFacingError for ClipboardError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            ClipboardError::Unavailable(_) => crate::error::ErrorCode::ClipboardUnavailable,
            ClipboardError::Refused(_) => crate::error::ErrorCode::ClipboardRefused,
        }
    }

    fn hint(&self) -> Option<String> {
        Some("select the value and copy it by hand (Ctrl+C); the value shown is exact".into())
    }
}

pub trait ClipboardAccess {
    /// Puts `text` on the clipboard exactly; `concealed` marks it as a secret.
    fn put_text(&mut self, text: &str, concealed: bool) -> Result<(), ClipboardError>;
    /// The clipboard's text, when it holds text.
    fn read_text(&mut self) -> Result<Option<String>, ClipboardError>;
    fn clear(&mut self) -> Result<(), ClipboardError>;
}

/// A boxed clipboard is a clipboard: the desktop shell holds `Box<dyn ClipboardAccess + Send>`
/// so its tests can give it one that needs no display.
impl<C: ClipboardAccess + ?Sized> ClipboardAccess for Box<C> {
    fn put_text(&mut self, text: &str, concealed: bool) -> Result<(), ClipboardError> {
        (**self).put_text(text, concealed)
    }

    fn read_text(&mut self) -> Result<Option<String>, ClipboardError> {
        (**self).read_text()
    }

    fn clear(&mut self) -> Result<(), ClipboardError> {
        (**self).clear()
    }
}

/// The operating system's clipboard.
pub struct SystemClipboard {
    clipboard: arboard::Clipboard,
}

impl SystemClipboard {
    pub fn open() -> Result<SystemClipboard, ClipboardError> {
        arboard::Clipboard::new()
            .map(|clipboard| SystemClipboard { clipboard })
            .map_err(|error| ClipboardError::Unavailable(error.to_string()))
    }
}

impl ClipboardAccess for SystemClipboard {
    fn put_text(&mut self, text: &str, concealed: bool) -> Result<(), ClipboardError> {
        let set = self.clipboard.set();
        #[cfg(target_os = "linux")]
        let set = if concealed { arboard::SetExtLinux::exclude_from_history(set) } else { set };
        #[cfg(target_os = "windows")]
        let set = if concealed {
            use arboard::SetExtWindows;
            set.exclude_from_history().exclude_from_cloud().exclude_from_monitoring()
        } else {
            set
        };
        #[cfg(target_os = "macos")]
        let set = if concealed { arboard::SetExtApple::exclude_from_history(set) } else { set };
        #[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
        let _ = concealed;
        set.text(text.to_owned()).map_err(|error| ClipboardError::Refused(error.to_string()))
    }

    fn read_text(&mut self) -> Result<Option<String>, ClipboardError> {
        match self.clipboard.get_text() {
            Ok(text) => Ok(Some(text)),
            Err(arboard::Error::ContentNotAvailable) => Ok(None),
            Err(error) => Err(ClipboardError::Unavailable(error.to_string())),
        }
    }

    fn clear(&mut self) -> Result<(), ClipboardError> {
        self.clipboard.clear().map_err(|error| ClipboardError::Refused(error.to_string()))
    }
}

/// Copies a value (a redirect URI, a client ID) byte-exact: nothing trimmed or added.
pub fn copy_value(clipboard: &mut dyn ClipboardAccess, value: &str) -> Result<(), ClipboardError> {
    clipboard.put_text(value, false)
}

/// Copies a secret, marked as concealed. The caller clears it later with
/// [`clear_if_still_ours`], or uses [`copy_secret_then_clear`], which does both.
pub fn copy_secret(
    clipboard: &mut dyn ClipboardAccess,
    secret: &crate::connections::secret::ClientSecret,
) -> Result<(), ClipboardError> {
    clipboard.put_text(secret.expose(), true)
}

/// How long a copied secret stays on the clipboard.
pub const SECRET_CLIPBOARD_SECONDS: u64 = 30;

/// Copies a secret (concealed) and clears it after `after`, on a thread of its own, if the
/// clipboard still holds it then. The thread keeps only a SHA-256 digest of the secret to
/// recognise it, never the secret. Join the handle to learn whether it cleared.
pub fn copy_secret_then_clear<C: ClipboardAccess + Send + 'static>(
    clipboard: std::sync::Arc<std::sync::Mutex<C>>,
    secret: &crate::connections::secret::ClientSecret,
    after: std::time::Duration,
) -> Result<std::thread::JoinHandle<Result<bool, ClipboardError>>, ClipboardError> {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(secret.expose().as_bytes());
    copy_secret(&mut *clipboard.lock().map_err(|_| ClipboardError::Unavailable("poisoned".into()))?, secret)?;
    Ok(std::thread::spawn(move || {
        std::thread::sleep(after);
        let mut clipboard = clipboard.lock().map_err(|_| ClipboardError::Unavailable("poisoned".into()))?;
        let held = clipboard.read_text()?.map(zeroize::Zeroizing::new);
        if held.is_some_and(|text| sha2::Sha256::digest(text.as_bytes()) == digest) {
            clipboard.clear()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }))
}

/// The system clipboard, opened on first use and then kept: on X11 the owning process
/// serves the clipboard, so the desktop app keeps one for its lifetime.
#[derive(Default)]
pub struct LazySystemClipboard(Option<SystemClipboard>);

impl LazySystemClipboard {
    fn opened(&mut self) -> Result<&mut SystemClipboard, ClipboardError> {
        if self.0.is_none() {
            self.0 = Some(SystemClipboard::open()?);
        }
        Ok(self.0.as_mut().expect("opened above"))
    }
}

impl ClipboardAccess for LazySystemClipboard {
    fn put_text(&mut self, text: &str, concealed: bool) -> Result<(), ClipboardError> {
        self.opened()?.put_text(text, concealed)
    }

    fn read_text(&mut self) -> Result<Option<String>, ClipboardError> {
        self.opened()?.read_text()
    }

    fn clear(&mut self) -> Result<(), ClipboardError> {
        self.opened()?.clear()
    }
}

/// Clears the clipboard only if it still holds `value`. Returns whether it cleared.
pub fn clear_if_still_ours(clipboard: &mut dyn ClipboardAccess, value: &str) -> Result<bool, ClipboardError> {
    if clipboard.read_text()?.as_deref() == Some(value) {
        clipboard.clear()?;
        Ok(true)
    } else {
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct RecordingClipboard {
        text: Option<String>,
        concealed: bool,
    }

    impl ClipboardAccess for RecordingClipboard {
        fn put_text(&mut self, text: &str, concealed: bool) -> Result<(), ClipboardError> {
            self.text = Some(text.to_owned());
            self.concealed = concealed;
            Ok(())
        }
        fn read_text(&mut self) -> Result<Option<String>, ClipboardError> {
            Ok(self.text.clone())
        }
        fn clear(&mut self) -> Result<(), ClipboardError> {
            self.text = None;
            Ok(())
        }
    }

    #[test]
    fn a_secret_is_cleared_only_while_it_is_still_there() {
        let mut clipboard = RecordingClipboard::default();
        let secret = crate::connections::secret::ClientSecret::new("s3cret".into());
        copy_secret(&mut clipboard, &secret).unwrap();
        assert!(clipboard.concealed);
        clipboard.put_text("something the admin copied since", false).unwrap();
        assert!(!clear_if_still_ours(&mut clipboard, "s3cret").unwrap());
        assert_eq!(clipboard.text.as_deref(), Some("something the admin copied since"));
        copy_secret(&mut clipboard, &secret).unwrap();
        assert!(clear_if_still_ours(&mut clipboard, "s3cret").unwrap());
        assert_eq!(clipboard.text, None);
    }

    #[test]
    fn a_copied_secret_is_cleared_after_the_delay_unless_replaced() {
        let secret = crate::connections::secret::ClientSecret::new("s3cret".into());
        let clipboard = std::sync::Arc::new(std::sync::Mutex::new(RecordingClipboard::default()));
        let waiting = copy_secret_then_clear(clipboard.clone(), &secret, std::time::Duration::from_millis(50)).unwrap();
        assert_eq!(clipboard.lock().unwrap().text.as_deref(), Some("s3cret"));
        assert!(waiting.join().unwrap().unwrap());
        assert_eq!(clipboard.lock().unwrap().text, None);

        let waiting = copy_secret_then_clear(clipboard.clone(), &secret, std::time::Duration::from_millis(50)).unwrap();
        clipboard.lock().unwrap().put_text("the admin's own", false).unwrap();
        assert!(!waiting.join().unwrap().unwrap());
        assert_eq!(clipboard.lock().unwrap().text.as_deref(), Some("the admin's own"));
    }
}
