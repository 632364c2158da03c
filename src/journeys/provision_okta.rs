//! `provision` for Okta, through its Management API: the same journey as standard
//! registration (apply, dry run, drift check, re-runs that change nothing), with the app made
//! active and Federation Broker Mode off, the group's assignment, and the admin's token given
//! for every run (it is never kept).
//!
//! A failure after the app was created deactivates and deletes it again, or says exactly what
//! is left.

use super::*;
use crate::provisioning::okta_apps::{self as okta, OktaClient};

fn token_needed() -> JourneyError {
    boxed(ProvisionError::AdminTokenNeeded { api: "an Okta API token", permissions: okta::PERMISSIONS_NEEDED })
}

/// The org the connection's issuer belongs to.
pub(crate) fn org(issuer: &str) -> Result<Url, JourneyError> {
    okta::org_of(issuer).ok_or_else(|| boxed(ProvisionError::ManagementElsewhere { uri: escape(issuer) }))
}

/// The app ID of a provisioned connection, checked to be at the org of its issuer.
pub(crate) fn app_id(saved: &Connection, org: &Url) -> Result<String, JourneyError> {
    let management =
        saved.management.as_ref().ok_or_else(|| boxed(ProvisionError::NotProvisioned { name: saved.name.clone() }))?;
    okta::app_id_of(org, &management.registration_client_uri)
        .ok_or_else(|| boxed(ProvisionError::ManagementElsewhere { uri: escape(&management.registration_client_uri) }))
}

pub(crate) fn okta_token(
    effects: &SideEffects,
    connection: &str,
    source: SecretSource<'_>,
) -> Result<ClientSecret, JourneyError> {
    entra::admin_token(effects, connection, source)?.ok_or_else(token_needed)
}

