//! The desktop shell: a thin Tauri layer over the `sso-setup` core library.
//!
//! Each command converts its input, calls a journey of the core (`sso_setup::journeys`), and
//! converts the output (`dto`); errors cross into the web view as `{code, message, hint}`
//! (`IpcError`). No rule lives here, so the command line and the app cannot drift apart.
//! The side effects are built once, in `state` (the composition root).

mod commands;
mod dto;
mod state;
mod typescript;

pub use state::{
    build_app, AppState, DesktopNotifications, REPORT_PATH_OVERRIDE_VARIABLE, SAVE_PATH_OVERRIDE_VARIABLE,
};
use tauri::Manager as _;
pub use typescript::typescript_declarations;

/// Builds the app with its commands on any Tauri runtime and the side effects in `state`,
/// so tests can use the mock runtime and stand-ins.
pub fn build_app_with<R: tauri::Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder.manage(state).invoke_handler(tauri::generate_handler![
        commands::catalog::app_ready,
        commands::catalog::list_vendors,
        commands::catalog::catalog_warnings,
        commands::catalog::import_vendor_profile,
        commands::catalog::build_vendor_uris,
        commands::catalog::build_setup_guide,
        commands::catalog::normalise_issuer_input,
        commands::catalog::loopback_registration_advice,
        commands::connections::save_connection,
        commands::connections::list_connections,
        commands::connections::delete_connection,
        commands::connections::check_all_connections,
        commands::connections::connection_reminders,
        commands::connections::copy_to_clipboard,
        commands::connections::copy_client_secret,
        commands::provider::check_provider,
        commands::provider::run_sign_in_test,
        commands::provider::cancel_sign_in_test,
        commands::provision::plan_provisioning,
        commands::provision::provision_app,
        commands::provision::rotate_client_secret,
        commands::admin_sign_in::sign_in_as_admin,
        commands::admin_sign_in::open_admin_sign_in_page,
        commands::admin_sign_in::sign_out_admin,
        commands::admin_sign_in::admin_token_kept,
        commands::admin_sign_in::forget_admin_token,
        commands::bundle::export_bundle,
        commands::report::save_setup_report,
        commands::explain::explain_error,
    ])
}

/// The window is drawn by the CPU, never through the GPU. A wizard of forms and text gains
/// nothing from GPU compositing, and WebKitGTK's GL path costs a slower first frame and more
/// memory, most of all where there is no GPU and Mesa emulates GL on the CPU (llvmpipe): the
/// virtual machines and remote desktops administrators often work in. Measured in
/// docs/benchmarks.md (about 90 ms of start-up and 110 MiB after a journey, under Xvfb).
fn draw_without_the_gpu(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{SettingsExt, WebViewExt};
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(webkit2gtk::HardwareAccelerationPolicy::Never);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

pub fn run() {
    let started = std::time::Instant::now();
    let report_stages = std::env::var_os("SSO_SETUP_REPORT_READY").is_some();
    build_app(tauri::Builder::default())
        // With SSO_SETUP_REPORT_READY, the start-up benchmark also gets the time of each stage.
        .setup(move |app| {
            if let Some(window) = app.get_webview_window("main") {
                draw_without_the_gpu(&window);
            }
            if report_stages {
                eprintln!("stage setup {}", started.elapsed().as_millis());
            }
            Ok(())
        })
        .on_page_load(move |_, payload| {
            if report_stages && payload.event() == tauri::webview::PageLoadEvent::Finished {
                eprintln!("stage page-loaded {}", started.elapsed().as_millis());
            }
        })
        // Only the Rust side opens the save dialog; the web view is granted no dialog permission.
        .plugin(tauri_plugin_dialog::init())
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("error: the SSO Setup Assistant window could not start: {error}");
            eprintln!("hint: on Linux it needs a display (X11 or Wayland) and WebKitGTK 4.1; the `sso-setup` command line works without one");
            std::process::exit(1);
        });
}
