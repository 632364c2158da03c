//! A minimal Tauri 2 window for the start-up and memory floors. Like the app, it reports
//! `ready` on stderr once its page has painted (when `SSO_SETUP_REPORT_READY` is set).

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
        .setup(move |_| {
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
