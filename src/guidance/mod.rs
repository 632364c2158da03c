//! Telling the admin what to do: the setup guide for a vendor and an IdP with every value
//! filled in, the explanation of an IdP error with its cause and fix, and the setup report
//! for change records.

pub mod diagnosis;
pub mod guide;
pub mod setup_report;
