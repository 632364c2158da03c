//! The in-memory secret store, shared so a test can look inside it after a journey has used
//! it (the OS keychain has its own tests: `tests/keychain_secret_service.rs`).

use sso_setup::connections::keychain::{InMemorySecretStore, KeychainError, SecretStore};
use sso_setup::connections::secret::ClientSecret;
use std::sync::Arc;

#[derive(Clone, Default)]
pub struct SharedStore(Arc<InMemorySecretStore>);

impl SecretStore for SharedStore {
    fn put(&self, account: &str, secret: &ClientSecret) -> Result<(), KeychainError> {
        self.0.put(account, secret)
    }
    fn get(&self, account: &str) -> Result<Option<ClientSecret>, KeychainError> {
        self.0.get(account)
    }
    fn delete(&self, account: &str) -> Result<bool, KeychainError> {
        self.0.delete(account)
    }
}
