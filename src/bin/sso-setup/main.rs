//! `sso-setup`: the command-line face of the core library.
//!
//! Each subcommand parses its arguments, calls the core, and prints. The contract it keeps
//! is `docs/command-line.md`: exit 0 on success, 1 when a check fails, 2 for bad
//! input; `error:` and `hint:` on stderr; `--json` puts one JSON document on stdout.

/// `println!` for the command line: every line goes through the core's terminal escape, so
/// text from a provider, a profile file or a bundle can never write control characters or
/// bidi overrides to the admin's terminal (`sso_setup::terminal_text`). The command line
/// never calls `println!`/`eprintln!`/`print!` directly (tests/architecture.rs checks).
macro_rules! outln {
    () => { ::std::println!() };
    ($($argument:tt)*) => {
        ::std::println!("{}", ::sso_setup::platform::terminal_text::escape_lines_for_terminal(&::std::format!($($argument)*)))
    };
}

/// `print!`, escaped like [`outln!`].
macro_rules! out {
    ($($argument:tt)*) => {
        ::std::print!("{}", ::sso_setup::platform::terminal_text::escape_lines_for_terminal(&::std::format!($($argument)*)))
    };
}

/// `eprintln!`, escaped like [`outln!`].
macro_rules! errln {
    ($($argument:tt)*) => {
        ::std::eprintln!("{}", ::sso_setup::platform::terminal_text::escape_lines_for_terminal(&::std::format!($($argument)*)))
    };
}

/// One JSON document on standard output, escaped for a terminal without changing its values.
fn print_json(value: &impl serde::Serialize) {
    let text = serde_json::to_string_pretty(value).expect("what the command line prints serialises to JSON");
    ::std::println!("{}", sso_setup::platform::terminal_text::escape_json_for_terminal(&text));
}

/// Writes what sso-setup generates from its own definitions (a completion script, the
/// reference), byte for byte: it holds no text from outside, and a shell script's tabs must
/// stay tabs. Nothing else may write unescaped (tests/architecture.rs).
fn print_generated(bytes: &[u8]) -> std::io::Result<()> {
    std::io::Write::write_all(&mut std::io::stdout().lock(), bytes) // print_generated: our own output
}

/// Every freed block is wiped: copies of secrets that libraries make (hyper's header and
/// read buffers) do not outlive their use (`sso_setup::wipe_on_free`).
#[global_allocator]
static ALLOCATOR: sso_setup::platform::wipe_on_free::WipeOnFree = sso_setup::platform::wipe_on_free::WipeOnFree;

mod arguments;
mod catalog_commands;
mod check_command;
mod connection_commands;
mod explain_command;
mod flow_command;
mod provider_commands;
mod provision_command;
mod reference_command;
mod wording;

use arguments::{BundleCommand, Cli, Command, ConnectionCommand, VendorCommand};
use clap::Parser;
use sso_setup::catalog::Catalog;
use sso_setup::error::UserFacingError;
use sso_setup::journeys::check_provider::ProviderToCheck;
use sso_setup::journeys::explain_error::ExplainInput;
use sso_setup::journeys::provision::ProvisionMode;
use sso_setup::journeys::SideEffects;
use sso_setup::oidc::http_fetch::{FetchLimits, HardenedHttpClient};
use std::path::PathBuf;
use std::process::ExitCode;

/// How a command ended, mapped to the contract's exit codes.
pub enum Failure {
    /// Exit 2: the input broke a rule.
    BadInput(Box<dyn UserFacingError>),
    /// Exit 1: a check failed.
    CheckFailed(Box<dyn UserFacingError>),
}

impl<E: UserFacingError + 'static> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure::classified(Box::new(error))
    }
}

impl Failure {
    /// Exit 1 or 2, as the error itself says ([`UserFacingError::failure_kind`]).
    fn classified(error: Box<dyn UserFacingError>) -> Failure {
        match error.failure_kind() {
            sso_setup::error::FailureKind::BadInput => Failure::BadInput(error),
            sso_setup::error::FailureKind::CheckFailed => Failure::CheckFailed(error),
        }
    }

