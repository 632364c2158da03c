//! `connection save|list|show|delete`, `export`, and the vendor side's `bundle keygen|open`.
//!
//! Secrets come from standard input or `SSO_SETUP_CLIENT_SECRET`, go to the OS keychain,
//! and are never printed, not even by `bundle open` (the vendor reads the full payload with
//! `age -d`, as the README explains).

use crate::Failure;
use sso_setup::catalog::Catalog;
use sso_setup::connections::bundle::{self, OpenWith};
use sso_setup::connections::connection::{Connection, ConnectionDraft, ConnectionError, SecretExpiry};
use sso_setup::connections::secret::ClientSecret;
use sso_setup::error::{ErrorCode, UserFacingError};
use sso_setup::journeys::export_bundle::{prepare_bundle, RecipientsInput};
use sso_setup::journeys::save_connection::{delete_connection, save_connection, SaveConnectionInput};
use sso_setup::journeys::{SecretSource, SideEffects};
use sso_setup::platform::calendar_date::CalendarDate;
use std::path::Path;
use zeroize::Zeroizing;

pub const SECRET_ENVIRONMENT_VARIABLE: &str = "SSO_SETUP_CLIENT_SECRET";

#[derive(Debug, thiserror::Error)]
pub enum CommandInputError {
    #[error("standard input could not be read: {0}")]
    StdinUnreadable(String),
    #[error("{0} already exists")]
    WouldOverwrite(String),
    #[error("give the vendor's public key with --recipient or --recipients-file, or --passphrase-stdin")]
    NoRecipient,
}

impl UserFacingError for CommandInputError {
    fn code(&self) -> sso_setup::error::ErrorCode {
        match self {
            CommandInputError::StdinUnreadable(_) => sso_setup::error::ErrorCode::StdinUnreadable,
            CommandInputError::WouldOverwrite(_) => sso_setup::error::ErrorCode::WouldOverwrite,
            CommandInputError::NoRecipient => sso_setup::error::ErrorCode::BundleNoRecipient,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            CommandInputError::StdinUnreadable(_) => {
                "pipe the value in, e.g. `... --client-secret-stdin < secret.txt`".into()
            }
            CommandInputError::WouldOverwrite(_) => {
                "choose another file name, or move the existing file away first".into()
            }
            CommandInputError::NoRecipient => {
                "the vendor makes a key pair with `sso-setup bundle keygen -o key.txt` and sends you the age1... line"
                    .into()
            }
        })
    }
}

/// Reads one line from standard input, into zeroizing memory. When standard input is a
/// terminal (an admin typing or pasting the value), it is read with echo off, after a
/// prompt on the terminal, so the secret never appears on screen or in a terminal log.
pub fn read_stdin_line(prompt: &str) -> Result<Zeroizing<String>, Failure> {
    read_stdin_line_raw(prompt).map_err(|error| Failure::from(CommandInputError::StdinUnreadable(error.to_string())))
}

fn read_stdin_line_raw(prompt: &str) -> std::io::Result<Zeroizing<String>> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return rpassword::prompt_password(format!("{prompt} (not shown as you type): ")).map(Zeroizing::new);
    }
    read_line_unbuffered()
}

