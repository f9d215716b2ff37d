//! Intervision pages: one's groups (and starting one), a group with its confidentiality
//! agreement, log and dilemma form, one dilemma, and an invitation. No islands: every action
//! is a plain form, so everything works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::identity::pages::AdminNav;
use crate::intervision::api::{
    administered_groups, get_dilemma, get_dilemma_edit, get_group, get_invitation, get_meeting,
    my_intervision_groups, my_intervision_record,
};
use crate::intervision::model::{
    ACTION_FIELD, ActionPointView, ActionStatus, AgendaItemView, AgreementToAccept, Attendance,
    AttendanceSheet, DilemmaDraft, DilemmaField, DilemmaSummary, DilemmaView, EmailForm,
    GroupAdministration, GroupForm, GroupPage as GroupPageData, GroupSummary, GroupView,
    IntervisionOverview, IntervisionRecord, InvitationState, LateMeetingForm as LateMeetingFields,
    MAX_GROUP_SIZE, MAX_RETENTION_MONTHS, MIN_GROUP_SIZE, MIN_RETENTION_MONTHS, MeetingView,
    MethodState, MoveMeetingForm, PostDraft, PostView, REPLY_FIELD, Segment, SeriesForm,
    THEMES_FIELD,
};
use crate::intervision::rules::methods::{MAX_STEP_MINUTES, METHODS};
use crate::notice::Notice;
use crate::paths::login_href;
use crate::ui::{
    CheckboxGroup, DataTable, ErrorSummary, FieldError, Loaded, Outcome, Pager, SelectField,
    TextArea, TextField,
};
use crate::vocabulary::{Phenomenon, Theme, WorkField};

fn notice_view(notice: Option<Notice>) -> Option<AnyView> {
    notice.map(|n| view! { <Outcome success=n.success message=n.message/> }.into_any())
}

#[component]
pub fn IntervisionIndexPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| my_intervision_groups());
    view! {
        <Title text="Mijn intervisiegroepen"/>
        <header class="page-header">
            <h1>"Mijn intervisiegroepen"</h1>
            <p class="lead">
                "Besloten groepen die meerdere keren bijeenkomen. Alleen de leden en de begeleiders "
                "van een groep zien wat erin staat; ook beheerders niet."
            </p>
        </header>
        <Loaded resource=overview let:overview>
            <Overview overview/>
        </Loaded>
    }
}

