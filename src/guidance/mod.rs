//! Telling the admin what to do: the setup guide for a vendor and an IdP with every value
//! filled in, and the explanation of an IdP error with its cause and fix.

pub mod diagnosis;
pub mod guide;
