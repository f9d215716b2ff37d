//! `/privacy`: every kind of personal data the platform keeps, why, and for how long, written
//! from the same constants the retention jobs use (`training::rules::RECORDS_KEPT_YEARS`, the
//! intervision periods, the outbox's days), so the page cannot say something the jobs do not
//! do. It joins every domain, so it lives above them.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::Loaded;

/// One kind of personal data: what it is, why it is kept, and how long.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptData {
    pub what: String,
    pub why: String,
    pub how_long: String,
}

/// The register, for anyone.
#[server(endpoint = "privacy_register")]
pub async fn get_privacy_register() -> Result<Vec<KeptData>, AppError> {
    Ok(register())
}

/// The rows of the register (server only: it reads the services' retention constants).
#[cfg(feature = "ssr")]
pub fn register() -> Vec<KeptData> {
    use crate::intervision::model::{
        DEFAULT_RETENTION_MONTHS, INVITATION_DAYS, MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS,
        THEME_WINDOW_MONTHS,
    };
    use crate::knowledge::service::usage::SEARCH_MISSES_KEPT_MONTHS;
    use crate::messaging::service::outbox::{FAILED_MAIL_RETENTION_DAYS, SENT_MAIL_RETENTION_DAYS};
    use crate::training::rules::RECORDS_KEPT_YEARS;
    let row = |what: &str, why: &str, how_long: String| KeptData {
        what: what.to_owned(),
        why: why.to_owned(),
        how_long,
    };
    let as_long_as_the_account =
        "Zolang uw account bestaat; u kunt het laten wissen (Profiel, 'Account laten wissen').";
    vec![
        row(
            "Uw account: naam, e-mailadres, organisatie, werkterrein en registernummers (SKJ, Registerplein, BIG, …)",
            "Om u te laten inloggen, u te mailen en certificaten op naam en met registernummer uit te geven.",
            as_long_as_the_account.to_owned(),
        ),
        row(
            "Inschrijvingen voor trainingen en uw antwoorden op intakevragen",
            "Om trainingen te organiseren: plaatsen, wachtlijsten, de groep samenstellen.",
            format!("{as_long_as_the_account} Bij wissen gaan de antwoorden weg; de inschrijving blijft zonder uw naam, zodat tellingen kloppen."),
        ),
        row(
            "Aanwezigheid bij trainingen en certificaten",
            "De accreditatieregisters (PE-online, SKJ) vragen om bewijs van deelname.",
            format!("{RECORDS_KEPT_YEARS} jaar nadat de uitvoering is afgesloten; daarna verwijdert een dagelijkse taak ze. Na het wissen van uw account tot dan onder een schuilnaam."),
        ),
        row(
            "Evaluaties van trainingen",
            "Om trainingen te verbeteren.",
            "Zonder naam opgeslagen: alleen dát u evalueerde wordt bij uw inschrijving bijgehouden.".to_owned(),
        ),
        row(
            "Uw voortgang in cursussen",
            "Zodat u verder kunt waar u was.",
            as_long_as_the_account.to_owned(),
        ),
        row(
            "Dilemma's, reacties en actiepunten in een intervisiegroep, en wie een dilemma las",
            "Voor de groep en haar begeleider; versleuteld opgeslagen, alleen de groep leest ze.",
            format!("De bewaartermijn van de groep, {MIN_RETENTION_MONTHS} tot {MAX_RETENTION_MONTHS} maanden (standaard {DEFAULT_RETENTION_MONTHS}) na het inbrengen; daarna verwijdert een dagelijkse taak ze en blijft alleen een telling per fenomeen. De thema's van een dilemma (zonder tekst en zonder naam) telt het kennisteam {THEME_WINDOW_MONTHS} maanden lang; daarna gaan ook die weg."),
        ),
        row(
            "Notities bij een intervisiebijeenkomst",
            "Wat de groep afsprak of besprak.",
            "De bewaartermijn van de groep, gerekend vanaf de bijeenkomst.".to_owned(),
        ),
        row(
            "Deelname aan intervisiebijeenkomsten",
            "Voor uw intervisieverslag (SKJ-herregistratie).",
            as_long_as_the_account.to_owned(),
        ),
        row(
            "Uitnodigingen voor een intervisiegroep",
            "Om lid te worden; van een link bewaren we alleen een vingerafdruk, geen e-mailadres.",
            format!("{INVITATION_DAYS} dagen geldig."),
        ),
        row(
            "E-mails die het platform u stuurt",
            "Om ze te versturen en na te gaan of ze aankwamen.",
            format!("{SENT_MAIL_RETENTION_DAYS} dagen na verzending, {FAILED_MAIL_RETENTION_DAYS} dagen als verzenden mislukte; daarna verwijdert het platform ze."),
        ),
        row(
            "Zoekwoorden die niets vonden, en hoe vaak pagina's gelezen worden",
            "Om te zien welke kennis ontbreekt en wat gelezen wordt. Alleen tellingen per maand, nooit wie zocht of las; zoekwoorden met cijfers, een e-mailadres of een naam bewaren we niet.",
            format!("Zoekwoorden {SEARCH_MISSES_KEPT_MONTHS} maanden; daarna verwijdert een dagelijkse taak ze. Tellingen van gelezen pagina's noemen geen persoon."),
        ),
        row(
            "Het auditlog: wie wat deed (inloggen, rollen, publiceren, certificaten)",
            "Verantwoording en beveiliging.",
            "Zolang het platform draait; na het wissen van uw account zonder u erin.".to_owned(),
        ),
    ]
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let register = Resource::new(|| (), |_| get_privacy_register());
    view! {
        <Title text="Privacy"/>
        <header class="page-header">
            <h1>"Privacy"</h1>
            <p class="lead">
                "Welke persoonsgegevens het leerplatform bewaart, waarom en hoe lang. "
                "Wat u zelf kunt inzien of laten wissen, vindt u onder Profiel."
            </p>
        </header>
        <Loaded resource=register let:rows>
            <dl class="privacy-register">
                {rows
                    .into_iter()
                    .map(|row| view! {
                        <dt>{row.what}</dt>
                        <dd><strong>"Waarom: "</strong>{row.why}</dd>
                        <dd><strong>"Hoe lang: "</strong>{row.how_long}</dd>
                    })
                    .collect_view()}
            </dl>
        </Loaded>
    }
}

