//! `provision` for Entra ID, through Microsoft Graph: the same journey as standard
//! registration (apply, dry run, drift check, re-runs that change nothing), with Graph's
//! four creation steps and the admin's Graph token given for every run (it is never kept).
//!
//! A failure after the application was created deletes it again (its service principal
//! goes with it), or says exactly what is left.

use super::*;
use crate::provisioning::admin_api::{api_base, AdminApi};
use crate::provisioning::microsoft_graph::{self as graph, DesiredEntraApp, GraphClient, PUBLIC_GRAPH};

/// The longest client secret lifetime `provision` asks Graph for: Microsoft's recommended
/// maximum of 24 months (https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials).
pub const LONGEST_SECRET_DAYS: u32 = 730;
/// The lifetime when none is given: a year, well inside the cap, so the reminder comes
/// while the admin still remembers the app.
pub const DEFAULT_SECRET_DAYS: u32 = 365;

/// The Graph address: the public one, or a loopback stand-in's (tests).
pub(crate) fn graph_base(replacement: Option<&str>) -> Result<Url, JourneyError> {
    api_base(AdminApi::MicrosoftGraph, PUBLIC_GRAPH, replacement).map_err(boxed)
}

/// The vendor's claims Entra adds to the ID token only when the app asks for them.
fn claims_to_configure(catalog: &Catalog, target: &Target<'_>) -> Vec<String> {
    let needing = catalog
        .identity_provider(IdentityProviderId::Entra)
        .map(|info| info.id_token_claims_needing_configuration.clone())
        .unwrap_or_default();
    let mut claims: Vec<String> = target
        .profile
        .oidc
        .required_claims
        .iter()
        .map(|claim| claim.name.clone())
        .filter(|name| needing.contains(name))
        .collect();
    claims.dedup();
    claims
}

pub(crate) fn secret_end(effects: &SideEffects, days: Option<u32>) -> Result<String, JourneyError> {
    let days = days.unwrap_or(DEFAULT_SECRET_DAYS);
    if days == 0 || days > LONGEST_SECRET_DAYS {
        return Err(boxed(ProvisionError::SecretLifetime { days, longest: LONGEST_SECRET_DAYS }));
    }
    Ok(CalendarDate::rfc3339_from_unix_seconds(effects.clock.now_unix_seconds() + i64::from(days) * 86_400))
}

/// The admin's token for a journey on `connection`: the one given for this run, else for a
/// saved connection the one the admin asked to keep in the keychain for it
/// (`admin_sign_in::keep_admin_token`), else none. A new connection has none kept, so its dry
/// run never touches the keychain.
pub(crate) fn admin_token(
    effects: &SideEffects,
    connection: &str,
    source: SecretSource<'_>,
) -> Result<Option<ClientSecret>, JourneyError> {
    Ok(match source {
        SecretSource::Given(token) | SecretSource::Ambient(token) => Some(token),
        SecretSource::Ask(ask) => Some(ask()?),
        SecretSource::NotGiven | SecretSource::BlankField if effects.connections.path_of(connection).exists() => {
            effects.secrets.get(&crate::provisioning::admin_account(connection)).map_err(boxed)?
        }
        SecretSource::NotGiven | SecretSource::BlankField => None,
    })
}

