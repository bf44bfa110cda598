//! Invitations: the company's admin invites someone by e-mail with a role; the mail's link
//! (valid 14 days, used once) lets the person with that address join — logged in to an
//! existing account, or after creating one. A new invitation to the same address replaces
//! the open one; the admin can withdraw it.
use chrono::TimeDelta;

use super::manage::{MemberState, as_admin, member_changed};
use super::{InvitationState, InvitationView, MemberRole, repo};
use crate::accounts::UserSummary;
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::language::Language;
use crate::mail::MailContext;
use crate::validate::{Checks, looks_like_email, normalize_email};

pub const INVITATION_LIFETIME: TimeDelta = TimeDelta::days(14);

/// What the admin typed in the invitation form.
pub struct InviteForm<'a> {
    pub email: &'a str,
    pub role: &'a str,
    /// The mail's language (the invitee has no account language yet).
    pub language: Language,
}

/// Sends an invitation. Field errors: `email` (`required`, `invalid`, `already_member`,
/// `too_many_tries`), `role` (`required`).
pub async fn invite(
    db: &Db,
    ctx: &MailContext,
    admin: &UserSummary,
    admin_customer: Option<i64>,
    which: Option<&str>,
    form: InviteForm<'_>,
) -> Result<(), AppError> {
    use crate::limits::{Limit, allow};
    let company = as_admin(db, admin_customer, which).await?;
    let kept = vec![
        ("email".to_string(), form.email.to_string()),
        ("role".to_string(), form.role.to_string()),
    ];
    let email = form.email.trim();
    let mut checks = Checks::new();
    if email.is_empty() {
        checks.push("email", "required");
    } else if !looks_like_email(email) {
        checks.push("email", "invalid");
    }
    let role = MemberRole::parse(form.role.trim());
    if role.is_none() {
        checks.push("role", "required");
    }
    let normalized = normalize_email(email);
    if checks.is_empty()
        && repo::members(db, company.company_id)
            .await?
            .iter()
            .any(|m| m.email.as_deref().map(normalize_email).as_deref() == Some(&normalized))
    {
        checks.push("email", "already_member");
    }
    if checks.is_empty()
        && (!allow(db, Limit::InvitePerCompany, &company.external_id).await
            || !allow(db, Limit::AccountMailPerAddress, &normalized).await)
    {
        checks.push("email", "too_many_tries");
    }
    checks.finish().map_err(|e| e.keeping(kept))?;
    let role = role.ok_or(AppError::Internal)?;
    let (token, hash) = crate::accounts::service::new_token();
    let now = Timestamp::now();
    let expires_at = now + INVITATION_LIFETIME;
    let mut tx = db.begin().await?;
    repo::insert_invitation(
        &mut tx,
        &repo::NewInvitation {
            company_id: company.company_id,
            email,
            email_normalized: &normalized,
            role,
            token_hash: &hash,
            invited_by: admin.id,
            expires_at,
        },
        now,
    )
    .await?;
    let mail = super::mails::invitation(
        ctx,
        super::mails::Invitation {
            to: email,
            company: &company.name,
            invited_by: &admin.name,
            role,
            language: form.language,
            token: &token,
            until: &crate::time::local_time(expires_at.0),
        },
    );
    crate::outbox::repo::enqueue_mail(&mut tx, &mail, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The admin withdraws an open invitation: its link stops working.
pub async fn withdraw(
    db: &Db,
    admin_customer: Option<i64>,
    which: Option<&str>,
    id: i64,
) -> Result<(), AppError> {
    let company = as_admin(db, admin_customer, which).await?;
    let mut tx = db.begin().await?;
    if !repo::withdraw_invitation(&mut tx, company.company_id, id, Timestamp::now()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

fn state_of(invitation: &repo::Invitation, now: Timestamp) -> InvitationState {
    if invitation.accepted_at.is_some() {
        InvitationState::Accepted
    } else if invitation.withdrawn_at.is_some() {
        InvitationState::Withdrawn
    } else if invitation.expires_at <= now {
        InvitationState::Expired
    } else {
        InvitationState::Open
    }
}

async fn find(db: &Db, token: &str) -> Result<repo::Invitation, AppError> {
    let hash = crate::accounts::service::token_hash(token.trim());
    repo::invitation_by_token(db, &hash)
        .await?
        .ok_or(AppError::NotFound)
}

/// The page of an invitation link; `NotFound` for a link that never was one.
pub async fn view(
    db: &Db,
    token: &str,
    user: Option<&UserSummary>,
) -> Result<InvitationView, AppError> {
    let invitation = find(db, token).await?;
    Ok(InvitationView {
        state: state_of(&invitation, Timestamp::now()),
        for_you: user.map(|u| normalize_email(&u.email) == invitation.email_normalized),
        company: invitation.company_name,
        role: invitation.role,
        email: invitation.email,
        invited_by: invitation.invited_by,
    })
}

/// The logged-in user accepts: they must have the invited address (a confirmed one: the
/// customer record made for them carries it). Field errors on `token`: `accepted`,
/// `withdrawn`, `expired`, `other_account`; `email` / `verify_email_first`. Returns the
/// company's external id.
pub async fn accept(db: &Db, user: &UserSummary, token: &str) -> Result<String, AppError> {
    let invitation = find(db, token).await?;
    let refused = |code: &str| Err(AppError::invalid("token", code));
    match state_of(&invitation, Timestamp::now()) {
        InvitationState::Open => {}
        InvitationState::Accepted => return refused("accepted"),
        InvitationState::Withdrawn => return refused("withdrawn"),
        InvitationState::Expired => return refused("expired"),
    }
    if normalize_email(&user.email) != invitation.email_normalized {
        return refused("other_account");
    }
    let customer_id = crate::accounts::current::ensure_customer(db, user).await?;
    let company = repo::Membership {
        company_id: invitation.company_id,
        external_id: invitation.company_external_id.clone(),
        name: invitation.company_name.clone(),
        role: invitation.role,
        limit_per_order: None,
        limit_per_month: None,
    };
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    if !repo::mark_accepted(&mut tx, invitation.id, now).await? {
        // Used or withdrawn a moment ago.
        return refused("expired");
    }
    // Already a member (the back office added them meanwhile): their role stays.
    if repo::add_member(&mut tx, invitation.company_id, customer_id, invitation.role).await? {
        let state = MemberState {
            role: Some(invitation.role),
            limit_per_order: None,
            limit_per_month: None,
            locations: Vec::new(),
        };
        member_changed(
            &mut tx,
            &company,
            Some(customer_id),
            customer_id,
            "joined",
            state,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(invitation.company_external_id)
}
