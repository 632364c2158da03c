//! The hardened client with what it sent written down: each registration request (method and
//! URL) and the most requests it had in flight at once, for tests that assert "nothing was
//! sent" or "the requests overlapped".

use sso_setup::oidc::http_fetch::{FetchError, FetchedResponse, HardenedHttpClient, HttpFetch, JsonMethod};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use url::Url;
use zeroize::Zeroizing;

#[derive(Default)]
pub struct CountingHttp {
    pub inner: HardenedHttpClient,
    sent: Mutex<Vec<(JsonMethod, String)>>,
    in_flight: AtomicUsize,
    most_at_once: AtomicUsize,
}

impl CountingHttp {
    /// The registration requests sent since the last call.
    pub fn take_sent(&self) -> Vec<(JsonMethod, String)> {
        std::mem::take(&mut self.sent.lock().unwrap())
    }

    pub fn most_at_once(&self) -> usize {
        self.most_at_once.load(Ordering::SeqCst)
    }

    async fn counted<T>(&self, request: impl std::future::Future<Output = T>) -> T {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_at_once.fetch_max(now, Ordering::SeqCst);
        let answer = request.await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        answer
    }
}

impl HttpFetch for CountingHttp {
    async fn get(&self, url: &Url) -> Result<FetchedResponse, FetchError> {
        self.counted(self.inner.get(url)).await
    }
    async fn post_encoded_form(
        &self,
        url: &Url,
        authorization: Option<Zeroizing<Vec<u8>>>,
        body: Zeroizing<Vec<u8>>,
    ) -> Result<FetchedResponse, FetchError> {
        self.counted(self.inner.post_encoded_form(url, authorization, body)).await
    }
    async fn get_with_bearer(&self, url: &Url, token: &str) -> Result<FetchedResponse, FetchError> {
        self.counted(self.inner.get_with_bearer(url, token)).await
    }
    async fn send_json(
        &self,
        method: JsonMethod,
        url: &Url,
        bearer: Option<sso_setup::oidc::http_fetch::ApiAuthorization<'_>>,
        body: Option<Vec<u8>>,
    ) -> Result<FetchedResponse, FetchError> {
        self.sent.lock().unwrap().push((method, url.to_string()));
        self.counted(self.inner.send_json(method, url, bearer, body)).await
    }
}
