//! Identity pages: the profile, the admins' user and audit pages, and the account menu in
//! the header.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};

use crate::error::AppError;
use crate::identity::access::{Action, Role, Viewer, can};
use crate::identity::api::{SaveProfile, SetUserRoles, audit_log, list_users, my_profile};
use crate::identity::model::{
    AdminPages, AuditEventKind, AuditPage, AuditStretch, ProfileForm, RolesSource,
    SaveProfileOutcome, UserSummary,
};
use crate::identity::rules::{FieldErrors, Register, RegisterInput, WorkField};
use crate::paths::login_href;
use crate::ui::{DataTable, FieldError, Loaded, Pager, SelectField, TextField};

/// The logged-in user for the whole page, loaded once by the app shell.
#[derive(Clone, Copy)]
pub struct ViewerResource(pub Resource<Result<Option<Viewer>, AppError>>);

/// The header's account area: login link, or name, role-dependent links and logout.
#[component]
pub fn AccountNav() -> impl IntoView {
    let ViewerResource(viewer) = expect_context::<ViewerResource>();
    let location = use_location();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Some(viewer)) => view! { <SignedInNav viewer/> }.into_any(),
                    _ => {
                        let href = login_href(&location.pathname.get_untracked());
                        view! {
                            <ul class="account-nav">
                                <li>
                                    <a href=href rel="external" class="button small">"Inloggen"</a>
                                </li>
                            </ul>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignedInNav(viewer: Viewer) -> impl IntoView {
    let staff_links = [
        (Action::ViewEditorialDashboard, "/redactie", "Redactie"),
        (Action::ManageRoles, "/beheer/gebruikers", "Gebruikers"),
        (Action::ReadAuditLog, "/beheer/audit", "Auditlog"),
    ];
    // One's own trainings: the runs a trainer gives; a participant's enrolments for those
    // with no staff pages (staff reach theirs from a training's page; the header stays one
    // row at 1280 px).
    let own_trainings = if can(Some(&viewer), Action::ViewOwnRuns) {
        Some((
            Action::ViewOwnRuns,
            "/mijn/uitvoeringen",
            "Mijn uitvoeringen",
        ))
    } else if staff_links
        .iter()
        .all(|(action, _, _)| !can(Some(&viewer), *action))
    {
        Some((Action::Enrol, "/mijn/trainingen", "Mijn trainingen"))
    } else {
        None
    };
    let links = own_trainings
        .into_iter()
        .chain(staff_links)
        .filter(|(action, _, _)| can(Some(&viewer), *action))
        .map(|(_, href, text)| view! { <li><A href=href>{text}</A></li> })
        .collect_view();
    view! {
        <ul class="account-nav">
            {links}
            <li>
                <A href="/profiel" attr:class="account-name">{viewer.greeting_name().to_owned()}</A>
            </li>
            <li>
                <form method="post" action="/auth/logout" class="inline-form">
                    <button type="submit" class="button small secondary">"Uitloggen"</button>
                </form>
            </li>
        </ul>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let query = use_query_map();
    let next = query
        .read_untracked()
        .get("volgende")
        .filter(|n| crate::paths::safe_local_path(n).is_some());
    let form = Resource::new(|| (), |_| my_profile());
    view! {
        <Title text="Mijn profiel"/>
        <Loaded resource=form let:initial>
            <Profile initial next=next.clone()/>
        </Loaded>
    }
}

/// The profile form. Without JavaScript it posts and the page comes back with the outcome; once
/// hydrated a refused save shows what was typed with its errors in place, and a good one reloads
/// the page so the header shows the new name.
#[island]
fn Profile(initial: ProfileForm, next: Option<String>) -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let state = RwSignal::new(initial);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(SaveProfileOutcome::Saved { next: _next })) => {
            #[cfg(feature = "hydrate")]
            if let Some(window) = web_sys::window() {
                match _next {
                    Some(next) => window.location().assign(&next).ok(),
                    None => window.location().reload().ok(),
                };
            }
        }
        // The refused input and its errors wait in the server-side session: show them.
        Some(Ok(SaveProfileOutcome::Invalid(_))) => {
            leptos::task::spawn_local(async move {
                if let Ok(draft) = my_profile().await {
                    state.set(draft);
                }
            });
        }
        _ => {}
    });
    // An expired session says so, with the way back in; what was typed stays in the form.
    let failed = move || {
        save.value()
            .get()
            .and_then(Result::err)
            .map(|error| match error {
                AppError::Unauthenticated => view! {
                    <p class="notice error" role="alert">
                        "Uw sessie is verlopen; er is niets opgeslagen. Wat u typte staat hieronder nog. "
                        <a href=login_href("/profiel") rel="external">"Log opnieuw in"</a>
                        " en sla het daarna op."
                    </p>
                }
                .into_any(),
                error => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
            })
    };
    view! {
        {failed}
        {move || view! { <ProfileEditor state=state.get() save next=next.clone()/> }}
    }
}

