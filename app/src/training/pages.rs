//! Training pages: the catalogue, one training with its runs and the enrolment form, one's own
//! trainings, and a run's page for its trainers. No islands: every action is a plain form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::paths::login_href;
use crate::training::api::{
    TrainingNotice, cancellation_of, get_run_editor, get_run_roster, get_session_register,
    get_training, list_trainings, my_runs, my_trainings, people_search, runs_overview,
    verify_certificate,
};
use crate::training::model::facts::{IntakeKind, tenths_nl};
use crate::training::model::{
    AttendanceSheet, CertificateSummary, EnrolmentStatus, MyEnrolment, MyTraining, RegisterRow,
    RosterEntry, RunCompletion, RunEditor, RunRegister, RunRoster, RunView, RunsOverview, RunsPage,
    RunsShown, SessionPresence, SessionView, TrainerRun, TrainingDetail, TrainingSummary,
    VerifiedCertificate,
};
use crate::training::rules::{EVALUATION_QUESTIONS, RECORDS_KEPT_YEARS, certificates_nl};
use crate::ui::{
    CheckboxGroup, DataTable, ErrorSummary, FieldError, Loaded, Outcome, SelectField,
    SubmitOnChange, TextArea, TextField, WideTable, format_date_nl, format_datetime_nl,
};
use crate::vocabulary::{Phenomenon, WorkField};

pub const PHENOMENON_PARAM: &str = "fenomeen";
pub const AUDIENCE_PARAM: &str = "doelgroep";
pub const MONTH_PARAM: &str = "maand";

#[component]
pub fn TrainingIndexPage() -> impl IntoView {
    let query = use_query_map();
    let (phenomenon, audience, month) = query.with_untracked(|q| {
        (
            q.get(PHENOMENON_PARAM).unwrap_or_default(),
            q.get(AUDIENCE_PARAM).unwrap_or_default(),
            q.get(MONTH_PARAM).unwrap_or_default(),
        )
    });
    let filters = (phenomenon.clone(), audience.clone(), month.clone());
    let trainings = Resource::new(
        move || filters.clone(),
        |(phenomenon, audience, month)| {
            let some = |text: String| (!text.is_empty()).then_some(text);
            list_trainings(some(phenomenon), some(audience), some(month))
        },
    );
    let options = |pairs: Vec<(&'static str, &'static str)>| {
        pairs
            .into_iter()
            .map(|(slug, label)| (slug.to_owned(), label.to_owned()))
            .collect::<Vec<_>>()
    };
    view! {
        <Title text="Trainingen"/>
        <header class="page-header">
            <h1>"Trainingen"</h1>
            <p class="lead">
                "Specialistische verdiepingstrainingen voor professionals die al met casuïstiek rond "
                "radicalisering en extremisme werken: kleine groepen, een paar bijeenkomsten, met accreditatie."
            </p>
            <p><a href="/mijn/trainingen" class="button secondary">"Mijn trainingen"</a></p>
        </header>
        <form class="filters" method="get" action="/trainingen" aria-label="Trainingen filteren">
            <SelectField
                field=PHENOMENON_PARAM
                name=PHENOMENON_PARAM
                label="Fenomeen"
                options=options(Phenomenon::ALL.map(|p| (p.slug(), p.label())).to_vec())
                selected=phenomenon
                error=None
                placeholder="Alle fenomenen"
            />
            <SelectField
                field=AUDIENCE_PARAM
                name=AUDIENCE_PARAM
                label="Werkterrein"
                options=options(WorkField::AUDIENCES.map(|a| (a.slug(), a.label())).to_vec())
                selected=audience
                error=None
                placeholder="Alle werkterreinen"
            />
            <TextField
                field=MONTH_PARAM
                name=MONTH_PARAM
                label="Maand van de eerste bijeenkomst"
                value=month
                error=None
                kind="month"
                hint="Bijvoorbeeld 2027-03"
            />
            <button type="submit" class="button secondary">"Filter toepassen"</button>
        </form>
        <Loaded resource=trainings let:trainings>
            <TrainingList trainings/>
        </Loaded>
    }
}

