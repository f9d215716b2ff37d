//! The factsheet editor (`/redactie/nieuw`, `/redactie/documenten/:slug`) and its history
//! (`…/geschiedenis`). Plain forms that work without JavaScript; with it, a live preview made
//! by the same renderer and sanitiser as the public page, a warning before leaving with
//! unsaved changes, and a copy of the text in the browser in case the connection drops.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::error::AppError;
use crate::error::{FieldErrors, WHOLE_FORM};
use crate::knowledge::api::editor::{
    ApproveDocument, RestoreDocument, SaveDocument, SubmitDocument, WithdrawDocument,
    document_diff, load_editor, preview_markdown,
};
use crate::knowledge::model::Placement;
use crate::knowledge::model::editor::{
    EditorState, FRONT_MATTER_FIELDS, FactsheetForm, KIND_FIELDS, NEW_TRAINING, SourceInput,
    field_label,
};
use crate::knowledge::model::{DiffKind, WorkflowState};
use crate::ui::{
    CheckboxGroup, ErrorPage, ErrorSummary, FieldError, Loaded, Loading, TextArea, TextField,
    WideTable,
};
use crate::vocabulary::{Phenomenon, WorkField};

const NEW_DOCUMENT_KEY: &str = "leerplatform-concept-nieuw";

#[component]
pub fn DocumentEditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = params.read_untracked().get("slug");
    // `/redactie/nieuw?cursus=<course>`: a new module of that course;
    // `/redactie/nieuw?soort=training`: a new training.
    let course = query.read_untracked().get("cursus");
    let kind = query.read_untracked().get("soort");
    let state = Resource::new(
        {
            let (slug, course, kind) = (slug.clone(), course.clone(), kind.clone());
            move || (slug.clone(), course.clone(), kind.clone())
        },
        |(slug, course, kind)| load_editor(slug, course, kind),
    );
    view! {
        <Title text="Document bewerken"/>
        <Loaded resource=state let:initial>
            <EditorIsland slug=slug.clone() course=course.clone() kind=kind.clone() initial/>
        </Loaded>
    }
}

/// The editor's interactive part. Each action reloads the editor's state from the server (the
/// new head revision, the workflow state, a refused field) and shows it in place.
// Staff-only: in the staff bundle (and on the server), a plain component in the visitors' bundle.
#[cfg_attr(any(feature = "ssr", feature = "staff"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "staff")), component)]
fn EditorIsland(
    slug: Option<String>,
    course: Option<String>,
    kind: Option<String>,
    initial: EditorState,
) -> impl IntoView {
    let save = ServerAction::<SaveDocument>::new();
    let submit = ServerAction::<SubmitDocument>::new();
    let approve = ServerAction::<ApproveDocument>::new();
    let withdraw = ServerAction::<WithdrawDocument>::new();
    let state = RwSignal::new(initial);
    Effect::new(move |previous: Option<()>| {
        let _versions = (
            save.version().get(),
            submit.version().get(),
            approve.version().get(),
            withdraw.version().get(),
        );
        if previous.is_some() {
            let (slug, course, kind) = (slug.clone(), course.clone(), kind.clone());
            leptos::task::spawn_local(async move {
                if let Ok(reloaded) = load_editor(slug, course, kind).await {
                    state.set(reloaded);
                }
            });
        }
    });
    let action_error = move || {
        // A failed save (connection lost, session expired) leaves the form as typed; the text
        // is also in localStorage.
        [
            save.value().get().and_then(Result::err),
            submit.value().get().and_then(Result::err),
            approve.value().get().and_then(Result::err),
            withdraw.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|error| view! { <p class="notice error" role="alert">{error.to_string()}</p> })
    };
    view! {
        {action_error}
        {move || view! { <Editor state=state.get() save submit approve withdraw/> }}
    }
}

/// `(slug, label)` pairs as the shared fields take them.
fn options<const N: usize>(pairs: [(&str, &str); N]) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(value, label)| (value.to_owned(), label.to_owned()))
        .collect()
}

fn field_error(errors: &FieldErrors, field: &str) -> Option<String> {
    errors.get(field).cloned()
}

