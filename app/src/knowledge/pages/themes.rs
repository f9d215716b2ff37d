//! The knowledge staff's page of themes (`/redactie/themas`): what practice brings into
//! intervision, counted without text or group, beside what already covers it; and the backlog
//! of factsheets it asks for, each with its status. Plain forms: they work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::FieldErrors;
use crate::knowledge::api::backlog::theme_demand;
use crate::knowledge::model::backlog::{
    BacklogDraft, BacklogForm, BacklogItem, BacklogStatus, ThemeDemand, ThemesPage,
};
use crate::ui::{
    DataTable, ErrorSummary, Loaded, Outcome, SelectField, TextArea, TextField, format_date_nl,
};

#[component]
pub fn ThemesDemandPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| theme_demand());
    view! {
        <Title text="Thema's uit de praktijk"/>
        <Loaded resource=page let:loaded>
            <ThemesView page=loaded.0 notice=loaded.1/>
        </Loaded>
    }
}

/// The label a form's errors are summed up under.
fn field_label(field: &str) -> &'static str {
    match field {
        "thema" => "Thema",
        "titel" => "Welke factsheet",
        "status" => "Status",
        "document" => "Gepubliceerd document",
        _ => "Reden",
    }
}

/// The error summary's links: each to its control, by the id `control_id` gives a field.
fn summary_of(errors: &FieldErrors, control_id: impl Fn(&str) -> String) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|(field, message)| {
            (
                control_id(field),
                format!("{}: {message}", field_label(field)),
            )
        })
        .collect()
}

#[component]
fn ThemesView(page: ThemesPage, notice: Option<crate::notice::Notice>) -> impl IntoView {
    let ThemesPage {
        themes,
        window_months,
        min_dilemmas,
        min_groups,
        draft,
    } = page;
    let rows = themes
        .iter()
        .map(|t| {
            let count = t
                .dilemmas
                .map_or_else(|| "te weinig om te tonen".to_owned(), |n| n.to_string());
            let open = t.backlog.iter().filter(|i| i.status.is_open()).count();
            view! {
                <tr>
                    <th scope="row"><a href=format!("#thema-{}", t.theme.slug())>{t.theme.label()}</a></th>
                    <td class="number">{count}</td>
                    <td class="number">{t.covering_total}</td>
                    <td class="number">{open}</td>
                </tr>
            }
        })
        .collect_view();
    let sections = themes
        .into_iter()
        .map(|theme| view! { <ThemeSection theme draft=draft.clone()/> })
        .collect_view();
    view! {
        <header class="page-header">
            <h1>"Thema's uit de praktijk"</h1>
            <p class="lead">
                {format!(
                    "Waarover professionals de afgelopen {window_months} maanden dilemma's inbrachten in intervisie, naast wat er al over is. \
                     Een aantal staat er alleen als ten minste {min_dilemmas} dilemma's uit ten minste {min_groups} groepen het thema hebben; \
                     nooit een tekst, een groep of een naam."
                )}
            </p>
        </header>
        {notice.map(|n| view! { <Outcome success=n.success message=n.message/> })}
        <DataTable
            label="Thema's in het kort"
            caption="Thema's in het kort"
            columns=&["Thema", "Dilemma's", "Factsheets en trainingen", "Gewenst, open"]
        >
            {rows}
        </DataTable>
        {sections}
    }
}