#[component]
fn Overview(overview: IntervisionOverview) -> impl IntoView {
    let IntervisionOverview {
        groups,
        invitations,
        can_create,
        form,
        errors,
    } = overview;
    let invitations = (!invitations.is_empty()).then(|| {
        view! {
            <section id="uitnodigingen" aria-labelledby="uitnodigingen-titel">
                <h2 id="uitnodigingen-titel">"Uitnodigingen"</h2>
                <p>"De begeleider van deze groepen nodigt u uit. U beslist zelf of u meedoet; na het aannemen leest u eerst de afspraken van de groep."</p>
                <ul class="requests">
                    {invitations.into_iter().map(|(id, name)| view! {
                        <li>
                            <strong>{name.clone()}</strong>
                            <div class="inline-actions">
                                <form method="post" action=format!("/intervisie/uitnodigingen/{id}/aannemen")>
                                    <button type="submit" class="button small" aria-label=format!("Uitnodiging voor {name} aannemen")>"Aannemen"</button>
                                </form>
                                <form method="post" action=format!("/intervisie/uitnodigingen/{id}/afslaan")>
                                    <button type="submit" class="button small secondary" aria-label=format!("Uitnodiging voor {name} afslaan")>"Afslaan"</button>
                                </form>
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    let list = if groups.is_empty() {
        view! {
            <p>"U zit nog in geen intervisiegroep. De begeleider van een groep stuurt u een uitnodigingslink."</p>
        }
        .into_any()
    } else {
        view! {
            <ul class="group-list">
                {groups.into_iter().map(|g| view! { <GroupItem group=g/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {invitations}
        {list}
        <p><a href="/mijn/intervisie" class="button secondary">"Mijn intervisieverslag"</a></p>
        {can_create.then(|| view! { <NewGroupForm form errors/> })}
    }
}

#[component]
fn GroupItem(group: GroupSummary) -> impl IntoView {
    let role = if group.is_facilitator {
        "U begeleidt deze groep"
    } else {
        "Lid"
    };
    view! {
        <li>
            <a href=format!("/intervisie/{}", group.id)>{group.name}</a>
            <span class="meta">{format!(" · {role} · {} leden", group.members)}</span>
        </li>
    }
}

#[component]
fn NewGroupForm(form: GroupForm, errors: crate::error::FieldErrors) -> impl IntoView {
    let error = |field: &str| errors.get(field).cloned();
    let labels = [
        ("name", "Naam"),
        ("max_members", "Hoogstens zoveel leden"),
        ("retention_months", "Bewaartermijn (maanden)"),
        ("agreement", "Vertrouwelijkheidsafspraken"),
    ];
    let summary = labels
        .iter()
        .filter_map(|(field, label)| {
            errors
                .get(*field)
                .map(|message| ((*field).to_owned(), format!("{label}: {message}")))
        })
        .collect::<Vec<_>>();
    view! {
        <section id="nieuwe-groep" aria-labelledby="nieuwe-groep-titel">
            <h2 id="nieuwe-groep-titel">"Nieuwe groep"</h2>
            <ErrorSummary items=summary/>
            <form method="post" action="/intervisie/groepen" class="stacked-form">
                <TextField field="name" name="name" label="Naam" value=form.name error=error("name")
                    hint="Zonder thema of casus, bijv. 'Intervisiegroep Noord 2027'."/>
                <TextField field="max_members" name="max_members" label="Hoogstens zoveel leden" value=form.max_members error=error("max_members") kind="number"/>
                <p class="field-hint">{format!("Van {MIN_GROUP_SIZE} tot en met {MAX_GROUP_SIZE}.")}</p>
                <TextField field="retention_months" name="retention_months" label="Bewaartermijn (maanden)" value=form.retention_months error=error("retention_months") kind="number"/>
                <p class="field-hint">{format!("Zolang blijft een dilemma bewaard nadat het is ingebracht (notities: na de bijeenkomst); van {MIN_RETENTION_MONTHS} tot en met {MAX_RETENTION_MONTHS}.")}</p>
                <TextArea field="agreement" name="agreement" label="Vertrouwelijkheidsafspraken" value=form.agreement error=error("agreement")
                    hint="Elk lid bevestigt deze tekst voordat het iets in de groep ziet."/>
                <div class="form-actions">
                    <button type="submit" class="button">"Groep aanmaken"</button>
                </div>
            </form>
        </section>
    }
}

/// A numeric part of the address (`group`, `dilemma`, `meeting`); 0 (found nowhere) if it is
/// not a number.
fn id_param(name: &str) -> i32 {
    use_params_map()
        .read_untracked()
        .get(name)
        .and_then(|value| value.parse().ok())
        .unwrap_or(0)
}

fn group_param() -> i32 {
    id_param("group")
}

#[component]
pub fn GroupPage() -> impl IntoView {
    let group = group_param();
    let log_page = use_query_map()
        .read_untracked()
        .get("logboek")
        .and_then(|p| p.parse::<u64>().ok());
    let page = Resource::new(move || (group, log_page), |(g, p)| get_group(g, p));
    view! {
        <Loaded resource=page let:page>
            {match page {
                GroupPageData::Agreement { id, name, agreement, notice } => {
                    view! { <AgreementGate id name agreement notice/> }.into_any()
                }
                GroupPageData::Inside(group) => view! { <GroupInside group=*group/> }.into_any(),
            }}
        </Loaded>
    }
}

#[component]
fn AgreementGate(
    id: i32,
    name: String,
    agreement: AgreementToAccept,
    notice: Option<Notice>,
) -> impl IntoView {
    let intro = if agreement.changed {
        "De afspraken van deze groep zijn gewijzigd. Lees ze en bevestig ze opnieuw; daarna ziet u de groep weer."
    } else {
        "Voordat u iets in deze groep ziet, leest en bevestigt u de afspraken over vertrouwelijkheid."
    };
    view! {
        <Title text=name.clone()/>
        <header class="page-header">
            <p class="eyebrow"><a href="/intervisie">"Mijn intervisiegroepen"</a></p>
            <h1>{name}</h1>
            <p class="lead">{intro}</p>
        </header>
        {notice_view(notice)}
        <section class="agreement" aria-labelledby="afspraken-titel">
            <h2 id="afspraken-titel">{format!("Afspraken (versie {})", agreement.version)}</h2>
            <blockquote class="agreement-text">{agreement.text}</blockquote>
            <form method="post" action=format!("/intervisie/{id}/afspraken")>
                <input type="hidden" name="version" value=agreement.version.to_string()/>
                <button type="submit" class="button">"Ik houd mij aan deze afspraken"</button>
            </form>
        </section>
        {agreement.changed.then(|| view! {
            <section id="verlaten" aria-labelledby="verlaten-titel">
                <h2 id="verlaten-titel">"Niet akkoord?"</h2>
                <p>"Wilt u niet verder onder de nieuwe afspraken, dan kunt u de groep verlaten. U wordt eerst gevraagd of u het zeker weet."</p>
                <form method="post" action=format!("/intervisie/{id}/verlaten")>
                    <button type="submit" class="button secondary">"Groep verlaten"</button>
                </form>
            </section>
        })}
    }
}

#[component]
fn GroupInside(group: GroupView) -> impl IntoView {
    let GroupView {
        id,
        name,
        is_facilitator,
        agreement_version,
        agreement,
        facilitators,
        members,
        dilemmas,
        log_page,
        log_pages,
        draft,
        notice,
        notify,
        meetings,
        follow_up,
        series_form,
        series_errors,
        member_form,
        agreement_draft,
        retention_months,
        retention_draft,
        closed_on,
    } = group;
    let open = closed_on.is_none();
    let series = (is_facilitator && open)
        .then(|| view! { <SeriesFormSection group=id form=series_form errors=series_errors/> });
    let close = (is_facilitator && open).then(|| view! {
        <section id="afsluiten" aria-labelledby="afsluiten-titel">
            <h2 id="afsluiten-titel">"Groep afsluiten"</h2>
            <p>"Als de groep klaar is: alles blijft te lezen tot de bewaartermijn verstrijkt, maar er komt niets meer bij."</p>
            <form method="post" action=format!("/intervisie/{id}/afsluiten")>
                <button type="submit" class="button secondary">"Groep afsluiten"</button>
            </form>
        </section>
    });
    let leave = (!is_facilitator).then(|| {
        view! {
            <section id="verlaten" aria-labelledby="verlaten-titel">
                <h2 id="verlaten-titel">"De groep verlaten"</h2>
                <form method="post" action=format!("/intervisie/{id}/verlaten")>
                    <div class="field">
                        <label class="checkbox" for="delete_contributions">
                            <input type="checkbox" id="delete_contributions" name="delete_contributions" value="on"/>
                            "Verwijder ook mijn dilemma's en reacties in deze groep"
                        </label>
                    </div>
                    <button type="submit" class="button secondary">"Groep verlaten"</button>
                </form>
            </section>
        }
    });
    let (notify_text, notify_value, notify_button) = if notify {
        (
            "U krijgt een e-mail als er nieuws is in deze groep. Die zegt alleen dát er nieuws is, nooit wat.",
            "uit",
            "E-mails uitzetten",
        )
    } else {
        (
            "U krijgt geen e-mail over nieuws in deze groep.",
            "aan",
            "E-mails aanzetten",
        )
    };
    let invite = (is_facilitator && closed_on.is_none()).then(|| {
        view! {
            <section id="uitnodigen" aria-labelledby="uitnodigen-titel">
                <h2 id="uitnodigen-titel">"Deelnemers uitnodigen"</h2>
                <p>
                    "Maak per deelnemer een link en geef die zelf door. Het platform bewaart geen e-mailadressen; "
                    "de link werkt één keer."
                </p>
                <form method="post" action=format!("/intervisie/{id}/uitnodiging")>
                    <button type="submit" class="button secondary">"Uitnodigingslink maken"</button>
                </form>
                <h3>"Een bestaand account uitnodigen"</h3>
                <AccountByEmail
                    action=format!("/intervisie/{id}/leden")
                    field="member-email".to_owned()
                    label="E-mailadres van het account"
                    button="Uitnodigen per e-mail"
                    form=member_form
                    hint="Heeft een account dit adres, dan krijgt het een uitnodiging en wordt het lid zodra het die aanneemt. Het adres wordt niet bewaard."
                />
            </section>
        }
    });
    view! {
        <Title text=name.clone()/>
        <header class="page-header">
            <p class="eyebrow"><a href="/intervisie">"Mijn intervisiegroepen"</a></p>
            <h1>{name}</h1>
        </header>
        {notice_view(notice)}
        {closed_on.clone().map(|day| view! {
            <p class="notice" role="status">{format!("Deze groep is afgesloten op {day}. U kunt nog lezen wat er staat; er komt niets meer bij.")}</p>
        })}
        <p class="field-hint">{format!(
            "Bewaartermijn: {retention_months} maanden. Een dilemma met zijn reacties en actiepunten verdwijnt {retention_months} maanden nadat het is ingebracht, de notities van een bijeenkomst {retention_months} maanden na die bijeenkomst."
        )}</p>
        {(is_facilitator && open).then(|| {
            let (typed, error) = match retention_draft {
                Some((typed, error)) => (typed, Some(error)),
                None => (retention_months.to_string(), None),
            };
            let refused = error.is_some();
            view! {
                <details class="retention-change" open=refused>
                    <summary>"Bewaartermijn wijzigen"</summary>
                    <form method="post" action=format!("/intervisie/{id}/bewaartermijn") class="stacked-form">
                        <TextField field="retention" name="months" label="Nieuwe bewaartermijn (maanden)" value=typed error kind="number"
                            hint="Korter geldt meteen voor alles wat er staat (u bevestigt eerst); langer alleen voor wat vanaf nu wordt geschreven."/>
                        <div class="form-actions">
                            <button type="submit" class="button secondary">"Bewaartermijn wijzigen"</button>
                        </div>
                    </form>
                </details>
            }
        })}
        // Inviting comes first for the facilitator: it is what a new group needs.
        {invite}
        <section id="bijeenkomsten" aria-labelledby="bijeenkomsten-titel">
            <h2 id="bijeenkomsten-titel">"Bijeenkomsten"</h2>
            <MeetingList group=id meetings is_facilitator/>
            {series}
        </section>
        <section id="opvolgronde" aria-labelledby="opvolgronde-titel">
            <h2 id="opvolgronde-titel">"Opvolgronde"</h2>
            <p class="field-hint">"Een bijeenkomst begint met de actiepunten die nog openstaan."</p>
            <FollowUp group=id actions=follow_up/>
        </section>
        <section id="logboek" aria-labelledby="logboek-titel">
            <h2 id="logboek-titel">"Logboek"</h2>
            <DilemmaList group=id dilemmas/>
            <Pager page=log_page page_count=log_pages href=move |page: u64| format!("/intervisie/{id}?logboek={page}#logboek")/>
        </section>
        {open.then(|| view! { <DilemmaFormSection group=id draft=draft.clone()/> })}
        <section id="groep" aria-labelledby="groep-titel">
            <h2 id="groep-titel">"De groep"</h2>
            <p>{format!("Begeleiding: {}", names(&facilitators))}</p>
            <Members members remove=is_facilitator.then(|| format!("/intervisie/{id}/leden"))/>
            <details>
                <summary>{format!("Afspraken (versie {agreement_version})")}</summary>
                <p class="agreement-text">{agreement.clone()}</p>
            </details>
            {is_facilitator.then(|| {
                let (text, error) = match agreement_draft {
                    Some((text, error)) => (text, Some(error)),
                    None => (agreement.clone(), None),
                };
                let refused = error.is_some();
                view! {
                    <details open=refused>
                        <summary>"Afspraken wijzigen"</summary>
                        <form method="post" action=format!("/intervisie/{id}/afspraken/wijzigen") class="stacked-form">
                            <TextArea field="agreement" name="agreement" label="Vertrouwelijkheidsafspraken" value=text error rows=8
                                hint="Een wijziging is een nieuwe versie: elk lid bevestigt die voordat het iets in de groep ziet."/>
                            <div class="form-actions">
                                <button type="submit" class="button secondary">"Afspraken wijzigen"</button>
                            </div>
                        </form>
                    </details>
                }
            })}
        </section>
        <section id="meldingen" aria-labelledby="meldingen-titel">
            <h2 id="meldingen-titel">"E-mail bij nieuws"</h2>
            <p>{notify_text}</p>
            <form method="post" action=format!("/intervisie/{id}/meldingen")>
                <input type="hidden" name="notify" value=notify_value/>
                <button type="submit" class="button secondary">{notify_button}</button>
            </form>
        </section>
        {leave}
        {close}
    }
}

fn names(people: &[(i32, String)]) -> String {
    people
        .iter()
        .map(|(_, name)| name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The members by name; with `remove` (the base of the remove action) a button for each.
#[component]
fn Members(members: Vec<(i32, String)>, remove: Option<String>) -> impl IntoView {
    if members.is_empty() {
        return view! { <p>"Nog geen leden."</p> }.into_any();
    }
    let Some(base) = remove else {
        return view! { <p>{format!("Leden: {}", names(&members))}</p> }.into_any();
    };
    view! {
        <ul class="people">
            {members
                .into_iter()
                .map(|(user, name)| {
                    view! {
                        <li>
                            <form method="post" action=format!("{base}/{user}/verwijderen") class="inline-actions">
                                <span>{name.clone()}</span>
                                <button type="submit" class="button small secondary">{format!("{name} uit de groep halen")}</button>
                            </form>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// One e-mail field that names an existing account, with the refused address kept.
#[component]
fn AccountByEmail(
    action: String,
    field: String,
    label: &'static str,
    button: &'static str,
    form: EmailForm,
    hint: &'static str,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="stacked-form">
            <TextField field=field name="email" label=label value=form.email error=form.error kind="email" hint=hint/>
            <div class="form-actions">
                <button type="submit" class="button secondary">{button}</button>
            </div>
        </form>
    }
}

/// The method the group works through a dilemma with: its steps, the current one marked; the
/// facilitator starts it and moves it on, and a reload shows everyone where it stands.
#[component]
fn MethodSection(
    group: i32,
    dilemma: i32,
    method: Option<MethodState>,
    leads: bool,
    minutes_draft: Option<(Vec<String>, String)>,
) -> impl IntoView {
    let base = format!("/intervisie/{group}/dilemmas/{dilemma}/methode");
    let body = match method {
        None if leads => {
            let options = method_options();
            view! {
                <form method="post" action=base.clone() class="stacked-form">
                    <SelectField field="method" name="method" label="Kies een methode voor dit dilemma" options selected="" error=None placeholder="Kies…"/>
                    <div class="form-actions">
                        <button type="submit" class="button">"Methode starten"</button>
                    </div>
                </form>
            }
            .into_any()
        }
        None => view! { <MethodAwaited group dilemma/> }.into_any(),
        Some(state) => {
            let total = state.steps.len();
            let finished = state.current >= total;
            let status = state.status_nl();
            let controls = leads.then(|| view! {
                <div class="inline-actions">
                    <form method="post" action=format!("{base}/stap")>
                        <input type="hidden" name="richting" value="terug"/>
                        <button type="submit" class="button small secondary" disabled=state.current == 0>"Vorige stap"</button>
                    </form>
                    <form method="post" action=format!("{base}/stap")>
                        <input type="hidden" name="richting" value="verder"/>
                        <button type="submit" class="button small" disabled=finished>{if state.current + 1 == total { "Afronden" } else { "Volgende stap" }}</button>
                    </form>
                </div>
            });
            let minutes = leads.then(|| {
                view! { <MinutesForm action=format!("{base}/minuten") steps=state.steps.clone() draft=minutes_draft/> }
            });
            let restart = leads.then(|| {
                view! {
                    <details class="method-switch">
                        <summary>"Opnieuw beginnen of een andere methode"</summary>
                        <form method="post" action=base.clone() class="stacked-form">
                            <SelectField field="method-again" name="method" label="Methode vanaf de eerste stap" options=method_options() selected=state.slug.clone() error=None placeholder="Kies…"/>
                            <div class="form-actions">
                                <button type="submit" class="button secondary">"Bij de eerste stap beginnen"</button>
                            </div>
                        </form>
                    </details>
                }
            });
            let current = state.current;
            let steps = state.steps.clone();
            let method = state.slug.clone();
            view! {
                <LiveStep group dilemma method status current steps/>
                {controls}
                {minutes}
                {restart}
                {(!leads).then(|| view! {
                    <p class="field-hint">"De begeleider zet de volgende stap. "<a href=format!("/intervisie/{group}/dilemmas/{dilemma}#methode")>"Vernieuw om mee te gaan"</a></p>
                })}
            }
            .into_any()
        }
    };
    view! {
        <section id="methode" aria-labelledby="methode-titel">
            <h2 id="methode-titel">"Methode"</h2>
            {body}
        </section>
    }
}

/// The methods to choose from: `(slug, "Name (7 stappen, 65 min)")`.
fn method_options() -> Vec<(String, String)> {
    METHODS
        .iter()
        .map(|m| {
            let minutes: u32 = m.steps.iter().map(|s| s.minutes).sum();
            (
                m.slug.to_owned(),
                format!("{} ({} stappen, {minutes} min)", m.name, m.steps.len()),
            )
        })
        .collect()
}

/// The facilitator's time box per step for this meeting; a refused form comes back as typed.
#[component]
fn MinutesForm(
    action: String,
    steps: Vec<(String, String, u32)>,
    draft: Option<(Vec<String>, String)>,
) -> impl IntoView {
    let (typed, error) = match draft {
        Some((typed, error)) => (Some(typed), Some(error)),
        None => (None, None),
    };
    let inputs = steps
        .iter()
        .enumerate()
        .map(|(index, (title, _, minutes))| {
            let value = typed
                .as_ref()
                .and_then(|typed| typed.get(index).cloned())
                .unwrap_or_else(|| minutes.to_string());
            let id = format!("minuten-{index}");
            view! {
                <div class="field minutes-field">
                    <label for=id.clone()>{format!("{}. {title}", index + 1)}</label>
                    <input id=id type="number" name="minutes" value=value min="1" max=MAX_STEP_MINUTES.to_string()
                        aria-describedby=error.as_ref().map(|_| "fout-minuten")/>
                </div>
            }
        })
        .collect_view();
    let refused = error.is_some();
    view! {
        <details open=refused>
            <summary>"Minuten voor deze bijeenkomst aanpassen"</summary>
            <form method="post" action=action class="stacked-form">
                <FieldError id="fout-minuten" message=error/>
                {inputs}
                <div class="form-actions">
                    <button type="submit" class="button secondary">"Minuten opslaan"</button>
                </div>
            </form>
        </details>
    }
}

/// The current step and the list of steps with it marked, kept current while the page is
/// open: once hydrated it asks the server every five seconds, so every member's screen
/// follows the facilitator; without JavaScript a reload does the same.
#[island]
fn LiveStep(
    group: i32,
    dilemma: i32,
    /// The running method's slug; another one (a switch) reloads the page with its steps.
    method: String,
    status: String,
    current: usize,
    /// `(title, text, minutes)` per step.
    steps: Vec<(String, String, u32)>,
) -> impl IntoView {
    let position = RwSignal::new((current, status));
    #[cfg(feature = "hydrate")]
    {
        let poll = move || {
            let method = method.clone();
            leptos::task::spawn_local(async move {
                // A failed request leaves the page as it was; the next one tries again.
                match crate::intervision::api::current_method_step(group, dilemma).await {
                    Ok(Some((slug, current, status))) if slug == method => {
                        let now = (current, status);
                        if position.with_untracked(|shown| *shown != now) {
                            position.set(now);
                        }
                    }
                    Ok(_) => reload(),
                    Err(_) => {}
                }
            });
        };
        let _ = set_interval_with_handle(poll, std::time::Duration::from_secs(5));
    }
    // On the server the island only renders what is.
    #[cfg(not(feature = "hydrate"))]
    let _ = (group, dilemma, method);
    let at = move || position.with(|(current, _)| *current);
    let steps = steps
        .into_iter()
        .enumerate()
        .map(|(index, (title, text, minutes))| {
            view! {
                <li aria-current=move || (index == at()).then_some("step")
                    class:current-step=move || index == at()
                    class:done-step=move || index < at()>
                    <strong>{title}</strong>{format!(" · {minutes} min")}
                    <br/>{text}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="notice" role="status" id="huidige-stap">{move || position.with(|(_, status)| status.clone())}</p>
        <ol class="method-steps">{steps}</ol>
    }
}

/// A member's dilemma page before the facilitator starts a method: it follows, loading the
/// method's steps once it starts (without JavaScript, the link reloads by hand).
#[island]
fn MethodAwaited(group: i32, dilemma: i32) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let poll = move || {
            leptos::task::spawn_local(async move {
                if let Ok(Some(_)) =
                    crate::intervision::api::current_method_step(group, dilemma).await
                {
                    reload();
                }
            });
        };
        let _ = set_interval_with_handle(poll, std::time::Duration::from_secs(5));
    }
    view! {
        <p role="status">
            "De begeleider kiest een methode voor dit dilemma; deze pagina volgt zodra die begint. "
            <a href=format!("/intervisie/{group}/dilemmas/{dilemma}#methode")>"Vernieuwen"</a>
        </p>
    }
}

/// Loads the page again, at the method.
#[cfg(feature = "hydrate")]
fn reload() {
    let _ = window().location().reload();
}

#[component]
fn FollowUp(group: i32, actions: Vec<ActionPointView>) -> impl IntoView {
    if actions.is_empty() {
        return view! { <p>"Geen openstaande actiepunten."</p> }.into_any();
    }
    view! {
        <ul class="follow-up">
            {actions
                .into_iter()
                .map(|action| {
                    let select_id = format!("status-actie-{}", action.id);
                    let choices = [ActionStatus::Done, ActionStatus::Continued, ActionStatus::Dropped]
                        .into_iter()
                        .map(|status| view! { <option value=status.slug() selected=status == action.status>{status.label()}</option> })
                        .collect_view();
                    view! {
                        <li id=format!("actie-{}", action.id)>
                            <p>
                                {action.text}
                                <span class="meta">
                                    {format!(" · {}{}{}", action.owner, action.due.map(|d| format!(" · uiterlijk {d}")).unwrap_or_default(),
                                        if action.status == ActionStatus::Continued { " · loopt door" } else { "" })}
                                    " · "<a href=format!("/intervisie/{group}/dilemmas/{}", action.dilemma_id)>{format!("dilemma {}", action.dilemma_id)}</a>
                                </span>
                            </p>
                            {action.may_change.then(|| view! {
                                <form method="post" action=format!("/intervisie/{group}/actiepunten/{}", action.id) class="inline-actions">
                                    <label for=select_id.clone()>"Stand"</label>
                                    <select id=select_id name="status">{choices}</select>
                                    <button type="submit" class="button small secondary">"Bijwerken"</button>
                                </form>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn MeetingList(group: i32, meetings: Vec<MeetingView>, is_facilitator: bool) -> impl IntoView {
    if meetings.is_empty() {
        return view! { <p>"Nog geen bijeenkomsten gepland."</p> }.into_any();
    }
    let columns: &'static [&'static str] = if is_facilitator {
        &["Datum", "Tijd", "Plaats", "Begeleider"]
    } else {
        &["Datum", "Tijd", "Plaats"]
    };
    view! {
        <DataTable label="Geplande bijeenkomsten" columns=columns>
            {meetings
                .into_iter()
                .map(|m| {
                    let place = match (&m.link, m.cancelled) {
                        (_, true) => view! { <span>"Afgelast"</span> }.into_any(),
                        (Some(link), false) => view! {
                            <span>{m.location.clone()}" · "<a href=link.clone() rel="noopener noreferrer">"deelnemen"</a></span>
                        }
                        .into_any(),
                        (None, false) => view! { <span>{m.location.clone()}</span> }.into_any(),
                    };
                    let actions = is_facilitator.then(|| {
                        let base = format!("/intervisie/{group}/bijeenkomsten/{}", m.id);
                        let action = if m.cancelled && m.past {
                            None
                        } else if m.cancelled {
                            Some(view! {
                                <form method="post" action=format!("{base}/herstellen") class="inline-actions">
                                    <button type="submit" class="button small secondary">{format!("Herstellen ({})", m.date)}</button>
                                </form>
                            }
                            .into_any())
                        } else if m.past {
                            Some(view! { <a href=base.clone()>"Aanwezigheid"</a> }.into_any())
                        } else {
                            Some(view! {
                                <form method="post" action=format!("{base}/afgelasten") class="inline-actions">
                                    <a href=base.clone()>{format!("Verplaatsen ({})", m.date)}</a>
                                    <button type="submit" class="button small secondary">{format!("Afgelasten ({})", m.date)}</button>
                                </form>
                            }
                            .into_any())
                        };
                        view! { <td>{action}</td> }
                    });
                    // Each meeting's page holds its notes, for everyone in the group.
                    let page = format!("/intervisie/{group}/bijeenkomsten/{}", m.id);
                    view! {
                        <tr class:cancelled=m.cancelled>
                            <td><a href=page>{m.date.clone()}</a></td>
                            <td>{m.time.clone()}</td>
                            <td>{place}</td>
                            {actions}
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}

#[component]
fn SeriesFormSection(
    group: i32,
    form: SeriesForm,
    errors: crate::error::FieldErrors,
) -> impl IntoView {
    let error = |field: &str| errors.get(field).cloned();
    let labels = [
        ("first_date", "Eerste bijeenkomst"),
        ("start", "Begin"),
        ("end", "Einde"),
        ("every_weeks", "Om de zoveel weken"),
        ("count", "Aantal bijeenkomsten"),
        ("location", "Plaats of 'online'"),
        ("link", "Link voor online deelname"),
    ];
    let summary = labels
        .iter()
        .filter_map(|(field, label)| {
            errors
                .get(*field)
                .map(|message| ((*field).to_owned(), format!("{label}: {message}")))
        })
        .collect::<Vec<_>>();
    view! {
        <details open=!errors.is_empty()>
            <summary>"Bijeenkomsten plannen"</summary>
            <ErrorSummary items=summary/>
            <form method="post" action=format!("/intervisie/{group}/bijeenkomsten") class="stacked-form">
                <TextField field="first_date" name="first_date" label="Eerste bijeenkomst" value=form.first_date error=error("first_date") kind="date"/>
                <TextField field="start" name="start" label="Begin" value=form.start error=error("start") kind="time"/>
                <TextField field="end" name="end" label="Einde" value=form.end error=error("end") kind="time"/>
                <TextField field="every_weeks" name="every_weeks" label="Om de zoveel weken" value=form.every_weeks error=error("every_weeks") kind="number"/>
                <TextField field="count" name="count" label="Aantal bijeenkomsten" value=form.count error=error("count") kind="number"/>
                <TextField field="location" name="location" label="Plaats of 'online'" value=form.location error=error("location")/>
                <TextField field="link" name="link" label="Link voor online deelname" value=form.link error=error("link") kind="url"
                    hint="Alleen de leden van de groep zien deze link."/>
                <div class="form-actions">
                    <button type="submit" class="button">"Bijeenkomsten plannen"</button>
                </div>
            </form>
        </details>
    }
}

#[component]
pub fn AttendancePage() -> impl IntoView {
    let group = group_param();
    let meeting = id_param("meeting");
    let sheet = Resource::new(move || (group, meeting), |(g, m)| get_meeting(g, m));
    view! {
        <Loaded resource=sheet let:sheet>
            <AttendanceForm sheet/>
        </Loaded>
    }
}

#[component]
fn AttendanceForm(sheet: AttendanceSheet) -> impl IntoView {
    let AttendanceSheet {
        group_id,
        group_name,
        meeting,
        leads,
        rows,
        move_form,
        move_errors,
        notes,
        note_draft,
        notice,
        agenda,
        agenda_candidates,
        follow_up,
        closed,
    } = sheet;
    let heading = format!("Bijeenkomst {}", meeting.date);
    let agenda_view = view! {
        <AgendaSection group=group_id meeting=meeting.id items=agenda candidates=agenda_candidates
            leads editable=!meeting.cancelled && !closed/>
    };
    let follow_up_view = follow_up.map(|actions| view! {
        <section id="opvolgronde" aria-labelledby="opvolgronde-titel">
            <h2 id="opvolgronde-titel">"Opvolgronde"</h2>
            <p class="field-hint">"Deze bijeenkomst begint met de actiepunten die nog openstaan."</p>
            <FollowUp group=group_id actions/>
        </section>
    });
    let notes_view =
        view! { <MeetingNotes group=group_id meeting=meeting.id notes draft=note_draft/> };
    let moving = (leads && !meeting.past && !meeting.cancelled).then(|| {
        view! { <MoveMeetingSection group=group_id meeting=meeting.id form=move_form errors=move_errors/> }
    });
    let body = if meeting.cancelled {
        view! { <p>"Deze bijeenkomst is afgelast."</p> }.into_any()
    } else if !meeting.past {
        view! { <p>"De aanwezigheid vult u in zodra de bijeenkomst begonnen is."</p> }.into_any()
    } else if rows.is_empty() {
        view! { <p>"De groep heeft nog geen leden."</p> }.into_any()
    } else {
        view! {
            <form method="post" action=format!("/intervisie/{group_id}/bijeenkomsten/{}/aanwezigheid", meeting.id)>
                {rows
                    .into_iter()
                    .map(|(user, name, status)| {
                        let options = Attendance::ALL
                            .into_iter()
                            .map(|a| {
                                let id = format!("status-{user}-{}", a.slug());
                                view! {
                                    <label class="checkbox" for=id.clone()>
                                        <input type="radio" id=id.clone() name=format!("status[{user}]") value=a.slug()
                                            checked=status == Some(a)/>
                                        {a.label()}
                                    </label>
                                }
                            })
                            .collect_view();
                        view! {
                            <fieldset class="attendance-row">
                                <legend>{name}</legend>
                                {options}
                            </fieldset>
                        }
                    })
                    .collect_view()}
                <div class="form-actions">
                    <button type="submit" class="button">"Aanwezigheid opslaan"</button>
                </div>
            </form>
        }
        .into_any()
    };
    view! {
        <Title text=heading.clone()/>
        <header class="page-header">
            <p class="eyebrow"><a href=format!("/intervisie/{group_id}")>{group_name}</a></p>
            <h1>{heading}</h1>
            <p class="lead">{format!("{} · {}", meeting.time, meeting.location)}</p>
        </header>
        {notice_view(notice)}
        {follow_up_view}
        {agenda_view}
        {notes_view}
        {moving}
        {leads.then(|| view! { <h2>"Aanwezigheid"</h2>{body} })}
    }
}

/// The meeting's agenda: each dilemma (linked) with the method used for it; the facilitator
/// starts a method from here, takes an item off (before a method ran) and adds dilemmas.
#[component]
fn AgendaSection(
    group: i32,
    meeting: i32,
    items: Vec<AgendaItemView>,
    candidates: Vec<(i32, String)>,
    leads: bool,
    editable: bool,
) -> impl IntoView {
    let base = format!("/intervisie/{group}/bijeenkomsten/{meeting}/agenda");
    let list = if items.is_empty() {
        view! { <p>"Er staat nog niets op de agenda."</p> }.into_any()
    } else {
        view! {
            <ol class="agenda">
                {items
                    .into_iter()
                    .map(|item| {
                        let title = match &item.dilemma {
                            Some((dilemma, question)) => view! {
                                <a href=format!("/intervisie/{group}/dilemmas/{dilemma}")>{question.clone()}</a>
                            }.into_any(),
                            None => view! { <span>"Dilemma niet meer bewaard"</span> }.into_any(),
                        };
                        let used = item.method.clone().map(|method| view! {
                            <span class="meta">{format!(" · Methode: {method}")}</span>
                        });
                        let actions = (leads && editable && item.method.is_none() && item.dilemma.is_some()).then(|| {
                            let select = format!("methode-agenda-{}", item.id);
                            view! {
                                <div class="inline-actions">
                                    <form method="post" action=format!("{base}/{}/methode", item.id) class="inline-actions">
                                        <label for=select.clone()>"Methode"</label>
                                        <select id=select name="method" required>
                                            <option value="">"Kies…"</option>
                                            {method_options().into_iter().map(|(slug, label)| view! { <option value=slug>{label}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class="button small">"Methode starten"</button>
                                    </form>
                                    <form method="post" action=format!("{base}/{}/verwijderen", item.id)>
                                        <button type="submit" class="button small secondary">"Van de agenda halen"</button>
                                    </form>
                                </div>
                            }
                        });
                        view! { <li id=format!("agendapunt-{}", item.id)><p>{title}{used}</p>{actions}</li> }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    let add = (leads && editable && !candidates.is_empty()).then(|| {
        let options = candidates
            .into_iter()
            .map(|(id, question)| (id.to_string(), question))
            .collect::<Vec<_>>();
        view! {
            <form method="post" action=base.clone() class="stacked-form">
                <SelectField field="agenda-dilemma" name="dilemma" label="Dilemma op de agenda zetten" options selected="" error=None placeholder="Kies een dilemma…"/>
                <div class="form-actions">
                    <button type="submit" class="button secondary">"Op de agenda"</button>
                </div>
            </form>
        }
    });
    view! {
        <section id="agenda" aria-labelledby="agenda-titel">
            <h2 id="agenda-titel">"Agenda"</h2>
            {list}
            {add}
        </section>
    }
}

/// Replies or notes, oldest first, each writer's own with a delete button
/// (`<delete_base>/<id>/verwijderen`); each item is anchored as `<anchor>-<id>`.
#[component]
fn PostList(
    posts: Vec<PostView>,
    anchor: &'static str,
    delete_base: String,
    delete_label: &'static str,
    empty: &'static str,
) -> impl IntoView {
    if posts.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <ol class="thread">
            {posts
                .into_iter()
                .map(|post| {
                    let delete = post.mine.then(|| view! {
                        <form method="post" action=format!("{delete_base}/{}/verwijderen", post.id) class="inline-actions">
                            <button type="submit" class="button small secondary">{delete_label}</button>
                        </form>
                    });
                    view! {
                        <li id=format!("{anchor}-{}", post.id)>
                            <p class="meta">{format!("{} · {}", post.author, post.written_at)}</p>
                            <p class="preserve-lines">{post.text}</p>
                            {delete}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

/// What the group logged at a meeting, and the form to add to it (guarded like replies).
#[component]
fn MeetingNotes(group: i32, meeting: i32, notes: Vec<PostView>, draft: PostDraft) -> impl IntoView {
    let base = format!("/intervisie/{group}/bijeenkomsten/{meeting}/notities");
    let list = view! {
        <PostList posts=notes anchor="notitie" delete_base=base.clone()
            delete_label="Verwijder mijn notitie" empty="Nog geen notities bij deze bijeenkomst."/>
    };
    let error = draft.errors.get(REPLY_FIELD).cloned();
    let summary = error
        .clone()
        .map(|message| vec![(REPLY_FIELD.to_owned(), format!("Notitie: {message}"))])
        .unwrap_or_default();
    let flag = draft
        .flag
        .map(|flag| view! { <GuardFindings field=flag.field segments=flag.segments/> });
    let not_names = draft.only_names.then(|| view! { <NotNames/> });
    view! {
        <section id="notities" aria-labelledby="notities-titel">
            <h2 id="notities-titel">"Notities"</h2>
            {list}
        </section>
        <section id="notitie-schrijven" aria-labelledby="notitie-schrijven-titel">
            <h2 id="notitie-schrijven-titel">"Notitie toevoegen"</h2>
            <ErrorSummary items=summary/>
            <form method="post" action=base.clone() class="stacked-form">
                <TextArea field=REPLY_FIELD name=REPLY_FIELD label="Uw notitie" value=draft.text error rows=4
                    hint="Wat de groep besprak of afsprak, zonder namen of herleidbare details."/>
                {flag}
                {not_names}
                <div class="form-actions">
                    <button type="submit" class="button">"Notitie opslaan"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn MoveMeetingSection(
    group: i32,
    meeting: i32,
    form: MoveMeetingForm,
    errors: crate::error::FieldErrors,
) -> impl IntoView {
    let error = |field: &str| errors.get(field).cloned();
    let labels = [("date", "Datum"), ("start", "Begin"), ("end", "Einde")];
    let summary = labels
        .iter()
        .filter_map(|(field, label)| {
            errors
                .get(*field)
                .map(|message| ((*field).to_owned(), format!("{label}: {message}")))
        })
        .collect::<Vec<_>>();
    view! {
        <section aria-labelledby="verplaatsen">
            <h2 id="verplaatsen">"Verplaatsen"</h2>
            <ErrorSummary items=summary/>
            <form method="post" action=format!("/intervisie/{group}/bijeenkomsten/{meeting}/verplaatsen") class="stacked-form">
                <TextField field="date" name="date" label="Datum" value=form.date error=error("date") kind="date"/>
                <TextField field="start" name="start" label="Begin" value=form.start error=error("start") kind="time"/>
                <TextField field="end" name="end" label="Einde" value=form.end error=error("end") kind="time"/>
                <div class="form-actions">
                    <button type="submit" class="button">"Bijeenkomst verplaatsen"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
pub fn IntervisionRecordPage() -> impl IntoView {
    let record = Resource::new(|| (), |_| my_intervision_record());
    view! {
        <Title text="Mijn intervisieverslag"/>
        <Loaded resource=record let:record>
            <RecordSheet record/>
        </Loaded>
    }
}

#[component]
fn RecordSheet(record: IntervisionRecord) -> impl IntoView {
    let IntervisionRecord {
        name,
        register_numbers,
        groups,
        total_hours,
        issued_by,
        issued_on,
    } = record;
    let body = if groups.is_empty() {
        view! { <p>"Er is nog geen aanwezigheid bij intervisie vastgelegd."</p> }.into_any()
    } else {
        groups
            .into_iter()
            .map(|g| {
                let role = if g.as_facilitator { "als begeleider" } else { "als deelnemer" };
                let methods = if g.methods.is_empty() {
                    "geen vastgelegd".to_owned()
                } else {
                    g.methods.join(", ")
                };
                view! {
                    <section class="record-group">
                        <h2>{format!("{} ({role})", g.name)}</h2>
                        <dl class="facts">
                            <dt>"Begeleiding"</dt><dd>{g.facilitators.join(", ")}</dd>
                            <dt>"Groepsgrootte"</dt><dd>{format!("{} personen", g.size)}</dd>
                            <dt>"Gebruikte methoden"</dt><dd>{methods}</dd>
                            <dt>"Uren"</dt><dd>{g.hours.clone()}</dd>
                        </dl>
                        <DataTable label=if g.as_facilitator { "Begeleide bijeenkomsten" } else { "Bijgewoonde bijeenkomsten" } columns=&["Datum", "Tijd"]>
                            {g.meetings
                                .into_iter()
                                .map(|(date, time)| view! { <tr><td>{date}</td><td>{time}</td></tr> })
                                .collect_view()}
                        </DataTable>
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    let numbers = if register_numbers.is_empty() {
        "geen opgegeven (vul ze aan in uw profiel)".to_owned()
    } else {
        register_numbers
            .iter()
            .map(|(register, number)| format!("{register} {number}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <header class="page-header">
            <p class="eyebrow"><a href="/intervisie">"Mijn intervisiegroepen"</a></p>
            <h1>"Mijn intervisieverslag"</h1>
            <p class="lead">
                {format!("{name}: intervisie, {total_hours} in totaal. ")}
                "Zonder inhoud van de besproken dilemma's; geschikt als reflectieverklaring bij herregistratie (SKJ). "
                "Print deze pagina of sla haar op als pdf."
            </p>
        </header>
        <dl class="facts">
            <dt>"Naam"</dt><dd>{name.clone()}</dd>
            <dt>"Registratienummers"</dt><dd>{numbers}</dd>
            <dt>"Afgegeven door"</dt><dd>{format!("{issued_by}, via het leerplatform, op {issued_on}")}</dd>
        </dl>
        {body}
    }
}

#[component]
fn DilemmaList(group: i32, dilemmas: Vec<DilemmaSummary>) -> impl IntoView {
    if dilemmas.is_empty() {
        return view! { <p>"Nog geen dilemma's ingebracht."</p> }.into_any();
    }
    // A list, not a table: at 390 px each dilemma's link is the first thing in its row.
    view! {
        <ul class="dilemma-list">
            {dilemmas
                .into_iter()
                .map(|d| view! {
                    <li id=format!("dilemma-{}", d.id)>
                        <a href=format!("/intervisie/{group}/dilemmas/{}", d.id)>{d.question.clone()}</a>
                        <span class="meta">{format!(
                            " · ingebracht op {}{} · {} · {}",
                            d.brought_in_on,
                            if d.by_me { " door u" } else { "" },
                            d.work_field,
                            d.phenomenon
                        )}</span>
                    </li>
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// What the guard found in one field: the text with each finding marked, and what to do.
#[component]
fn GuardFindings(#[prop(into)] field: String, segments: Vec<Segment>) -> impl IntoView {
    let mut hints: Vec<(String, String)> =
        segments.iter().filter_map(|s| s.finding.clone()).collect();
    hints.sort();
    hints.dedup();
    view! {
        <div class="guard-findings" id=format!("markering-{field}")>
            <p class="guard-label">"Gemarkeerd in wat u schreef:"</p>
            <p class="guard-text">
                {segments
                    .into_iter()
                    .map(|segment| match segment.finding {
                        Some((kind, _)) => view! {
                            <mark title=kind.clone()>{segment.text}<span class="visually-hidden">{format!(" ({kind})")}</span></mark>
                        }
                        .into_any(),
                        None => view! { <span>{segment.text}</span> }.into_any(),
                    })
                    .collect_view()}
            </p>
            <ul class="guard-hints">
                {hints
                    .into_iter()
                    .map(|(kind, hint)| view! { <li><strong>{kind}</strong>": "{hint}</li> })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// The writer's override of name findings, offered only when every finding is a name.
#[component]
fn NotNames() -> impl IntoView {
    view! {
        <div class="field">
            <label class="checkbox" for="not_names">
                <input type="checkbox" id="not_names" name="not_names" value="on"/>
                "Dit zijn geen persoonsnamen. Sla de tekst op zoals hij er staat."
            </label>
            <p class="field-hint">"Dat u dit aangaf wordt vastgelegd; de woorden zelf niet."</p>
        </div>
    }
}

#[component]
fn DilemmaFormSection(group: i32, draft: DilemmaDraft) -> impl IntoView {
    view! {
        <DilemmaFormView draft action=format!("/intervisie/{group}/dilemmas")
            heading="Dilemma inbrengen" button="Dilemma opslaan"/>
    }
}

/// `/intervisie/<group>/dilemmas/<id>/bewerken`: the author completes or corrects their
/// dilemma after the meeting (the form promises it), through the guard again.
#[component]
pub fn DilemmaEditPage() -> impl IntoView {
    let group = group_param();
    let dilemma = id_param("dilemma");
    let edit = Resource::new(move || (group, dilemma), |(g, d)| get_dilemma_edit(g, d));
    view! {
        <Title text="Dilemma aanvullen of wijzigen"/>
        <Loaded resource=edit let:edit>
            {
                let page = format!("/intervisie/{}/dilemmas/{}", edit.group_id, edit.dilemma_id);
                view! {
                    <p class="eyebrow"><a href=format!("/intervisie/{}", edit.group_id)>{edit.group_name.clone()}</a></p>
                    <DilemmaFormView draft=edit.draft action=format!("{page}/bewerken")
                        heading="Dilemma aanvullen of wijzigen" button="Wijzigingen opslaan"/>
                    <p><a href=page.clone()>"Terug naar het dilemma zonder op te slaan"</a></p>
                }
            }
        </Loaded>
    }
}

/// `/intervisie/<group>/dilemmas/<id>/verwijderen`: the author confirms deleting their
/// dilemma and its thread (a page, so it works without JavaScript).
#[component]
pub fn DilemmaDeletePage() -> impl IntoView {
    let group = group_param();
    let dilemma = id_param("dilemma");
    let edit = Resource::new(move || (group, dilemma), |(g, d)| get_dilemma_edit(g, d));
    view! {
        <Title text="Dilemma verwijderen"/>
        <Loaded resource=edit let:edit>
            {
                let page = format!("/intervisie/{}/dilemmas/{}", edit.group_id, edit.dilemma_id);
                let question = edit.draft.form.text(DilemmaField::Question).to_owned();
                view! {
                    <header class="page-header">
                        <p class="eyebrow"><a href=format!("/intervisie/{}", edit.group_id)>{edit.group_name.clone()}</a></p>
                        <h1>"Dilemma verwijderen"</h1>
                    </header>
                    <p>"Wilt u dit dilemma verwijderen? De reacties en actiepunten erbij gaan ook weg; dat kan niet ongedaan worden gemaakt."</p>
                    <blockquote class="agreement-text">{question}</blockquote>
                    <form method="post" action=format!("{page}/verwijderen") class="form-actions">
                        <button type="submit" class="button danger">"Ja, verwijderen"</button>
                        <a href=page.clone() class="button secondary">"Nee, terug naar het dilemma"</a>
                    </form>
                }
            }
        </Loaded>
    }
}

/// The dilemma form: bringing one in, or the author's edit of one.
#[component]
fn DilemmaFormView(
    draft: DilemmaDraft,
    action: String,
    heading: &'static str,
    button: &'static str,
) -> impl IntoView {
    let DilemmaDraft {
        form,
        errors,
        flags,
        only_names,
    } = draft;
    let error = |field: &str| errors.get(field).cloned();
    let mut summary = Vec::new();
    for (field, label) in [
        ("work_field", "Werkterrein"),
        ("phenomenon", "Fenomeen"),
        (THEMES_FIELD, "Thema's"),
    ] {
        if let Some(message) = errors.get(field) {
            summary.push((field.to_owned(), format!("{label}: {message}")));
        }
    }
    for field in DilemmaField::ALL {
        if let Some(message) = errors.get(field.slug()) {
            summary.push((
                field.slug().to_owned(),
                format!("{}: {message}", field.label()),
            ));
        }
    }
    let options = |all: Vec<(String, String)>| all;
    let work_fields = options(
        WorkField::ALL
            .into_iter()
            .map(|w| (w.slug().to_owned(), w.label().to_owned()))
            .collect(),
    );
    let phenomena = options(
        Phenomenon::ALL
            .into_iter()
            .map(|p| (p.slug().to_owned(), p.label().to_owned()))
            .collect(),
    );
    let themes: Vec<(String, String)> = Theme::practice()
        .map(|t| (t.slug().to_owned(), t.label().to_owned()))
        .collect();
    let text_fields = DilemmaField::ALL
        .into_iter()
        .map(|field| {
            let flag = flags.iter().find(|f| f.field == field.slug()).cloned();
            view! {
                <TextArea field=field.slug() name=field.slug() label=field.label()
                    value=form.text(field).to_owned() error=error(field.slug()) hint=field.hint()
                    rows=if field.required() { 5 } else { 3 }/>
                {flag.map(|flag| view! { <GuardFindings field=flag.field segments=flag.segments/> })}
            }
        })
        .collect_view();
    let override_box = only_names.then(|| view! { <NotNames/> });
    view! {
        <section id="dilemma-formulier" aria-labelledby="dilemma-formulier-titel">
            <h2 id="dilemma-formulier-titel">{heading}</h2>
            <p>
                "Beschrijf de situatie zonder namen of herleidbare details. Bij het opslaan zoekt het platform naar "
                "persoonsgegevens (namen, BSN, telefoonnummers, adressen…); vindt het iets, dan wordt er niets "
                "opgeslagen en ziet u wat u kunt aanpassen. Wat u typte, blijft staan."
            </p>
            <ErrorSummary items=summary/>
            <form method="post" action=action class="stacked-form">
                <SelectField field="work_field" name="work_field" label="Werkterrein" options=work_fields
                    selected=form.work_field.clone() error=error("work_field") placeholder="Kies…"/>
                <SelectField field="phenomenon" name="phenomenon" label="Fenomeen" options=phenomena
                    selected=form.phenomenon.clone() error=error("phenomenon") placeholder="Kies…"/>
                <CheckboxGroup field=THEMES_FIELD id=THEMES_FIELD name=THEMES_FIELD
                    legend="Waar gaat het dilemma nog meer over? (niet verplicht; alleen geteld, zodat het kennisteam ziet waar factsheets nodig zijn)"
                    options=themes checked=form.themes.clone() error=error(THEMES_FIELD)/>
                {text_fields}
                {override_box}
                <div class="form-actions">
                    <button type="submit" class="button">{button}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
pub fn DilemmaPage() -> impl IntoView {
    let group = group_param();
    let dilemma = id_param("dilemma");
    let reads_page = use_query_map()
        .read_untracked()
        .get("gelezen")
        .and_then(|p| p.parse::<u64>().ok());
    let view_data = Resource::new(
        move || (group, dilemma, reads_page),
        |(g, d, page)| get_dilemma(g, d, page),
    );
    view! {
        <Loaded resource=view_data let:dilemma>
            <DilemmaArticle dilemma/>
        </Loaded>
    }
}

#[component]
fn DilemmaArticle(dilemma: DilemmaView) -> impl IntoView {
    let DilemmaView {
        id,
        group_id,
        group_name,
        work_field,
        phenomenon,
        brought_in_on,
        brought_in_by,
        fields,
        reads,
        reads_page,
        reads_pages,
        mine,
        posts,
        reply,
        notice,
        action_points,
        people,
        action_draft,
        method,
        leads,
        minutes_draft,
    } = dilemma;
    let method_view =
        view! { <MethodSection group=group_id dilemma=id method leads minutes_draft/> };
    let actions = if action_points.is_empty() {
        view! { <p>"Nog geen actiepunten."</p> }.into_any()
    } else {
        view! {
            <ul class="action-points">
                {action_points
                    .into_iter()
                    .map(|a| view! {
                        <li>{a.text}<span class="meta">{format!(" · {} · {}{}", a.owner, a.status.label(), a.due.map(|d| format!(" · uiterlijk {d}")).unwrap_or_default())}</span></li>
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let action_error = |field: &str| action_draft.errors.get(field).cloned();
    let action_summary: Vec<(String, String)> = [
        (ACTION_FIELD, "Actiepunt"),
        ("owner", "Wie"),
        ("due_on", "Uiterlijk"),
    ]
    .into_iter()
    .filter_map(|(field, label)| {
        action_draft
            .errors
            .get(field)
            .map(|m| (field.to_owned(), format!("{label}: {m}")))
    })
    .collect();
    let owners: Vec<(String, String)> = people
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    let action_flag = action_draft
        .flag
        .clone()
        .map(|flag| view! { <GuardFindings field=flag.field segments=flag.segments/> });
    let action_override = action_draft.only_names.then(|| view! { <NotNames/> });
    let thread = view! {
        <PostList posts anchor="reactie" delete_base=format!("/intervisie/{group_id}/dilemmas/{id}/reacties")
            delete_label="Verwijder mijn reactie" empty="Nog geen reacties."/>
    };
    let reply_error = reply.errors.get(REPLY_FIELD).cloned();
    let summary = reply_error
        .clone()
        .map(|message| vec![(REPLY_FIELD.to_owned(), format!("Reactie: {message}"))])
        .unwrap_or_default();
    let reply_flag = reply
        .flag
        .map(|flag| view! { <GuardFindings field=flag.field segments=flag.segments/> });
    let reply_override = reply.only_names.then(|| view! { <NotNames/> });
    let heading = format!("Dilemma {id}");
    let reads = reads.map(|reads| {
        let page_href = move |page: u64| format!("/intervisie/{group_id}/dilemmas/{id}?gelezen={page}#gelezen-titel");
        view! {
            <section aria-labelledby="gelezen-titel">
                <h2 id="gelezen-titel">"Wie dit dilemma las"</h2>
                <p class="field-hint">"De begeleiders en wie het dilemma inbracht zien dit overzicht: één regel per lezer per dag, de nieuwste eerst."</p>
                <DataTable label="Gelezen door" columns=&["Lezer", "Gelezen op"]>
                    {reads
                        .into_iter()
                        .map(|r| view! { <tr><td>{r.reader}</td><td>{r.read_at}</td></tr> })
                        .collect_view()}
                </DataTable>
                <Pager page=reads_page page_count=reads_pages href=page_href/>
            </section>
        }
    });
    view! {
        <Title text=heading.clone()/>
        <header class="page-header">
            <p class="eyebrow"><a href=format!("/intervisie/{group_id}")>{group_name}</a></p>
            <h1>{heading}</h1>
            <p class="meta">{format!("{work_field} · {phenomenon} · ingebracht op {brought_in_on} door {brought_in_by}")}</p>
        </header>
        <dl class="dilemma-fields">
            {fields
                .into_iter()
                .map(|(label, text)| view! { <dt>{label}</dt><dd class="preserve-lines">{text}</dd> })
                .collect_view()}
        </dl>
        {mine.then(|| view! {
            <p class="inline-actions">
                <a href=format!("/intervisie/{group_id}/dilemmas/{id}/bewerken")>"Aanvullen of wijzigen"</a>
                " · "
                <a href=format!("/intervisie/{group_id}/dilemmas/{id}/verwijderen")>"Verwijderen"</a>
            </p>
        })}
        {notice_view(notice)}
        {method_view}
        <section aria-labelledby="reacties-titel">
            <h2 id="reacties-titel">"Reacties"</h2>
            {thread}
        </section>
        <section id="actiepunten" aria-labelledby="actiepunten-titel">
            <h2 id="actiepunten-titel">"Actiepunten"</h2>
            {actions}
            <details open=!action_summary.is_empty()>
                <summary>"Actiepunt toevoegen"</summary>
                <ErrorSummary items=action_summary.clone()/>
                <form method="post" action=format!("/intervisie/{group_id}/dilemmas/{id}/actiepunten") class="stacked-form">
                    <TextField field=ACTION_FIELD name=ACTION_FIELD label="Actiepunt" value=action_draft.text.clone() error=action_error(ACTION_FIELD)
                        hint="Wat er gebeurt, zonder namen: 'gesprek met de mentor plannen'."/>
                    {action_flag}
                    {action_override}
                    <SelectField field="owner" name="owner" label="Wie" options=owners selected=action_draft.owner.clone() error=action_error("owner") placeholder="De groep"/>
                    <TextField field="due_on" name="due_on" label="Uiterlijk" value=action_draft.due_on.clone() error=action_error("due_on") kind="date"/>
                    <div class="form-actions">
                        <button type="submit" class="button secondary">"Actiepunt toevoegen"</button>
                    </div>
                </form>
            </details>
        </section>
        <section id="reageren" aria-labelledby="reageren-titel">
            <h2 id="reageren-titel">"Reageren"</h2>
            <ErrorSummary items=summary/>
            <form method="post" action=format!("/intervisie/{group_id}/dilemmas/{id}/reacties") class="stacked-form">
                <TextArea field=REPLY_FIELD name=REPLY_FIELD label="Uw reactie" value=reply.text error=reply_error rows=4
                    hint="Ook hier zonder namen of herleidbare details; de groep krijgt alleen bericht dát er nieuws is."/>
                {reply_flag}
                {reply_override}
                <div class="form-actions">
                    <button type="submit" class="button">"Reactie plaatsen"</button>
                </div>
            </form>
        </section>
        {reads}
    }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let token = use_params_map()
        .read_untracked()
        .get("token")
        .unwrap_or_default();
    let state = Resource::new(move || token.clone(), get_invitation);
    view! {
        <Title text="Uitnodiging voor een intervisiegroep"/>
        <header class="page-header">
            <h1>"Uitnodiging voor een intervisiegroep"</h1>
        </header>
        <Loaded resource=state let:loaded>
            <Invitation state=loaded.0 logged_in=loaded.1/>
        </Loaded>
    }
}

#[component]
fn Invitation(state: InvitationState, logged_in: bool) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let here = location.pathname.get_untracked();
    match state {
        InvitationState::Unusable(message) => view! { <p class="notice error" role="alert">{message}</p> }.into_any(),
        InvitationState::AlreadyIn { group_id } => view! {
            <p>"U zit al in deze groep. " <a href=format!("/intervisie/{group_id}")>"Naar de groep"</a></p>
        }
        .into_any(),
        InvitationState::Open { group_name } if logged_in => view! {
            <p>{format!("U bent uitgenodigd voor de groep '{group_name}'. Na het lid worden leest en bevestigt u de afspraken over vertrouwelijkheid.")}</p>
            <form method="post" action=here>
                <button type="submit" class="button">"Lid worden"</button>
            </form>
        }
        .into_any(),
        InvitationState::Open { .. } => view! {
            <p>"Log in om lid te worden van de groep waarvoor u bent uitgenodigd."</p>
            <p><a class="button" href=login_href(&here)>"Inloggen"</a></p>
        }
        .into_any(),
    }
}

/// `/beheer/intervisie`: the admins hand groups over and remove members; what is inside a
/// group they never see.
#[component]
pub fn GroupAdministrationPage() -> impl IntoView {
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("pagina")
            .and_then(|page| page.parse::<u64>().ok())
            .unwrap_or(1)
    });
    let groups = Resource::new(move || page.get(), |page| administered_groups(Some(page)));
    view! {
        <Title text="Intervisiegroepen beheren"/>
        <header class="page-header">
            <h1>"Intervisiegroepen"</h1>
            <p class="lead">
                "Wie een groep begeleidt en wie erin zit. Wat in een groep besproken wordt, "
                "zien alleen de leden en de begeleiders, ook beheerders niet."
            </p>
        </header>
        <AdminNav current="/beheer/intervisie"/>
        <Loaded resource=groups let:administration>
            <GroupAdministrationList administration/>
        </Loaded>
    }
}

/// An admin records a meeting held more than 14 days ago (the facilitator cannot), with a
/// reason that goes into the audit log.
#[component]
fn LateMeetingForm(
    group: i32,
    refused: Option<(LateMeetingFields, crate::error::FieldErrors)>,
) -> impl IntoView {
    let open = refused.is_some();
    let (form, errors) = refused.unwrap_or_default();
    let error = |field: &str| errors.get(field).cloned();
    let field = |name: &str| format!("late-{group}-{name}");
    view! {
        <details open=open>
            <summary>"Bijeenkomst achteraf vastleggen"</summary>
            <p class="field-hint">"Voor een bijeenkomst die is gehouden maar niet op tijd is vastgelegd (de begeleider kan dat tot 14 dagen terug). De reden komt in het auditlog."</p>
            <form method="post" action=format!("/beheer/intervisie/{group}/bijeenkomsten") class="stacked-form">
                <TextField field=field("date") name="date" label="Datum" value=form.date error=error("date") kind="date"/>
                <TextField field=field("start") name="start" label="Begin" value=form.start error=error("start") kind="time"/>
                <TextField field=field("end") name="end" label="Einde" value=form.end error=error("end") kind="time"/>
                <TextField field=field("reason") name="reason" label="Reden" value=form.reason error=error("reason")
                    hint="Bijv. 'begeleider was ziek; bijeenkomst is wel doorgegaan'. Geen namen."/>
                <div class="form-actions">
                    <button type="submit" class="button secondary">"Bijeenkomst vastleggen"</button>
                </div>
            </form>
        </details>
    }
}

#[component]
fn GroupAdministrationList(administration: GroupAdministration) -> impl IntoView {
    let GroupAdministration {
        groups,
        page,
        page_count,
        notice,
        refused,
        late_refused,
    } = administration;
    if groups.is_empty() {
        return view! { {notice_view(notice)}<p>"Er zijn nog geen intervisiegroepen."</p> }
            .into_any();
    }
    let list = groups
        .into_iter()
        .map(|group| {
            let id = group.id;
            let form = refused
                .as_ref()
                .filter(|(refused_group, _)| *refused_group == id)
                .map(|(_, form)| form.clone())
                .unwrap_or_default();
            let heading = format!("groep-{id}-titel");
            let facilitators = group
                .facilitators
                .iter()
                .map(|(user, name)| {
                    view! {
                        <li>
                            <form method="post" action=format!("/beheer/intervisie/{id}/begeleiders/{user}/verwijderen") class="inline-actions">
                                <span>{name.clone()}</span>
                                <button type="submit" class="button small secondary">{format!("{name} als begeleider weghalen")}</button>
                            </form>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section id=format!("groep-{id}") class="card" aria-labelledby=heading.clone()>
                    <h2 id=heading.clone()>{group.name}</h2>
                    <p class="meta">{format!("{} leden · {} bijeenkomsten gehouden", group.members.len(), group.meetings_held)}</p>
                    <h3>"Begeleiding"</h3>
                    <ul class="people">{facilitators}</ul>
                    <AccountByEmail
                        action=format!("/beheer/intervisie/{id}/begeleiders")
                        field=format!("facilitator-email-{id}")
                        label="E-mailadres van een intervisiebegeleider"
                        button="Als begeleider toevoegen"
                        form
                        hint="Overdragen: voeg de nieuwe begeleider toe en haal daarna de vorige weg."
                    />
                    <h3>"Leden"</h3>
                    <Members members=group.members remove=Some(format!("/beheer/intervisie/{id}/leden"))/>
                    <LateMeetingForm group=id refused=late_refused.clone().filter(|(refused, _, _)| *refused == id).map(|(_, form, errors)| (form, errors))/>
                </section>
            }
        })
        .collect_view();
    view! {
        {notice_view(notice)}
        {list}
        <Pager page page_count href=|page| format!("/beheer/intervisie?pagina={page}")/>
    }
    .into_any()
}
