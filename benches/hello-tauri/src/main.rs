//! A minimal Tauri 2 window for the start-up and memory floors. Like the app, it reports
//! `ready` on stderr once its page has painted (when `SSO_SETUP_REPORT_READY` is set). With
//! `HELLO_TAURI_DRAW_WITHOUT_GPU` it draws the way the app does, for a like-for-like floor.

#[tauri::command]
fn app_ready(page_timings: Option<String>) {
    if std::env::var_os("SSO_SETUP_REPORT_READY").is_some() {
        eprintln!("ready");
        if let Some(timings) = page_timings {
            eprintln!("page-timings {timings}");
        }
    }
}

fn main() {
    let started = std::time::Instant::now();
    let report_stages = std::env::var_os("SSO_SETUP_REPORT_READY").is_some();
    tauri::Builder::default()
        .setup(move |app| {
            // The same call as the app's, when asked for (the like-for-like floor).
            #[cfg(target_os = "linux")]
            if std::env::var_os("HELLO_TAURI_DRAW_WITHOUT_GPU").is_some() {
                use tauri::Manager as _;
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.with_webview(|webview| {
                        use webkit2gtk::{SettingsExt, WebViewExt};
                        if let Some(settings) = webview.inner().settings() {
                            settings.set_hardware_acceleration_policy(webkit2gtk::HardwareAccelerationPolicy::Never);
                        }
                    });
                }
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
        .invoke_handler(tauri::generate_handler![app_ready])
        .run(tauri::generate_context!())
        .expect("the window starts");
}
