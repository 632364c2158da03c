//! Where sso-setup keeps an admin's files: one answer for both faces.
//!
//! The command line and the desktop app must read and write the same saved connections and
//! vendor profiles. They used to find the folder each in its own way (the app looked at
//! `XDG_CONFIG_HOME` first, the command line asked the platform), which agreed on Linux but
//! not on macOS or Windows when that variable was set. Now both call [`ConfigFolder::of_this_user`].

use crate::connections::connection::ConnectionFolder;
use std::path::{Path, PathBuf};

/// `<the platform's config folder>/sso-setup`: `$XDG_CONFIG_HOME/sso-setup` (when absolute)
/// or `~/.config/sso-setup` on Linux, `~/Library/Application Support/sso-setup` on macOS,
/// `%APPDATA%\sso-setup` on Windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFolder {
    platform_folder: PathBuf,
}

impl ConfigFolder {
    /// The platform's config folder for this user (read once, by each face's start-up code).
    /// Without one (no home folder at all), the current folder stands in for it.
    pub fn of_this_user() -> ConfigFolder {
        ConfigFolder::in_platform_folder(dirs::config_dir().unwrap_or_else(|| PathBuf::from(".")))
    }

    /// The same layout under another platform config folder (tests).
    pub fn in_platform_folder(platform_folder: PathBuf) -> ConfigFolder {
        ConfigFolder { platform_folder }
    }

    /// The platform config folder itself (the parent of `sso-setup`).
    pub fn platform_folder(&self) -> &Path {
        &self.platform_folder
    }

    /// `<config>/sso-setup/connections`.
    pub fn connections(&self) -> ConnectionFolder {
        ConnectionFolder::in_config_folder(&self.platform_folder)
    }

    /// `<config>/sso-setup/vendors`: the admin's own vendor profiles.
    pub fn vendor_profiles(&self) -> PathBuf {
        self.platform_folder.join("sso-setup").join("vendors")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_and_profiles_sit_side_by_side_under_sso_setup() {
        let folder = ConfigFolder::in_platform_folder(PathBuf::from("/home/admin/.config"));
        assert_eq!(
            folder.connections().path_of("acme"),
            PathBuf::from("/home/admin/.config/sso-setup/connections/acme.json")
        );
        assert_eq!(folder.vendor_profiles(), PathBuf::from("/home/admin/.config/sso-setup/vendors"));
    }
}
