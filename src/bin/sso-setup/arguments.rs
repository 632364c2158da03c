//! The command line's arguments, as clap reads them: every subcommand, flag and help text.
//! `docs/command-line.md` and the man pages are generated from these (`sso-setup reference`).

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// How `--admin-sign-in` signs the admin in.
#[derive(clap::Args, Clone, Debug)]
pub struct AdminSignInHow {
    /// With --admin-sign-in: `device-code` shows a code to type in any browser (RFC 8628);
    /// `browser` opens this computer's browser and takes the answer on
    /// http://127.0.0.1:PORT/callback, which the public client must allow (Entra ID: the
    /// Mobile and desktop platform with http://127.0.0.1/callback matches any port).
    #[arg(long, value_enum, default_value_t = SignInWith::DeviceCode, requires = "admin_sign_in")]
    pub admin_sign_in_with: SignInWith,
    /// With --admin-sign-in-with browser: listen on this port, for an IdP that compares
    /// loopback redirect URIs with their port (default: any free port).
    #[arg(long, value_name = "PORT", requires = "admin_sign_in")]
    pub admin_sign_in_port: Option<u16>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInWith {
    DeviceCode,
    Browser,
}

#[derive(Parser)]
#[command(
    name = "sso-setup",
    version,
    about = "Connect a SaaS vendor to your identity provider with OpenID Connect",
    long_about = "Connect a SaaS vendor to your identity provider with OpenID Connect.\n\nBuilds the vendor's exact redirect URIs, walks you through your IdP's steps with every value filled in, and checks your work.",
    after_help = "Example:\n  sso-setup redirect-uri --vendor pelanor --idp okta --region eu --org acme"
)]
pub struct Cli {
    /// A folder of your own vendor profile files (*.toml), added to the built-in vendors.
    /// Default: the `vendors` folder in sso-setup's config folder.
    #[arg(long, global = true, env = "SSO_SETUP_VENDOR_DIR", value_name = "DIR")]
    pub vendor_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// List the vendors in the catalog.
    Vendors {
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show what a vendor's SSO guide says.
    Vendor {
        #[command(subcommand)]
        command: VendorCommand,
    },
    /// List the identity providers the assistant knows.
    Idps {
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The setup steps for a vendor and an IdP, with every value filled in.
    Guide {
        /// The vendor's id (`sso-setup vendors` lists them): pelanor, peerpanda, pacvue, pivott, or one of your own.
        #[arg(long)]
        vendor: String,
        /// The identity provider: entra, okta, jumpcloud, google, auth0, onelogin, pingone, keycloak or generic.
        #[arg(long)]
        idp: String,
        /// The vendor's region, where it has several (Pelanor: us, the default, or eu).
        #[arg(long)]
        region: Option<String>,
        /// The vendor's org value (Pelanor's organization_id, Peerpanda's account_slug, ...).
        #[arg(long, allow_hyphen_values = true)]
        org: Option<String>,
        /// text for reading, markdown for a change record or wiki, json for scripts.
        #[arg(long, value_enum, default_value_t = GuideFormat::Text)]
        format: GuideFormat,
    },
    /// Print the vendor's sign-in redirect URI for your org, byte-exact, on one line.
    RedirectUri {
        /// The vendor's id (`sso-setup vendors` lists them): pelanor, peerpanda, pacvue, pivott, or one of your own.
        #[arg(long)]
        vendor: String,
        /// The identity provider; required for vendors whose URI names it (Pelanor).
        #[arg(long)]
        idp: Option<String>,
        /// The vendor's region, where it has several (Pelanor: us, the default, or eu).
        #[arg(long)]
        region: Option<String>,
        /// The vendor's org value (Pelanor's organization_id, Peerpanda's account_slug, ...).
        #[arg(long, allow_hyphen_values = true)]
        org: String,
        /// Print all the vendor's URIs as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Check an identity provider's discovery document and keys for this setup.
    Discover {
        /// An issuer URL, a discovery URL, or with --idp a shorthand (an Okta domain, an
        /// Entra tenant ID or domain, a OneLogin subdomain, a PingOne environment ID, ...).
        #[arg(long)]
        issuer: String,
        /// The identity provider, to read a shorthand and apply its rules.
        #[arg(long)]
        idp: Option<String>,
        /// Check against this vendor's needs (auth methods, scopes, claims).
        #[arg(long)]
        vendor: Option<String>,
        /// PingOne's region for a bare environment ID: com, eu, ca, asia, com.au or sg.
        #[arg(long)]
        region: Option<String>,
        /// Give up on the provider after this many seconds.
        #[arg(long, default_value_t = 20)]
        timeout: u64,
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The cause and the fix for an IdP error: a code (AADSTS50011), the error text, or the
    /// URL the browser ended on.
    Explain {
        /// The error, quoted.
        #[arg(allow_hyphen_values = true)]
        error: String,
        /// With --vendor and --org, the fix names your exact redirect URI.
        #[arg(long)]
        vendor: Option<String>,
        /// The identity provider the error came from, when the text does not say.
        #[arg(long)]
        idp: Option<String>,
        /// The vendor's region, where it has several (Pelanor: us, the default, or eu).
        #[arg(long)]
        region: Option<String>,
        /// The vendor's org value, for the exact redirect URI in the fix.
        #[arg(long, allow_hyphen_values = true)]
        org: Option<String>,
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Saved connections: the setup's values in the config folder, its secret in the OS keychain.
    Connection {
        #[command(subcommand)]
        command: ConnectionCommand,
    },
    /// Encrypt a connection, with its secret, into a bundle that only the vendor can open.
    Export {
        /// The saved connection to export (`sso-setup connection list`).
        connection: String,
        /// The vendor's age public key (age1...); repeat for several.
        #[arg(long = "recipient")]
        recipients: Vec<String>,
        /// A file of age1... public keys, one per line.
        #[arg(long)]
        recipients_file: Option<PathBuf>,
        /// Encrypt to a passphrase read from standard input instead.
        #[arg(long)]
        passphrase_stdin: bool,
        /// Where to write the bundle (an existing file is replaced whole, never half-written).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// The vendor's side of the bundle: make a key pair, open a bundle.
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// Test the real sign-in: authorization code + PKCE through the browser and a loopback
    /// listener, with the ID token verified and the vendor's claims checked.
    TestFlow {
        /// The issuer (or discovery URL, or with --idp a shorthand); default: the saved connection's.
        #[arg(long)]
        issuer: Option<String>,
        /// The client ID of the IdP app; default: the saved connection's.
        #[arg(long)]
        client_id: Option<String>,
        /// Read the client secret from standard input (one line).
        #[arg(long)]
        client_secret_stdin: bool,
        /// Use a saved connection (its issuer, client ID and keychain secret).
        #[arg(long)]
        connection: Option<String>,
        /// Check the vendor's claims and auth method; default: the saved connection's vendor.
        #[arg(long)]
        vendor: Option<String>,
        /// The identity provider; default: the saved connection's.
        #[arg(long)]
        idp: Option<String>,
        /// The exact loopback URI registered at the IdP (http://127.0.0.1:PORT/callback).
        #[arg(long)]
        redirect_uri: Option<String>,
        /// A fixed port for http://127.0.0.1:PORT/callback (default: any free port).
        #[arg(long)]
        port: Option<u16>,
        /// Force client_secret_basic or client_secret_post.
        #[arg(long)]
        auth_method: Option<String>,
        /// Add the exact loopback redirect URI to the provisioned app for this test alone, and
        /// remove it afterwards (pass, fail, timeout or Ctrl-C).
        #[arg(long, requires = "connection", conflicts_with_all = ["redirect_uri", "port"])]
        register_loopback: bool,
        /// With --register-loopback for an Entra ID or Okta app: read the admin's token (a
        /// Microsoft Graph access token, an Okta API token) from standard input; or set
        /// SSO_SETUP_ADMIN_TOKEN. Stored only with
        /// --keep-admin-token.
        #[arg(long, requires = "register_loopback", conflicts_with = "client_secret_stdin")]
        admin_token_stdin: bool,
        /// With --register-loopback for an Entra ID or Okta app: sign in as an IdP admin with a
        /// device code (RFC 8628) instead of giving a token; the ID of a public client
        /// registered for it. The token is used for this run only, unless
        /// --keep-admin-token.
        #[arg(
            long,
            value_name = "PUBLIC_CLIENT_ID",
            requires = "register_loopback",
            conflicts_with = "admin_token_stdin"
        )]
        admin_sign_in: Option<String>,
        #[command(flatten)]
        admin_sign_in_how: AdminSignInHow,
        /// Keep the admin token in the OS keychain for this connection (account
        /// `<connection>#admin`) once the run succeeded with it; later runs on the connection,
        /// and `check`'s drift check, use it when no token is given.
        /// `connection forget-admin-token` removes it.
        #[arg(long)]
        keep_admin_token: bool,
        /// Print the URL to open instead of starting the browser.
        #[arg(long)]
        no_browser: bool,
        /// Give up waiting for the sign-in after this many seconds.
        #[arg(long, default_value_t = 180)]
        timeout: u64,
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Create the app at the IdP with exactly the vendor's values; the IdP makes the secret and
    /// it goes straight to the OS keychain. Again later: changes only what differs.
    Provision {
        /// A name for the connection: lowercase letters, digits and hyphens (e.g. peerpanda-keycloak).
        connection: String,
        /// The vendor's id (`sso-setup vendors`); default: the saved connection's.
        #[arg(long)]
        vendor: Option<String>,
        /// The identity provider (generic or keycloak: standard client registration); default: the saved connection's.
        #[arg(long)]
        idp: Option<String>,
        /// The vendor's region, where it has several.
        #[arg(long)]
        region: Option<String>,
        /// The vendor's org value (Peerpanda's account_slug, ...).
        #[arg(long, allow_hyphen_values = true)]
        org: Option<String>,
        /// The issuer URL (or with --idp a shorthand); default: the saved connection's.
        #[arg(long)]
        issuer: Option<String>,
        /// Read the admin credential (standard registration: the initial access token; Entra
        /// ID: a Microsoft Graph access token) from standard input; or set
        /// SSO_SETUP_ADMIN_TOKEN. Stored only with
        /// --keep-admin-token.
        #[arg(long)]
        admin_token_stdin: bool,
        /// Sign in as an IdP admin with a device code (RFC 8628) instead of giving a token
        /// (Entra ID, Okta): the ID of a public client registered for it, which may use the
        /// device authorization grant. The token is used for this run only, unless
        /// --keep-admin-token.
        #[arg(long, value_name = "PUBLIC_CLIENT_ID", conflicts_with = "admin_token_stdin")]
        admin_sign_in: Option<String>,
        #[command(flatten)]
        admin_sign_in_how: AdminSignInHow,
        /// Keep the admin token in the OS keychain for this connection (account
        /// `<connection>#admin`) once the run succeeded with it; later runs on the connection,
        /// and `check`'s drift check, use it when no token is given.
        /// `connection forget-admin-token` removes it.
        #[arg(long)]
        keep_admin_token: bool,
        /// Assign a group to the app, by its ID (Entra ID: the group's Object ID; standard
        /// registration cannot).
        #[arg(long)]
        assign_group: Option<String>,
        /// Ask for a secret that expires after this many days (Entra ID: default 365, at most
        /// 730; standard registration cannot: the provider decides).
        #[arg(long)]
        secret_expires_in_days: Option<u32>,
        /// A redirect URI the vendor sent (vendors that supply their own); repeatable.
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
        /// A sign-out URI the vendor sent; repeatable.
        #[arg(long = "sign-out-uri")]
        sign_out_uris: Vec<String>,
        /// Print each request that would be sent (credentials as [redacted]) and send none.
        #[arg(long, conflicts_with = "check")]
        dry_run: bool,
        /// Compare the app at the IdP with what the vendor needs; exit 1 on any difference.
        #[arg(long)]
        check: bool,
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The health of saved connections, without a browser: discovery and keys, the secret at the
    /// token endpoint, its expiry, and drift of provisioned apps. Exit 1 when any check fails.
    Check {
        /// The connection to check.
        #[arg(required_unless_present = "all")]
        connection: Option<String>,
        /// Check every saved connection, several at a time.
        #[arg(long, conflicts_with = "connection")]
        all: bool,
        /// Print only problems (warnings and failures), one line each: for cron and timers.
        #[arg(long)]
        quiet: bool,
        /// Print one JSON document on standard output instead of text.
        #[arg(long, conflicts_with = "quiet")]
        json: bool,
    },
    /// The setup report of a connection for change records: one self-contained HTML page with
    /// its values, URIs, claims, check history and the secret's expiry (never a secret).
    Report {
        /// The connection's name.
        connection: String,
        /// Where to write the page (replaced if it exists); default: standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Delete the app that `provision` created at the IdP, then the connection and its keychain entries.
    Deprovision {
        /// The connection's name.
        connection: String,
        /// Read the admin credential from standard input (Entra ID: a Microsoft Graph access
        /// token; or set SSO_SETUP_ADMIN_TOKEN); standard registration needs none (the app's
        /// own registration access token is used). Confirm with --yes.
        #[arg(long)]
        admin_token_stdin: bool,
        /// Sign in as an IdP admin with a device code (RFC 8628) instead of giving a token
        /// (Entra ID, Okta): the ID of a public client registered for it, which may use the
        /// device authorization grant. The token is used for this run only.
        #[arg(long, value_name = "PUBLIC_CLIENT_ID", conflicts_with = "admin_token_stdin")]
        admin_sign_in: Option<String>,
        #[command(flatten)]
        admin_sign_in_how: AdminSignInHow,
        /// Do not ask for confirmation (scripts).
        #[arg(long)]
        yes: bool,
    },
    /// Run a small OpenID provider on 127.0.0.1 to rehearse the journey without an IdP account.
    DemoIdp {
        /// The port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Print a shell completion script: `sso-setup completions bash > /etc/bash_completion.d/sso-setup`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Write this command line's reference (docs/command-line.md and the man pages come from it).
    #[command(hide = true)]
    Reference {
        /// markdown (to standard output) or man (one page per command, into --output).
        #[arg(long, value_enum, default_value = "markdown")]
        format: ReferenceFormat,
        /// For `--format man`: the folder to write one page per command into.
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Check a URI the vendor sent you before you register it at your IdP.
    CheckUri {
        /// The vendor's id (`sso-setup vendors` lists them): pelanor, peerpanda, pacvue, pivott, or one of your own.
        #[arg(long)]
        vendor: String,
        /// The URI, exactly as you received it (quote it).
        #[arg(allow_hyphen_values = true)]
        uri: String,
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum VendorCommand {
    /// Everything the catalog holds for one vendor.
    Show {
        /// The vendor's id (`sso-setup vendors` lists them).
        vendor: String,
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ConnectionCommand {
    /// Save a connection; the secret (stdin or SSO_SETUP_CLIENT_SECRET) goes to the OS keychain.
    Save {
        /// A name for the connection: lowercase letters, digits and hyphens (e.g. pelanor-okta).
        name: String,
        /// The vendor's id (`sso-setup vendors` lists them): pelanor, peerpanda, pacvue, pivott, or one of your own.
        #[arg(long)]
        vendor: String,
        /// The identity provider: entra, okta, jumpcloud, google, auth0, onelogin, pingone, keycloak or generic.
        #[arg(long)]
        idp: String,
        /// The vendor's region, where it has several (Pelanor: us, the default, or eu).
        #[arg(long)]
        region: Option<String>,
        /// The vendor's org value (Pelanor's organization_id, Peerpanda's account_slug, ...).
        #[arg(long, allow_hyphen_values = true)]
        org: String,
        /// The issuer URL (or with this IdP a shorthand: an Okta domain, an Entra tenant...).
        #[arg(long)]
        issuer: String,
        /// The client ID of the IdP app (Application ID in Entra ID).
        #[arg(long)]
        client_id: String,
        /// Read the client secret from standard input (one line).
        #[arg(long)]
        client_secret_stdin: bool,
        /// When the client secret expires (YYYY-MM-DD), for the expiry warning.
        #[arg(long)]
        secret_expires: Option<String>,
    },
    /// List the saved connections, with each secret's expiry.
    List {
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show a saved connection (whether its secret is in the keychain, never the secret).
    Show {
        /// The connection's name.
        name: String,
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Delete the connection and its keychain entry.
    Delete {
        /// The connection's name.
        name: String,
    },
    /// Remove the admin token kept for the connection (`--keep-admin-token`) from the keychain.
    ForgetAdminToken {
        /// The connection's name.
        name: String,
    },
    /// Add a new client secret at the IdP while the old one stays valid, store it and try it at
    /// the token endpoint; with --finish (once the vendor uses it), remove the old one.
    RotateSecret {
        /// The connection's name (one that `provision` created).
        name: String,
        /// Read the admin credential (Entra ID: a Microsoft Graph access token) from standard
        /// input; or set SSO_SETUP_ADMIN_TOKEN. Stored only with
        /// --keep-admin-token.
        #[arg(long)]
        admin_token_stdin: bool,
        /// Sign in as an IdP admin with a device code (RFC 8628) instead of giving a token
        /// (Entra ID, Okta): the ID of a public client registered for it, which may use the
        /// device authorization grant. The token is used for this run only, unless
        /// --keep-admin-token.
        #[arg(long, value_name = "PUBLIC_CLIENT_ID", conflicts_with = "admin_token_stdin")]
        admin_sign_in: Option<String>,
        #[command(flatten)]
        admin_sign_in_how: AdminSignInHow,
        /// Keep the admin token in the OS keychain for this connection (account
        /// `<connection>#admin`) once the run succeeded with it; later runs on the connection,
        /// and `check`'s drift check, use it when no token is given.
        /// `connection forget-admin-token` removes it.
        #[arg(long)]
        keep_admin_token: bool,
        /// The new secret's lifetime in days (default 365, at most 730).
        #[arg(long, conflicts_with = "finish")]
        expires_in_days: Option<u32>,
        /// Remove the old secret at the IdP: the vendor uses the new one.
        #[arg(long)]
        finish: bool,
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum BundleCommand {
    /// Make a key pair; prints the public key (age1...) to give customers.
    Keygen {
        /// Where to write the private key (mode 0600); an existing file is never overwritten.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Check and open a bundle (the client secret is never printed).
    Open {
        /// The bundle a customer sent (*.age).
        file: PathBuf,
        /// Your private key file (from `sso-setup bundle keygen` or `age-keygen`).
        #[arg(long)]
        identity: Option<PathBuf>,
        /// Open a passphrase bundle; the passphrase is read from standard input.
        #[arg(long)]
        passphrase_stdin: bool,
        /// Print one JSON document on standard output instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GuideFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReferenceFormat {
    Markdown,
    Man,
}