pub(super) async fn provision_in_okta<H: HttpFetch>(
    http: &H,
    effects: &SideEffects,
    input: ProvisionInput<'_>,
    target: Target<'_>,
    desired: DesiredClient,
    mut outcome: ProvisionOutcome,
    progress: &mut (dyn FnMut(ProvisionEvent) + Send),
) -> Result<ProvisionOutcome, JourneyError> {
    if input.secret_expires_in_days.is_some() {
        return Err(boxed(ProvisionError::OptionNotSupported {
            by: "Okta",
            what: "Okta client secrets do not expire, so there is no lifetime to ask for",
        }));
    }
    if let Some(group) = input.assign_group {
        if !(group.len() <= 40 && group.starts_with("00g") && group.chars().all(|c| c.is_ascii_alphanumeric())) {
            return Err(boxed(ProvisionError::GroupNotAnId {
                idp: "Okta",
                form: "its ID, 00g followed by letters and digits",
            }));
        }
    }
    let org = org(&outcome.issuer)?;
    outcome.notes.push(format!("the token needs to be {}", okta::PERMISSIONS_NEEDED));
    let token = entra::admin_token(effects, input.connection, input.admin_token)?;

    if let Some(saved) = target.saved {
        let id = app_id(&saved, &org)?;
        let token = token.ok_or_else(token_needed)?;
        let client = OktaClient { http, clock: effects.clock.as_ref(), token: &token, org: &org };
        let app = client.app(&id).await.map_err(boxed)?;
        outcome.plan = okta::plan_existing_app(&org, &desired, &app);
        outcome.client_id = Some(saved.client_id.clone());
        outcome.registration_client_uri = saved.management.as_ref().map(|m| m.registration_client_uri.clone());
        outcome.send_to_vendor = send_to_vendor(&outcome.issuer, &saved.client_id, &desired);
        progress(ProvisionEvent::Planned { plan: outcome.plan.clone() });
        if input.mode != ProvisionMode::Apply || outcome.plan.requests.is_empty() {
            return Ok(outcome);
        }
        for request in outcome.plan.requests.clone() {
            progress(ProvisionEvent::Sending { request: request.clone() });
            client.send_planned(&request).await.map_err(boxed)?;
        }
        outcome.changed = true;
        let remaining = okta::differences(&desired, &client.app(&id).await.map_err(boxed)?);
        if !remaining.is_empty() {
            return Err(boxed(ProvisionError::ChangedByProvider { differences: describe(&remaining), removed: false }));
        }
        return Ok(outcome);
    }

    outcome.plan = okta::plan_new_app(&org, &desired, input.assign_group);
    progress(ProvisionEvent::Planned { plan: outcome.plan.clone() });
    if input.mode == ProvisionMode::DryRun {
        outcome.notes.push("no app exists yet for this connection: this is the plan for a new one, and nothing was read or sent to create it".into());
        return Ok(outcome);
    }
    let token = token.ok_or_else(token_needed)?;
    let client = OktaClient { http, clock: effects.clock.as_ref(), token: &token, org: &org };
    let mut planned = outcome.plan.requests.clone().into_iter();
    if let Some(request) = planned.next() {
        progress(ProvisionEvent::Sending { request });
    }
    let (app, secret) = client.create_app(&desired).await.map_err(boxed)?;
    outcome.changed = true;
    let client_id = app.client_id.clone();
    let remove = |failure: String, failure_hint: Option<String>| {
        let id = app.id.clone();
        let client_id = client_id.clone();
        let client = &client;
        async move {
            let removal = match client.delete_app(&id).await {
                Ok(_) => Ok(()),
                Err(error) => Err(format!(
                    "deactivate and delete the app {client_id} in the Okta Admin Console (Applications → Applications) ({error})"
                )),
            };
            boxed(ProvisionError::Incomplete { client_id, failure, failure_hint, removal })
        }
    };
    let created_differences = okta::differences(&desired, &app);
    if !created_differences.is_empty() {
        let removed = client.delete_app(&app.id).await.is_ok();
        return Err(boxed(ProvisionError::ChangedByProvider { differences: describe(&created_differences), removed }));
    }
    if let Some(group) = input.assign_group {
        if let Some(request) = planned.next() {
            progress(ProvisionEvent::Sending { request });
        }
        if let Err(error) = client.assign_group(&app.id, group).await {
            return Err(remove(error.to_string(), error.hint()).await);
        }
    }
    // The secret's ID, for a rotation later: the app's one active secret.
    let secret_id = match client.active_secret_ids(&app.id).await {
        Ok(ids) => ids.into_iter().next(),
        Err(error) => return Err(remove(error.to_string(), error.hint()).await),
    };
    let management = management_of(
        effects,
        &target,
        ManagementApi::OktaApps,
        format!("{org}api/v1/apps/{}", app.id),
        None,
        secret_id,
    );
    let connection = new_connection(&target, &outcome.issuer, &client_id, None, Some(management));
    let saved = match effects.connections.save(&connection, Some(&secret), effects.secrets.as_ref()) {
        Ok(saved) => saved,
        Err(error) => {
            let hint = error.hint();
            return Err(remove(format!("the connection could not be saved: {error}"), hint).await);
        }
    };
    drop(secret);
    outcome.client_id = Some(client_id.clone());
    outcome.registration_client_uri = saved.management.as_ref().map(|m| m.registration_client_uri.clone());
    outcome.send_to_vendor = send_to_vendor(&outcome.issuer, &client_id, &desired);
    if input.assign_group.is_none() {
        outcome.notes.push("no group was assigned: assign the users or groups who use the vendor (Applications → the app → Assignments)".into());
    }
    Ok(outcome)
}

/// Deactivates and deletes an Okta app `provision` created (the face has the admin's
/// confirmation).
pub(super) async fn deprovision_in_okta<H: HttpFetch>(
    http: &H,
    effects: &SideEffects,
    saved: &Connection,
    admin_token_source: SecretSource<'_>,
) -> Result<Deletion, JourneyError> {
    let org = org(&saved.issuer)?;
    let id = app_id(saved, &org)?;
    let token = okta_token(effects, &saved.name, admin_token_source)?;
    let client = OktaClient { http, clock: effects.clock.as_ref(), token: &token, org: &org };
    client.delete_app(&id).await.map_err(boxed)
}
