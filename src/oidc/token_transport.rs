//! The openidconnect crate's HTTP client, on [`HttpFetch`]: the token request the crate
//! builds is sent by the hardened client (no redirects, deadlines, a size cap, zeroizing
//! bodies) to the one URL it was made for, and to nothing else.
//!
//! The crate is given the answer to parse, and this transport keeps a zeroizing copy of it:
//! when the crate cannot read an answer (a byte-order mark, a `text/plain` type, an empty
//! body), its errors carry no status, or a whole plain copy of the body, so the sign-in flow
//! explains the answer from this copy instead (`sign_in_flow::read_token_answer`).

use crate::oidc::http_fetch::{FetchError, HttpFetch};
use openidconnect::{http, AsyncHttpClient, HttpRequest, HttpResponse};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use url::Url;
use zeroize::Zeroizing;

/// What the token endpoint answered, as it arrived.
pub struct TokenEndpointAnswer {
    pub status: u16,
    pub body: Zeroizing<Vec<u8>>,
}

/// Sends the crate's requests for one token endpoint: `token_request.request_async(&transport)`.
pub struct TokenTransport<'h, H> {
    http: &'h H,
    token_url: Url,
    last_answer: Mutex<Option<TokenEndpointAnswer>>,
}

impl<'h, H: HttpFetch> TokenTransport<'h, H> {
    pub fn new(http: &'h H, token_url: Url) -> TokenTransport<'h, H> {
        TokenTransport { http, token_url, last_answer: Mutex::new(None) }
    }

    /// The answer to the last request, taken out (it holds the tokens).
    pub fn take_last_answer(&self) -> Option<TokenEndpointAnswer> {
        self.last_answer.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }

    /// One request from the crate. Only a POST to the token endpoint is sent: the crate has
    /// no reason to reach any other URL, and a request elsewhere would carry the code.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, FetchError> {
        let (mut parts, body) = request.into_parts();
        // Moved, not copied: the body holds the code, the verifier and maybe the secret.
        let body = Zeroizing::new(body);
        let target = Url::parse(&parts.uri.to_string()).ok();
        if parts.method != http::Method::POST || target.as_ref() != Some(&self.token_url) {
            return Err(FetchError::ReadFailed {
                url: crate::catalog::org_value::escape_for_message(&parts.uri.to_string()),
                reason: "sso-setup sends the token request to the discovered token endpoint only".into(),
            });
        }
        // One copy into zeroizing memory; the crate's header value is dropped here.
        let authorization =
            parts.headers.remove(http::header::AUTHORIZATION).map(|value| Zeroizing::new(value.as_bytes().to_vec()));
        let answer = self.http.post_encoded_form(&self.token_url, authorization, body).await?;
        let mut response = http::Response::builder().status(answer.status);
        // Passed on when it is a valid header value, so the crate's Content-Type check applies.
        if let Some(value) = answer.content_type.as_deref().and_then(|text| http::HeaderValue::from_str(text).ok()) {
            response = response.header(http::header::CONTENT_TYPE, value);
        }
        // The crate takes a plain Vec and frees it unwiped; both binaries wipe every freed
        // block (`platform::wipe_on_free`).
        let for_the_crate = answer.body.to_vec();
        *self.last_answer.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some(TokenEndpointAnswer { status: answer.status, body: answer.body });
        response.body(for_the_crate).map_err(|_| FetchError::ReadFailed {
            url: crate::catalog::org_value::escape_for_message(self.token_url.as_str()),
            reason: "the answer's status is not valid HTTP".into(),
        })
    }
}

/// The crate's future must be `Send` (the desktop app runs the sign-in test in an async
/// command), and naming it needs a box: the closure form of the trait is not `Send` for every
/// lifetime the crate asks for.
impl<'c, H: HttpFetch> AsyncHttpClient<'c> for TokenTransport<'_, H> {
    type Error = FetchError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, FetchError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oidc::http_fetch::FetchedResponse;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts what reaches the network; answers every POST with a token-shaped body.
    #[derive(Default)]
    struct CountingFetch {
        posts: AtomicUsize,
    }

    impl HttpFetch for CountingFetch {
        async fn get(&self, _: &Url) -> Result<FetchedResponse, FetchError> {
            unreachable!("the transport never GETs")
        }
        async fn post_encoded_form(
            &self,
            _: &Url,
            authorization: Option<Zeroizing<Vec<u8>>>,
            body: Zeroizing<Vec<u8>>,
        ) -> Result<FetchedResponse, FetchError> {
            assert_eq!(authorization.as_deref().map(Vec::as_slice), Some(&b"Basic abc"[..]));
            assert_eq!(&body[..], b"code=1");
            self.posts.fetch_add(1, Ordering::SeqCst);
            Ok(FetchedResponse {
                status: 200,
                content_type: Some("application/json".into()),
                body: Zeroizing::new(br#"{"access_token":"a"}"#.to_vec()),
                retry_after: None,
            })
        }
        async fn get_with_bearer(&self, _: &Url, _: &str) -> Result<FetchedResponse, FetchError> {
            unreachable!("the transport never reaches userinfo")
        }
        async fn send_json(
            &self,
            _: crate::oidc::http_fetch::JsonMethod,
            _: &Url,
            _: Option<crate::oidc::http_fetch::ApiAuthorization<'_>>,
            _: Option<Vec<u8>>,
        ) -> Result<FetchedResponse, FetchError> {
            unreachable!("the transport never registers clients")
        }
    }

    fn request(method: http::Method, uri: &str) -> HttpRequest {
        http::Request::builder()
            .method(method)
            .uri(uri)
            .header(http::header::AUTHORIZATION, "Basic abc")
            .body(b"code=1".to_vec())
            .unwrap()
    }

    #[test]
    fn only_a_post_to_the_token_endpoint_is_sent_and_its_answer_is_kept() {
        let http = CountingFetch::default();
        let transport = TokenTransport::new(&http, Url::parse("https://idp.example.com/token").unwrap());
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        for (method, uri) in [
            (http::Method::GET, "https://idp.example.com/token"),
            (http::Method::POST, "https://evil.example/token"),
            (http::Method::POST, "https://idp.example.com/token/other"),
        ] {
            let refused = runtime.block_on(transport.call(request(method.clone(), uri))).unwrap_err();
            assert!(refused.to_string().contains("token endpoint only"), "{method} {uri}: {refused}");
        }
        assert_eq!(http.posts.load(Ordering::SeqCst), 0, "nothing was sent");
        let response =
            runtime.block_on(transport.call(request(http::Method::POST, "https://idp.example.com/token"))).unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()[http::header::CONTENT_TYPE], "application/json");
        assert_eq!(http.posts.load(Ordering::SeqCst), 1);
        let kept = transport.take_last_answer().unwrap();
        assert_eq!((kept.status, &kept.body[..]), (200, &br#"{"access_token":"a"}"#[..]));
        assert!(transport.take_last_answer().is_none(), "taken, not copied");
    }
}
