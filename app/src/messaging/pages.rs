//! The admins' outbox page: what is queued, sent and failed, and a button to queue a failed
//! mail again. Plain HTML; no island.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::identity::pages::AdminNav;
use crate::messaging::api::outbox_overview;
use crate::messaging::model::{MailRow, MailState, OUTBOX_PAGE_SIZE, OutboxView};
use crate::ui::{DataTable, Loaded, format_datetime_nl};

#[component]
pub fn OutboxPage() -> impl IntoView {
    let query = use_query_map();
    let outcome = Memo::new(move |_| query.read().get("opnieuw"));
    let outbox = Resource::new(move || outcome.get(), outbox_overview);
    view! {
        <Title text="E-mail"/>
        <AdminNav current="/beheer/mail"/>
        <h1>"Verstuurde e-mail"</h1>
        <Loaded resource=outbox let:view>
            <OutboxOverview view/>
        </Loaded>
    }
}

#[component]
fn OutboxOverview(view: OutboxView) -> impl IntoView {
    let notice = view
        .notice
        .map(|message| view! { <p class="notice" role="status">{message}</p> });
    let missing_server = (!view.smtp_configured).then(|| view! {
        <p class="notice error" role="status">
            "Er is geen mailserver ingesteld (SMTP_URL): e-mail blijft in de wachtrij tot er een is."
        </p>
    });
    let rows = view.mails.into_iter().map(mail_row).collect_view();
    view! {
        {notice}
        {missing_server}
        <p class="lead">
            "E-mail gaat via een wachtrij: wat niet lukt, wordt later opnieuw geprobeerd. "
            "Hier ziet u alleen soort, ontvanger en verloop, nooit de tekst. Verstuurde e-mail wordt na 30 dagen verwijderd."
        </p>
        <dl class="counts">
            <div><dt>"In de wachtrij"</dt><dd>{view.queued}</dd></div>
            <div><dt>"Verstuurd"</dt><dd>{view.sent}</dd></div>
            <div><dt>"Mislukt"</dt><dd>{view.failed}</dd></div>
        </dl>
        <h2>{format!("De nieuwste (hoogstens {OUTBOX_PAGE_SIZE})")}</h2>
        <DataTable label="E-mail" columns=&["Aangemaakt", "Soort", "Ontvanger", "Status", "Pogingen", "Laatste fout", "Actie"]>
            {rows}
        </DataTable>
    }
}

fn mail_row(mail: MailRow) -> impl IntoView {
    let state = match mail.sent_at {
        Some(at) if mail.state == MailState::Sent => {
            format!("Verstuurd {}", format_datetime_nl(at))
        }
        _ => mail.state.label().to_owned(),
    };
    let retry = (mail.state == MailState::Failed).then(|| {
        view! {
            <form method="post" action=format!("/beheer/mail/{}/opnieuw", mail.id)>
                <button type="submit" class="button secondary">"Opnieuw versturen"</button>
            </form>
        }
    });
    view! {
        <tr>
            <td>{format_datetime_nl(mail.created_at)}</td>
            <td>{mail.kind.label()}</td>
            <td>{mail.recipient}</td>
            <td>{state}</td>
            <td>{mail.attempts}</td>
            <td>{mail.last_error.unwrap_or_default()}</td>
            <td>{retry}</td>
        </tr>
    }
}