#[cfg(test)]
mod tests {
    use super::register;

    #[test]
    fn the_register_states_the_periods_the_jobs_use() {
        let text: String = register()
            .iter()
            .map(|row| format!("{} {} {}\n", row.what, row.why, row.how_long))
            .collect();
        for period in [
            format!("{} jaar", crate::training::rules::RECORDS_KEPT_YEARS),
            format!(
                "{} tot {} maanden (standaard {})",
                crate::intervision::model::MIN_RETENTION_MONTHS,
                crate::intervision::model::MAX_RETENTION_MONTHS,
                crate::intervision::model::DEFAULT_RETENTION_MONTHS
            ),
            format!(
                "{} dagen na verzending",
                crate::messaging::service::outbox::SENT_MAIL_RETENTION_DAYS
            ),
            format!(
                "{} dagen als verzenden mislukte",
                crate::messaging::service::outbox::FAILED_MAIL_RETENTION_DAYS
            ),
            format!(
                "{} maanden lang",
                crate::intervision::model::THEME_WINDOW_MONTHS
            ),
            format!(
                "Zoekwoorden {} maanden",
                crate::knowledge::service::usage::SEARCH_MISSES_KEPT_MONTHS
            ),
            format!(
                "{} dagen geldig",
                crate::intervision::model::INVITATION_DAYS
            ),
        ] {
            assert!(text.contains(&period), "{period} in {text}");
        }
    }
}