    /// An error a journey of the core ended with.
    pub fn from_journey(error: sso_setup::journeys::JourneyError) -> Failure {
        Failure::classified(error)
    }

    /// A journey's error with the command line's own hint: the core's hints name no flags,
    /// and where the fix is a flag, the command line says which.
    pub fn with_hint(error: sso_setup::journeys::JourneyError, hint: String) -> Failure {
        Failure::classified(Box::new(CommandLineHint { message: error.to_string(), error, hint }))
    }

    /// [`Failure::with_hint`], and a message that names the flag the value came from.
    pub fn with_wording(message: String, error: sso_setup::journeys::JourneyError, hint: String) -> Failure {
        Failure::classified(Box::new(CommandLineHint { message, error, hint }))
    }
}

/// See [`Failure::with_hint`].
#[derive(Debug)]
struct CommandLineHint {
    message: String,
    error: sso_setup::journeys::JourneyError,
    hint: String,
}

impl std::fmt::Display for CommandLineHint {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for CommandLineHint {}

impl UserFacingError for CommandLineHint {
    fn code(&self) -> sso_setup::error::ErrorCode {
        self.error.code()
    }

    fn hint(&self) -> Option<String> {
        Some(self.hint.clone())
    }

    fn failure_kind(&self) -> sso_setup::error::FailureKind {
        self.error.failure_kind()
    }
}

/// An HTTP client being built on a second thread, for a command that reaches an IdP: most of
/// a client's start is reading the operating system's trust store, and this way the command
/// does other work meanwhile.
struct HttpClientInBackground(std::thread::JoinHandle<HardenedHttpClient>);

impl HttpClientInBackground {
    fn start(limits: FetchLimits) -> HttpClientInBackground {
        HttpClientInBackground(std::thread::spawn(move || HardenedHttpClient::new(limits)))
    }

