//! The editors' overview (`/redactie`): every document by owner, overdue reviews first.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::knowledge::api::documents::editorial_overview;
use crate::knowledge::model::{EditorialItem, Placement};
use crate::ui::Loaded;
use crate::ui::format_date_nl;

#[component]
pub fn EditorialDashboardPage() -> impl IntoView {
    let items = Resource::new(|| (), |_| editorial_overview());
    view! {
        <Title text="Redactie"/>
        <Loaded resource=items let:items><OwnerGroups items/></Loaded>
    }
}

#[component]
fn OwnerGroups(items: Vec<EditorialItem>) -> impl IntoView {
    use crate::knowledge::model::WorkflowState;
    let overdue = items.iter().filter(|i| i.overdue).count();
    let in_review = items
        .iter()
        .filter(|i| i.state == WorkflowState::InReview)
        .count();
    let drafts = items
        .iter()
        .filter(|i| i.state == WorkflowState::Draft)
        .count();
    let mut by_owner: BTreeMap<String, Vec<EditorialItem>> = BTreeMap::new();
    for item in items {
        by_owner.entry(item.owner.clone()).or_default().push(item);
    }
    // Owners with overdue documents first; the service already ordered each owner's list.
    let mut groups: Vec<(String, Vec<EditorialItem>)> = by_owner.into_iter().collect();
    groups.sort_by_key(|(_, items)| !items.iter().any(|i| i.overdue));
    view! {
        <header class="page-header">
            <h1>"Redactie"</h1>
            <p class="lead">
                "Alle factsheets, cursussen en modules per eigenaar. Documenten waarvan de controledatum verstreken is staan bovenaan."
            </p>
            <p><A href="/redactie/nieuw" attr:class="button">"Nieuwe factsheet"</A></p>
        </header>
        <ul class="dashboard-counts">
            <li>{format!("Ter beoordeling: {in_review}")}</li>
            <li>{format!("Concepten: {drafts}")}</li>
        </ul>
        <p class="notice" role="status">
            {match overdue {
                0 => "Alle documenten zijn op tijd gecontroleerd.".to_owned(),
                1 => "1 document wacht op controle.".to_owned(),
                n => format!("{n} documenten wachten op controle."),
            }}
        </p>
        {groups
            .into_iter()
            .map(|(owner, items)| {
                view! {
                    <section class="owner-group">
                        <h2>{owner}</h2>
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Document"</th>
                                    <th scope="col">"Soort"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Laatst gecontroleerd"</th>
                                    <th scope="col">"Volgende controle"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {items
                                    .into_iter()
                                    .map(|item| {
                                        let href = format!("/redactie/documenten/{}", item.slug);
                                        let add_module = (item.placement == Placement::Course).then(|| {
                                            let href = format!("/redactie/nieuw?cursus={}", item.slug);
                                            view! { " " <A href=href attr:class="small-link">"+ module"</A> }
                                        });
                                        let kind = match &item.placement {
                                            Placement::Module { course, position } => format!("Module {position} van {course}"),
                                            other => other.label().to_owned(),
                                        };
                                        view! {
                                            <tr class:overdue=item.overdue>
                                                <td><A href=href>{item.title}</A>{add_module}</td>
                                                <td>{kind}</td>
                                                <td>{item.state.label()}</td>
                                                <td>{format_date_nl(item.reviewed_on)}</td>
                                                <td>
                                                    {format_date_nl(item.review_due)}
                                                    {item.overdue.then(|| view! { <strong class="badge">" verlopen"</strong> })}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </section>
                }
            })
            .collect_view()}
    }
}
