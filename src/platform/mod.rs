//! The computer around the assistant: where the admin's files live, the browser, the
//! clipboard, the terminal, files written whole, dates, and memory wiped when freed. Each
//! is a small, plain wrapper; the journeys receive them as side effects, never reach for
//! them on their own.

pub mod atomic_file;
pub mod calendar_date;
pub mod clipboard;
pub mod config_folder;
pub mod system_browser;
pub mod terminal_text;
pub mod wipe_on_free;