/// One line of standard input, read a byte at a time straight from the file descriptor into
/// a zeroizing buffer. `std::io::stdin()` keeps what it reads in an 8 KiB buffer of its own
/// that is never wiped, and a growing `String` leaves copies behind: a core dump found the
/// secret there (tests/memory_after_use.rs).
#[cfg(unix)]
fn read_line_unbuffered() -> std::io::Result<Zeroizing<String>> {
    use std::io::Read;
    use std::os::fd::AsFd;
    let mut input = std::fs::File::from(std::io::stdin().as_fd().try_clone_to_owned()?);
    let mut line = Zeroizing::new(Vec::with_capacity(4096));
    let mut byte = [0u8; 1];
    loop {
        match input.read(&mut byte) {
            Ok(0) => break,
            Ok(_) => {
                sso_setup::oidc::http_fetch::extend_zeroizing(&mut line, &byte);
                if byte[0] == b'\n' {
                    break;
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    match String::from_utf8(std::mem::take(&mut *line)) {
        Ok(text) => Ok(Zeroizing::new(text)),
        Err(error) => {
            drop(Zeroizing::new(error.into_bytes()));
            Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "standard input is not UTF-8 text"))
        }
    }
}

#[cfg(not(unix))]
fn read_line_unbuffered() -> std::io::Result<Zeroizing<String>> {
    use std::io::BufRead;
    let mut line = Zeroizing::new(String::with_capacity(4096));
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line)
}

/// The client secret from standard input (`--client-secret-stdin`), without its line ending,
/// read when a journey asks for it (after its checks).
pub fn ask_for_secret_line<'a>() -> SecretSource<'a> {
    SecretSource::Ask(Box::new(|| read_stdin_line_for_journey("Client secret").map(ClientSecret::from_line)))
}

/// [`read_stdin_line`] for a journey, whose errors are the core's boxed errors.
pub(crate) fn read_stdin_line_for_journey(
    prompt: &str,
) -> Result<Zeroizing<String>, sso_setup::journeys::JourneyError> {
    read_stdin_line_raw(prompt).map_err(|error| Box::new(CommandInputError::StdinUnreadable(error.to_string())) as _)
}

/// The secret for a command: asked on standard input, found in `SSO_SETUP_CLIENT_SECRET`
/// (ambient: the journey refuses it where a saved connection has its own), or not given.
pub fn secret_source<'a>(client_secret_stdin: bool) -> SecretSource<'a> {
    if client_secret_stdin {
        ask_for_secret_line()
    } else if let Ok(value) = std::env::var(SECRET_ENVIRONMENT_VARIABLE) {
        SecretSource::Ambient(ClientSecret::from_line(Zeroizing::new(value)))
    } else {
        SecretSource::NotGiven
    }
}

pub struct SaveRequest<'a> {
    pub draft: ConnectionDraft<'a>,
    pub client_secret_stdin: bool,
}

/// The command line's words for the journey's errors that name what to type.
fn with_command_line_hint(error: sso_setup::journeys::JourneyError) -> Failure {
    match error.code() {
        ErrorCode::BadDate => Failure::with_wording(
            format!("--secret-expires {error}"),
            error,
            "for example --secret-expires 2027-05-31 (the Expires column of the IdP's client secret)".into(),
        ),
        ErrorCode::ConnectionEmptySecret => Failure::with_hint(
            error,
            format!("pipe the secret on standard input: `sso-setup connection save ... --client-secret-stdin < secret.txt`, or set {SECRET_ENVIRONMENT_VARIABLE}"),
        ),
        _ => Failure::from_journey(error),
    }
}

pub fn save(catalog: &Catalog, effects: &SideEffects, request: SaveRequest<'_>) -> Result<(), Failure> {
    let client_secret = secret_source(request.client_secret_stdin);
    let saved = save_connection(catalog, effects, SaveConnectionInput { draft: request.draft, client_secret })
        .map_err(with_command_line_hint)?;
    for note in &saved.issuer_notes {
        errln!("note: issuer: {}", crate::wording::note(note));
    }
    for warning in &saved.warnings {
        errln!("warning: {}", warning.message());
        errln!("hint: {}", warning.hint());
    }
    let stored = if saved.secret_stored {
        "; the client secret is in the OS keychain"
    } else if saved.connection.secret_for.is_some() {
        "; the client secret saved before is kept"
    } else {
        "; no client secret was given"
    };
    errln!("saved connection '{}'{stored}", saved.connection.name);
    Ok(())
}

fn describe_expiry(connection: &Connection, today: CalendarDate) -> String {
    match connection.secret_expiry(today) {
        SecretExpiry::Unknown => "expiry unknown".into(),
        SecretExpiry::Expired { days_ago } => format!("EXPIRED {days_ago} days ago"),
        SecretExpiry::ExpiresSoon { days_left } => format!("expires in {days_left} days: renew it soon"),
        SecretExpiry::Valid { days_left } => format!("expires in {days_left} days"),
    }
}

pub fn list(effects: &SideEffects, json: bool) -> Result<(), Failure> {
    let today = effects.clock.today();
    let entries = effects.connections.list()?;
    if json {
        let listed: Vec<serde_json::Value> = entries
            .iter()
            .map(|entry| match entry {
                Ok(connection) => serde_json::json!({
                    "name": connection.name, "vendor": connection.vendor, "idp": connection.idp,
                    "issuer": connection.issuer, "client_id": connection.client_id,
                    "secret_expires": connection.secret_expires, "secret_expiry": connection.secret_expiry(today),
                }),
                Err(error) => serde_json::json!({ "error": error.to_report() }),
            })
            .collect();
        crate::print_json(&listed);
        return Ok(());
    }
    if entries.is_empty() {
        outln!("no saved connections (save one with `sso-setup connection save`)");
    }
    for entry in entries {
        match entry {
            Ok(connection) => outln!(
                "{}  {} with {}  {}  ({})",
                connection.name,
                connection.vendor,
                connection.idp,
                connection.issuer,
                describe_expiry(&connection, today)
            ),
            Err(error) => errln!("warning: {error}"),
        }
    }
    Ok(())
}