#[component]
fn Editor(
    state: EditorState,
    save: ServerAction<SaveDocument>,
    submit: ServerAction<SubmitDocument>,
    approve: ServerAction<ApproveDocument>,
    withdraw: ServerAction<WithdrawDocument>,
) -> impl IntoView {
    let EditorState {
        placement,
        form,
        document,
        expected_head,
        errors: error,
        conflict,
        saved_head,
        history: _,
        may_approve,
        preview_html,
        course_title,
    } = state;
    let FactsheetForm {
        title,
        slug,
        summary,
        phenomena,
        audience,
        owner,
        reviewed_on,
        review_due,
        sources,
        body,
        kind_fields,
    } = form;
    let is_new = document.is_none();
    let workflow_state = document.as_ref().map(|d| d.state);
    let reviewed_head = document.as_ref().map_or(0, |d| d.head);
    let heading = heading_of(&placement, is_new, &title, course_title.as_deref());
    let new_module_course = is_new
        .then(|| placement.course().map(str::to_owned))
        .flatten();
    let is_module = matches!(placement, Placement::Module { .. });
    let is_training = matches!(placement, Placement::Training);
    let new_training = (is_new && is_training).then_some(NEW_TRAINING);
    let kind_label = placement.label();
    let storage_key = if is_new {
        NEW_DOCUMENT_KEY.to_owned()
    } else {
        format!("leerplatform-concept-{slug}")
    };
    let body_text = RwSignal::new(body.clone());
    let preview = live_preview(body_text, preview_html);
    let dirty = RwSignal::new(false);
    // A new document's slug follows its title until the editor types one.
    let slug_typed = StoredValue::new(!is_new || !slug.is_empty());
    #[cfg(not(feature = "hydrate"))]
    let _ = slug_typed;
    let restorable = RwSignal::new(None::<String>);
    keep_unsaved_text(&storage_key, &body, dirty, restorable, saved_head.is_some());
    let document_error = field_error(&error, WHOLE_FORM);
    // In the form's order; the document as a whole (e.g. a self-check in a factsheet) last.
    let error_items: Vec<(String, String)> = FRONT_MATTER_FIELDS
        .into_iter()
        .chain([KIND_FIELDS, "body"])
        .filter_map(|field| {
            error.get(field).map(|message| {
                (
                    format!("veld-{field}"),
                    format!("{}: {message}", field_label(field)),
                )
            })
        })
        .collect();
    let key_for_input = storage_key.clone();
    let on_body_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        #[cfg(feature = "hydrate")]
        browser_copy::store(&key_for_input, &value);
        #[cfg(not(feature = "hydrate"))]
        let _ = &key_for_input;
        body_text.set(value);
    };
    let published = document.as_ref().and_then(|d| d.published);
    let slug_for_actions = slug.clone();
    let status_line = document.as_ref().map(|d| {
        let published = d
            .published
            .map(|n| format!(" · versie {n} staat online"))
            .unwrap_or_default();
        format!("Status: {} · versie {}{published}", d.state.label(), d.head)
    });

    view! {
        <EditorHeader heading status_line slug=slug.clone() placement=placement.clone() is_new published/>
        {saved_head.map(|head| view! {
            <p class="notice success" role="status">{format!("Opgeslagen als versie {head}.")}</p>
        })}
        {move || restorable.get().map(|text| view! {
            <div class="notice" role="status">
                <p>"In deze browser staat nog tekst die niet is opgeslagen (bijvoorbeeld na een verbroken verbinding of verlopen sessie)."</p>
                <button type="button" class="button small" on:click=move |_| {
                    body_text.set(text.clone());
                    dirty.set(true);
                    restorable.set(None);
                }>"Niet-opgeslagen tekst terugzetten"</button>
            </div>
        })}
        {conflict.map(|conflict| view! {
            <div class="notice error" role="alert">
                <p>
                    <strong>"Iemand anders heeft dit document intussen opgeslagen (versie " {conflict.head} "). "</strong>
                    "Uw versie staat hieronder in het formulier; de andere versie ziet u hier. Neem over wat u wilt behouden en sla opnieuw op: dan komt uw versie er bovenop."
                </p>
                <label for="hun-versie">"De andere versie"</label>
                <textarea id="hun-versie" class="source" readonly rows="12">{conflict.theirs}</textarea>
            </div>
        })}
        <ErrorSummary items=error_items/>
        {document_error.map(|message| view! { <p class="notice error" role="alert" id="fout-document">{message}</p> })}
        <ActionForm action=save attr:class="editor-form" attr:novalidate="true" on:input=move |_ev: leptos::ev::Event| {
            dirty.set(true);
            #[cfg(feature = "hydrate")]
            browser_copy::slug_follows_title(&_ev, slug_typed);
        }>
            <input type="hidden" name="expected_head" value=expected_head.to_string()/>
            {new_module_course.map(|course| view! { <input type="hidden" name="course" value=course/> })}
            {new_training.map(|kind| view! { <input type="hidden" name="kind" value=kind/> })}
            <div class="editor-fields">
                <TextField field="title" id="veld-title" name="form[title]" label="Titel" value=title error=field_error(&error, "title")/>
                <TextField
                    field="slug"
                    id="veld-slug"
                    name="form[slug]"
                    label="Slug (adres)"
                    value=slug.clone()
                    readonly=!is_new
                    hint=address_hint(&placement)
                    error=field_error(&error, "slug")
                />
                <TextArea
                    field="summary"
                    id="veld-summary"
                    name="form[summary]"
                    label="Samenvatting"
                    rows=3
                    value=summary
                    error=field_error(&error, "summary")
                />
                <CheckboxGroup
                    id="veld-phenomena"
                    field="phenomena"
                    name="form[phenomena]"
                    legend="Fenomenen"
                    options=options(Phenomenon::ALL.map(|p| (p.slug(), p.label())))
                    checked=phenomena.into_keys().collect()
                    error=field_error(&error, "phenomena")
                />
                <CheckboxGroup
                    id="veld-audience"
                    field="audience"
                    name="form[audience]"
                    legend="Doelgroep (werkterrein)"
                    options=options(WorkField::AUDIENCES.map(|a| (a.slug(), a.label())))
                    checked=audience.into_keys().collect()
                    error=field_error(&error, "audience")
                />
                <TextField field="owner" id="veld-owner" name="form[owner]" label="Eigenaar (team)" value=owner error=field_error(&error, "owner")/>
                <TextField field="reviewed_on" id="veld-reviewed_on" name="form[reviewed_on]" label="Laatst gecontroleerd" kind="date" value=reviewed_on error=field_error(&error, "reviewed_on")/>
                <TextField field="review_due" id="veld-review_due" name="form[review_due]" label="Volgende controle" kind="date" value=review_due error=field_error(&error, "review_due")/>
                <SourceRows sources error=field_error(&error, "sources")/>
                {(is_training || !kind_fields.trim().is_empty()).then(|| view! {
                    <KindFieldsField kind_fields=kind_fields.clone() error=field_error(&error, KIND_FIELDS)/>
                })}
            </div>
            <div class="editor-body">
                <div class="field">
                    <label for="veld-body">"Tekst (Markdown)"</label>
                    {is_module.then(|| view! {
                        <p class="field-hint" id="hint-body">
                            "Zelftoetsvragen: een blok "<code>"```vraag"</code>" met eerst de vraag, dan antwoorden als "
                            <code>"- [ ] fout"</code>" en "<code>"- [x] goed"</code>", en optioneel een uitleg na "<code>">"</code>"."
                        </p>
                    })}
                    <textarea id="veld-body" class="source" name="form[body]" rows="24"
                        prop:value=move || body_text.get()
                        on:input=on_body_input
                        aria-invalid=field_error(&error, "body").map(|_| "true")
                        aria-describedby=field_error(&error, "body").map(|_| "fout-body")
                    >{body}</textarea>
                    <FieldError id="fout-body" message=field_error(&error, "body")/>
                </div>
                <section class="preview" aria-labelledby="voorbeeld-titel">
                    <h2 id="voorbeeld-titel">"Voorbeeld"</h2>
                    {move || match preview.get() {
                        Ok(html) => view! { <div class="prose" id="voorbeeld" inner_html=html></div> }.into_any(),
                        Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                    }}
                </section>
            </div>
            <p><button type="submit" class="button">"Opslaan"</button></p>
        </ActionForm>
        {(!is_new).then(|| view! {
            <WorkflowActions
                slug=slug_for_actions
                kind_label
                state=workflow_state
                reviewed=reviewed_head
                may_approve
                submit
                approve
                withdraw
            />
        })}
    }
}