fn error_for(errors: &FieldErrors, key: &str) -> Option<String> {
    errors.get(key).cloned()
}

#[component]
fn ProfileEditor(
    state: ProfileForm,
    save: ServerAction<SaveProfile>,
    next: Option<String>,
) -> impl IntoView {
    let ProfileForm {
        input,
        errors,
        complete,
        just_saved,
    } = state;
    // Without JavaScript the form always offers one empty row; with it, rows can be added.
    let mut rows = input.registers.clone();
    rows.push(RegisterInput::default());
    let row_count = RwSignal::new(rows.len());
    let rows = StoredValue::new(rows);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let errors = StoredValue::new(errors);

    view! {
        <header class="page-header">
            <h1>"Mijn profiel"</h1>
            {(!complete).then(|| view! {
                <p class="lead">
                    "Welkom op het leerplatform. Vul eerst uw profiel in: trainers en intervisiebegeleiders zien "
                    "uw naam en organisatie, en registratienummers zijn nodig voor accreditatiepunten."
                </p>
            })}
        </header>
        {just_saved.then(|| view! {
            <p class="notice success" role="status">"Uw profiel is opgeslagen."</p>
        })}
        {next.clone().map(|href| view! {
            <p><a href=href>"Verder naar waar u was"</a></p>
        })}
        <ActionForm action=save attr:class="stacked-form" attr:novalidate="true">
            {next.map(|next| view! { <input type="hidden" name="next" value=next/> })}
            <TextField
                field="display_name"
                name="input[display_name]"
                label="Naam"
                autocomplete="name"
                value=input.display_name.clone()
                error=errors.with_value(|e| error_for(e, "display_name"))
            />
            <TextField
                field="organisation"
                name="input[organisation]"
                label="Organisatie"
                autocomplete="organization"
                value=input.organisation.clone()
                error=errors.with_value(|e| error_for(e, "organisation"))
            />
            <SelectField
                field="work_field"
                name="input[work_field]"
                label="Werkterrein"
                placeholder="Kies uw werkterrein"
                options=WorkField::ALL
                    .into_iter()
                    .map(|w| (w.slug().to_owned(), w.label().to_owned()))
                    .collect()
                selected=input.work_field.clone()
                error=errors.with_value(|e| error_for(e, "work_field"))
            />
            <fieldset class="registers">
                <legend>"Registraties (voor accreditatiepunten, niet verplicht)"</legend>
                <FieldError id="fout-registers" message=errors.with_value(|e| error_for(e, "registers"))/>
                <For each=move || 0..row_count.get() key=|i| *i let(index)>
                    <RegisterRow
                        index
                        row=rows.with_value(|r| r.get(index).cloned().unwrap_or_default())
                        register_error=errors.with_value(|e| error_for(e, &format!("registers.{index}.register")))
                        number_error=errors.with_value(|e| error_for(e, &format!("registers.{index}.number")))
                    />
                </For>
                <Show when=move || hydrated.get()>
                    <button
                        type="button"
                        class="button small secondary"
                        on:click=move |_| row_count.update(|n| *n += 1)
                    >
                        "Nog een registratie toevoegen"
                    </button>
                </Show>
            </fieldset>
            <button type="submit" class="button">"Profiel opslaan"</button>
        </ActionForm>
        <section class="data-export">
            <h2>"Uw gegevens"</h2>
            <p>
                "U kunt alles wat het leerplatform over u bewaart downloaden als JSON-bestand: uw account, "
                "profiel, rollen en de momenten waarop u inlogde of gegevens downloadde."
            </p>
            <form method="post" action="/profiel/export" class="inline-form">
                <button type="submit" class="button secondary">"Mijn gegevens downloaden"</button>
            </form>
        </section>
        <section class="data-erasure" aria-labelledby="wissen-titel">
            <h2 id="wissen-titel">"Account laten wissen"</h2>
            <p>"Wilt u niet langer op het leerplatform staan? U leest eerst wat er verdwijnt en wat blijft."</p>
            <p><a href="/profiel/verwijderen">"Mijn account laten wissen"</a></p>
        </section>
    }
}