pub fn show(effects: &SideEffects, name: &str, json: bool) -> Result<(), Failure> {
    let connection = effects.connections.load(name)?;
    let today = effects.clock.today();
    let secret_state = match effects.secrets.get(name) {
        Ok(Some(_)) => "stored in the OS keychain".to_owned(),
        Ok(None) => "not stored".to_owned(),
        Err(error) => format!("unknown: {error}"),
    };
    if json {
        let value = serde_json::json!({
            "connection": connection,
            "secret": secret_state,
            "secret_expiry": connection.secret_expiry(today),
        });
        crate::print_json(&value);
        return Ok(());
    }
    outln!("{}", connection.name);
    outln!("  vendor: {}", connection.vendor);
    outln!("  identity provider: {}", connection.idp);
    if let Some(region) = &connection.region {
        outln!("  region: {region}");
    }
    if let Some(org) = &connection.org {
        outln!("  org: {org}");
    }
    outln!("  issuer: {}", connection.issuer);
    outln!("  client ID: {}", connection.client_id);
    outln!("  client secret: {secret_state}");
    outln!(
        "  secret expires: {} ({})",
        connection.secret_expires.map_or("not recorded".to_owned(), |date| date.to_string()),
        describe_expiry(&connection, today)
    );
    if matches!(connection.secret_expiry(today), SecretExpiry::ExpiresSoon { .. } | SecretExpiry::Expired { .. }) {
        errln!("warning: the client secret of '{name}' {}", describe_expiry(&connection, today));
    }
    Ok(())
}

pub fn delete(effects: &SideEffects, name: &str) -> Result<(), Failure> {
    let existed = delete_connection(effects, name).map_err(Failure::from_journey)?;
    if !existed {
        return Err(ConnectionError::NotFound { name: name.to_owned() }.into());
    }
    errln!("deleted connection '{name}' and its keychain entry");
    Ok(())
}

/// `connection forget-admin-token`: the kept admin token goes; the connection stays.
pub fn forget_admin_token(effects: &SideEffects, name: &str) -> Result<(), Failure> {
    let saved = effects.connections.load(name).map_err(Failure::from)?;
    let removed =
        sso_setup::journeys::admin_sign_in::forget_admin_token(effects, &saved.name).map_err(Failure::from_journey)?;
    if removed {
        errln!("removed the admin token kept for '{name}' from the keychain");
    } else {
        errln!("no admin token was kept for '{name}'");
    }
    Ok(())
}

pub struct ExportRequest<'a> {
    pub connection: &'a str,
    pub recipients: &'a [String],
    pub recipients_file: Option<&'a Path>,
    pub passphrase_stdin: bool,
    pub output: &'a Path,
}

pub fn export(catalog: &Catalog, effects: &SideEffects, request: ExportRequest<'_>) -> Result<(), Failure> {
    let input = if request.passphrase_stdin {
        RecipientsInput::AskPassphrase(Box::new(|| {
            let read = |prompt: &str| -> Result<secrecy::SecretString, sso_setup::journeys::JourneyError> {
                let line = read_stdin_line_for_journey(prompt)?;
                Ok(secrecy::SecretString::from(line.trim_end_matches(['\n', '\r']).to_owned()))
            };
            let passphrase = read("Passphrase for the vendor")?;
            // Typed at a terminal, a typo would lock the vendor out: ask twice.
            let confirmation = if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                Some(read("The same passphrase again")?)
            } else {
                None
            };
            Ok((passphrase, confirmation))
        }))
    } else {
        let mut files = Vec::new();
        if let Some(path) = request.recipients_file {
            files.push(std::fs::read_to_string(path).map_err(|error| {
                Failure::from(bundle::BundleError::Unreadable {
                    path: path.display().to_string(),
                    reason: error.to_string(),
                })
            })?);
        }
        // The files must outlive the borrow below.
        return finish_export(
            catalog,
            effects,
            &request,
            RecipientsInput::Keys { keys: request.recipients, files: &files },
        );
    };
    finish_export(catalog, effects, &request, input)
}

