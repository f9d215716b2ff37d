//! The mails that tell one person what concerns them in a group: content-free (no group name,
//! theme, dilemma or anyone's name), since a mailbox is often read by others; the details wait
//! behind the login. Meeting notices with their calendar invitations are in `meetings`.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::error::ServiceError;
use crate::messaging::model::MailKind;
use crate::messaging::rules::MailContent;
use crate::messaging::service::outbox::{NewMail, queue_for_user};

/// What happened that concerns the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupNotice {
    /// They became a member (by a link or by accepting an invitation).
    Joined,
    /// An admin made them a facilitator of a group.
    MadeFacilitator,
    /// The facilitator changed the agreement they had accepted.
    AgreementChanged,
    /// Someone else gave them an action point.
    ActionPointAssigned,
}

impl GroupNotice {
    fn mail(self) -> NewMail {
        let (kind, subject, text) = match self {
            GroupNotice::Joined => (
                MailKind::IntervisionMembership,
                "U bent lid van een intervisiegroep",
                "U bent lid geworden van een intervisiegroep op het leerplatform. Voordat u iets in de groep ziet, leest en bevestigt u de vertrouwelijkheidsafspraken.",
            ),
            GroupNotice::MadeFacilitator => (
                MailKind::IntervisionMembership,
                "U begeleidt een intervisiegroep",
                "U bent als begeleider aan een intervisiegroep op het leerplatform toegevoegd. Log in om de groep te zien en deelnemers uit te nodigen.",
            ),
            GroupNotice::AgreementChanged => (
                MailKind::IntervisionAgreement,
                "De afspraken van uw intervisiegroep zijn gewijzigd",
                "De begeleider heeft de vertrouwelijkheidsafspraken van een van uw intervisiegroepen gewijzigd. Lees en bevestig de nieuwe versie voordat u de groep weer opent; wilt u er niet mee verder, dan kunt u daar de groep verlaten.",
            ),
            GroupNotice::ActionPointAssigned => (
                MailKind::IntervisionActionPoint,
                "Een actiepunt voor u",
                "In uw intervisiegroep is een actiepunt aan u toegekend. Log in op het leerplatform om het te lezen.",
            ),
        };
        NewMail {
            kind,
            subject: subject.into(),
            content: MailContent::default()
                .paragraph(text)
                .link("Naar uw intervisiegroepen", "/intervisie"),
            calendar: None,
        }
    }
}

/// Queues `notice` for `user_id` in the caller's transaction, so it goes only if what it tells
/// of is committed.
pub async fn tell(
    db: &impl ConnectionTrait,
    user_id: i32,
    notice: GroupNotice,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    queue_for_user(db, user_id, notice.mail(), now).await?;
    Ok(())
}