#[component]
fn RegisterRow(
    index: usize,
    row: RegisterInput,
    register_error: Option<String>,
    number_error: Option<String>,
) -> impl IntoView {
    let register_id = format!("register-{index}");
    let number_id = format!("number-{index}");
    let register_error_id = format!("fout-registers.{index}.register");
    let number_error_id = format!("fout-registers.{index}.number");
    view! {
        <div class="register-row">
            <div class="field">
                <label for=register_id.clone()>"Register"</label>
                <select
                    id=register_id
                    name=format!("input[registers][{index}][register]")
                    aria-invalid=register_error.is_some().then_some("true")
                    aria-describedby=register_error.is_some().then(|| register_error_id.clone())
                >
                    <option value="" selected=row.register.is_empty()>"Geen"</option>
                    {Register::ALL
                        .into_iter()
                        .map(|r| {
                            view! {
                                <option value=r.slug() selected=row.register == r.slug()>
                                    {r.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldError id=register_error_id message=register_error.clone()/>
            </div>
            <div class="field">
                <label for=number_id.clone()>"Registratienummer"</label>
                <input
                    id=number_id
                    name=format!("input[registers][{index}][number]")
                    inputmode="numeric"
                    value=row.number
                    aria-invalid=number_error.is_some().then_some("true")
                    aria-describedby=number_error.is_some().then(|| number_error_id.clone())
                />
                <FieldError id=number_error_id message=number_error.clone()/>
            </div>
        </div>
    }
}

/// The admin pages' own navigation (the header has room for only the first two): only the
/// pages the viewer may open, so a visitor who is refused sees none of them.
#[component]
pub fn AdminNav(current: &'static str) -> impl IntoView {
    let ViewerResource(viewer) = expect_context::<ViewerResource>();
    let AdminPages(pages) = use_context::<AdminPages>().unwrap_or_default();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let pages = pages.clone();
                Suspend::new(async move {
                let viewer = viewer.await.ok().flatten();
                let links = pages
                .into_iter()
                .filter(|page| can(viewer.as_ref(), page.action))
                .map(|page| {
                    let here = (page.href == current).then_some("page");
                    view! { <li><a href=page.href aria-current=here>{page.label}</a></li> }
                })
                .collect::<Vec<_>>();
                (!links.is_empty()).then(|| view! {
                    <nav class="admin-nav" aria-label="Beheer">
                        <ul>{links}</ul>
                    </nav>
                })
            })}}
        </Suspense>
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get(AUDIT_PAGE_PARAM)
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
    });
    let users = Resource::new(move || page.get(), |page| list_users(Some(page)));
    view! {
        <Title text="Gebruikers en rollen"/>
        <AdminNav current="/beheer/gebruikers"/>
        <Loaded resource=users let:listing>
            {match listing.roles_source {
                RolesSource::Platform => view! { <UserTable users=listing.users page=listing.page/> }.into_any(),
                RolesSource::Provider => view! { <ProvidedRolesTable users=listing.users/> }.into_any(),
            }}
            <Pager page=listing.page page_count=listing.page_count href=|page| {
                format!("/beheer/gebruikers?{AUDIT_PAGE_PARAM}={page}")
            }/>
        </Loaded>
    }
}

/// Accounts and their roles; each row's form saves in place once hydrated.
// Staff-only: in the staff bundle (and on the server), a plain component in the visitors' bundle.
#[cfg_attr(any(feature = "ssr", feature = "staff"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "staff")), component)]
fn UserTable(users: Vec<UserSummary>, page: u64) -> impl IntoView {
    let set_roles = ServerAction::<SetUserRoles>::new();
    // After every change, saved or refused, the boxes show what is stored: the rows are
    // rebuilt (a new generation of keys), since a box the user clicked keeps its clicked state
    // when only its attribute is updated.
    let users = RwSignal::new((0_u32, users));
    Effect::new(move |previous: Option<()>| {
        set_roles.version().get();
        if previous.is_some() {
            leptos::task::spawn_local(async move {
                if let Ok(stored) = list_users(Some(page)).await {
                    users.update(|(generation, list)| {
                        *generation += 1;
                        *list = stored.users;
                    });
                }
            });
        }
    });
    let row = move |user: UserSummary| {
        let name = user.label.clone();
        let checkboxes = Role::ASSIGNABLE
            .into_iter()
            .map(|role| {
                let id = format!("rol-{}-{}", user.id, role.slug());
                view! {
                    <label for=id.clone() class="checkbox">
                        <input
                            type="checkbox"
                            id=id.clone()
                            name=role.slug()
                            value="on"
                            checked=user.roles.contains(&role)
                        />
                        {role.label()}
                    </label>
                }
            })
            .collect_view();
        view! {
            <tr>
                <td>{name}</td>
                <td>{user.organisation.clone().unwrap_or_default()}</td>
                <td>{user.last_login.clone()}</td>
                <td>
                    <ActionForm action=set_roles attr:class="roles-form">
                        <input type="hidden" name="user_id" value=user.id.to_string()/>
                        <fieldset>
                            <legend class="visually-hidden">"Rollen"</legend>
                            {checkboxes}
                        </fieldset>
                        <button type="submit" class="button small">"Opslaan"</button>
                    </ActionForm>
                </td>
            </tr>
        }
    };
    let rows = view! {
        <For
            each=move || {
                let (generation, list) = users.get();
                list.into_iter().map(move |user| (generation, user)).collect::<Vec<_>>()
            }
            key=|(generation, user)| (*generation, user.id)
            children=move |(_, user)| row(user)
        />
    };
    view! {
        <header class="page-header">
            <h1>"Gebruikers en rollen"</h1>
            <p class="lead">
                "Iedereen met een account is deelnemer. Geef hier de extra rollen: trainer, "
                "intervisiebegeleider, redacteur of beheerder. Elke wijziging komt in de auditlog."
            </p>
        </header>
        {move || match set_roles.value().get() {
            Some(Err(error)) => Some(view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any()),
            Some(Ok(())) => Some(view! { <p class="notice success" role="status">"De rollen zijn opgeslagen."</p> }.into_any()),
            None => None,
        }}
        <DataTable
            label="Accounts en hun rollen"
            caption="Accounts en hun rollen"
            columns=&["Naam", "Organisatie", "Laatst ingelogd", "Rollen"]
        >
            {rows}
        </DataTable>
    }
}

/// Accounts and their roles as the login service gave them: nothing to change here.
#[component]
fn ProvidedRolesTable(users: Vec<UserSummary>) -> impl IntoView {
    let rows = users
        .into_iter()
        .map(|user| {
            let roles = if user.roles.is_empty() {
                "alleen deelnemer".to_owned()
            } else {
                user.roles
                    .iter()
                    .map(|role| role.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            view! {
                <tr>
                    <td>{user.label}</td>
                    <td>{user.organisation.unwrap_or_default()}</td>
                    <td>{user.last_login}</td>
                    <td>{roles}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <header class="page-header">
            <h1>"Gebruikers en rollen"</h1>
            <p class="lead">
                "De rollen komen uit de inlogdienst en worden daar beheerd: wijzig ze daar. Een "
                "wijziging geldt vanaf de volgende keer dat iemand inlogt en komt in de auditlog."
            </p>
        </header>
        <DataTable
            label="Accounts en hun rollen"
            caption="Accounts en hun rollen (uit de inlogdienst)"
            columns=&["Naam", "Organisatie", "Laatst ingelogd", "Rollen"]
        >
            {rows}
        </DataTable>
    }
}

pub const AUDIT_EVENT_PARAM: &str = "gebeurtenis";
pub const AUDIT_PAGE_PARAM: &str = "pagina";
/// The audit log's stretch before (older than) or after (newer than) an event's id.
pub const AUDIT_BEFORE_PARAM: &str = "voor";
pub const AUDIT_AFTER_PARAM: &str = "na";

fn audit_url(event: Option<&str>, stretch: AuditStretch) -> String {
    let mut params = Vec::new();
    if let Some(event) = event.filter(|e| !e.is_empty()) {
        params.push(format!("{AUDIT_EVENT_PARAM}={event}"));
    }
    match stretch {
        AuditStretch::Newest => {}
        AuditStretch::Before(id) => params.push(format!("{AUDIT_BEFORE_PARAM}={id}")),
        AuditStretch::After(id) => params.push(format!("{AUDIT_AFTER_PARAM}={id}")),
    }
    if params.is_empty() {
        "/beheer/audit".to_owned()
    } else {
        format!("/beheer/audit?{}", params.join("&"))
    }
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let event = Memo::new(move |_| {
        query
            .read()
            .get(AUDIT_EVENT_PARAM)
            .filter(|e| AuditEventKind::from_slug(e).is_some())
    });
    let stretch = Memo::new(move |_| {
        let query = query.read();
        let id = |param| query.get(param).and_then(|id| id.parse::<i32>().ok());
        match (id(AUDIT_BEFORE_PARAM), id(AUDIT_AFTER_PARAM)) {
            (Some(id), _) => AuditStretch::Before(id),
            (None, Some(id)) => AuditStretch::After(id),
            (None, None) => AuditStretch::Newest,
        }
    });
    let entries = Resource::new(
        move || (event.get(), stretch.get()),
        |(event, stretch)| audit_log(event, Some(stretch)),
    );
    view! {
        <Title text="Auditlog"/>
        <AdminNav current="/beheer/audit"/>
        <Loaded resource=entries let:audit><AuditTable audit event/></Loaded>
    }
}

#[component]
fn AuditTable(audit: AuditPage, event: Memo<Option<String>>) -> impl IntoView {
    let AuditPage {
        entries,
        newer_than,
        older_than,
    } = audit;
    let empty = entries.is_empty();
    let rows = entries
        .into_iter()
        .map(|entry| {
            let user = |label: Option<String>| label.unwrap_or_else(|| "—".into());
            view! {
                <tr>
                    <td><time datetime=entry.occurred_at.to_rfc3339()>{crate::ui::format_datetime_nl(entry.occurred_at)}</time></td>
                    <td>{entry.event.label()}</td>
                    <td>{user(entry.actor)}</td>
                    <td>{user(entry.subject)}</td>
                    <td>{entry.detail}</td>
                </tr>
            }
        })
        .collect_view();
    let current = event.get_untracked();
    view! {
        <header class="page-header">
            <h1>"Auditlog"</h1>
            <p class="lead">"Wie wanneer inlogde, uitlogde, rollen wijzigde, gegevens downloadde, of een document aanbood, goedkeurde, introk of terugzette. Tijden in Nederlandse tijd."</p>
        </header>
        <form class="filters" method="get" action="/beheer/audit" aria-label="Auditlog filteren">
            <div class="field">
                <label for="gebeurtenis">"Gebeurtenis"</label>
                <select id="gebeurtenis" name=AUDIT_EVENT_PARAM>
                    <option value="" selected=move || event.get().is_none()>"Alle gebeurtenissen"</option>
                    {AuditEventKind::ALL
                        .into_iter()
                        .map(|kind| view! {
                            <option value=kind.slug() selected=move || event.get().as_deref() == Some(kind.slug())>
                                {kind.label()}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button secondary">"Filter toepassen"</button>
        </form>
        {empty.then(|| view! { <p>"Geen gebeurtenissen gevonden."</p> })}
        <DataTable
            label="Gebeurtenissen in de auditlog"
            caption="Gebeurtenissen, nieuwste eerst"
            columns=&["Tijdstip", "Gebeurtenis", "Door", "Account", "Details"]
        >
            {rows}
        </DataTable>
        {(newer_than.is_some() || older_than.is_some()).then(|| {
            let link = |stretch| audit_url(current.as_deref(), stretch);
            view! {
                <nav class="pager" aria-label="Verder in de auditlog">
                    {newer_than.map(|id| view! {
                        <a href=link(AuditStretch::Newest)>"Nieuwste"</a>
                        <a href=link(AuditStretch::After(id)) rel="prev">"Nieuwere gebeurtenissen"</a>
                    })}
                    {older_than.map(|id| view! {
                        <a href=link(AuditStretch::Before(id)) rel="next">"Oudere gebeurtenissen"</a>
                    })}
                </nav>
            }
        })}
    }
}