fn heading_of(
    placement: &Placement,
    is_new: bool,
    title: &str,
    course_title: Option<&str>,
) -> String {
    match (placement, is_new) {
        (Placement::Module { course, .. }, true) => format!(
            "Nieuwe module voor de cursus ‘{}’",
            course_title.unwrap_or(course)
        ),
        (Placement::Training, true) => "Nieuwe training".to_owned(),
        (_, true) => "Nieuwe factsheet".to_owned(),
        (_, false) => format!("{} bewerken: {title}", placement.label()),
    }
}

fn address_hint(placement: &Placement) -> &'static str {
    match placement {
        Placement::Factsheet => {
            "Kleine letters, cijfers en koppeltekens; wordt het adres /factsheets/…"
        }
        Placement::Course => "Kleine letters, cijfers en koppeltekens; wordt het adres /modules/…",
        Placement::Module { .. } => {
            "Kleine letters, cijfers en koppeltekens; wordt het adres /modules/<cursus>/…"
        }
        Placement::Training => {
            "Kleine letters, cijfers en koppeltekens; wordt het adres /trainingen/…"
        }
    }
}

/// The preview of `body_text`: the one loaded with the page, then fetched again 250 ms after
/// typing pauses.
fn live_preview(
    body_text: RwSignal<String>,
    preview_html: String,
) -> RwSignal<Result<String, AppError>> {
    let settled_body = RwSignal::new(body_text.get_untracked());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |previous: Option<()>| {
        let text = body_text.get();
        if previous.is_none() {
            return;
        }
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || settled_body.set(text.clone()),
            std::time::Duration::from_millis(250),
        )
        .ok();
        pending.set_value(handle);
    });
    let preview = RwSignal::new(Ok::<String, AppError>(preview_html));
    Effect::new(move |previous: Option<()>| {
        let text = settled_body.get();
        if previous.is_some() {
            leptos::task::spawn_local(async move {
                preview.set(preview_markdown(text).await);
            });
        }
    });
    preview
}