    fn wait(self) -> HardenedHttpClient {
        // The thread only panics where building the client in place would have panicked.
        self.0.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

/// `discover --timeout SECONDS` bounds the whole fetch, and connecting by at most 10 s.
fn discover_limits(timeout_seconds: u64) -> FetchLimits {
    FetchLimits {
        total_timeout: std::time::Duration::from_secs(timeout_seconds.max(1)),
        connect_timeout: std::time::Duration::from_secs(timeout_seconds.clamp(1, 10)),
        ..FetchLimits::default()
    }
}

/// The command line's composition root: every side effect a subcommand may touch is built
/// here, once, from the process environment (tests/architecture.rs checks that no other
/// file of the command line builds one).
fn side_effects(command: &Command) -> SideEffects {
    let config = sso_setup::platform::config_folder::ConfigFolder::of_this_user();
    let mut effects = SideEffects::of_this_computer(config.connections(), std::env::var("BROWSER").ok());
    if let Command::TestFlow { no_browser: true, .. } = command {
        effects.browser = Box::new(sso_setup::journeys::NoBrowser);
    }
    effects
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A command that reaches an IdP starts building its HTTP client now, on a second thread:
    // most of that is reading the operating system's trust store (milliseconds), and so it
    // overlaps reading the catalog (docs/benchmarks.md).
    let mut http_client = match &cli.command {
        Command::Discover { timeout, .. } => Some(HttpClientInBackground::start(discover_limits(*timeout))),
        Command::TestFlow { .. }
        | Command::Provision { .. }
        | Command::Deprovision { .. }
        | Command::Check { .. }
        | Command::Connection { command: ConnectionCommand::RotateSecret { .. } } => {
            Some(HttpClientInBackground::start(Default::default()))
        }
        _ => None,
    };
    let catalog = match load_catalog(cli.vendor_dir.as_deref()) {
        Ok(catalog) => catalog,
        Err(failure) => return report(failure),
    };
    let effects = side_effects(&cli.command);
    let outcome = match cli.command {
        Command::Vendors { json } => catalog_commands::list_vendors(&catalog, json),
        Command::Vendor { command: VendorCommand::Show { vendor, json } } => {
            catalog_commands::show_vendor(&catalog, &vendor, json)
        }
        Command::Idps { json } => catalog_commands::list_identity_providers(&catalog, json),
        Command::Guide { vendor, idp, region, org, format } => {
            catalog_commands::print_guide(&catalog, &vendor, &idp, region.as_deref(), org.as_deref(), format)
        }
        Command::RedirectUri { vendor, idp, region, org, json } => {
            catalog_commands::print_redirect_uri(&catalog, &vendor, idp.as_deref(), region.as_deref(), &org, json)
        }
        Command::Discover { issuer, idp, vendor, region, timeout: _, json } => {
            match idp.as_deref().map(catalog_commands::parse_identity_provider).transpose() {
                Ok(identity_provider) => provider_commands::run_discover(
                    http_client.take().expect("started for discover").wait(),
                    &catalog,
                    &effects,
                    ProviderToCheck::Issuer {
                        input: &issuer,
                        identity_provider,
                        vendor: vendor.as_deref(),
                        pingone_region: region.as_deref(),
                    },
                    json,
                ),
                Err(failure) => Err(failure),
            }
        }
        Command::Explain { error, vendor, idp, region, org, json } => {
            match idp.as_deref().map(catalog_commands::parse_identity_provider).transpose() {
                Ok(identity_provider) => explain_command::run_explain(
                    &catalog,
                    ExplainInput {
                        text: &error,
                        vendor: vendor.as_deref(),
                        identity_provider,
                        region: region.as_deref(),
                        org: org.as_deref(),
                    },
                    json,
                ),
                Err(failure) => Err(failure),
            }
        }
        Command::Connection {
            command:
                ConnectionCommand::RotateSecret {
                    name,
                    admin_token_stdin,
                    admin_sign_in,
                    admin_sign_in_how,
                    keep_admin_token,
                    expires_in_days,
                    finish,
                    json,
                },
        } => provision_command::run_rotate_secret(
            http_client.take().expect("started for rotate-secret").wait(),
            &catalog,
            &effects,
            provision_command::RotateArguments {
                name,
                admin: provision_command::AdminCredential::new(admin_token_stdin, admin_sign_in, admin_sign_in_how)
                    .kept(keep_admin_token),
                expires_in_days,
                finish,
                json,
            },
        ),
        Command::Connection { command } => run_connection_command(&catalog, &effects, command),
        Command::Export { connection, recipients, recipients_file, passphrase_stdin, output } => {
            connection_commands::export(
                &catalog,
                &effects,
                connection_commands::ExportRequest {
                    connection: &connection,
                    recipients: &recipients,
                    recipients_file: recipients_file.as_deref(),
                    passphrase_stdin,
                    output: &output,
                },
            )
        }
        Command::Bundle { command: BundleCommand::Keygen { output } } => connection_commands::keygen(&effects, &output),
        Command::Bundle { command: BundleCommand::Open { file, identity, passphrase_stdin, json } } => {
            connection_commands::open(&file, identity.as_deref(), passphrase_stdin, json)
        }
        Command::TestFlow {
            issuer,
            client_id,
            client_secret_stdin,
            connection,
            vendor,
            idp,
            redirect_uri,
            port,
            auth_method,
            no_browser: _,
            register_loopback,
            admin_token_stdin,
            admin_sign_in,
            admin_sign_in_how,
            keep_admin_token,
            timeout,
            json,
        } => (|| {
            let idp = idp.as_deref().map(catalog_commands::parse_identity_provider).transpose()?;
            let auth_method = match auth_method.as_deref() {
                None => None,
                Some("client_secret_basic") => {
                    Some(sso_setup::catalog::vendor_profile::TokenEndpointAuthMethod::ClientSecretBasic)
                }
                Some("client_secret_post") => {
                    Some(sso_setup::catalog::vendor_profile::TokenEndpointAuthMethod::ClientSecretPost)
                }
                Some(other) => return Err(Failure::from(CommandLineError::UnknownAuthMethod(other.to_owned()))),
            };
            flow_command::run(
                http_client.take().expect("started for test-flow").wait(),
                &catalog,
                &effects,
                flow_command::FlowArguments {
                    issuer,
                    client_id,
                    client_secret_stdin,
                    connection,
                    vendor,
                    idp,
                    redirect_uri,
                    port,
                    auth_method,
                    register_loopback,
                    admin: provision_command::AdminCredential::new(admin_token_stdin, admin_sign_in, admin_sign_in_how)
                        .kept(keep_admin_token),
                    timeout,
                    json,
                },
            )
        })(),
        Command::Provision {
            connection,
            vendor,
            idp,
            region,
            org,
            issuer,
            admin_token_stdin,
            admin_sign_in,
            admin_sign_in_how,
            keep_admin_token,
            assign_group,
            secret_expires_in_days,
            redirect_uris,
            sign_out_uris,
            dry_run,
            check,
            json,
        } => match idp.as_deref().map(catalog_commands::parse_identity_provider).transpose() {
            Ok(idp) => provision_command::run_provision(
                http_client.take().expect("started for provision").wait(),
                &catalog,
                &effects,
                provision_command::ProvisionArguments {
                    connection,
                    vendor,
                    idp,
                    region,
                    org,
                    issuer,
                    admin: provision_command::AdminCredential::new(admin_token_stdin, admin_sign_in, admin_sign_in_how)
                        .kept(keep_admin_token),
                    assign_group,
                    secret_expires_in_days,
                    redirect_uris,
                    sign_out_uris,
                    mode: match (dry_run, check) {
                        (true, _) => ProvisionMode::DryRun,
                        (_, true) => ProvisionMode::Check,
                        _ => ProvisionMode::Apply,
                    },
                    json,
                },
            ),
            Err(failure) => Err(failure),
        },
        Command::Check { connection, all: _, quiet, json } => check_command::run(
            http_client.take().expect("started for check").wait(),
            &catalog,
            &effects,
            connection.as_deref(),
            quiet,
            json,
        ),
        Command::Deprovision { connection, admin_token_stdin, admin_sign_in, admin_sign_in_how, yes } => {
            provision_command::run_deprovision(
                http_client.take().expect("started for deprovision").wait(),
                &effects,
                &connection,
                provision_command::AdminCredential::new(admin_token_stdin, admin_sign_in, admin_sign_in_how),
                yes,
            )
        }
        Command::Report { connection, output } => {
            check_command::run_report(&catalog, &effects, &connection, output.as_deref())
        }
        Command::DemoIdp { port } => run_demo_provider(port),
        Command::CheckUri { vendor, uri, json } => catalog_commands::check_uri(&catalog, &vendor, &uri, json),
        Command::Completions { shell } => reference_command::completions(shell),
        Command::Reference { format, output } => reference_command::reference(format, output.as_deref()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(failure),
    }
}

fn run_connection_command(catalog: &Catalog, effects: &SideEffects, command: ConnectionCommand) -> Result<(), Failure> {
    match command {
        ConnectionCommand::Save {
            name,
            vendor,
            idp,
            region,
            org,
            issuer,
            client_id,
            client_secret_stdin,
            secret_expires,
        } => {
            let idp = catalog_commands::parse_identity_provider(&idp)?;
            connection_commands::save(
                catalog,
                effects,
                connection_commands::SaveRequest {
                    draft: sso_setup::connections::connection::ConnectionDraft {
                        name: &name,
                        vendor: &vendor,
                        idp,
                        region: region.as_deref(),
                        org: &org,
                        issuer: &issuer,
                        client_id: &client_id,
                        secret_expires: secret_expires.as_deref(),
                    },
                    client_secret_stdin,
                },
            )
        }
        ConnectionCommand::List { json } => connection_commands::list(effects, json),
        ConnectionCommand::Show { name, json } => connection_commands::show(effects, &name, json),
        ConnectionCommand::Delete { name } => connection_commands::delete(effects, &name),
        ConnectionCommand::ForgetAdminToken { name } => connection_commands::forget_admin_token(effects, &name),
        ConnectionCommand::RotateSecret { .. } => unreachable!("run with its HTTP client in main"),
    }
}

/// Prints a failure's `error:` and `hint:` lines without ending the command (a second
/// problem beside the one the command exits with).
pub fn report_failure_only(failure: Failure) {
    let _ = report(failure);
}

fn report(failure: Failure) -> ExitCode {
    let (error, code) = match failure {
        Failure::BadInput(error) => (error, 2),
        Failure::CheckFailed(error) => (error, 1),
    };
    errln!("error: {}", wording::message(error.code(), &error.to_string()));
    if let Some(hint) = wording::hint(error.code(), error.hint().as_deref()) {
        errln!("hint: {hint}");
    }
    ExitCode::from(code)
}

/// The built-in catalog plus the admin's own profile folder. A broken file in that folder
/// is reported as a warning and skipped, so it never hides the built-in vendors.
fn load_catalog(vendor_dir: Option<&std::path::Path>) -> Result<Catalog, Failure> {
    if let Some(named) = vendor_dir {
        if !named.is_dir() {
            return Err(Failure::from(CommandLineError::MissingVendorFolder(named.display().to_string())));
        }
    }
    let folder = vendor_dir
        .map(PathBuf::from)
        .unwrap_or_else(|| sso_setup::platform::config_folder::ConfigFolder::of_this_user().vendor_profiles());
    let opened = sso_setup::journeys::open_catalog::open_catalog(&folder)?;
    for problem in &opened.problems {
        errln!("warning: {problem}");
        if let Some(hint) = problem.hint() {
            errln!("hint: {hint}");
        }
    }
    Ok(opened.catalog)
}

/// Runs the rehearsal provider until Ctrl-C, after printing what to use with it.
fn run_demo_provider(port: u16) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("the async runtime starts");
    runtime.block_on(async {
        let (provider, details) = sso_setup::oidc::demo_provider::DemoProvider::start(port)
            .await
            .map_err(|error| Failure::from(CommandLineError::DemoProviderFailed { port, reason: error.to_string() }))?;
        outln!("issuer: {}", details.issuer);
        outln!("client ID: {}", details.client_id);
        // A secret made for this run of a rehearsal provider; printing it is the point.
        outln!("client secret: {}", details.client_secret);
        outln!("redirect URI it accepts: http://127.0.0.1:<any port>/callback");
        errln!("The demo IdP runs until you press Ctrl-C. In another terminal:");
        errln!(
            "  echo '{}' | sso-setup test-flow --issuer {} --client-id {} --client-secret-stdin --vendor peerpanda",
            details.client_secret,
            details.issuer,
            details.client_id
        );
        provider.serve().await;
        Ok(())
    })
}

/// Bad input that only the command line can produce (its own flags and folders).
#[derive(Debug, thiserror::Error)]
enum CommandLineError {
    #[error("the vendor profile folder {0} does not exist or is not a folder")]
    MissingVendorFolder(String),
    #[error("--auth-method '{0}' is not client_secret_basic or client_secret_post")]
    UnknownAuthMethod(String),
    #[error("the demo IdP could not listen on 127.0.0.1:{port}: {reason}")]
    DemoProviderFailed { port: u16, reason: String },
}

impl UserFacingError for CommandLineError {
    fn code(&self) -> sso_setup::error::ErrorCode {
        match self {
            CommandLineError::MissingVendorFolder(_) => sso_setup::error::ErrorCode::VendorFolderMissing,
            CommandLineError::UnknownAuthMethod(_) => sso_setup::error::ErrorCode::UnknownAuthMethod,
            CommandLineError::DemoProviderFailed { .. } => sso_setup::error::ErrorCode::DemoIdpBindFailed,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            CommandLineError::MissingVendorFolder(_) => {
                "check the path given with --vendor-dir or SSO_SETUP_VENDOR_DIR".into()
            }
            CommandLineError::UnknownAuthMethod(_) => {
                "use --auth-method client_secret_basic or --auth-method client_secret_post".into()
            }
            CommandLineError::DemoProviderFailed { .. } => {
                "choose another --port, or leave it out to use any free port".into()
            }
        })
    }
}