pub(crate) fn token_needed() -> JourneyError {
    boxed(ProvisionError::AdminTokenNeeded {
        api: "a Microsoft Graph access token",
        permissions: graph::PERMISSIONS_NEEDED,
    })
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn provision_in_entra<H: HttpFetch>(
    http: &H,
    catalog: &Catalog,
    effects: &SideEffects,
    input: ProvisionInput<'_>,
    target: Target<'_>,
    desired: DesiredClient,
    mut outcome: ProvisionOutcome,
    progress: &mut (dyn FnMut(ProvisionEvent) + Send),
) -> Result<ProvisionOutcome, JourneyError> {
    let desired = DesiredEntraApp { id_token_claims: claims_to_configure(catalog, &target), client: desired };
    if let Some(group) = input.assign_group {
        if !crate::oidc::issuer::looks_like_guid(group) {
            return Err(boxed(ProvisionError::GroupNotAnId {
                idp: "Entra ID",
                form: "a GUID (the group's Object ID)",
            }));
        }
    }
    let end = secret_end(effects, input.secret_expires_in_days)?;
    let base = graph_base(input.admin_api_url)?;
    outcome.notes.push(format!("the Graph token needs {}", graph::PERMISSIONS_NEEDED));
    let token = admin_token(effects, input.connection, input.admin_token)?;

    if let Some(saved) = target.saved {
        let management = saved.management.as_ref().expect("settle keeps only provisioned connections");
        let object_id = graph::object_id_of(&base, &management.registration_client_uri).ok_or_else(|| {
            boxed(ProvisionError::ManagementElsewhere { uri: escape(&management.registration_client_uri) })
        })?;
        let token = token.ok_or_else(token_needed)?;
        let client = GraphClient { http, clock: effects.clock.as_ref(), token: &token, graph: &base };
        let application = client.application(&object_id).await.map_err(boxed)?;
        let principal = match &management.service_principal_id {
            Some(id) => client.service_principal(id).await.map_err(boxed)?,
            None => None,
        };
        outcome.plan = graph::plan_existing_app(
            &base,
            &desired,
            &application,
            principal.as_ref(),
            management.service_principal_id.as_deref(),
        );
        outcome.client_id = Some(saved.client_id.clone());
        outcome.registration_client_uri = Some(management.registration_client_uri.clone());
        outcome.secret_expires = saved.secret_expires;
        outcome.send_to_vendor = send_to_vendor(&outcome.issuer, &saved.client_id, &desired.client);
        progress(ProvisionEvent::Planned { plan: outcome.plan.clone() });
        if input.mode != ProvisionMode::Apply || outcome.plan.requests.is_empty() {
            return Ok(outcome);
        }
        for request in outcome.plan.requests.clone() {
            progress(ProvisionEvent::Sending { request: request.clone() });
            client.send_planned(&request).await.map_err(boxed)?;
        }
        outcome.changed = true;
        let application = client.application(&object_id).await.map_err(boxed)?;
        let principal = match &management.service_principal_id {
            Some(id) => client.service_principal(id).await.map_err(boxed)?,
            None => None,
        };
        let remaining = graph::differences(&desired, &application, principal.as_ref());
        // A service principal made by this update is not in the saved connection yet; its
        // absence from the re-read is not a difference that remains.
        let remaining: Vec<_> =
            remaining.into_iter().filter(|d| principal.is_some() || d.field != "servicePrincipal").collect();
        if !remaining.is_empty() {
            return Err(boxed(ProvisionError::ChangedByProvider { differences: describe(&remaining), removed: false }));
        }
        return Ok(outcome);
    }

    outcome.plan = graph::plan_new_app(&base, &desired, input.assign_group, &end);
    progress(ProvisionEvent::Planned { plan: outcome.plan.clone() });
    if input.mode == ProvisionMode::DryRun {
        outcome.notes.push("no app exists yet for this connection: this is the plan for a new one, and nothing was read or sent to create it".into());
        return Ok(outcome);
    }
    let token = token.ok_or_else(token_needed)?;
    let client = GraphClient { http, clock: effects.clock.as_ref(), token: &token, graph: &base };
    let mut planned = outcome.plan.requests.clone().into_iter();
    let mut announce = |progress: &mut (dyn FnMut(ProvisionEvent) + Send)| {
        if let Some(request) = planned.next() {
            progress(ProvisionEvent::Sending { request });
        }
    };
    announce(progress);
    let application = client.create_application(&desired).await.map_err(boxed)?;
    outcome.changed = true;
    let app_id = application.app_id.clone();
    // From here on, a failure deletes the application again (and its service principal).
    let remove = |failure: String, failure_hint: Option<String>| {
        let object_id = application.object_id.clone();
        let app_id = app_id.clone();
        let client = &client;
        async move {
            let removal = match client.delete_application(&object_id).await {
                Ok(_) => Ok(()),
                Err(error) => Err(format!(
                    "delete the app registration {app_id} in the Entra admin center (App registrations → All applications) ({error})"
                )),
            };
            boxed(ProvisionError::Incomplete { client_id: app_id, failure, failure_hint, removal })
        }
    };
    let created_differences = graph::differences(&desired, &application, None);
    let created_differences: Vec<_> =
        created_differences.into_iter().filter(|d| d.field != "servicePrincipal").collect();
    if !created_differences.is_empty() {
        let removed = client.delete_application(&application.object_id).await.is_ok();
        return Err(boxed(ProvisionError::ChangedByProvider { differences: describe(&created_differences), removed }));
    }
    announce(progress);
    let principal = match client.create_service_principal(&desired, &app_id).await {
        Ok(principal) => principal,
        Err(error) => return Err(remove(error.to_string(), error.hint()).await),
    };
    if let Some(group) = input.assign_group {
        announce(progress);
        if let Err(error) = client.assign_group(&principal.id, group).await {
            return Err(remove(error.to_string(), error.hint()).await);
        }
    }
    announce(progress);
    let password = match client.add_password(&application.object_id, &end).await {
        Ok(password) => password,
        Err(error) => return Err(remove(error.to_string(), error.hint()).await),
    };
    let management = management_of(
        effects,
        &target,
        ManagementApi::MicrosoftGraph,
        format!("{base}applications/{}", application.object_id),
        Some(principal.id.clone()),
        Some(password.key_id.clone()),
    );
    let expires = CalendarDate::parse(password.end_date_time.get(..10).unwrap_or_default());
    let connection = new_connection(&target, &outcome.issuer, &app_id, expires, Some(management));
    let saved = match effects.connections.save(&connection, Some(&password.secret), effects.secrets.as_ref()) {
        Ok(saved) => saved,
        Err(error) => {
            let hint = error.hint();
            return Err(remove(format!("the connection could not be saved: {error}"), hint).await);
        }
    };
    drop(password);
    outcome.client_id = Some(app_id.clone());
    outcome.registration_client_uri = saved.management.as_ref().map(|m| m.registration_client_uri.clone());
    outcome.secret_expires = saved.secret_expires;
    outcome.send_to_vendor = send_to_vendor(&outcome.issuer, &app_id, &desired.client);
    if input.assign_group.is_none() {
        outcome.notes.push("no group was assigned, and assignment is required: assign the users or groups who use the vendor (Enterprise applications → the app → Users and groups)".into());
    }
    Ok(outcome)
}

/// Deletes an Entra app `provision` created (the face has the admin's confirmation).
pub(super) async fn deprovision_in_entra<H: HttpFetch>(
    http: &H,
    effects: &SideEffects,
    saved: &Connection,
    admin_token_source: SecretSource<'_>,
    admin_api_url: Option<&str>,
) -> Result<Deletion, JourneyError> {
    let base = graph_base(admin_api_url)?;
    let management =
        saved.management.as_ref().ok_or_else(|| boxed(ProvisionError::NotProvisioned { name: saved.name.clone() }))?;
    let object_id = graph::object_id_of(&base, &management.registration_client_uri).ok_or_else(|| {
        boxed(ProvisionError::ManagementElsewhere { uri: escape(&management.registration_client_uri) })
    })?;
    let token = admin_token(effects, &saved.name, admin_token_source)?.ok_or_else(token_needed)?;
    let client = GraphClient { http, clock: effects.clock.as_ref(), token: &token, graph: &base };
    client.delete_application(&object_id).await.map_err(boxed)
}