#[component]
fn TrainingList(trainings: Vec<TrainingSummary>) -> impl IntoView {
    if trainings.is_empty() {
        return view! {
            <p class="notice" role="status">
                "Geen trainingen gevonden met deze filters. "
                <a href="/trainingen">"Alle filters wissen"</a>
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="cards training-list">
            {trainings
                .into_iter()
                .map(|training| {
                    let href = format!("/trainingen/{}", training.slug);
                    view! {
                        <li class="card">
                            <h2><a href=href>{training.title}</a></h2>
                            <p>{training.summary}</p>
                            <p class="meta">{format!("{} contacturen", tenths_nl(training.hours))}</p>
                            {if training.runs.is_empty() {
                                view! { <p class="meta">"Nog geen uitvoeringen gepland."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="run-list">
                                        {training
                                            .runs
                                            .into_iter()
                                            .map(|run| view! { <li>{run_line(&run)}</li> })
                                            .collect_view()}
                                    </ul>
                                }
                                .into_any()
                            }}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// "Start 4 maart 2027, Utrecht — nog 3 plaatsen · inschrijving sluit 15 februari 2027"
fn run_line(run: &RunView) -> String {
    match run.sessions.first() {
        Some(first) => format!(
            "Start {}, {} — {}",
            format_date_nl(first.date),
            first.location,
            run.availability
        ),
        None => run.availability.clone(),
    }
}

#[component]
pub fn TrainingPage() -> impl IntoView {
    let params = use_params_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    let training = Resource::new(move || slug.clone(), get_training);
    view! {
        <Loaded resource=training let:loaded>
            <TrainingArticle training=loaded.0 notice=loaded.1/>
        </Loaded>
    }
}

#[component]
fn TrainingArticle(training: TrainingDetail, notice: Option<TrainingNotice>) -> impl IntoView {
    let TrainingDetail {
        slug,
        title,
        summary,
        body_html,
        facts,
        preparation_title,
        runs,
        logged_in,
        can_add_run,
        ..
    } = training;
    let add_run = can_add_run.then(|| {
        view! { <p><a href=format!("/trainingen/{slug}/nieuwe-uitvoering") class="button secondary">"Uitvoering toevoegen"</a></p> }
    });
    let accreditation = facts
        .accreditation
        .iter()
        .map(|a| format!("{}: {} punten", a.register, tenths_nl(a.points)))
        .collect::<Vec<_>>();
    let preparation = facts.preparation.clone().map(|course| {
        let title = preparation_title.unwrap_or_else(|| course.clone());
        view! {
            <dt>"Voorbereiding"</dt>
            <dd>"Rond vooraf de cursus " <a href=format!("/modules/{course}")>{title}</a> " af."</dd>
        }
    });
    let runs_view = runs
        .into_iter()
        .map(|run| {
            let notice = notice.clone().filter(|n| n.run == run.code);
            view! { <RunSection slug=slug.clone() run logged_in facts=facts.clone() notice/> }
        })
        .collect_view();
    view! {
        <Title text=title.clone()/>
        <article class="training">
            <header class="page-header">
                <p class="eyebrow"><a href="/trainingen">"Trainingen"</a></p>
                <h1>{title}</h1>
                <p class="lead">{summary}</p>
            </header>
            <dl class="facts">
                <dt>"Contacturen"</dt>
                <dd>{tenths_nl(facts.hours)}</dd>
                <dt>"Voor wie"</dt>
                <dd>{facts.prerequisites.clone()}</dd>
                <dt>"Accreditatie"</dt>
                <dd>{if accreditation.is_empty() { "Geen".to_owned() } else { accreditation.join(" · ") }}</dd>
                {preparation}
                <dt>"Uitvoeringen"</dt>
                <dd><a href="#uitvoeringen-titel">"Data, plaatsen en inschrijven"</a></dd>
                <dt>"Aanmelden"</dt>
                <dd>{if facts.approval {
                    "Na een korte intake; de trainers beoordelen elke aanvraag."
                } else {
                    "Direct: vol is wachtlijst, en een vrijgekomen plaats wordt u vanzelf aangeboden."
                }}</dd>
            </dl>
            <div class="document-body" inner_html=body_html></div>
            <section class="runs" aria-labelledby="uitvoeringen-titel">
                <h2 id="uitvoeringen-titel">"Uitvoeringen"</h2>
                {add_run}
                {runs_view}
            </section>
        </article>
    }
}

#[component]
fn RunSection(
    slug: String,
    run: RunView,
    logged_in: bool,
    facts: crate::training::model::facts::TrainingFacts,
    notice: Option<TrainingNotice>,
) -> impl IntoView {
    let heading_id = format!("uitvoering-{}-titel", run.code);
    let action = format!("/trainingen/{slug}/{}/inschrijven", run.code);
    let manage = run
        .manages
        .then(|| view! { <p class="no-print"><a href=format!("/trainingen/{slug}/{}/beheer", run.code)>"Deelnemers en aanvragen beheren"</a></p> });
    let answers = notice
        .as_ref()
        .map(|n| n.answers.clone())
        .unwrap_or_default();
    let field_errors = notice
        .as_ref()
        .map(|n| n.field_errors.clone())
        .unwrap_or_default();
    let notice_view = notice.map(|n| outcome(n, Some(format!("fout-uitvoering-{}", run.code))));
    let enrol_form = run.can_enrol.then(|| {
        let questions = facts
            .intake
            .iter()
            .enumerate()
            .map(|(index, question)| {
                let id = format!("intake-{}-{}", run.code, index + 1);
                let typed = answers.get(index).cloned().unwrap_or_default();
                let name = crate::training::rules::intake_field_name(index);
                let error = field_errors.get(&name).cloned();
                intake_field(
                    IntakeInput {
                        id,
                        name,
                        question: question.question.clone(),
                        typed,
                        error,
                    },
                    &question.kind,
                )
            })
            .collect_view();
        let summary: Vec<(String, String)> = facts
            .intake
            .iter()
            .enumerate()
            .filter_map(|(index, _)| {
                let message =
                    field_errors.get(&crate::training::rules::intake_field_name(index))?;
                Some((
                    format!("intake-{}-{}", run.code, index + 1),
                    message.clone(),
                ))
            })
            .collect();
        let button = if facts.approval {
            "Aanvraag versturen"
        } else {
            "Inschrijven"
        };
        view! {
            <form method="post" action=action class="enrol-form">
                <ErrorSummary items=summary/>
                {(!facts.intake.is_empty()).then(|| view! {
                    <fieldset>
                        <legend>"Intake"</legend>
                        {questions}
                    </fieldset>
                })}
                <button type="submit" class="button">{button}</button>
            </form>
        }
    });
    view! {
        <section class="run" id=format!("uitvoering-{}", run.code) aria-labelledby=heading_id.clone()>
            <h3 id=heading_id.clone()>{format!("Uitvoering {}", run.code)}</h3>
            <p class="availability">{run.availability.clone()}</p>
            {notice_view}
            <Sessions sessions=run.sessions.clone() label=format!("Bijeenkomsten van uitvoering {}", run.code)/>
            <p><a href=format!("/trainingen/{slug}/{}/agenda.ics", run.code) download>"Bijeenkomsten in uw agenda (.ics)"</a></p>
            {run.mine.clone().filter(|m| m.status.is_active() || m.status == EnrolmentStatus::Rejected).map(|mine| view! {
                <p class="my-status"><strong>"Uw inschrijving: "</strong>{status_text(&mine)}
                    " " <a href="/mijn/trainingen">"Naar Mijn trainingen"</a></p>
            })}
            {enrol_form}
            {(run.can_enrol && !logged_in).then(|| view! {
                <p class="field-hint no-print">
                    "U logt eerst in; daarna komt u hier terug. "
                    <a href=login_href(&format!("/trainingen/{slug}"))>"Inloggen"</a>
                </p>
            })}
            {manage}
        </section>
    }
}

/// One intake question as the form shows it: its field, what was typed, and the refusal.
struct IntakeInput {
    id: String,
    /// `antwoord_<n>` (radio groups need a name of their own).
    name: String,
    question: String,
    typed: String,
    error: Option<String>,
}

/// One intake question, with its Dutch refusal under it when there is one.
fn intake_field(input: IntakeInput, kind: &IntakeKind) -> AnyView {
    let IntakeInput {
        id,
        name,
        question,
        typed,
        error,
    } = input;
    let error_id = format!("{id}-fout");
    let described = error.as_ref().map(|_| error_id.clone());
    let invalid = error.as_ref().map(|_| "true");
    let message = view! { <FieldError id=error_id message=error/> };
    match kind {
        IntakeKind::Text => view! {
            <div class="field">
                <label for=id.clone()>{question}</label>
                {message}
                <textarea id=id name=name rows="3" maxlength="1000" required
                    aria-describedby=described aria-invalid=invalid>{typed}</textarea>
            </div>
        }
        .into_any(),
        IntakeKind::YesNo => view! {
            <fieldset class="field" id=id.clone() aria-describedby=described>
                <legend>{question}</legend>
                {message}
                {["ja", "nee"].map(|value| {
                    let option_id = format!("{id}-{value}");
                    view! {
                        <label for=option_id.clone() class="radio">
                            <input type="radio" id=option_id.clone() name=name.clone() value=value required checked=typed == value/>
                            {if value == "ja" { "Ja" } else { "Nee" }}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        }
        .into_any(),
        IntakeKind::Choice(options) => view! {
            <div class="field">
                <label for=id.clone()>{question}</label>
                {message}
                <select id=id name=name required aria-describedby=described aria-invalid=invalid>
                    <option value="" selected=typed.is_empty()>"Kies…"</option>
                    {options.iter().map(|option| {
                        let selected = typed == *option;
                        view! { <option value=option.clone() selected=selected>{option.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
        .into_any(),
    }
}

/// A form post's outcome on a training page.
fn outcome(notice: TrainingNotice, id: Option<String>) -> AnyView {
    view! { <Outcome success=notice.outcome.success message=notice.outcome.message id/> }.into_any()
}

fn status_text(mine: &MyEnrolment) -> String {
    match (
        mine.status,
        mine.waitlist_position,
        mine.offer_expires_at,
        &mine.rejection_reason,
    ) {
        (EnrolmentStatus::Waitlisted, Some(position), _, _) => {
            format!("op de wachtlijst, plaats {position}")
        }
        (EnrolmentStatus::Offered, _, Some(deadline), _) => {
            format!(
                "er staat een plaats voor u klaar; neem haar aan vóór {}",
                format_datetime_nl(deadline)
            )
        }
        (EnrolmentStatus::Rejected, _, _, Some(reason)) => format!("afgewezen: {reason}"),
        (status, ..) => status.label().to_lowercase(),
    }
}

/// `label` names the table uniquely on its page (several runs, several tables).
#[component]
fn Sessions(sessions: Vec<SessionView>, label: String) -> impl IntoView {
    view! {
        <DataTable label=label columns=&["Datum", "Tijd", "Plaats"]>
            {sessions
                .into_iter()
                .map(|session| {
                    let place = match session.online_link {
                        Some(link) => view! { <a href=link rel="noopener">{session.location}</a> }.into_any(),
                        None => session.location.into_any(),
                    };
                    view! {
                        <tr>
                            <td>{format_date_nl(session.date)}</td>
                            <td>{format!("{}–{}", session.starts_at, session.ends_at)}</td>
                            <td>{place}</td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}

pub const TRAINING_PARAM: &str = "training";
pub const SHOWN_PARAM: &str = "toon";
pub const PAGE_PARAM: &str = "pagina";

/// `/beheer/trainingen`: every run for the coordinators, with this week's sessions; filtered
/// and paged by plain links and a GET form.
#[component]
pub fn RunsOverviewPage() -> impl IntoView {
    let query = use_query_map();
    let (training, shown, page) = query.with_untracked(|q| {
        (
            q.get(TRAINING_PARAM).unwrap_or_default(),
            q.get(SHOWN_PARAM).unwrap_or_default(),
            q.get(PAGE_PARAM).and_then(|p| p.parse::<u64>().ok()),
        )
    });
    let asked = (training.clone(), shown.clone(), page);
    let overview = Resource::new(
        move || asked.clone(),
        |(training, shown, page)| runs_overview(Some(training), Some(shown), page),
    );
    view! {
        <Title text="Trainingen beheren"/>
        <crate::identity::pages::AdminNav current="/beheer/trainingen"/>
        <header class="page-header">
            <h1>"Trainingen beheren"</h1>
            <p class="lead">"Elke uitvoering: hoe vol, wat wacht, late afmeldingen en niet verschenen, en de bijeenkomsten van deze week."</p>
        </header>
        <Loaded resource=overview let:overview>
            <RunsOverviewView overview training=training.clone() shown=shown.clone()/>
        </Loaded>
    }
}

/// `/beheer/trainingen/personen`: find a person by name or organisation and see their
/// enrolments and certificates; from there a certificate is checked or revoked, issued on its
/// run's page, or the person enrolled on their behalf.
#[component]
pub fn PeopleSearchPage() -> impl IntoView {
    let query = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let asked = query.clone();
    let found = Resource::new(move || asked.clone(), |q| people_search(Some(q)));
    view! {
        <Title text="Deelnemers zoeken"/>
        <crate::identity::pages::AdminNav current="/beheer/trainingen/personen"/>
        <header class="page-header">
            <h1>"Deelnemers zoeken"</h1>
            <p class="lead">"Op naam of organisatie: de inschrijvingen en certificaten van een persoon, en iemand inschrijven namens hem of haar."</p>
        </header>
        <form method="get" action="/beheer/trainingen/personen" class="filters" role="search">
            <div class="field">
                <label for="personen-q">"Naam of organisatie"</label>
                <input id="personen-q" name="q" type="search" value=query.clone() minlength="2" autocomplete="off"/>
            </div>
            <button type="submit" class="button">"Zoeken"</button>
        </form>
        <Loaded resource=found let:search>
            <PeopleFound search/>
        </Loaded>
    }
}

#[component]
fn PeopleFound(search: crate::training::model::PeopleSearch) -> impl IntoView {
    use crate::training::model::PEOPLE_QUERY_MIN;
    if search.query.chars().count() < PEOPLE_QUERY_MIN {
        return view! { <p>"Typ minstens twee letters van een naam of organisatie."</p> }
            .into_any();
    }
    if search.people.is_empty() {
        return view! { <p role="status">{format!("Niemand gevonden met \u{201c}{}\u{201d}.", search.query)}</p> }.into_any();
    }
    let count = search.people.len();
    let heading = if search.more {
        format!(
            "De eerste {count} gevonden personen; maak de zoekopdracht preciezer om anderen te vinden."
        )
    } else if count == 1 {
        "1 persoon gevonden.".to_owned()
    } else {
        format!("{count} personen gevonden.")
    };
    let query = search.query.clone();
    let runs = search.open_runs.clone();
    let notice = search.notice.clone();
    view! {
        <p role="status">{heading}</p>
        {search.people.into_iter().map(|person| {
            let notice = notice.clone().filter(|n| n.user_id == person.user_id);
            view! { <PersonCard person runs=runs.clone() query=query.clone() notice/> }
        }).collect_view()}
    }
    .into_any()
}

#[component]
fn PersonCard(
    person: crate::training::model::PersonRecord,
    runs: Vec<(String, String)>,
    query: String,
    notice: Option<crate::training::model::OnBehalfNotice>,
) -> impl IntoView {
    let id = format!("persoon-{}", person.user_id);
    let heading_id = format!("{id}-naam");
    let notice = notice.unwrap_or_default();
    let error = |field: &str| notice.errors.get(field).cloned();
    let enrolments = person
        .enrolments
        .iter()
        .map(|e| {
            let run_page = format!("/trainingen/{}/{}/beheer", e.training_slug, e.run_code);
            view! {
                <tr>
                    <td>{e.training_title.clone()}</td>
                    <td><a href=run_page.clone()>{e.run_code.clone()}</a></td>
                    <td>{e.status.label()}</td>
                    <td>{e.may_issue_certificate.then(|| view! {
                        <a href=format!("{run_page}#certificaat-uitgeven")>"Certificaat uitgeven"</a>
                    })}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let certificates = person
        .certificates
        .iter()
        .map(|c| view! {
            <tr>
                <td>{c.training_title.clone()}</td>
                <td>{c.dates.clone()}</td>
                <td>{if c.revoked { "Ingetrokken" } else { "Geldig" }}</td>
                <td><a href=format!("/certificaat/{}", c.code)>{format!("Controleren of intrekken ({})", c.code)}</a></td>
            </tr>
        })
        .collect::<Vec<_>>();
    let field_id = |name: &str| format!("{id}-{name}");
    view! {
        <section class="person" id=id.clone() aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{person.name.clone()}</h2>
            <p class="meta">{[person.organisation.clone(), person.work_field.map(|f| f.label().to_owned()).unwrap_or_default()]
                .into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" · ")}</p>
            {notice.outcome.clone().map(|outcome| view! { <Outcome success=outcome.success message=outcome.message/> })}
            {if enrolments.is_empty() {
                view! { <p>"Geen inschrijvingen."</p> }.into_any()
            } else {
                view! { <DataTable label=format!("Inschrijvingen van {}", person.name) columns=&["Training", "Uitvoering", "Status", "Certificaat"]>{enrolments}</DataTable> }.into_any()
            }}
            {(!certificates.is_empty()).then(|| view! {
                <DataTable label=format!("Certificaten van {}", person.name) columns=&["Training", "Data", "Status", "Code"]>{certificates}</DataTable>
            })}
            <details class="on-behalf" open=!notice.errors.is_empty()>
                <summary>{format!("{} inschrijven voor een uitvoering", person.name)}</summary>
                <form method="post" action=format!("/beheer/trainingen/personen/{}/inschrijven", person.user_id) class="settings-form">
                    <input type="hidden" name="q" value=query/>
                    <SelectField field="uitvoering" id=field_id("uitvoering") name="uitvoering" label="Uitvoering"
                        options=runs selected=notice.run.clone() error=error("uitvoering") placeholder="Kies…"/>
                    <TextArea field="reden" id=field_id("reden") name="reden" label="Reden (komt in de auditlog)"
                        value=notice.reason.clone() error=error("reden") rows=2/>
                    <p class="field-hint">"Zonder intake of goedkeuring; een plaats of de wachtlijst zoals voor ieder ander. De deelnemer krijgt bericht per e-mail."</p>
                    <button type="submit" class="button">"Inschrijven"</button>
                </form>
            </details>
        </section>
    }
}

#[component]
fn RunsOverviewView(overview: RunsOverview, training: String, shown: String) -> impl IntoView {
    let RunsOverview {
        runs,
        total,
        page,
        page_count,
        this_week,
        trainings,
    } = overview;
    let week = if this_week.is_empty() {
        view! { <p>"Vandaag en de komende zes dagen zijn er geen bijeenkomsten."</p> }.into_any()
    } else {
        view! {
            <ul class="week-sessions">
                {this_week
                    .into_iter()
                    .map(|s| {
                        let href = format!("/trainingen/{}/{}/beheer", s.training_slug, s.code);
                        view! {
                            <li>
                                {format!("{}, {}–{}: ", format_date_nl(s.date), s.starts_at, s.ends_at)}
                                <a href=href>{format!("{} · {}", s.training_title, s.code)}</a>
                                {format!(", {}", s.location)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let query_for = {
        let (training, shown) = (training.clone(), shown.clone());
        move |page: u64| {
            format!(
                "/beheer/trainingen?{TRAINING_PARAM}={}&{SHOWN_PARAM}={}&{PAGE_PARAM}={page}",
                crate::paths::encode_path(&training),
                crate::paths::encode_path(&shown)
            )
        }
    };
    let list = if runs.is_empty() {
        view! { <p>"Geen uitvoeringen onder dit filter."</p> }.into_any()
    } else {
        view! {
            <ul class="cards trainer-runs">
                {runs.into_iter().map(|run| view! { <TrainerRunCard run/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="deze-week">
            <h2 id="deze-week">"Vandaag en deze week"</h2>
            {week}
        </section>
        <section aria-labelledby="uitvoeringen-titel">
            <h2 id="uitvoeringen-titel">{format!("Uitvoeringen ({total})")}</h2>
            <form class="filters" method="get" action="/beheer/trainingen" aria-label="Uitvoeringen filteren">
                <SelectField
                    field=TRAINING_PARAM
                    name=TRAINING_PARAM
                    label="Training"
                    options=trainings
                    selected=training
                    error=None
                    placeholder="Alle trainingen"
                />
                <SelectField
                    field=SHOWN_PARAM
                    name=SHOWN_PARAM
                    label="Welke uitvoeringen"
                    options=RunsShown::ALL.iter().map(|s| (s.slug().to_owned(), s.label().to_owned())).collect()
                    selected=shown
                    error=None
                    placeholder="Alle uitvoeringen"
                />
                <button type="submit" class="button secondary">"Filter toepassen"</button>
            </form>
            {list}
            <crate::ui::Pager page page_count href=query_for/>
        </section>
    }
}

/// `/mijn/uitvoeringen`: the runs a trainer gives, current ones first.
#[component]
pub fn MyRunsPage() -> impl IntoView {
    let query = use_query_map();
    let page = query.with_untracked(|q| q.get(PAGE_PARAM).and_then(|p| p.parse::<u64>().ok()));
    let runs = Resource::new(move || page, my_runs);
    view! {
        <Title text="Mijn uitvoeringen"/>
        <header class="page-header">
            <h1>"Mijn uitvoeringen"</h1>
            <p class="lead">
                "De uitvoeringen die u geeft: hoe vol ze zijn, wat op u wacht en wanneer u weer lesgeeft. "
                "Uw eigen inschrijvingen staan op " <a href="/mijn/trainingen">"Mijn trainingen"</a> "."
            </p>
        </header>
        <Loaded resource=runs let:runs>
            <TrainerRunList runs/>
        </Loaded>
    }
}

#[component]
fn TrainerRunList(runs: RunsPage) -> impl IntoView {
    let RunsPage {
        runs,
        page,
        page_count,
        ..
    } = runs;
    if runs.is_empty() {
        return view! {
            <p>"U geeft op dit moment geen uitvoeringen. Een coördinator zet u als trainer bij een uitvoering; die staat dan hier."</p>
        }
        .into_any();
    }
    let (current, behind): (Vec<TrainerRun>, Vec<TrainerRun>) =
        runs.into_iter().partition(|run| run.stage.is_current());
    let section = |id: &'static str, title: &'static str, runs: Vec<TrainerRun>| {
        (!runs.is_empty()).then(|| {
            view! {
                <section aria-labelledby=id>
                    <h2 id=id>{title}</h2>
                    <ul class="cards trainer-runs">
                        {runs.into_iter().map(|run| view! { <TrainerRunCard run/> }).collect_view()}
                    </ul>
                </section>
            }
        })
    };
    view! {
        {section("komend", "Komend en bezig", current)}
        {section("afgelopen", "Afgelopen", behind)}
        <crate::ui::Pager page page_count href=|page| format!("/mijn/uitvoeringen?{PAGE_PARAM}={page}")/>
    }
    .into_any()
}

#[component]
fn TrainerRunCard(run: TrainerRun) -> impl IntoView {
    let href = format!("/trainingen/{}/{}/beheer", run.training_slug, run.code);
    let dates = match (run.first_date, run.last_date) {
        (Some(first), Some(last)) if first != last => {
            format!(
                "{} tot en met {}",
                format_date_nl(first),
                format_date_nl(last)
            )
        }
        (Some(first), _) => format_date_nl(first),
        _ => "Nog geen bijeenkomsten".to_owned(),
    };
    let waiting = match (run.requests, run.waitlisted) {
        (0, 0) => "Geen aanvragen en geen wachtlijst.".to_owned(),
        (0, waitlisted) => format!("Geen aanvragen; {waitlisted} op de wachtlijst."),
        (1, waitlisted) => {
            format!("1 aanvraag wacht op goedkeuring; {waitlisted} op de wachtlijst.")
        }
        (requests, waitlisted) => {
            format!("{requests} aanvragen wachten op goedkeuring; {waitlisted} op de wachtlijst.")
        }
    };
    let fill = run.fill_nl();
    let attention = match (run.late_cancellations, run.no_shows) {
        (0, 0) => None,
        (late, absent) => Some(format!(
            "Laat afgemeld: {late} · niet verschenen (keer): {absent}"
        )),
    };
    let next = run.next_session.map(|session| {
        format!(
            "Volgende bijeenkomst: {}, {}–{}, {}",
            format_date_nl(session.date),
            session.starts_at,
            session.ends_at,
            session.location
        )
    });
    view! {
        <li class="card">
            <h3><a href=href>{format!("{} · {}", run.training_title, run.code)}</a></h3>
            <p class="card-meta">{format!("{} · {dates}", run.stage.label())}</p>
            <p>{fill}</p>
            <p>{waiting}</p>
            {attention.map(|line| view! { <p>{line}</p> })}
            {next.map(|line| view! { <p>{line}</p> })}
        </li>
    }
}

#[component]
pub fn MyTrainingsPage() -> impl IntoView {
    let mine = Resource::new(|| (), |_| my_trainings());
    view! {
        <Title text="Mijn trainingen"/>
        <header class="page-header">
            <h1>"Mijn trainingen"</h1>
            <p class="lead">"Uw inschrijvingen, de wachtlijst en aangeboden plaatsen. Alleen u ziet deze pagina."</p>
        </header>
        <Loaded resource=mine let:loaded>
            <MyTrainingList trainings=loaded.0 notice=loaded.1 has_feed=loaded.2 certificates=loaded.3 gives_runs=loaded.4/>
        </Loaded>
    }
}

#[component]
fn MyTrainingList(
    trainings: Vec<MyTraining>,
    notice: Option<TrainingNotice>,
    has_feed: bool,
    certificates: Vec<CertificateSummary>,
    /// A trainer: an empty list is not an invitation to enrol.
    gives_runs: bool,
) -> impl IntoView {
    let notice_view = notice.clone().map(|n| outcome(n, None));
    let certificates = (!certificates.is_empty()).then(|| {
        let rows = certificates
            .into_iter()
            .map(|c| {
                let link = (!c.revoked).then(|| {
                    view! {
                        <a href=format!("/mijn/certificaten/{}.pdf", c.code) download>{format!("Certificaat {} (PDF)", c.training_title)}</a>
                        " · "
                        <a href=format!("/certificaat/{}", c.code)>"controlepagina"</a>
                    }
                });
                view! {
                    <tr>
                        <td>{c.training_title.clone()}</td>
                        <td>{c.dates}</td>
                        <td>{c.hours}</td>
                        <td>{if c.revoked { view! { <span>"Ingetrokken"</span> }.into_any() } else { link.into_any() }}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section id="certificaten" aria-labelledby="certificaten-titel">
                <h2 id="certificaten-titel">"Certificaten"</h2>
                <DataTable label="Mijn certificaten" columns=&["Training", "Data", "Uren", "Downloaden"]>{rows}</DataTable>
            </section>
        }
    });
    let list = if trainings.is_empty() {
        if gives_runs {
            view! {
                <p>
                    "U bent voor geen training ingeschreven als deelnemer. De uitvoeringen die u geeft staan op "
                    <a href="/mijn/uitvoeringen">"Mijn uitvoeringen"</a> "."
                </p>
            }
            .into_any()
        } else {
            view! { <p>"U heeft zich nog niet ingeschreven. " <a href="/trainingen">"Bekijk de trainingen"</a></p> }.into_any()
        }
    } else {
        // A refused evaluation comes back as typed in its own run's form.
        let kept = notice
            .as_ref()
            .filter(|n| !n.outcome.success && n.answers.len() == EVALUATION_QUESTIONS.len() + 1)
            .map(|n| (n.run.clone(), n.answers.clone()));
        trainings
            .into_iter()
            .map(|training| {
                let kept = kept
                    .as_ref()
                    .filter(|(run, _)| *run == training.run_code)
                    .map(|(_, answers)| answers.clone())
                    .unwrap_or_default();
                view! { <MyTrainingItem training kept/> }
            })
            .collect_view()
            .into_any()
    };
    view! {
        {notice_view}
        {certificates}
        {list}
        <section id="agenda" class="calendar-feed" aria-labelledby="agenda-titel">
            <h2 id="agenda-titel">"Agenda"</h2>
            <p>
                "Met een persoonlijke agenda-link ziet u de bijeenkomsten waarvoor u bent ingeschreven, en die "
                "van uw intervisiegroepen (als 'Intervisie', zonder naam of thema), in uw eigen agenda "
                "(Outlook, Google, Apple), ook als er iets verandert. De link is geheim: wie hem heeft, ziet "
                "uw trainingen. U kunt hem altijd intrekken."
            </p>
            <form method="post" action="/mijn/agenda" class="inline-actions">
                <button type="submit" class="button secondary">
                    {if has_feed { "Nieuwe agenda-link maken (de oude vervalt)" } else { "Agenda-link maken" }}
                </button>
            </form>
            {has_feed.then(|| view! {
                <form method="post" action="/mijn/agenda/intrekken" class="inline-actions">
                    <button type="submit" class="button secondary">"Agenda-link intrekken"</button>
                </form>
            })}
        </section>
    }
}

/// When cancelling stops being free, or that it already counts as a late cancellation.
fn cancellation_warning(training: &MyTraining) -> String {
    let until = training.free_cancellation_until.map(format_date_nl);
    match (training.cancellation_is_late, until) {
        (true, until) => format!(
            "Kosteloos afmelden kon tot en met {}; afmelden wordt nu vastgelegd als late afmelding.",
            until.unwrap_or_default()
        ),
        (false, Some(until)) if training.enrolment.status == EnrolmentStatus::Confirmed => {
            format!("Kosteloos afmelden kan tot en met {until}.")
        }
        _ => String::new(),
    }
}

/// `/trainingen/<slug>/<run>/afmelden/bevestigen`: cancelling asks first, and says when it
/// counts as late; a plain form, so it works without JavaScript.
#[component]
pub fn CancelEnrolmentPage() -> impl IntoView {
    let params = use_params_map();
    let key = params.with_untracked(|p| {
        (
            p.get("slug").unwrap_or_default(),
            p.get("run").unwrap_or_default(),
        )
    });
    let found = Resource::new(
        move || key.clone(),
        |(slug, run)| cancellation_of(slug, run),
    );
    view! {
        <Title text="Afmelden"/>
        <Loaded resource=found let:training>
            {
                let base = format!("/trainingen/{}/{}", training.training_slug, training.run_code);
                let warning = cancellation_warning(&training);
                let late = training.cancellation_is_late;
                view! {
                    <header class="page-header">
                        <h1>"Afmelden"</h1>
                        <p class="lead">{format!("Wilt u zich afmelden voor {}, uitvoering {}?", training.training_title, training.run_code)}</p>
                    </header>
                    {(!warning.is_empty()).then(|| view! {
                        <p class=if late { "notice error" } else { "notice" }>{warning}</p>
                    })}
                    <p>"Uw plaats gaat naar wie op de wachtlijst staat. Wilt u later toch deelnemen, dan schrijft u zich opnieuw in, als er plaats is."</p>
                    <form method="post" action=format!("{base}/afmelden") class="form-actions">
                        <button type="submit" class="button danger">"Ja, afmelden"</button>
                        <a href="/mijn/trainingen" class="button secondary">"Nee, terug naar Mijn trainingen"</a>
                    </form>
                }
            }
        </Loaded>
    }
}

#[component]
fn MyTrainingItem(training: MyTraining, kept: Vec<String>) -> impl IntoView {
    let base = format!(
        "/trainingen/{}/{}",
        training.training_slug, training.run_code
    );
    let status = training.enrolment.status;
    let offer = (status == EnrolmentStatus::Offered).then(|| {
        view! {
            <form method="post" action=format!("{base}/aanbod") class="inline-actions">
                <button type="submit" name="keuze" value="accepteren" class="button">"Plaats aannemen"</button>
                <button type="submit" name="keuze" value="afslaan" class="button secondary">"Afslaan"</button>
            </form>
        }
    });
    let cancel = (status.is_active() && !training.run_closed && !training.run_cancelled).then(|| {
        let warning = cancellation_warning(&training);
        view! {
            <div class="inline-actions">
                {(!warning.is_empty()).then(|| view! { <p class="field-hint">{warning}</p> })}
                <a href=format!("{base}/afmelden/bevestigen") class="button secondary">"Afmelden"</a>
            </div>
        }
    });
    view! {
        <section class="my-training">
            <h2><a href=format!("/trainingen/{}", training.training_slug)>{training.training_title.clone()}</a></h2>
            <p class="meta">{format!("Uitvoering {}", training.run_code)}
                {training.run_cancelled.then_some(" — deze uitvoering is geannuleerd")}</p>
            <p><strong>"Status: "</strong>{status_text(&training.enrolment)}</p>
            {training.may_evaluate.then(|| view! { <EvaluationForm action=format!("{base}/evaluatie") kept=kept.clone()/> })}
            {training.attended.clone().map(|attended| view! {
                <div class="completion">
                    <p>{attended}</p>
                    {if training.still_needed.is_empty() {
                        view! { <p>"U voldoet aan de eisen voor het certificaat."</p> }.into_any()
                    } else {
                        view! { <ul>{training.still_needed.iter().map(|need| view! { <li>{need.clone()}</li> }).collect_view()}</ul> }.into_any()
                    }}
                </div>
            })}
            <Sessions
                sessions=training.sessions
                label=format!("Bijeenkomsten van {}, uitvoering {}", training.training_title, training.run_code)
            />
            {offer}
            {cancel}
        </section>
    }
}

#[component]
pub fn RunManagePage() -> impl IntoView {
    let params = use_params_map();
    let (slug, run) = params.with_untracked(|p| {
        (
            p.get("slug").unwrap_or_default(),
            p.get("run").unwrap_or_default(),
        )
    });
    let roster = Resource::new(
        move || (slug.clone(), run.clone()),
        |(slug, run)| get_run_roster(slug, run),
    );
    view! {
        <Loaded resource=roster let:loaded>
            <RunManagement roster=loaded.0 notice=loaded.1 draft=loaded.2/>
        </Loaded>
    }
}

/// Writing to the run: the form (a refused message comes back as typed, each reason at its
/// field) and the log of what was sent.
#[component]
fn RunMessageSection(
    base: String,
    messages: Vec<crate::training::model::RunMessageLog>,
    draft: Option<crate::training::model::RunMessageDraft>,
) -> impl IntoView {
    use crate::training::model::MessageAudience;
    let draft = draft.unwrap_or_default();
    let error = |field: &str| draft.errors.get(field).cloned();
    let labels = [
        ("subject", "Onderwerp"),
        ("body", "Bericht"),
        ("audience", "Aan"),
    ];
    let summary: Vec<(String, String)> = labels
        .iter()
        .filter_map(|(field, label)| {
            let message = draft.errors.get(*field)?;
            Some((format!("bericht-{field}"), format!("{label}: {message}")))
        })
        .collect();
    let options: Vec<(String, String)> = MessageAudience::ALL
        .iter()
        .map(|audience| (audience.slug().to_owned(), capitalised(audience.label())))
        .collect();
    let selected = if draft.form.audience.is_empty() {
        MessageAudience::Confirmed.slug().to_owned()
    } else {
        draft.form.audience.clone()
    };
    let log = messages
        .into_iter()
        .map(|message| {
            view! {
                <tr>
                    <td>{format_datetime_nl(message.sent_at)}</td>
                    <td>{message.sender}</td>
                    <td>{format!("{} ({})", message.audience.label(), message.recipients)}</td>
                    <td>{message.subject}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section id="berichten" aria-labelledby="berichten-titel">
            <h2 id="berichten-titel">"Bericht aan de deelnemers"</h2>
            <p class="field-hint">"Het bericht gaat per e-mail. Schrijf over de training, niet over personen of casussen: de privacycontrole weigert namen, telefoonnummers en adressen."</p>
            <form method="post" action=format!("{base}/beheer/bericht") class="settings-form">
                <ErrorSummary items=summary/>
                <SelectField field="audience" id="bericht-audience" name="audience" label="Aan" options selected error=error("audience")/>
                <TextField field="subject" id="bericht-subject" name="subject" label="Onderwerp" value=draft.form.subject.clone() error=error("subject")/>
                <TextArea field="body" id="bericht-body" name="body" label="Bericht" value=draft.form.body.clone() error=error("body") rows=6/>
                <button type="submit" class="button">"Bericht versturen"</button>
            </form>
            {if log.is_empty() {
                view! { <p>"Er zijn nog geen berichten verstuurd."</p> }.into_any()
            } else {
                view! {
                    <DataTable label="Verstuurde berichten" columns=&["Verstuurd", "Door", "Aan (aantal)", "Onderwerp"]>{log}</DataTable>
                }.into_any()
            }}
        </section>
    }
}

/// "de wachtlijst" as the start of a choice: "De wachtlijst".
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[component]
fn RunManagement(
    roster: RunRoster,
    notice: Option<TrainingNotice>,
    draft: Option<crate::training::model::RunMessageDraft>,
) -> impl IntoView {
    let base = format!("/trainingen/{}/{}", roster.training_slug, roster.run.code);
    let title = format!("{} — uitvoering {}", roster.training_title, roster.run.code);
    let notice_view = notice.map(|n| outcome(n, None));
    let mix = roster
        .mix
        .iter()
        .map(|(field, seats)| view! { <tr><td>{field.label()}</td><td>{seats.to_string()}</td></tr> })
        .collect_view();
    let share = roster
        .max_work_field_share
        .map(|share| format!("Hoogstens {share}% van de plaatsen per werkterrein."))
        .unwrap_or_else(|| "Geen maximum per werkterrein.".to_owned());
    let requests = roster
        .requests
        .iter()
        .map(|entry| {
            let action = format!("{base}/beheer/aanvragen/{}", entry.enrolment_id);
            let reason_id = format!("reden-{}", entry.enrolment_id);
            view! {
                <li class="request">
                    <p><strong>{entry.name.clone()}</strong>{format!(" · {} · {}", entry.organisation, entry.work_field.label())}</p>
                    <dl class="intake">
                        {entry.intake.iter().map(|(q, a)| view! { <dt>{q.clone()}</dt><dd>{a.clone()}</dd> }).collect_view()}
                    </dl>
                    <form method="post" action=action class="decision">
                        <div class="field">
                            <label for=reason_id.clone()>"Reden bij afwijzen (de aanvrager ziet die)"</label>
                            <textarea id=reason_id name="reden" rows="2" maxlength="500"></textarea>
                        </div>
                        <button type="submit" name="besluit" value="goedkeuren" class="button">"Goedkeuren"</button>
                        <button type="submit" name="besluit" value="afwijzen" class="button secondary">"Afwijzen"</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let cancelled = roster.run.status == crate::training::model::RunStatus::Cancelled;
    view! {
        <Title text=title.clone()/>
        <header class="page-header">
            <p class="eyebrow"><a href=format!("/trainingen/{}", roster.training_slug)>{roster.training_title.clone()}</a></p>
            <h1>{format!("Uitvoering {}", roster.run.code)}</h1>
            <p class="lead">{format!(
                "{} van de {} plaatsen bezet · {} op de wachtlijst · {} {}",
                roster.run.capacity - roster.run.seats_left,
                roster.run.capacity,
                roster.waitlist.len(),
                roster.requests.len(),
                if roster.requests.len() == 1 { "aanvraag" } else { "aanvragen" }
            )}</p>
        </header>
        {notice_view}
        {(!cancelled).then(|| view! {
            <p><a href=format!("{base}/bewerken")>"Gegevens en bijeenkomsten bewerken"</a></p>
        })}
        <Sessions sessions=roster.run.sessions.clone() label="Bijeenkomsten".to_owned()/>
        <RunCompletionSection base=base.clone() completion=roster.completion.clone()/>
        <RunRegisterSection base=base.clone() register=roster.register.clone()/>
        <section aria-labelledby="aanvragen-titel">
            <h2 id="aanvragen-titel">"Aanvragen"</h2>
            {if roster.requests.is_empty() {
                view! { <p>"Er wachten geen aanvragen."</p> }.into_any()
            } else {
                view! { <ul class="requests">{requests}</ul> }.into_any()
            }}
        </section>
        <section aria-labelledby="deelnemers-titel">
            <h2 id="deelnemers-titel">"Ingeschreven"</h2>
            <RosterTable entries=roster.confirmed.clone() label="Ingeschreven deelnemers"/>
            <p><a href=format!("{base}/deelnemers.csv") download>"Deelnemerslijst downloaden (CSV)"</a></p>
        </section>
        {(!roster.offered.is_empty()).then(|| view! {
            <section aria-labelledby="aangeboden-titel">
                <h2 id="aangeboden-titel">"Plaats aangeboden"</h2>
                <RosterTable entries=roster.offered.clone() label="Aangeboden plaatsen"/>
            </section>
        })}
        <section aria-labelledby="wachtlijst-titel">
            <h2 id="wachtlijst-titel">"Wachtlijst"</h2>
            <RosterTable entries=roster.waitlist.clone() label="Wachtlijst op volgorde"/>
        </section>
        {(!cancelled).then(|| view! {
            <RunMessageSection base=base.clone() messages=roster.messages.clone() draft=draft.clone()/>
        })}
        <section aria-labelledby="mix-titel">
            <h2 id="mix-titel">"Mix van werkterreinen"</h2>
            <p>{share}</p>
            {if roster.mix.is_empty() {
                view! { <p>"Nog geen bezette plaatsen."</p> }.into_any()
            } else {
                view! { <DataTable label="Bezette plaatsen per werkterrein" columns=&["Werkterrein", "Plaatsen"]>{mix}</DataTable> }.into_any()
            }}
        </section>
        {(!cancelled && !roster.completion.closed).then(|| view! {
            <section aria-labelledby="instellingen-titel">
                <h2 id="instellingen-titel">"Aantal plaatsen en annuleren"</h2>
                <form method="post" action=format!("{base}/beheer/capaciteit") class="settings-form">
                    <TextField field="capaciteit" name="capaciteit" label="Capaciteit" value=roster.run.capacity.to_string() error=None kind="number"
                        hint="Verhogen biedt vrijgekomen plaatsen meteen aan de wachtlijst aan; lager dan het aantal bezette plaatsen kan niet."/>
                    <button type="submit" class="button secondary">"Capaciteit opslaan"</button>
                </form>
                <form method="post" action=format!("{base}/beheer/annuleren") class="settings-form">
                    <div class="field">
                        <label for="annuleer-reden">"Reden van annuleren (de deelnemers zien die)"</label>
                        <textarea id="annuleer-reden" name="reden" rows="2" maxlength="500" required></textarea>
                    </div>
                    <button type="submit" class="button danger">"Uitvoering annuleren"</button>
                </form>
            </section>
        })}
    }
}

/// `/trainingen/<slug>/nieuwe-uitvoering` and `/trainingen/<slug>/<run>/bewerken`: the run's
/// dates, seats, rules, trainers and sessions as one plain form.
#[component]
pub fn RunEditorPage() -> impl IntoView {
    let params = use_params_map();
    let (slug, run) = params.with_untracked(|p| (p.get("slug").unwrap_or_default(), p.get("run")));
    let editor = Resource::new(
        move || (slug.clone(), run.clone()),
        |(slug, run)| get_run_editor(slug, run),
    );
    view! {
        <Loaded resource=editor let:editor>
            <RunEditorForm editor/>
        </Loaded>
    }
}

#[component]
fn RunEditorForm(editor: RunEditor) -> impl IntoView {
    let RunEditor {
        training_slug,
        training_title,
        existing,
        form,
        errors,
        trainer_choices,
    } = editor;
    let error = |field: &str| errors.get(field).cloned();
    let (heading, action, back) = if existing {
        (
            format!("Uitvoering {} bewerken", form.code),
            format!("/trainingen/{training_slug}/{}/beheer/gegevens", form.code),
            format!("/trainingen/{training_slug}/{}/beheer", form.code),
        )
    } else {
        (
            "Nieuwe uitvoering".to_owned(),
            format!("/trainingen/{training_slug}/uitvoering-toevoegen"),
            format!("/trainingen/{training_slug}"),
        )
    };
    let labels = [
        ("code", "Code"),
        ("capacity", "Capaciteit"),
        ("enrolment_opens", "Inschrijving opent"),
        ("enrolment_closes", "Inschrijving sluit"),
        ("waitlist_closes", "Geen aanbod van de wachtlijst meer na"),
        (
            "cancellation_days",
            "Kosteloos afmelden tot (dagen vóór de eerste bijeenkomst)",
        ),
        ("offer_hours", "Bedenktijd bij een aangeboden plaats (uren)"),
        (
            "max_work_field_share",
            "Hoogstens dit percentage van de plaatsen per werkterrein",
        ),
        ("trainers", "Trainers"),
    ];
    let mut summary: Vec<(String, String)> = Vec::new();
    if let Some(message) = errors.get(crate::error::WHOLE_FORM) {
        summary.push(("uitvoering-formulier".to_owned(), message.clone()));
    }
    for (field, label) in labels {
        if let Some(message) = errors.get(field) {
            summary.push((field.to_owned(), format!("{label}: {message}")));
        }
    }
    for (key, message) in &errors {
        if key.starts_with("sessie_") {
            let number = key.split('_').nth(1).unwrap_or_default();
            summary.push((key.clone(), format!("Bijeenkomst {number}: {message}")));
        }
    }
    let sessions = form
        .sessions
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let number = index + 1;
            let key = move |part: &str| format!("sessie_{number}_{part}");
            view! {
                <fieldset class="session-row">
                    <legend>{format!("Bijeenkomst {number}")}</legend>
                    <TextField field=key("date") name=key("date") label="Datum" value=row.date.clone() error=error(&key("date")) kind="date"/>
                    <TextField field=key("start") name=key("start") label="Begin" value=row.start.clone() error=error(&key("start")) kind="time"/>
                    <TextField field=key("end") name=key("end") label="Einde" value=row.end.clone() error=error(&key("end")) kind="time"/>
                    <TextField field=key("location") name=key("location") label="Plaats of 'online'" value=row.location.clone() error=error(&key("location"))/>
                    <TextField field=key("link") name=key("link") label="Link (alleen voor ingeschrevenen)" value=row.link.clone() error=error(&key("link")) kind="url"/>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <Title text=heading.clone()/>
        <header class="page-header">
            <p class="eyebrow"><a href=format!("/trainingen/{training_slug}")>{training_title}</a></p>
            <h1>{heading}</h1>
            <p class="lead">"Na opslaan beslist deze pagina over de uitvoering, niet meer het trainingsbestand."</p>
        </header>
        <ErrorSummary items=summary/>
        <form method="post" action=action class="run-form" id="uitvoering-formulier">
            <TextField field="code" name="code" label="Code" value=form.code.clone() error=error("code") readonly=existing
                hint="Kleine letters, cijfers en koppeltekens, bijv. 2027-najaar; uniek binnen de training."/>
            <TextField field="capacity" name="capacity" label="Capaciteit" value=form.capacity.clone() error=error("capacity") kind="number"/>
            <TextField field="enrolment_opens" name="enrolment_opens" label="Inschrijving opent" value=form.enrolment_opens.clone() error=error("enrolment_opens") kind="date"/>
            <TextField field="enrolment_closes" name="enrolment_closes" label="Inschrijving sluit" value=form.enrolment_closes.clone() error=error("enrolment_closes") kind="date"/>
            <TextField field="waitlist_closes" name="waitlist_closes" label="Geen aanbod van de wachtlijst meer na" value=form.waitlist_closes.clone() error=error("waitlist_closes") kind="date"
                hint="Leeg: de dag vóór de eerste bijeenkomst."/>
            <TextField field="cancellation_days" name="cancellation_days" label="Kosteloos afmelden tot (dagen vóór de eerste bijeenkomst)" value=form.cancellation_days.clone() error=error("cancellation_days") kind="number"/>
            <TextField field="offer_hours" name="offer_hours" label="Bedenktijd bij een aangeboden plaats (uren)" value=form.offer_hours.clone() error=error("offer_hours") kind="number"/>
            <TextField field="max_work_field_share" name="max_work_field_share" label="Hoogstens dit percentage van de plaatsen per werkterrein" value=form.max_work_field_share.clone() error=error("max_work_field_share") kind="number"
                hint="Voor een goede mix, bijv. 50. Leeg: geen maximum."/>
            <CheckboxGroup field="trainers" id="trainers" name="trainers" legend="Trainers (zij beheren de uitvoering)"
                options=trainer_choices.clone() checked=crate::training::rules::trainer_subjects(&form.trainers) error=error("trainers")/>
            {trainer_choices.is_empty().then(|| view! {
                <p class="field-hint">"Er zijn nog geen accounts met de trainersrol; een beheerder kent die toe onder Beheer."</p>
            })}
            <h2>"Bijeenkomsten"</h2>
            <p class="field-hint">"Tijden in Nederlandse tijd. Lege regels worden overgeslagen."</p>
            {sessions}
            <div class="form-actions">
                <button type="submit" class="button">"Uitvoering opslaan"</button>
                <a href=back class="button secondary">"Terug zonder opslaan"</a>
            </div>
        </form>
    }
}

#[component]
fn RosterTable(entries: Vec<RosterEntry>, label: &'static str) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p>"Niemand."</p> }.into_any();
    }
    view! {
        <DataTable label=label columns=&["Naam", "Organisatie", "Werkterrein", "Plaats op de wachtlijst"]>
            {entries
                .into_iter()
                .map(|entry| view! {
                    <tr>
                        <td>{entry.name}</td>
                        <td>{entry.organisation}</td>
                        <td>{entry.work_field.label()}</td>
                        <td>{entry.waitlist_position.map(|p| p.to_string()).unwrap_or_default()}</td>
                    </tr>
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}

/// The whole register: every participant against every session, their hours and the rule's
/// outcome; once closed, who got a certificate and why others did not.
#[component]
fn RunRegisterSection(base: String, register: RunRegister) -> impl IntoView {
    if register.rows.is_empty() && register.late_cancellations.is_empty() {
        return ().into_any();
    }
    let listed = |people: Vec<(String, chrono::NaiveDate)>| {
        people
            .into_iter()
            .map(|(name, date)| format!("{name} ({})", format_date_nl(date)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let late = (!register.late_cancellations.is_empty())
        .then(|| format!("Laat afgemeld: {}.", listed(register.late_cancellations)));
    let no_shows = (!register.no_shows.is_empty()).then(|| {
        format!(
            "Niet verschenen (afwezig zonder afmelding): {}.",
            listed(register.no_shows)
        )
    });
    let columns: Vec<String> = register
        .sessions
        .iter()
        .map(|s| format!("{} {}", format_date_nl(s.date), s.starts_at))
        .collect();
    let closed = register.closed;
    let rows = register
        .rows
        .into_iter()
        .map(|row| {
            let outcome = match (row.certified, row.complete) {
                (Some(true), _) => "Certificaat uitgereikt".to_owned(),
                (Some(false), _) if row.missing.is_empty() => "Geen certificaat".to_owned(),
                (Some(false), _) => format!("Geen certificaat: {}", row.missing.join(" ")),
                (None, true) => "Voldoet aan de eis".to_owned(),
                (None, false) => row.missing.join(" "),
            };
            view! {
                <tr>
                    <th scope="row">{row.name}</th>
                    {row.marks.into_iter().map(|mark| view! { <td>{RegisterRow::mark_nl(mark)}</td> }).collect_view()}
                    <td>{format!("{} van {}", crate::dates::hours_nl(row.attended_minutes), crate::dates::hours_nl(row.total_minutes))}</td>
                    <td>{outcome}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="presentielijst-titel">
            <h2 id="presentielijst-titel">"Presentielijst"</h2>
            <p>
                {if closed {
                    "Wie er bij welke bijeenkomst was, de uren en wie een certificaat kreeg (en waarom anderen niet). "
                } else {
                    "Wie er bij welke bijeenkomst was, de uren en wat de eis voor het certificaat nog vraagt. "
                }}
                <a href=format!("{base}/presentielijst.csv") download>"Presentielijst downloaden (CSV)"</a>
            </p>
            {late.map(|line| view! { <p>{line}</p> })}
            {no_shows.map(|line| view! { <p>{line}</p> })}
            <WideTable label="Presentielijst per deelnemer en bijeenkomst">
                <table class="data-table register">
                    <thead>
                        <tr>
                            <th scope="col">"Deelnemer"</th>
                            {columns.into_iter().map(|column| view! { <th scope="col">{column}</th> }).collect_view()}
                            <th scope="col">"Uren"</th>
                            <th scope="col">{if closed { "Certificaat" } else { "Eis" }}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </WideTable>
        </section>
    }
    .into_any()
}

/// Attendance per session, closing the run and, once closed, the accreditation exports.
#[component]
fn RunCompletionSection(base: String, completion: RunCompletion) -> impl IntoView {
    let sessions = completion
        .sessions
        .iter()
        .filter(|_| completion.records_deleted_on.is_none())
        .map(|(id, label)| {
            view! { <li><a href=format!("{base}/sessies/{id}")>{format!("Aanwezigheid {label}")}</a></li> }
        })
        .collect_view();
    let closing = if let Some(deleted_on) = completion.records_deleted_on.clone() {
        view! {
            <p>{format!(
                "Afgesloten. De aanwezigheid en de certificaten zijn na de bewaartermijn van {RECORDS_KEPT_YEARS} jaar verwijderd op {deleted_on}."
            )}</p>
        }
        .into_any()
    } else if completion.closed {
        let exports = completion
            .registers
            .iter()
            .enumerate()
            .map(|(index, (register, dates, without_number))| {
                let per_date = dates
                    .iter()
                    .map(|date| view! {
                        <li><a href=format!("{base}/accreditatie/{index}/{date}.txt") download>{format!("{register}: PE-online-lijst {date}")}</a></li>
                    })
                    .collect_view();
                let apart = (!without_number.is_empty()).then(|| view! {
                    <p class="field-hint">{format!("Zonder {register}-nummer (niet in de lijsten; vraag het na): {}", without_number.join(", "))}</p>
                });
                view! {
                    <li>
                        <a href=format!("{base}/accreditatie/{index}/deelnemers.csv") download>{format!("{register}: deelnemers (CSV)")}</a>
                        <ul>{per_date}</ul>
                        {apart}
                    </li>
                }
            })
            .collect_view();
        let by_hand = (completion.may_issue && !completion.without_certificate.is_empty()).then(|| {
            let options: Vec<(String, String)> = completion
                .without_certificate
                .iter()
                .map(|(id, name)| (id.to_string(), name.clone()))
                .collect();
            view! {
                <details id="certificaat-uitgeven">
                    <summary>"Certificaat met de hand uitgeven (beheerders)"</summary>
                    <form method="post" action=format!("{base}/beheer/certificaat") class="settings-form">
                        <SelectField field="deelnemer" name="deelnemer" label="Deelnemer zonder certificaat" options selected=String::new() error=None placeholder="Kies…"/>
                        <div class="field">
                            <label for="uitgifte-reden">"Reden (minstens 10 tekens; in de auditlog)"</label>
                            <textarea id="uitgifte-reden" name="reden" rows="2" maxlength="500"></textarea>
                        </div>
                        <button type="submit" class="button secondary">"Certificaat uitgeven"</button>
                    </form>
                </details>
            }
        });
        view! {
            <p>{format!("Afgesloten; {} uitgegeven.", certificates_nl(completion.certificates))}</p>
            {by_hand}
            <h3>"Accreditatie"</h3>
            <p class="field-hint">
                "PE-online (Registerplein, NIP en andere) importeert per bijeenkomst een lijst met één registratienummer per regel. "
                "Voor andere registers: de CSV. Wie geen nummer voor een register opgaf, staat er niet in."
            </p>
            <ul>{exports}</ul>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action=format!("{base}/beheer/afsluiten") class="settings-form">
                <p class="field-hint">"Na de laatste bijeenkomst: wie aan de eisen voldoet, krijgt een certificaat; de aanwezigheid ligt daarna vast."</p>
                <button type="submit" class="button">"Uitvoering afsluiten en certificaten uitgeven"</button>
            </form>
        }
        .into_any()
    };
    let evaluation = completion.evaluation.clone();
    let answers = if let Some(until) = evaluation.open_until.clone() {
        view! {
            <p>{format!("Deelnemers kunnen evalueren tot en met {until}. Daarna ziet u hier de uitkomsten, allemaal tegelijk: zo is geen antwoord aan iemand te koppelen.")}</p>
        }
        .into_any()
    } else if evaluation.averages.is_empty() {
        view! { <p>"De uitkomsten verschijnen vanaf vijf antwoorden, zodat niemand herkenbaar is."</p> }.into_any()
    } else {
        view! {
            <DataTable label="Gemiddelde per vraag" columns=&["Vraag", "Gemiddelde (1–5)"]>
                {evaluation.averages.into_iter().map(|(q, a)| view! { <tr><td>{q}</td><td>{a}</td></tr> }).collect_view()}
            </DataTable>
            {(!evaluation.remarks.is_empty()).then(|| view! {
                <h4>"Opmerkingen"</h4>
                <ul>{evaluation.remarks.into_iter().map(|r| view! { <li class="preserve-lines">{r}</li> }).collect_view()}</ul>
            })}
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="afronding-titel">
            <h2 id="afronding-titel">"Aanwezigheid en certificaten"</h2>
            <ul>{sessions}</ul>
            {closing}
            <h3>"Evaluatie"</h3>
            {evaluation.open_until.is_none().then(|| view! { <p>{format!("{} antwoorden.", evaluation.count)}</p> })}
            {answers}
        </section>
    }
}

/// `/trainingen/<slug>/<run>/sessies/<id>`: the attendance register of one session, one row
/// per confirmed participant, a plain form that also works without JavaScript.
#[component]
pub fn SessionRegisterPage() -> impl IntoView {
    let params = use_params_map();
    let (slug, run, session) = params.with_untracked(|p| {
        (
            p.get("slug").unwrap_or_default(),
            p.get("run").unwrap_or_default(),
            p.get("session")
                .and_then(|s| s.parse::<i32>().ok())
                .unwrap_or(0),
        )
    });
    let sheet = Resource::new(
        move || (slug.clone(), run.clone(), session),
        |(slug, run, session)| get_session_register(slug, run, session),
    );
    view! {
        <Loaded resource=sheet let:sheet>
            <SessionRegister sheet/>
        </Loaded>
    }
}

#[component]
fn SessionRegister(sheet: AttendanceSheet) -> impl IntoView {
    let base = format!("/trainingen/{}/{}", sheet.training_slug, sheet.run_code);
    let heading = format!("Aanwezigheid {}", sheet.session);
    let notice = sheet.notice.map(|notice| {
        view! { <Outcome success=notice.success message=notice.message link=None/> }
    });
    let typed = |key: String| {
        sheet
            .typed
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    };
    let refused = !sheet.typed.is_empty();
    let rows = sheet
        .rows
        .into_iter()
        .map(|row| {
            let user = row.user_id;
            let presence = if refused {
                typed(format!("presence[{user}]")).and_then(|slug| SessionPresence::from_slug(&slug))
            } else {
                row.presence
            };
            let minutes = if refused {
                typed(format!("minutes[{user}]")).unwrap_or_default()
            } else if row.minutes > 0 {
                row.minutes.to_string()
            } else {
                String::new()
            };
            let presence_now = presence;
            let options = SessionPresence::ALL
                .into_iter()
                .map(|presence| {
                    let id = format!("presence-{user}-{}", presence.slug());
                    view! {
                        <label class="checkbox" for=id.clone()>
                            <input type="radio" id=id.clone() name=format!("presence[{user}]") value=presence.slug()
                                checked=presence_now == Some(presence) disabled=sheet.closed/>
                            {presence.label()}
                        </label>
                    }
                })
                .collect_view();
            let minutes_id = format!("minutes-{user}");
            view! {
                <fieldset class="attendance-row">
                    <legend>{row.name.clone()}</legend>
                    {options}
                    <label for=minutes_id.clone()>{format!("Minuten te laat of eerder weg ({})", row.name)}</label>
                    <input id=minutes_id type="number" min="1" max="600" inputmode="numeric" name=format!("minutes[{user}]")
                        value=minutes class="minutes" disabled=sheet.closed/>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <Title text=heading.clone()/>
        <header class="page-header">
            <p class="eyebrow"><a href=format!("{base}/beheer")>{format!("{} — uitvoering {}", sheet.training_title, sheet.run_code)}</a></p>
            <h1>{heading}</h1>
        </header>
        {notice}
        {sheet.closed.then(|| view! { <p>"De uitvoering is afgesloten; de aanwezigheid ligt vast."</p> })}
        <p class="field-hint">"Elke tik wordt meteen opgeslagen; zonder JavaScript met de knop onderaan."</p>
        <form method="post" action=format!("{base}/sessies/{}/aanwezigheid", sheet.session_id) class="attendance-form">
            <SubmitOnChange>{rows}</SubmitOnChange>
            {(!sheet.closed).then(|| view! {
                <div class="form-actions">
                    <button type="submit" class="button">"Aanwezigheid opslaan"</button>
                </div>
            })}
        </form>
    }
}

/// `/certificaat/<code>`: anyone (an employer, a register) checks a certificate: valid or
/// revoked, with name, training, dates and hours, nothing else.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let verified = Resource::new(move || code.clone(), verify_certificate);
    view! {
        <Title text="Certificaat controleren"/>
        <Loaded resource=verified let:found>
            {match found.0 {
                Some(verified) => view! { <CertificateCheck verified may_revoke=found.1 notice=found.2/> }.into_any(),
                None => view! {
                    <header class="page-header">
                        <h1>"Certificaat controleren"</h1>
                    </header>
                    <p class="notice error" role="status"><strong>"Geen certificaat gevonden met deze code."</strong>
                        " Controleer de code op het certificaat en probeer het opnieuw."</p>
                    <CertificateCodeForm/>
                }.into_any(),
            }}
        </Loaded>
    }
}

/// `/certificaat`: type the code from a certificate (or read it from the paper) to check it.
#[component]
pub fn CertificateLookupPage() -> impl IntoView {
    view! {
        <Title text="Certificaat controleren"/>
        <header class="page-header">
            <h1>"Certificaat controleren"</h1>
            <p class="lead">"Met de code op een certificaat ziet u of het geldig is, op wiens naam het staat en welke training het betreft."</p>
        </header>
        <CertificateCodeForm/>
    }
}

/// The code form; the server reads the code whatever its case or spacing.
#[component]
fn CertificateCodeForm() -> impl IntoView {
    view! {
        <form method="get" action="/certificaat/zoeken" class="settings-form">
            <div class="field">
                <label for="certificaat-code">"Code van het certificaat"</label>
                <p class="field-hint" id="certificaat-code-hint">"Bijvoorbeeld 7KQ2-9XMP-3HTV-WZ0A. Hoofd- of kleine letters en streepjes maken niet uit."</p>
                <input id="certificaat-code" name="code" type="text" required autocomplete="off"
                    spellcheck="false" autocapitalize="characters" aria-describedby="certificaat-code-hint"/>
            </div>
            <button type="submit" class="button">"Controleren"</button>
        </form>
    }
}

#[component]
fn CertificateCheck(
    verified: VerifiedCertificate,
    may_revoke: bool,
    notice: Option<crate::notice::Notice>,
) -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let (state, class) = if verified.valid {
        ("Geldig certificaat", "notice success")
    } else {
        ("Dit certificaat is ingetrokken", "notice error")
    };
    view! {
        <header class="page-header">
            <h1>"Certificaat controleren"</h1>
        </header>
        {notice.map(|notice| view! { <Outcome success=notice.success message=notice.message link=None/> })}
        <p class=class role="status"><strong>{state}</strong></p>
        <dl class="facts">
            <dt>"Naam"</dt><dd>{verified.participant_name}</dd>
            <dt>"Training"</dt><dd>{verified.training_title}</dd>
            <dt>"Data"</dt><dd>{verified.dates}</dd>
            <dt>"Gevolgde contacturen"</dt><dd>{verified.hours}</dd>
        </dl>
        {(may_revoke && verified.valid).then(|| view! {
            <form method="post" action=format!("/certificaat/{code}/intrekken") class="settings-form">
                <div class="field">
                    <label for="intrek-reden">"Reden van intrekken (minstens 10 tekens; in de auditlog)"</label>
                    <textarea id="intrek-reden" name="reden" rows="2" maxlength="500"></textarea>
                </div>
                <button type="submit" class="button danger">"Certificaat intrekken"</button>
            </form>
        })}
    }
}

/// The evaluation after the last session: four fixed questions 1–5 and one open question.
/// Anonymous: trainers see only averages, and only from five answers.
#[component]
fn EvaluationForm(action: String, kept: Vec<String>) -> impl IntoView {
    let questions = EVALUATION_QUESTIONS
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let number = index + 1;
            let chosen = kept.get(index).cloned().unwrap_or_default();
            let options = (1..=5)
                .map(|score| {
                    let id = format!("{action}-vraag-{number}-{score}").replace('/', "-");
                    view! {
                        <label class="checkbox" for=id.clone()>
                            <input type="radio" id=id.clone() name=format!("score_{number}") value=score.to_string()
                                checked=chosen == score.to_string()/>
                            {score.to_string()}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="attendance-row">
                    <legend>{format!("{number}. {question}")}</legend>
                    {options}
                </fieldset>
            }
        })
        .collect_view();
    let remark_id = format!("{action}-opmerking").replace('/', "-");
    view! {
        <details class="evaluation" open=!kept.is_empty()>
            <summary>"Evaluatie invullen (anoniem)"</summary>
            <form method="post" action=action class="stacked-form">
                <p class="field-hint">"1 = helemaal oneens, 5 = helemaal eens. De trainers zien alleen gemiddelden, en pas vanaf vijf antwoorden."</p>
                {questions}
                <TextArea field=remark_id.clone() id=remark_id name="remark" label="Wat wilt u de trainers nog meegeven? (niet verplicht)"
                    value=kept.get(EVALUATION_QUESTIONS.len()).cloned().unwrap_or_default() error=None rows=3/>
                <div class="form-actions">
                    <button type="submit" class="button secondary">"Evaluatie versturen"</button>
                </div>
            </form>
        </details>
    }
}