fn finish_export(
    catalog: &Catalog,
    effects: &SideEffects,
    request: &ExportRequest<'_>,
    input: RecipientsInput<'_>,
) -> Result<(), Failure> {
    let prepared = prepare_bundle(catalog, effects, request.connection, input).map_err(|error| {
        if error.code() == ErrorCode::BundleNoRecipient {
            Failure::from(CommandInputError::NoRecipient)
        } else {
            Failure::from_journey(error)
        }
    })?;
    prepared.write_to(request.output).map_err(Failure::from_journey)?;
    errln!(
        "wrote {} (encrypted; only the vendor's key opens it). Send it to {} as a file attachment.",
        request.output.display(),
        prepared.vendor_name
    );
    Ok(())
}

pub fn keygen(effects: &SideEffects, output: &Path) -> Result<(), Failure> {
    let (identity, recipient) = bundle::generate_identity(&effects.clock.now_rfc3339());
    // Created exclusively: whatever is at the path, even a file that appears after a check,
    // is never overwritten (a lost vendor key cannot be made again).
    sso_setup::platform::atomic_file::write_new_file_atomically(output, identity.as_bytes(), true).map_err(
        |error| {
            if error.kind() == std::io::ErrorKind::AlreadyExists {
                Failure::from(CommandInputError::WouldOverwrite(output.display().to_string()))
            } else {
                Failure::from(bundle::BundleError::WriteFailed {
                    path: output.display().to_string(),
                    reason: error.to_string(),
                })
            }
        },
    )?;
    errln!(
        "wrote the private key to {} (mode 0600); keep it secret. Send customers this public key:",
        output.display()
    );
    outln!("{recipient}");
    Ok(())
}

pub fn open(file: &Path, identity: Option<&Path>, passphrase_stdin: bool, json: bool) -> Result<(), Failure> {
    let data = bundle::read_bundle_file(file)?;
    let with = if passphrase_stdin {
        let line = read_stdin_line("Passphrase")?;
        OpenWith::Passphrase(secrecy::SecretString::from(line.trim_end_matches(['\n', '\r']).to_owned()))
    } else {
        let path = identity.ok_or(CommandInputError::NoRecipient)?;
        OpenWith::IdentityFile(bundle::read_identity_file(path)?)
    };
    let payload = bundle::open(&data, &with).map_err(|error| match error {
        // A wrong identity file is bad input (exit 2); a bundle that fails its checks is a
        // failed check (exit 1).
        bundle::BundleError::BadIdentityFile(_) => Failure::from(error),
        other => Failure::CheckFailed(Box::new(other)),
    })?;
    let secret_note = format!(
        "present ({} characters; not printed: `age -d -i <key> <bundle>` shows the full payload)",
        payload.client_secret.chars().count()
    );
    if json {
        let value = serde_json::json!({
            "format": payload.format, "vendor": payload.vendor, "org": payload.org, "region": payload.region,
            "idp": payload.idp, "issuer": payload.issuer, "discovery_url": payload.discovery_url,
            "client_id": payload.client_id, "client_secret": secret_note,
            "token_endpoint_auth_method": payload.token_endpoint_auth_method, "scopes": payload.scopes,
            "redirect_uris": payload.redirect_uris, "sign_out_uris": payload.sign_out_uris,
            "created_at": payload.created_at, "secret_expires": payload.secret_expires,
            "test_report": payload.test_report,
        });
        crate::print_json(&value);
    } else {
        // Every field comes from a file someone sent: one line each, whatever it holds.
        let line = |label: &str, value: &str| {
            outln!("{label}: {}", sso_setup::platform::terminal_text::escape_for_terminal(value));
        };
        line("vendor", &payload.vendor);
        line("org", payload.org.as_deref().unwrap_or("-"));
        line("region", payload.region.as_deref().unwrap_or("-"));
        line("identity provider", &payload.idp);
        line("issuer", &payload.issuer);
        line("discovery URL", &payload.discovery_url);
        line("client ID", &payload.client_id);
        line("client secret", &secret_note);
        line("token endpoint auth method", payload.token_endpoint_auth_method.as_deref().unwrap_or("-"));
        line("scopes", &payload.scopes.join(" "));
        for uri in &payload.redirect_uris {
            line("redirect URI", uri);
        }
        line("created at", &payload.created_at);
        line("secret expires", payload.secret_expires.as_deref().unwrap_or("-"));
    }
    errln!("note: age does not prove who made a bundle; confirm with the customer that they sent it");
    Ok(())
}