#[component]
fn ThemeSection(theme: ThemeDemand, draft: Option<BacklogDraft>) -> impl IntoView {
    let ThemeDemand {
        theme,
        dilemmas,
        covering,
        covering_total,
        backlog,
    } = theme;
    let slug = theme.slug();
    let heading_id = format!("thema-{slug}-titel");
    let count = match dilemmas {
        Some(1) => "1 dilemma ingebracht.".to_owned(),
        Some(n) => format!("{n} dilemma's ingebracht."),
        None => "Te weinig dilemma's (of uit te weinig groepen) om een aantal te tonen.".to_owned(),
    };
    let covered = if covering.is_empty() {
        view! { <p>"Nog geen gepubliceerde factsheet of training over dit thema."</p> }.into_any()
    } else {
        let more = covering_total.saturating_sub(covering.len());
        view! {
            <ul class="covering">
                {covering
                    .into_iter()
                    .map(|d| view! { <li><a href=d.url>{d.title}</a>{format!(" · {}", d.kind.label())}</li> })
                    .collect_view()}
            </ul>
            {(more > 0).then(|| view! { <p class="meta">{format!("En nog {more} andere.")}</p> })}
        }
        .into_any()
    };
    // A refused new item for this theme comes back here, as typed.
    let new_draft = draft
        .as_ref()
        .filter(|d| d.item.is_none() && d.form.thema == slug)
        .cloned();
    let (new_form, new_errors) = match new_draft {
        Some(d) => (d.form, d.errors),
        None => (BacklogForm::default(), FieldErrors::new()),
    };
    let items = (!backlog.is_empty()).then(|| {
        let entries = backlog
            .into_iter()
            .map(|item| {
                let item_draft = draft.as_ref().filter(|d| d.item == Some(item.id)).cloned();
                view! { <BacklogEntry item draft=item_draft/> }
            })
            .collect_view();
        view! { <ul class="backlog">{entries}</ul> }
    });
    view! {
        <section id=format!("thema-{slug}") class="theme-demand" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{theme.label()}</h2>
            <p>{count}</p>
            <h3>"Wat er al is"</h3>
            {covered}
            <h3>"Gewenste factsheets"</h3>
            {items}
            <form method="post" action="/redactie/themas/gewenst" class="stacked-form">
                <ErrorSummary items=summary_of(&new_errors, |_| format!("nieuw-{slug}"))/>
                <input type="hidden" name="thema" value=slug/>
                <TextField field="titel" id=format!("nieuw-{slug}") name="titel"
                    label="Welke factsheet is nodig?" value=new_form.titel
                    error=new_errors.get("titel").cloned()/>
                <div class="form-actions">
                    <button type="submit" class="button secondary">"Factsheet gewenst"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn BacklogEntry(item: BacklogItem, draft: Option<BacklogDraft>) -> impl IntoView {
    let BacklogItem {
        id,
        theme,
        title,
        status,
        document,
        decline_reason,
        created_on,
        changed_on,
    } = item;
    let state = match (&status, &document, &decline_reason) {
        (BacklogStatus::Published, Some((slug, doc_title)), _) => view! {
            {format!("{}: ", status.label())}
            <a href=format!("/redactie/documenten/{slug}")>{doc_title.clone()}</a>
        }
        .into_any(),
        (BacklogStatus::Declined, _, Some(reason)) => {
            format!("{}: {reason}", status.label()).into_any()
        }
        _ => status.label().into_any(),
    };
    let (form, errors) = match draft {
        Some(d) => (d.form, d.errors),
        None => (
            BacklogForm {
                thema: theme.slug().to_owned(),
                titel: title.clone(),
                status: status.slug().to_owned(),
                document: document.map(|(slug, _)| slug).unwrap_or_default(),
                reden: decline_reason.unwrap_or_default(),
            },
            FieldErrors::new(),
        ),
    };
    let opened = !errors.is_empty();
    let statuses: Vec<(String, String)> = BacklogStatus::ALL
        .into_iter()
        .map(|s| (s.slug().to_owned(), s.label().to_owned()))
        .collect();
    let field_id = |field: &str| format!("gewenst-{id}-{field}");
    view! {
        <li id=format!("gewenst-{id}")>
            <strong>{title}</strong>
            <span class="meta">
                {format!(" · aangemaakt {} · gewijzigd {} · ", format_date_nl(created_on), format_date_nl(changed_on))}
            </span>
            {state}
            <details open=opened>
                <summary>"Status wijzigen"</summary>
                <form method="post" action=format!("/redactie/themas/gewenst/{id}") class="stacked-form">
                    <ErrorSummary items=summary_of(&errors, field_id)/>
                    <input type="hidden" name="thema" value=form.thema/>
                    <TextField field="titel" id=field_id("titel") name="titel" label="Welke factsheet"
                        value=form.titel error=errors.get("titel").cloned()/>
                    <SelectField field="status" id=field_id("status") name="status" label="Status"
                        options=statuses selected=form.status error=errors.get("status").cloned()/>
                    <TextField field="document" id=field_id("document") name="document"
                        label="Gepubliceerd document (bij status gepubliceerd)"
                        hint="De naam van het document in zijn adres, bijvoorbeeld signalen-van-radicalisering."
                        value=form.document error=errors.get("document").cloned()/>
                    <TextArea field="reden" id=field_id("reden") name="reden"
                        label="Reden (bij status afgewezen)" value=form.reden
                        error=errors.get("reden").cloned() rows=2/>
                    <div class="form-actions">
                        <button type="submit" class="button">"Opslaan"</button>
                    </div>
                </form>
            </details>
        </li>
    }
}
