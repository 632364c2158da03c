//! Tauri's build step: embeds the config and the page.
fn main() {
    tauri_build::build()
}
