//! The editors' overview (`/redactie`): every document by owner, overdue reviews first.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::knowledge::api::documents::editorial_overview;
use leptos_router::hooks::use_query_map;

use crate::knowledge::model::{EditorialItem, EditorialOverviewPage, Placement};
use crate::ui::format_date_nl;
use crate::ui::{DataTable, Loaded, Pager};

pub const EDITORIAL_PAGE_PARAM: &str = "pagina";

#[component]
pub fn EditorialDashboardPage() -> impl IntoView {
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get(EDITORIAL_PAGE_PARAM)
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
    });
    let overview = Resource::new(move || page.get(), |page| editorial_overview(Some(page)));
    view! {
        <Title text="Redactie"/>
        <Loaded resource=overview let:overview><OwnerGroups overview/></Loaded>
    }
}

#[component]
fn OwnerGroups(overview: EditorialOverviewPage) -> impl IntoView {
    let EditorialOverviewPage {
        items,
        awaiting_approval,
        course_titles,
        overdue,
        in_review,
        drafts,
        page,
        page_count,
        backlog,
        owners_without_mailbox,
    } = overview;
    // Modules are named after their course's title, not its slug.
    let course_titles: BTreeMap<String, String> = course_titles.into_iter().collect();
    let kind_of = |placement: &Placement| match placement {
        Placement::Module { course, position } => format!(
            "Module {position} van {}",
            course_titles
                .get(course)
                .map_or(course.as_str(), String::as_str)
        ),
        other => other.label().to_owned(),
    };
    let waiting: Vec<(EditorialItem, String)> = awaiting_approval
        .into_iter()
        .map(|item| {
            let kind = kind_of(&item.placement);
            (item, kind)
        })
        .collect();
    // The service ordered the page owner by owner; group consecutive rows.
    let mut groups: Vec<(String, Vec<(EditorialItem, String)>)> = Vec::new();
    for item in items {
        let kind = kind_of(&item.placement);
        match groups.last_mut() {
            Some((owner, rows)) if *owner == item.owner => rows.push((item, kind)),
            _ => groups.push((item.owner.clone(), vec![(item, kind)])),
        }
    }
    view! {
        <header class="page-header">
            <h1>"Redactie"</h1>
            <p class="lead">
                "Eerst wat op goedkeuring wacht; daarna alle factsheets, cursussen en modules per eigenaar, met bovenaan de documenten waarvan de controledatum verstreken is."
            </p>
            <p class="actions">
                <A href="/redactie/nieuw" attr:class="button">"Nieuwe factsheet"</A>
                " "
                <A href="/redactie/nieuw?soort=training" attr:class="button secondary">"Nieuwe training"</A>
                " "
                <A href="/redactie/themas" attr:class="button secondary">"Thema's uit de praktijk"</A>
            </p>
        </header>
        <section class="backlog-overview" aria-labelledby="gewenst-titel">
            <h2 id="gewenst-titel">{format!("Gewenste factsheets ({})", backlog.len())}</h2>
            {if backlog.is_empty() {
                view! { <p>"Er staat geen gewenste factsheet open. Nieuwe komen uit de thema's die professionals in intervisie inbrengen."</p> }.into_any()
            } else {
                view! {
                    <ul class="waiting-list">
                        {backlog
                            .into_iter()
                            .map(|item| {
                                let href = format!("/redactie/themas#gewenst-{}", item.id);
                                view! {
                                    <li>
                                        <A href=href>{item.title}</A>
                                        {format!(" · {} · {}", item.theme.label(), item.status.label())}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
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
        {(!owners_without_mailbox.is_empty()).then(|| view! {
            <p class="meta">
                {format!(
                    "Geen postbus bekend (content/owners.yaml), dus geen herinneringen voor: {}.",
                    owners_without_mailbox.join(", ")
                )}
            </p>
        })}
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
                                                        {item.reminded.map(|(kind, on)| view! {
                                                            <span class="meta">{format!(" · {} op {}", kind.label().to_lowercase(), format_date_nl(on))}</span>
                                                        })}
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
        <Pager page page_count href=|page| format!("/redactie?{EDITORIAL_PAGE_PARAM}={page}")/>
    }
}
