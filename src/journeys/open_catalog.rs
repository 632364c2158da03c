//! Opening the catalog: the built-in vendors and identity providers, plus the admin's own
//! vendor profiles from their config folder (or another folder they name).

use crate::catalog::{Catalog, CatalogError};
use crate::guidance::diagnosis::Diagnosis;
use crate::platform::config_folder::ConfigFolder;
use std::path::Path;

/// The catalog, and the admin's profile files that could not be added (shown to them,
/// never silently skipped; the good files are added regardless).
pub struct OpenedCatalog {
    pub catalog: Catalog,
    pub problems: Vec<CatalogError>,
}

/// Opens the catalog with the profiles in `profile_folder` (a missing folder adds none).
/// The built-in part is checked by the test suite, so it failing here is a build defect.
pub fn open_catalog(profile_folder: &Path) -> Result<OpenedCatalog, CatalogError> {
    let mut catalog = Catalog::built_in()?;
    let problems = catalog.load_user_folder(profile_folder);
    Ok(OpenedCatalog { catalog, problems })
}

/// [`open_catalog`] with the profiles of the admin's config folder.
pub fn open_catalog_of(config: &ConfigFolder) -> Result<OpenedCatalog, CatalogError> {
    open_catalog(&config.vendor_profiles())
}

/// The built-in diagnoses of IdP errors (`catalog/diagnoses.toml`), checked by the test
/// suite.
pub fn built_in_diagnoses() -> Vec<Diagnosis> {
    crate::guidance::diagnosis::built_in_diagnoses().expect("the built-in diagnoses are checked by the test suite")
}