/// In the browser: offers back text of this document left in it unsaved, warns before leaving
/// with unsaved changes, and forgets the copy once saved.
fn keep_unsaved_text(
    storage_key: &str,
    loaded: &str,
    dirty: RwSignal<bool>,
    restorable: RwSignal<Option<String>>,
    saved: bool,
) {
    #[cfg(feature = "hydrate")]
    {
        let key = storage_key.to_owned();
        let loaded = loaded.to_owned();
        Effect::new(move |_| {
            if let Some(saved) = browser_copy::load(&key).filter(|saved| *saved != loaded) {
                restorable.set(Some(saved));
            }
        });
        let warn = window_event_listener(leptos::ev::beforeunload, move |event| {
            if dirty.get_untracked() {
                event.prevent_default();
                event.set_return_value("");
            }
        });
        on_cleanup(move || warn.remove());
        browser_copy::guard_links(dirty);
        if saved {
            // Saved: neither this document's copy nor a new-document copy is needed any more.
            browser_copy::clear(storage_key);
            browser_copy::clear(NEW_DOCUMENT_KEY);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (storage_key, loaded, dirty, restorable, saved);
}

#[component]
fn EditorHeader(
    heading: String,
    status_line: Option<String>,
    slug: String,
    placement: Placement,
    is_new: bool,
    published: Option<i32>,
) -> impl IntoView {
    let history_href = format!("/redactie/documenten/{slug}/geschiedenis");
    let public_href = placement.public_url(&slug);
    view! {
        <header class="page-header">
            <p class="breadcrumb"><a href="/redactie">"Redactie"</a></p>
            <h1>{heading}</h1>
            {status_line.map(|line| view! { <p class="lead">{line}</p> })}
            {(!is_new).then(|| view! {
                <p>
                    <a href=history_href.clone()>"Geschiedenis en verschillen"</a>
                    {published.map(|_| view! {
                        " · " <a href=public_href.clone()>"Bekijk de gepubliceerde versie"</a>
                    })}
                </p>
            })}
        </header>
    }
}

/// The sources as rows of title and address, with one empty row to add another.
#[component]
fn SourceRows(mut sources: Vec<SourceInput>, error: Option<String>) -> impl IntoView {
    sources.push(SourceInput::default());
    let described_by = error.as_ref().map(|_| "fout-sources");
    view! {
        <fieldset class="sources-group" id="veld-sources" tabindex="-1" aria-describedby=described_by>
            <legend>"Bronnen"</legend>
            {sources
                .into_iter()
                .enumerate()
                .map(|(index, source)| view! {
                    <div class="source-row">
                        <div class="field">
                            <label for=format!("bron-titel-{index}")>{format!("Bron {} – titel", index + 1)}</label>
                            <input id=format!("bron-titel-{index}") name=format!("form[sources][{index}][title]") value=source.title/>
                        </div>
                        <div class="field">
                            <label for=format!("bron-url-{index}")>{format!("Bron {} – adres (https://…)", index + 1)}</label>
                            <input id=format!("bron-url-{index}") type="url" name=format!("form[sources][{index}][url]") value=source.url/>
                        </div>
                    </div>
                })
                .collect_view()}
            <FieldError id="fout-sources" message=error/>
        </fieldset>
    }
}

/// A training's own fields as they stand in its file, checked as the importer checks them.
#[component]
fn KindFieldsField(kind_fields: String, error: Option<String>) -> impl IntoView {
    let described_by = if error.is_some() {
        "hint-kind_fields fout-kind_fields"
    } else {
        "hint-kind_fields"
    };
    let invalid = error.as_ref().map(|_| "true");
    view! {
        <div class="field">
            <label for="veld-kind_fields">"Trainingsgegevens"</label>
            <p class="field-hint" id="hint-kind_fields">
                "Uren, accreditatie, voorkennis, voorbereiding, intakevragen, goedkeuring, minimale aanwezigheid en uitvoeringen, in dezelfde vorm als in het bestand (bijv. "
                <code>"hours: 6"</code>"). Dezelfde controles als bij het importeren."
            </p>
            <textarea id="veld-kind_fields" class="source" name="form[kind_fields]" rows="12"
                aria-invalid=invalid
                aria-describedby=described_by
            >{kind_fields}</textarea>
            <FieldError id="fout-kind_fields" message=error/>
        </div>
    }
}

#[component]
fn WorkflowActions(
    slug: String,
    /// What the document is, in Dutch ("Factsheet", "Training").
    kind_label: &'static str,
    state: Option<WorkflowState>,
    /// The revision on screen: approval publishes exactly this one.
    reviewed: i32,
    may_approve: bool,
    submit: ServerAction<SubmitDocument>,
    approve: ServerAction<ApproveDocument>,
    withdraw: ServerAction<WithdrawDocument>,
) -> impl IntoView {
    let (slug_submit, slug_approve, slug_withdraw) = (slug.clone(), slug.clone(), slug);
    view! {
        <section class="workflow" aria-labelledby="workflow-titel">
            <h2 id="workflow-titel">"Publiceren"</h2>
            {match state {
                Some(WorkflowState::Draft) => view! {
                    <p>"Klaar? Bied het document ter beoordeling aan; een tweede redacteur beoordeelt en publiceert het."</p>
                    <ActionForm action=submit>
                        <input type="hidden" name="slug" value=slug_submit/>
                        <button type="submit" class="button">"Ter beoordeling aanbieden"</button>
                    </ActionForm>
                }.into_any(),
                Some(WorkflowState::InReview) if may_approve => view! {
                    <p>"Deze versie ligt ter beoordeling. Na goedkeuring staat zij direct online."</p>
                    <ActionForm action=approve>
                        <input type="hidden" name="slug" value=slug_approve/>
                        <input type="hidden" name="revision" value=reviewed/>
                        <button type="submit" class="button">"Goedkeuren en publiceren"</button>
                    </ActionForm>
                }.into_any(),
                Some(WorkflowState::InReview) => view! {
                    <p>"Deze versie ligt ter beoordeling bij een andere redacteur: wie eraan heeft meegewerkt, kan hem niet goedkeuren."</p>
                }.into_any(),
                _ => ().into_any(),
            }}
            {matches!(state, Some(WorkflowState::Published) | Some(WorkflowState::Draft) | Some(WorkflowState::InReview)).then(|| view! {
                <details class="withdraw">
                    <summary>{format!("{kind_label} intrekken")}</summary>
                    <ActionForm action=withdraw>
                        <input type="hidden" name="slug" value=slug_withdraw/>
                        <div class="field">
                            <label for="reden">"Reden (lezers zien die op de oude pagina)"</label>
                            <textarea id="reden" name="reason" rows="3"></textarea>
                        </div>
                        <button type="submit" class="button secondary">"Intrekken"</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

#[component]
pub fn DocumentHistoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let restore = ServerAction::<RestoreDocument>::new();
    let state = Resource::new(
        move || slug.get(),
        |slug| load_editor(Some(slug), None, None),
    );
    let range = Memo::new(move |_| {
        let number = |name: &str| query.read().get(name).and_then(|v| v.parse::<i32>().ok());
        (number("van"), number("naar"))
    });
    // Without a choice: the previous version against the newest.
    let diff = Resource::new(
        move || (slug.get(), range.get()),
        |(slug, range)| async move {
            let (from, to) = match range {
                (Some(from), Some(to)) => (from, to),
                _ => match load_editor(Some(slug.clone()), None, None)
                    .await?
                    .expected_head
                {
                    head if head > 1 => (head - 1, head),
                    _ => return Ok(None),
                },
            };
            document_diff(slug, from, to)
                .await
                .map(|diff| Some((from, to, diff)))
        },
    );
    view! {
        <Title text="Geschiedenis"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let state = match state.await {
                    Ok(state) => state,
                    Err(error) => return view! { <ErrorPage error/> }.into_any(),
                };
                let slug = slug.get_untracked();
                let head = state.expected_head;
                let (from, to) = match range.get_untracked() {
                    (Some(from), Some(to)) => (Some(from), Some(to)),
                    _ if head > 1 => (Some(head - 1), Some(head)),
                    _ => (None, None),
                };
                let numbers: Vec<i32> = state.history.iter().map(|r| r.number).collect();
                let option_list = move |selected: Option<i32>| numbers
                    .iter()
                    .map(|n| view! { <option value=n.to_string() selected=selected == Some(*n)>{format!("Versie {n}")}</option> })
                    .collect_view();
                view! {
                    <header class="page-header">
                        <p class="breadcrumb"><A href=format!("/redactie/documenten/{slug}")>"Terug naar de editor"</A></p>
                        <h1>{format!("Geschiedenis: {}", state.form.title)}</h1>
                    </header>
                    <WideTable label="Versies">
                        <table class="data-table">
                            <thead><tr><th scope="col">"Versie"</th><th scope="col">"Opgeslagen"</th><th scope="col">"Door"</th><th scope="col"><span class="visually-hidden">"Terugzetten"</span></th></tr></thead>
                            <tbody>
                                {state.history.iter().map(|revision| {
                                    let author = revision.author.clone();
                                    let number = revision.number;
                                    let slug = slug.clone();
                                    view! {
                                        <tr>
                                            <td>{format!("{number}")}{revision.is_published.then_some(" (online)")}</td>
                                            <td>{crate::ui::format_datetime_nl(revision.created_at)}</td>
                                            <td>{author}</td>
                                            <td>
                                                {(number != head).then(move || view! {
                                                    <ActionForm action=restore attr:class="inline-form">
                                                        <input type="hidden" name="slug" value=slug.clone()/>
                                                        <input type="hidden" name="number" value=number.to_string()/>
                                                        <input type="hidden" name="expected_head" value=head.to_string()/>
                                                        <button type="submit" class="button small secondary">{format!("Versie {number} terugzetten")}</button>
                                                    </ActionForm>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </WideTable>
                    <form method="get" class="filters" aria-label="Versies vergelijken">
                        <div class="field">
                            <label for="van">"Van"</label>
                            <select id="van" name="van">{option_list.clone()(from)}</select>
                        </div>
                        <div class="field">
                            <label for="naar">"Naar"</label>
                            <select id="naar" name="naar">{option_list(to)}</select>
                        </div>
                        <button type="submit" class="button secondary">"Vergelijken"</button>
                    </form>
                }.into_any()
            })}
        </Suspense>
        {move || restore.value().get().and_then(Result::err).map(|error| view! {
            <p class="notice error" role="alert">{error.to_string()}</p>
        })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match diff.await {
                    Ok(Some((from, to, diff))) => view! {
                        <section class="document-diff" aria-labelledby="verschillen-titel">
                            <h2 id="verschillen-titel">{format!("Versie {from} vergeleken met versie {to}")}</h2>
                            {if diff.fields.is_empty() {
                                view! { <p>"De velden zijn gelijk gebleven."</p> }.into_any()
                            } else {
                                view! {
                                        <WideTable label="Gewijzigde velden">
                                            <table class="data-table">
                                                <caption>"Gewijzigde velden"</caption>
                                                <thead><tr>
                                                    <th scope="col">"Veld"</th>
                                                    <th scope="col">{format!("Versie {from}")}</th>
                                                    <th scope="col">{format!("Versie {to}")}</th>
                                                </tr></thead>
                                                <tbody>
                                                    {diff.fields.into_iter().map(|change| view! {
                                                        <tr>
                                                            <th scope="row">{change.label}</th>
                                                            <td><del>{change.old}</del></td>
                                                            <td><ins>{change.new}</ins></td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </WideTable>
                                }.into_any()
                            }}
                            <h3>"Tekst"</h3>
                            // Wrapped, so no change hides beyond the right edge; focusable, so
                            // the keyboard reaches it.
                            {if diff.body.is_empty() {
                                view! { <p>"De tekst is gelijk gebleven."</p> }.into_any()
                            } else {
                                view! {
                                    <pre class="diff" tabindex="0" aria-label="Verschillen in de tekst">
                                        {diff.body.into_iter().map(|line| {
                                            let (class, mark) = match line.kind {
                                                DiffKind::Same => ("same", "  "),
                                                DiffKind::Added => ("added", "+ "),
                                                DiffKind::Removed => ("removed", "- "),
                                            };
                                            view! { <span class=class>{mark}{line.text}"\n"</span> }
                                        }).collect_view()}
                                    </pre>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A copy of the text being edited in the browser's localStorage, and the guard that asks
/// before links inside the app (which do not unload the page) leave unsaved work.
#[cfg(feature = "hydrate")]
mod browser_copy {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    const LEAVE_QUESTION: &str =
        "U heeft wijzigingen die nog niet zijn opgeslagen. Wilt u de pagina toch verlaten?";

    /// Typing in the title fills the slug field, until the slug field itself is typed in.
    pub fn slug_follows_title(event: &leptos::ev::Event, slug_typed: StoredValue<bool>) {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        match input.id().as_str() {
            "veld-slug" => slug_typed.set_value(true),
            "veld-title" if !slug_typed.get_value() => {
                if let Some(slug) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("veld-slug"))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    slug.set_value(&crate::knowledge::rules::slug::slug_from_title(
                        &input.value(),
                    ));
                }
            }
            _ => {}
        }
    }

    /// Runs on `document`, before the router's handler on `window`: cancelling prevents the
    /// default, which the router respects. Once the editor is gone its signal is disposed and
    /// the listener does nothing.
    pub fn guard_links(dirty: RwSignal<bool>) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let handler = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            if !dirty.try_get_untracked().unwrap_or(false) {
                return;
            }
            let on_link = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|element| element.closest("a[href]").ok().flatten())
                .is_some();
            if !on_link {
                return;
            }
            let leave = web_sys::window()
                .and_then(|w| w.confirm_with_message(LEAVE_QUESTION).ok())
                .unwrap_or(true);
            if !leave {
                event.prevent_default();
            }
        });
        let _ =
            document.add_event_listener_with_callback("click", handler.as_ref().unchecked_ref());
        handler.forget();
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    pub fn store(key: &str, text: &str) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(key, text);
        }
    }

    pub fn load(key: &str) -> Option<String> {
        storage()?.get_item(key).ok()?
    }

    pub fn clear(key: &str) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(key);
        }
    }
}
