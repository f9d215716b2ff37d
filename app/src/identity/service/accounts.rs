//! Accounts, profiles and roles.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::identity::access::{Role, Viewer};
use crate::identity::entity::{audit_event, register_number, user, user_role};
use crate::identity::model::{AuditEventKind, USERS_PAGE_SIZE, UserPage, UserSummary};
use crate::identity::rules::{Profile, Register, WorkField};
use crate::identity::service::audit::{self, NewAuditEvent};

/// Finds or creates the account for a verified login and stamps the login time. With
/// `claimed_roles` (from the ID-token claim named by `OIDC_ROLES_CLAIM`), the provider is the
/// source of truth for roles and they replace what is stored.
pub async fn record_login(
    db: &DatabaseConnection,
    issuer: &str,
    subject: &str,
    claimed_roles: Option<&[Role]>,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let existing = user::Entity::find()
        .filter(user::Column::Issuer.eq(issuer))
        .filter(user::Column::Subject.eq(subject))
        .one(&*txn)
        .await?;
    let user_id = match existing {
        Some(found) => {
            let id = found.id;
            let mut active = found.into_active_model();
            active.last_login_at = Set(now);
            active.update(&*txn).await?;
            id
        }
        None => {
            user::ActiveModel {
                issuer: Set(issuer.to_owned()),
                subject: Set(subject.to_owned()),
                created_at: Set(now),
                last_login_at: Set(now),
                ..Default::default()
            }
            .insert(&*txn)
            .await?
            .id
        }
    };
    if let Some(claimed) = claimed_roles {
        replace_roles(&*txn, None, user_id, claimed, "ID-token", now).await?;
    }
    txn.commit().await?;
    Ok(user_id)
}

