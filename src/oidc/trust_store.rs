//! The operating system's trust anchors for the hardened client, on Linux and the other
//! Unixes but macOS: the same certificates `rustls-native-certs` 0.8 (reqwest's
//! `rustls-tls-native-roots`) would load, read on two threads.
//!
//! Which files: `SSL_CERT_FILE` and `SSL_CERT_DIR` when either is set, otherwise the bundle
//! file and certificate folders `openssl-probe` finds (on Debian `/etc/ssl/certs/
//! ca-certificates.crt` and `/etc/ssl/certs`). Like `rustls-native-certs`, the bundle is read
//! and then every file in each folder (as OpenSSL does), each file once by device and inode
//! (the folder's hash links and the bundle inside it are read once), dangling links skipped,
//! and every certificate kept once.
//!
//! Why not let reqwest load them: the folder is a few hundred files, and reading them was the
//! largest single cost of starting any command that reaches an IdP (about 5 ms of a 17 ms
//! sign-in test on loopback, docs/benchmarks.md), all on one thread while the other core
//! waited. Here two threads share the files. Certificates rustls cannot use as trust anchors
//! are left out, as reqwest leaves them out (it would refuse the whole client otherwise).

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::CertificateDer;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where the trust anchors are read from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustStoreLocations {
    pub file: Option<PathBuf>,
    pub folders: Vec<PathBuf>,
}

impl TrustStoreLocations {
    /// `SSL_CERT_FILE` / `SSL_CERT_DIR` (a `:`-separated list) when either is set, as
    /// `rustls-native-certs` reads them; otherwise where `openssl-probe` finds them.
    pub fn of_this_computer() -> TrustStoreLocations {
        let file = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
        let folders: Vec<PathBuf> = std::env::var_os("SSL_CERT_DIR")
            .map(|folders| std::env::split_paths(&folders).filter(|path| !path.as_os_str().is_empty()).collect())
            .unwrap_or_default();
        if file.is_some() || !folders.is_empty() {
            return TrustStoreLocations { file, folders };
        }
        let probed = openssl_probe::probe();
        TrustStoreLocations { file: probed.cert_file, folders: probed.cert_dir }
    }
}

/// The files to read: the bundle first, then each folder's regular files (links followed),
/// each file once.
fn files_to_read(locations: &TrustStoreLocations) -> Vec<PathBuf> {
    use std::os::unix::fs::MetadataExt as _;
    let mut seen = HashSet::new();
    let mut files = Vec::new();
    if let Some(file) = &locations.file {
        if let Ok(metadata) = std::fs::metadata(file) {
            seen.insert((metadata.dev(), metadata.ino()));
        }
        files.push(file.clone());
    }
    for folder in &locations.folders {
        let Ok(entries) = std::fs::read_dir(folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            // Follows the link: `openssl rehash` fills these folders with links.
            let Ok(metadata) = std::fs::metadata(&path) else { continue };
            if metadata.is_file() && seen.insert((metadata.dev(), metadata.ino())) {
                files.push(path);
            }
        }
    }
    files
}

/// The certificates of one PEM file that rustls accepts as trust anchors; unreadable files
/// and blocks are passed over (a trust-store folder holds other files too).
fn anchors_in(path: &Path, found: &mut Vec<CertificateDer<'static>>) {
    let Ok(certificates) = CertificateDer::pem_file_iter(path) else { return };
    for certificate in certificates.flatten() {
        if rustls::RootCertStore::empty().add(certificate.clone()).is_ok() {
            found.push(certificate);
        }
    }
}

/// Every trust anchor at `locations`, each once, sorted (reading order does not matter).
pub fn read_trust_anchors(locations: &TrustStoreLocations) -> Vec<CertificateDer<'static>> {
    let files = files_to_read(locations);
    let next = AtomicUsize::new(0);
    // Both threads take the next unread file until none is left: the bundle is one large file,
    // the folder hundreds of small ones, so a fixed split would leave one thread waiting.
    let read_some = || {
        let mut found = Vec::new();
        while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
            anchors_in(path, &mut found);
        }
        found
    };
    let mut anchors = std::thread::scope(|scope| {
        let helper = scope.spawn(read_some);
        let mut anchors = read_some();
        anchors.extend(helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        anchors
    });
    anchors.sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
    anchors.dedup();
    anchors
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed CA certificate made for the test.
    fn ca_pem(name: &str) -> String {
        let mut parameters = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        parameters.distinguished_name.push(rcgen::DnType::CommonName, name);
        parameters.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        parameters.self_signed(&rcgen::KeyPair::generate().unwrap()).unwrap().pem()
    }

    #[test]
    fn the_bundle_and_each_folder_file_are_read_once_and_each_certificate_kept_once() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("certs");
        std::fs::create_dir(&folder).unwrap();
        let (first, second, third) = (ca_pem("first"), ca_pem("second"), ca_pem("third"));
        // The bundle sits inside the folder, as on Debian.
        let bundle = folder.join("ca-certificates.crt");
        std::fs::write(&bundle, format!("{first}{second}")).unwrap();
        std::fs::write(folder.join("Second.pem"), &second).unwrap();
        std::fs::write(folder.join("Third.pem"), &third).unwrap();
        std::os::unix::fs::symlink("Third.pem", folder.join("4a5b6c7d.0")).unwrap();
        std::os::unix::fs::symlink("missing.pem", folder.join("dangling.0")).unwrap();
        std::fs::write(folder.join("README"), "not a certificate").unwrap();
        std::fs::write(folder.join("broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
            .unwrap();
        let locations = TrustStoreLocations { file: Some(bundle.clone()), folders: vec![folder.clone()] };

        let files = files_to_read(&locations);
        assert_eq!(files[0], bundle);
        // The bundle, then Second, Third (or its link), README and broken: not the bundle again,
        // not both of Third's names, not the dangling link.
        assert_eq!(files.len(), 5, "{files:?}");
        let anchors = read_trust_anchors(&locations);
        let expected: Vec<CertificateDer<'static>> = {
            let mut all: Vec<_> = [first, second, third]
                .iter()
                .map(|pem| CertificateDer::from_pem_slice(pem.as_bytes()).unwrap())
                .collect();
            all.sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
            all
        };
        assert_eq!(anchors, expected);
    }

    /// On this computer, exactly the anchors reqwest's own loading (rustls-native-certs) would
    /// have given the client.
    #[test]
    fn the_same_anchors_as_rustls_native_certs_on_this_computer() {
        let mut theirs: Vec<CertificateDer<'static>> = rustls_native_certs::load_native_certs()
            .certs
            .into_iter()
            .filter(|certificate| rustls::RootCertStore::empty().add(certificate.clone()).is_ok())
            .collect();
        theirs.sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
        theirs.dedup();
        let ours = read_trust_anchors(&TrustStoreLocations::of_this_computer());
        assert!(!ours.is_empty(), "this computer has a trust store (ca-certificates)");
        assert_eq!(ours.len(), theirs.len());
        assert!(ours == theirs, "the same certificates");
    }

    #[test]
    fn a_missing_bundle_or_folder_gives_no_anchor_and_no_panic() {
        let locations = TrustStoreLocations {
            file: Some(PathBuf::from("/nonexistent/bundle.crt")),
            folders: vec![PathBuf::from("/nonexistent/certs")],
        };
        assert!(read_trust_anchors(&locations).is_empty());
        assert!(read_trust_anchors(&TrustStoreLocations::default()).is_empty());
    }
}
