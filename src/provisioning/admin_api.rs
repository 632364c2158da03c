//! What Microsoft Graph and the Okta Management API have in common: an admin's token on every
//! request, JSON error bodies of their own shape, and rate limits that answer 429 with the
//! time to wait. One error type for both, so a face branches on one set of codes whichever
//! IdP the app is created in.
//!
//! # Security
//! The admin's token is passed through as an [`ApiAuthorization`] for each request and never
//! kept here. Error text from the API is cut short, stripped of token-shaped runs and escaped
//! before it can reach a terminal or the web view.

use crate::error::{ErrorCode, FailureKind, UserFacingError};
use crate::journeys::Clock;
use crate::oidc::http_fetch::{is_loopback_host, ApiAuthorization, FetchError, FetchedResponse, HttpFetch, JsonMethod};
use serde_json::Value;
use std::time::Duration;
use url::Url;

/// Which admin API an error came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminApi {
    MicrosoftGraph,
    OktaManagement,
}

impl AdminApi {
    pub fn name(self) -> &'static str {
        match self {
            AdminApi::MicrosoftGraph => "Microsoft Graph",
            AdminApi::OktaManagement => "the Okta Management API",
        }
    }
}

/// How often a throttled request is sent again, and the longest wait honoured: a request
/// that must wait longer fails with the time to wait rather than hanging the journey.
const RETRIES_AFTER_THROTTLING: u32 = 3;
const LONGEST_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum AdminApiError {
    #[error("{} refused the admin token (HTTP {status}){}", api.name(), shown(detail))]
    TokenRefused { api: AdminApi, status: u16, detail: Option<String> },
    #[error("the admin token may not {step} at {}{}", api.name(), shown(detail))]
    PermissionDenied { api: AdminApi, step: &'static str, needed: &'static str, detail: Option<String> },
    #[error("{} refused to {step} (HTTP {status}, {code}){}", api.name(), shown(detail))]
    Refused { api: AdminApi, step: &'static str, status: u16, code: String, detail: Option<String> },
    #[error("the {what} {id} no longer exists at the IdP")]
    Gone { api: AdminApi, what: &'static str, id: String },
    #[error("{} kept answering 429 Too Many Requests to {step}", api.name())]
    Throttled { api: AdminApi, step: &'static str, wait_seconds: u64 },
    #[error("the answer of {} to {step} is not usable: {reason}", api.name())]
    Unusable { api: AdminApi, step: &'static str, reason: String },
    #[error("{url} is not a loopback address; another address for {} is only for tests against a stand-in", api.name())]
    NotLoopback { api: AdminApi, url: String },
    #[error(transparent)]
    Fetch(#[from] FetchError),
}

fn shown(detail: &Option<String>) -> String {
    detail.as_ref().map(|text| format!(": {text}")).unwrap_or_default()
}

impl UserFacingError for AdminApiError {
    fn code(&self) -> ErrorCode {
        match self {
            AdminApiError::TokenRefused { .. } => ErrorCode::AdminApiTokenRefused,
            AdminApiError::PermissionDenied { .. } => ErrorCode::AdminApiPermissionDenied,
            AdminApiError::Refused { .. } => ErrorCode::AdminApiRefused,
            AdminApiError::Gone { .. } => ErrorCode::AdminApiAppGone,
            AdminApiError::Throttled { .. } => ErrorCode::AdminApiThrottled,
            AdminApiError::Unusable { .. } => ErrorCode::AdminApiAnswerUnusable,
            AdminApiError::NotLoopback { .. } => ErrorCode::AdminApiNotLoopback,
            AdminApiError::Fetch(error) => error.code(),
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            AdminApiError::TokenRefused { api: AdminApi::MicrosoftGraph, .. } => "get a new Microsoft Graph access token for your tenant (they last about an hour) and give it again".into(),
            AdminApiError::TokenRefused { api: AdminApi::OktaManagement, .. } => "create an API token (Security → API → Tokens) or an OAuth access token with okta.apps.manage, and give it again".into(),
            AdminApiError::PermissionDenied { needed, .. } => format!("the token needs {needed}; ask an admin who can grant it, or use a token that has it"),
            AdminApiError::Refused { .. } => "the reason names the property; check the vendor's values with `sso-setup redirect-uri`, and your tenant's app policies".into(),
            AdminApiError::Gone { .. } => "the app was deleted at the IdP: remove the connection, or provision it again".into(),
            AdminApiError::Throttled { wait_seconds, .. } => format!("wait {wait_seconds} seconds or more, then run the same command again"),
            AdminApiError::Unusable { api, .. } => format!("{} did not answer as its documentation says; try again later", api.name()),
            AdminApiError::NotLoopback { .. } => "leave the address out to use the real API".into(),
            AdminApiError::Fetch(error) => return error.hint(),
        })
    }

    fn failure_kind(&self) -> FailureKind {
        match self {
            AdminApiError::NotLoopback { .. } => FailureKind::BadInput,
            _ => FailureKind::CheckFailed,
        }
    }
}

/// The API's address: the public one, or (for tests against a stand-in) a loopback one, so
/// no build of sso-setup can be pointed at a look-alike host that collects admin tokens.
pub fn api_base(api: AdminApi, public: &str, replacement: Option<&str>) -> Result<Url, AdminApiError> {
    let text = replacement.unwrap_or(public);
    let mut url = Url::parse(text)
        .map_err(|_| AdminApiError::NotLoopback { api, url: crate::catalog::org_value::escape_text(text, 120) })?;
    if replacement.is_some() && !(url.scheme() == "http" && is_loopback_host(&url)) {
        return Err(AdminApiError::NotLoopback { api, url: crate::catalog::org_value::escape_text(text, 120) });
    }
    if !url.path().ends_with('/') {
        url.set_path(&format!("{}/", url.path()));
    }
    Ok(url)
}

/// An error body's code and message, as safe text: Graph's `{"error": {"code", "message"}}`
/// (https://learn.microsoft.com/graph/errors) or Okta's `{"errorCode", "errorSummary",
/// "errorCauses": [{"errorSummary"}]}` (https://developer.okta.com/docs/reference/error-codes/).
pub fn error_fields(api: AdminApi, answer: &FetchedResponse) -> (Option<String>, Option<String>) {
    let value: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    let safe = |text: &str, limit: usize| {
        crate::catalog::org_value::escape_text(&crate::oidc::sign_in_flow::redact_token_shaped(text), limit)
    };
    match api {
        AdminApi::MicrosoftGraph => {
            let error = value.get("error");
            let field =
                |name: &str, limit| error.and_then(|e| e.get(name)).and_then(Value::as_str).map(|t| safe(t, limit));
            (field("code", 80), field("message", 300))
        }
        AdminApi::OktaManagement => {
            let code = value.get("errorCode").and_then(Value::as_str).map(|text| safe(text, 40));
            let mut message = value.get("errorSummary").and_then(Value::as_str).map(str::to_owned);
            let causes: Vec<&str> = value
                .get("errorCauses")
                .and_then(Value::as_array)
                .map(|causes| causes.iter().filter_map(|cause| cause.get("errorSummary")?.as_str()).take(3).collect())
                .unwrap_or_default();
            if !causes.is_empty() {
                message = Some(format!("{} ({})", message.unwrap_or_default(), causes.join("; ")));
            }
            (code, message.map(|text| safe(&text, 300)))
        }
    }
}

/// One call: the request, its step in words (for errors), and what the token must be
/// allowed to do for it.
pub struct AdminCall<'a> {
    pub api: AdminApi,
    pub method: JsonMethod,
    pub url: &'a Url,
    pub authorization: ApiAuthorization<'a>,
    pub body: Option<&'a Value>,
    pub step: &'static str,
    pub needed: &'static str,
}

/// Sends a call, waiting and sending again when the API answers 429 with the time to wait
/// (Graph: https://learn.microsoft.com/graph/throttling; Okta:
/// https://developer.okta.com/docs/reference/rl-best-practices/). The answer comes back
/// whatever its status, except the ones every call treats alike: a refused token, a missing
/// permission, and throttling that does not end.
pub async fn send(
    http: &impl HttpFetch,
    clock: &dyn Clock,
    call: AdminCall<'_>,
) -> Result<FetchedResponse, AdminApiError> {
    let body = call.body.map(|value| serde_json::to_vec(value).expect("a JSON value serialises"));
    let mut attempt = 0;
    loop {
        let answer = http.send_json(call.method, call.url, Some(call.authorization), body.clone()).await?;
        match answer.status {
            429 => {
                let now = u64::try_from(clock.now_unix_seconds()).unwrap_or(0);
                let wait = answer.retry_after.map(|after| after.wait(now)).unwrap_or(Duration::from_secs(2));
                if attempt >= RETRIES_AFTER_THROTTLING || wait > LONGEST_WAIT {
                    return Err(AdminApiError::Throttled {
                        api: call.api,
                        step: call.step,
                        wait_seconds: wait.as_secs(),
                    });
                }
                attempt += 1;
                tokio::time::sleep(wait).await;
            }
            401 => {
                let (_, detail) = error_fields(call.api, &answer);
                return Err(AdminApiError::TokenRefused { api: call.api, status: 401, detail });
            }
            403 => {
                let (_, detail) = error_fields(call.api, &answer);
                return Err(AdminApiError::PermissionDenied {
                    api: call.api,
                    step: call.step,
                    needed: call.needed,
                    detail,
                });
            }
            _ => return Ok(answer),
        }
    }
}

/// The error for an answer a call did not expect.
pub fn refused(api: AdminApi, step: &'static str, answer: &FetchedResponse) -> AdminApiError {
    match error_fields(api, answer) {
        (Some(code), detail) => AdminApiError::Refused { api, step, status: answer.status, code, detail },
        (None, _) => {
            AdminApiError::Unusable { api, step, reason: format!("HTTP {} without an error code", answer.status) }
        }
    }
}

/// The answer's body as a JSON object.
pub fn json_object(
    api: AdminApi,
    step: &'static str,
    answer: &FetchedResponse,
) -> Result<serde_json::Map<String, Value>, AdminApiError> {
    match serde_json::from_slice::<Value>(&answer.body) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(AdminApiError::Unusable { api, step, reason: "the body is not a JSON object".into() }),
    }
}

/// A text field of an answer, required.
pub fn text_field(
    api: AdminApi,
    step: &'static str,
    object: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<String, AdminApiError> {
    match object.get(name) {
        Some(Value::String(text)) if !text.is_empty() && text.len() <= 200 => Ok(text.clone()),
        _ => Err(AdminApiError::Unusable { api, step, reason: format!("it has no usable {name}") }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> FetchedResponse {
        FetchedResponse {
            status,
            content_type: Some("application/json".into()),
            body: zeroize::Zeroizing::new(body.as_bytes().to_vec()),
            retry_after: None,
        }
    }

    #[test]
    fn each_api_error_shape_is_read_and_made_safe() {
        let graph = answer(
            400,
            r#"{"error":{"code":"Request_BadRequest","message":"Invalid value \u001b[31m eyJhbGciOiJub25lIn0.eyJ4IjoxfQ."}}"#,
        );
        let (code, message) = error_fields(AdminApi::MicrosoftGraph, &graph);
        assert_eq!(code.as_deref(), Some("Request_BadRequest"));
        let message = message.unwrap();
        assert!(!message.contains('\u{1b}') && !message.contains("eyJhbGci"), "{message}");
        let okta = answer(
            400,
            r#"{"errorCode":"E0000001","errorSummary":"Api validation failed: redirect_uris","errorCauses":[{"errorSummary":"redirect_uris: must be absolute"}]}"#,
        );
        let (code, message) = error_fields(AdminApi::OktaManagement, &okta);
        assert_eq!(code.as_deref(), Some("E0000001"));
        assert_eq!(message.as_deref(), Some("Api validation failed: redirect_uris (redirect_uris: must be absolute)"));
        assert!(matches!(
            refused(AdminApi::OktaManagement, "create the app", &answer(500, "<html>")),
            AdminApiError::Unusable { .. }
        ));
    }

    #[test]
    fn only_a_loopback_address_replaces_the_public_api() {
        let public = api_base(AdminApi::MicrosoftGraph, "https://graph.microsoft.com/v1.0", None).unwrap();
        assert_eq!(public.join("applications").unwrap().as_str(), "https://graph.microsoft.com/v1.0/applications");
        assert!(api_base(
            AdminApi::MicrosoftGraph,
            "https://graph.microsoft.com/v1.0",
            Some("http://127.0.0.1:9/v1.0")
        )
        .is_ok());
        for elsewhere in ["https://graph.microsoft.com.evil.example/v1.0", "http://10.0.0.1/v1.0", "not a url"] {
            let error =
                api_base(AdminApi::MicrosoftGraph, "https://graph.microsoft.com/v1.0", Some(elsewhere)).unwrap_err();
            assert_eq!(error.code(), ErrorCode::AdminApiNotLoopback, "{elsewhere}");
        }
    }
}
