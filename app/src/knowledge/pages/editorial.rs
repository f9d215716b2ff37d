//! The editors' overview (`/redactie`): every document by owner, overdue reviews first.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::knowledge::api::documents::editorial_overview;
use crate::knowledge::model::{EditorialItem, Placement};
use crate::ui::format_date_nl;
use crate::ui::{DataTable, Loaded};

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
    // Modules are named after their course's title, not its slug.
    let course_titles: BTreeMap<String, String> = items
        .iter()
        .filter(|i| i.placement == Placement::Course)
        .map(|i| (i.slug.clone(), i.title.clone()))
        .collect();
    let kind_of = |placement: &Placement| match placement {
        Placement::Module { course, position } => format!(
            "Module {position} van {}",
            course_titles
                .get(course)
                .map_or(course.as_str(), String::as_str)
        ),
        other => other.label().to_owned(),
    };
    let items: Vec<(EditorialItem, String)> = items
        .into_iter()
        .map(|item| {
            let kind = kind_of(&item.placement);
            (item, kind)
        })
        .collect();
    let waiting: Vec<(EditorialItem, String)> = items
        .iter()
        .filter(|(i, _)| i.state == WorkflowState::InReview)
        .cloned()
        .collect();
    let mut by_owner: BTreeMap<String, Vec<(EditorialItem, String)>> = BTreeMap::new();
    for item in items {
        by_owner.entry(item.0.owner.clone()).or_default().push(item);
    }
    // Owners with overdue documents first; the service already ordered each owner's list.
    let mut groups: Vec<(String, Vec<(EditorialItem, String)>)> = by_owner.into_iter().collect();
    groups.sort_by_key(|(_, items)| !items.iter().any(|(i, _)| i.overdue));
    view! {
        <header class="page-header">
            <h1>"Redactie"</h1>
            <p class="lead">
                "Eerst wat op goedkeuring wacht; daarna alle factsheets, cursussen en modules per eigenaar, met bovenaan de documenten waarvan de controledatum verstreken is."
            </p>
            <p><A href="/redactie/nieuw" attr:class="button">"Nieuwe factsheet"</A></p>
        </header>
        <section class="awaiting-approval" aria-labelledby="goedkeuring-titel">
            <h2 id="goedkeuring-titel">{format!("Wacht op goedkeuring ({in_review})")}</h2>
            {if waiting.is_empty() {
                view! { <p>"Er wacht niets op goedkeuring."</p> }.into_any()
            } else {
                view! {
                    <ul class="waiting-list">
                        {waiting
                            .into_iter()
                            .map(|(item, kind)| {
                                let href = format!("/redactie/documenten/{}", item.slug);
                                view! {
                                    <li>
                                        <A href=href>{item.title}</A>
                                        {format!(" · {kind} · {}", item.owner)}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <ul class="dashboard-counts">
            <li>{format!("Concepten: {drafts}")}</li>
        </ul>
        <p class="notice" role="status">
            {match overdue {
                0 => "Alle documenten zijn op tijd gecontroleerd.".to_owned(),
                1 => "Bij 1 document is de controledatum verstreken: lees het na en werk de datum bij.".to_owned(),
                n => format!("Bij {n} documenten is de controledatum verstreken: lees ze na en werk de datum bij."),
            }}
        </p>
        {groups
            .into_iter()
            .map(|(owner, items)| {
                view! {
                    <section class="owner-group">
                        <h2>{owner}</h2>
                        <DataTable
                            label="Documenten van dit team"
                            columns=&["Document", "Soort", "Status", "Laatst gecontroleerd", "Volgende controle"]
                        >
                                    {items
                                        .into_iter()
                                        .map(|(item, kind)| {
                                            let href = format!("/redactie/documenten/{}", item.slug);
                                            let add_module = (item.placement == Placement::Course).then(|| {
                                                let href = format!("/redactie/nieuw?cursus={}", item.slug);
                                                view! { " " <A href=href attr:class="small-link">"+ module"</A> }
                                            });
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
                        </DataTable>
                    </section>
                }
            })
            .collect_view()}
    }
}
