//! `/beheer/rapportage`: the reports for one year, per part of the platform. Each table is
//! shown with its chart (server-drawn SVG) beside it and a CSV download with the same cells.
//! The year is chosen with a plain GET form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::identity::pages::AdminNav;
use crate::reports::api::get_reports;
use crate::reports::model::{
    REPORTS_KEPT_MINUTES, ReportSection, ReportTable, ReportsOverview, YEAR_PARAM,
};
use crate::ui::{BarChart, Loaded, WideTable};

#[component]
pub fn ReportsPage() -> impl IntoView {
    let query = use_query_map();
    let year = Memo::new(move |_| {
        query
            .read()
            .get(YEAR_PARAM)
            .and_then(|y| y.parse::<i32>().ok())
    });
    let overview = Resource::new(move || year.get(), get_reports);
    view! {
        <Title text="Rapportage"/>
        <AdminNav current="/beheer/rapportage"/>
        <Loaded resource=overview let:overview><Reports overview/></Loaded>
    }
}

#[component]
fn Reports(overview: ReportsOverview) -> impl IntoView {
    let ReportsOverview {
        year,
        years,
        tables,
        counted_at,
    } = overview;
    let section = |wanted: ReportSection, title: &'static str, id: &'static str| {
        let tables: Vec<ReportTable> = tables
            .iter()
            .filter(|t| t.kind.section() == wanted)
            .cloned()
            .collect();
        view! {
            <section aria-labelledby=id class="report-section">
                <h2 id=id>{title}</h2>
                {tables
                    .into_iter()
                    .map(|table| view! { <Report table year/> })
                    .collect_view()}
            </section>
        }
    };
    view! {
        <header class="page-header">
            <h1>{format!("Rapportage {year}")}</h1>
            <p class="lead">
                "Wat er gebeurt in trainingen, intervisie en kennis, in aantallen en percentages; nooit wie. "
                "Een aantal van 1 tot en met 4 staat er als “< 5”, en waar nodig zijn meer vakken verborgen (“x”), "
                "zodat geen klein aantal uit de totalen terug te rekenen is; een percentage of gemiddelde staat er alleen "
                "als de aantallen waarop het rust getoond mogen worden. De CSV-bestanden tonen precies hetzelfde."
            </p>
            <p class="meta">{format!("Geteld op {counted_at}; de cijfers worden hoogstens elke {REPORTS_KEPT_MINUTES} minuten opnieuw geteld.")}</p>
        </header>
        <form method="get" action="/beheer/rapportage" class="filters">
            <div class="field">
                <label for="jaar">"Jaar"</label>
                <select id="jaar" name=YEAR_PARAM>
                    {years
                        .into_iter()
                        .map(|y| view! { <option value=y.to_string() selected=y == year>{y.to_string()}</option> })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button secondary">"Toon"</button>
        </form>
        {section(ReportSection::Trainings, "Trainingen", "rapportage-trainingen")}
        {section(ReportSection::Intervision, "Intervisie", "rapportage-intervisie")}
        {section(ReportSection::Knowledge, "Kennis", "rapportage-kennis")}
    }
}

#[component]
fn Report(table: ReportTable, year: i32) -> impl IntoView {
    let title = table.kind.label();
    let slug = table.kind.slug();
    let chart = table.chart();
    let headings = table.headings();
    let shown_rows = table.shown_rows();
    let totals = table.shown_totals();
    let counts = table.counts().is_some();
    let ReportTable {
        row_heading,
        rows,
        note,
        ..
    } = table;
    let empty = rows.is_empty();
    // In a table of counts the last column is the row's total.
    let last = headings.len().saturating_sub(1);
    let cell_class = move |c: usize| {
        if counts && c == last {
            "number total"
        } else {
            "number"
        }
    };
    let body = rows
        .into_iter()
        .zip(shown_rows)
        .map(|(label, cells)| {
            view! {
                <tr>
                    <th scope="row">{label}</th>
                    {cells.into_iter().enumerate().map(|(c, cell)| view! { <td class=cell_class(c)>{cell}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="report">
            <h3 id=format!("tabel-{slug}")>{title}</h3>
            <p class="meta">{note}</p>
            {if empty {
                view! { <p>"Geen gegevens in dit jaar."</p> }.into_any()
            } else {
                view! {
                    {chart.map(|(what, values)| view! {
                        <BarChart title=format!("{title}, {what} (staafdiagram van de tabel hieronder)") values/>
                    })}
                    <WideTable label=title>
                        <table class="data-table">
                            <caption>{format!("{title}, {year}")}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{row_heading}</th>
                                    {headings.into_iter().map(|c| view! { <th scope="col" class="number">{c}</th> }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>{body}</tbody>
                            {totals.map(|totals| view! {
                                <tfoot>
                                    <tr>
                                        <th scope="row">"Totaal"</th>
                                        {totals.into_iter().enumerate().map(|(c, cell)| view! { <td class=cell_class(c)>{cell}</td> }).collect_view()}
                                    </tr>
                                </tfoot>
                            })}
                        </table>
                    </WideTable>
                }.into_any()
            }}
            <p><a href=format!("/beheer/rapportage/{slug}.csv?{YEAR_PARAM}={year}") download="">
                {format!("{title} als CSV (voor Excel)")}
            </a></p>
        </div>
    }
}