/// Keeps the address the provider gave at this login (its `email` claim), or none: the
/// provider is where people change it. An address a mail server would refuse is not kept.
pub async fn record_email(
    db: &impl ConnectionTrait,
    user_id: i32,
    claimed: Option<&str>,
) -> Result<(), ServiceError> {
    let email = claimed
        .map(str::trim)
        .filter(|address| address.len() <= 320 && address.parse::<lettre::Address>().is_ok())
        .map(str::to_owned);
    user::Entity::update_many()
        .col_expr(user::Column::Email, sea_orm::sea_query::Expr::value(email))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn roles_of(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<Role>, ServiceError> {
    let rows = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let mut roles: Vec<Role> = rows
        .iter()
        .map(|row| {
            Role::from_slug(&row.role)
                .ok_or_else(|| ServiceError::Corrupt(format!("unknown role '{}'", row.role)))
        })
        .collect::<Result<_, _>>()?;
    roles.sort();
    Ok(roles)
}

/// Sets the assignable roles of `user_id`, auditing a change. `actor` None: the provider did.
async fn replace_roles(
    db: &impl ConnectionTrait,
    actor: Option<i32>,
    user_id: i32,
    roles: &[Role],
    source: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let wanted: BTreeSet<Role> = roles
        .iter()
        .copied()
        .filter(|r| *r != Role::Participant)
        .collect();
    let current: BTreeSet<Role> = roles_of(db, user_id).await?.into_iter().collect();
    if wanted == current {
        return Ok(());
    }
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if !wanted.is_empty() {
        user_role::Entity::insert_many(wanted.iter().map(|role| user_role::ActiveModel {
            user_id: Set(user_id),
            role: Set(role.slug().to_owned()),
        }))
        .exec_without_returning(db)
        .await?;
    }
    let names = |set: &BTreeSet<Role>| set.iter().map(|r| r.slug()).collect::<Vec<_>>().join(",");
    let detail = format!("{} → {} ({source})", names(&current), names(&wanted));
    audit::record(
        db,
        NewAuditEvent {
            event: AuditEventKind::RolesChanged,
            actor_user_id: actor,
            subject_user_id: Some(user_id),
            detail: &detail,
        },
        now,
    )
    .await
}

/// Gives `user_id` the admin role if it lacks it (audited, actor: none). For the accounts
/// listed in `ADMIN_SUBJECTS` while the platform manages roles, so the first admin exists
/// without database surgery and a listed admin cannot be locked out.
pub async fn grant_listed_admin(
    db: &DatabaseConnection,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let mut roles = roles_of(&*txn, user_id).await?;
    if !roles.contains(&Role::Admin) {
        roles.push(Role::Admin);
        replace_roles(&*txn, None, user_id, &roles, "ADMIN_SUBJECTS", now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// An admin sets another account's roles. Admins cannot take their own admin role away, so
/// the platform never ends up without one by accident.
pub async fn set_roles(
    db: &DatabaseConnection,
    actor_id: i32,
    user_id: i32,
    roles: &[Role],
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if actor_id == user_id && !roles.contains(&Role::Admin) {
        return Err(ServiceError::Invalid(
            "U kunt uw eigen beheerdersrol niet intrekken. Vraag dat een andere beheerder.".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    if user::Entity::find_by_id(user_id)
        .one(&*txn)
        .await?
        .is_none()
    {
        return Err(ServiceError::NotFound);
    }
    replace_roles(&*txn, Some(actor_id), user_id, roles, "beheer", now).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn viewer(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Option<Viewer>, ServiceError> {
    // An erased account is nobody: a session of it left on another device ends.
    let Some(found) = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|found| found.erased_at.is_none())
    else {
        return Ok(None);
    };
    Ok(Some(Viewer {
        user_id,
        display_name: found.display_name,
        roles: roles_of(db, user_id).await?,
        profile_complete: found.profile_completed_at.is_some(),
    }))
}

pub async fn profile(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Option<Profile>, ServiceError> {
    let found = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (Some(display_name), Some(organisation), Some(work_field)) =
        (found.display_name, found.organisation, found.work_field)
    else {
        return Ok(None);
    };
    let work_field = WorkField::from_slug(&work_field)
        .ok_or_else(|| ServiceError::Corrupt(format!("unknown work field '{work_field}'")))?;
    let registers = register_number::Entity::find()
        .filter(register_number::Column::UserId.eq(user_id))
        .order_by_asc(register_number::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            Register::from_slug(&row.register)
                .map(|register| (register, row.number))
                .ok_or_else(|| {
                    ServiceError::Corrupt(format!("unknown register '{}'", row.register))
                })
        })
        .collect::<Result<_, _>>()?;
    Ok(Some(Profile {
        display_name,
        organisation,
        work_field,
        registers,
    }))
}

pub async fn save_profile(
    db: &DatabaseConnection,
    user_id: i32,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let found = user::Entity::find_by_id(user_id)
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let completed_at = found.profile_completed_at.unwrap_or(now);
    let mut active = found.into_active_model();
    // Only what changed is written: a profile saved unchanged changes no stored row.
    active
        .display_name
        .set_if_not_equals(Some(profile.display_name.clone()));
    active
        .organisation
        .set_if_not_equals(Some(profile.organisation.clone()));
    active
        .work_field
        .set_if_not_equals(Some(profile.work_field.slug().to_owned()));
    active
        .profile_completed_at
        .set_if_not_equals(Some(completed_at));
    if active.is_changed() {
        active.update(&*txn).await?;
    }
    // Register numbers keep their rows: one per register, its number updated in place.
    let stored = register_number::Entity::find()
        .filter(register_number::Column::UserId.eq(user_id))
        .all(&*txn)
        .await?;
    for row in &stored {
        let wanted = profile
            .registers
            .iter()
            .find(|(register, _)| register.slug() == row.register);
        match wanted {
            None => {
                register_number::Entity::delete_by_id(row.id)
                    .exec(&*txn)
                    .await?;
            }
            Some((_, number)) if *number != row.number => {
                let mut changed = row.clone().into_active_model();
                changed.number = Set(number.clone());
                changed.update(&*txn).await?;
            }
            Some(_) => {}
        }
    }
    let new_rows: Vec<register_number::ActiveModel> = profile
        .registers
        .iter()
        .filter(|(register, _)| !stored.iter().any(|row| row.register == register.slug()))
        .map(|(register, number)| register_number::ActiveModel {
            user_id: Set(user_id),
            register: Set(register.slug().to_owned()),
            number: Set(number.clone()),
            ..Default::default()
        })
        .collect();
    if !new_rows.is_empty() {
        register_number::Entity::insert_many(new_rows)
            .exec_without_returning(&*txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Identity's part of a user's data export (GDPR art. 15 and 20): account, profile, roles and
/// audit entries about the user (other people's ids in them are not included). The export is
/// audited. `crate::personal_data` adds the other domains' parts.
pub async fn export_user_data(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<serde_json::Value, ServiceError> {
    let found = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let registers: Vec<serde_json::Value> = register_number::Entity::find()
        .filter(register_number::Column::UserId.eq(user_id))
        .order_by_asc(register_number::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| serde_json::json!({ "register": row.register, "nummer": row.number }))
        .collect();
    let roles: Vec<&str> = roles_of(db, user_id)
        .await?
        .iter()
        .map(|r| r.slug())
        .collect();
    audit::record(
        db,
        NewAuditEvent {
            event: AuditEventKind::ProfileExported,
            actor_user_id: Some(user_id),
            subject_user_id: Some(user_id),
            detail: "",
        },
        now,
    )
    .await?;
    let events: Vec<serde_json::Value> = audit_event::Entity::find()
        .filter(
            Condition::any()
                .add(audit_event::Column::ActorUserId.eq(user_id))
                .add(audit_event::Column::SubjectUserId.eq(user_id)),
        )
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            serde_json::json!({
                "tijdstip_utc": row.occurred_at.to_rfc3339(),
                "gebeurtenis": row.event,
                "door_uzelf": row.actor_user_id == Some(user_id),
            })
        })
        .collect();
    Ok(serde_json::json!({
        "account": {
            "id": found.id,
            "identiteitsprovider": found.issuer,
            "subject": found.subject,
            "aangemaakt_utc": found.created_at.to_rfc3339(),
            "laatst_ingelogd_utc": found.last_login_at.to_rfc3339(),
            "e_mailadres_van_de_inlogdienst": found.email,
        },
        "profiel": {
            "naam": found.display_name,
            "organisatie": found.organisation,
            "werkterrein": found.work_field,
            "registraties": registers,
            "ingevuld_utc": found.profile_completed_at.map(|t| t.to_rfc3339()),
        },
        "rollen": roles,
        "gebeurtenissen": events,
    }))
}

/// One page of accounts by name (pages past the end give the last page), with their roles.
pub async fn list_users(db: &impl ConnectionTrait, page: u64) -> Result<UserPage, ServiceError> {
    let paginator = user::Entity::find()
        .order_by_asc(user::Column::DisplayName)
        .order_by_asc(user::Column::Id)
        .paginate(db, USERS_PAGE_SIZE);
    let page_count = paginator.num_pages().await?.max(1);
    let page = page.clamp(1, page_count);
    let users = paginator.fetch_page(page - 1).await?;
    let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(ids))
        .all(db)
        .await?;
    let users = users
        .into_iter()
        .map(|found| {
            let mut user_roles: Vec<Role> = roles
                .iter()
                .filter(|r| r.user_id == found.id)
                .filter_map(|r| Role::from_slug(&r.role))
                .collect();
            user_roles.sort();
            Ok(UserSummary {
                id: found.id,
                label: crate::identity::model::account_label(
                    found.id,
                    found.display_name.as_deref(),
                ),
                organisation: found.organisation,
                roles: user_roles,
                last_login: crate::dates::format_datetime_nl(found.last_login_at),
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    Ok(UserPage {
        users,
        page,
        page_count,
        roles_source: Default::default(),
    })
}

/// Records a login, logout or failed login for the audit log.
pub async fn audit_session_event(
    db: &impl ConnectionTrait,
    event: AuditEventKind,
    user_id: Option<i32>,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    audit::record(
        db,
        NewAuditEvent {
            event,
            actor_user_id: user_id,
            subject_user_id: user_id,
            detail,
        },
        now,
    )
    .await
}

/// Every account holding `role`, as (login subject, name to show), by name: for choosing,
/// say, a run's trainers from the people who are trainers.
pub async fn accounts_with_role(
    db: &impl ConnectionTrait,
    role: Role,
) -> Result<Vec<(String, String)>, ServiceError> {
    let ids: Vec<i32> = user_role::Entity::find()
        .filter(user_role::Column::Role.eq(role.slug()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.user_id)
        .collect();
    let mut accounts: Vec<(String, String)> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|account| {
            let name = account
                .display_name
                .clone()
                .filter(|name| !name.trim().is_empty())
                .unwrap_or_else(|| account.subject.clone());
            (account.subject, name)
        })
        .collect();
    accounts.sort_by_key(|account| account.1.to_lowercase());
    Ok(accounts)
}

/// The e-mail addresses of the accounts holding `role` (not erased, with an address): for mail
/// to everyone in a role, such as the editors' digest.
pub async fn addresses_of_role(
    db: &impl ConnectionTrait,
    role: Role,
) -> Result<Vec<String>, ServiceError> {
    let ids: Vec<i32> = user_role::Entity::find()
        .filter(user_role::Column::Role.eq(role.slug()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.user_id)
        .collect();
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Email)
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::ErasedAt.is_null())
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect())
}

/// `user_id`'s register numbers from their profile, as (register's name, number), by register.
pub async fn register_numbers_of(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<(String, String)>, ServiceError> {
    let mut numbers: Vec<(String, String)> = register_number::Entity::find()
        .filter(register_number::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            let register = Register::from_slug(&row.register)
                .map_or_else(|| row.register.clone(), |r| r.label().to_owned());
            (register, row.number)
        })
        .collect();
    numbers.sort();
    Ok(numbers)
}
