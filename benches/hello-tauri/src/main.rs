//! A minimal Tauri 2 window for the start-up and memory floors. Like the app, it reports
//! `ready` on stderr once its page has painted (when `SSO_SETUP_REPORT_READY` is set).

#[tauri::command]
fn app_ready() {
    if std::env::var_os("SSO_SETUP_REPORT_READY").is_some() {
        eprintln!("ready");
    }
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![app_ready])
        .run(tauri::generate_context!())
        .expect("the window starts");
}
