//! Course pages: the list of courses, one course with its modules and the reader's progress,
//! and one module with previous/next navigation, a progress bar and its self-check.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_params_map};

use crate::knowledge::api::courses::{
    ANSWERS_PARAM, CheckQuiz, MarkModuleRead, get_course, get_module, list_courses,
};
use crate::knowledge::model::course::{
    CourseSummary, CourseView, ModuleLink, ModuleProgress, ModuleView, QuizQuestion, QuizResult,
    answer_value,
};
use crate::knowledge::pages::factsheets::{DocumentBody, Tags};
use crate::paths::login_href;
use crate::ui::Loaded;

fn module_href(course: &str, module: &str) -> String {
    format!("/modules/{course}/{module}")
}

#[component]
pub fn CourseIndexPage() -> impl IntoView {
    let courses = Resource::new(|| (), |_| list_courses());
    let location = use_location();
    view! {
        <Title text="Cursussen"/>
        <Loaded resource=courses let:courses>
            <header class="page-header">
                <h1>"Cursussen"</h1>
                <p class="lead">"Korte cursussen in modules, met zelftoetsvragen."</p>
                // A visitor's list has no progress: offer the login that keeps it.
                {courses.first().is_some_and(|c| c.completed.is_none()).then(|| view! {
                    <p class="hint">
                        <a href=login_href(&location.pathname.get_untracked()) rel="external">"Log in"</a>
                        " om uw voortgang te bewaren."
                    </p>
                })}
            </header>
            {if courses.is_empty() {
                view! { <p>"Er zijn nog geen cursussen gepubliceerd."</p> }.into_any()
            } else {
                view! {
                    <ul class="cards">
                        {courses.into_iter().map(|course| view! { <li><CourseCard course/></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Loaded>
    }
}

#[component]
fn CourseCard(course: CourseSummary) -> impl IntoView {
    let CourseSummary {
        summary,
        module_count,
        completed,
    } = course;
    view! {
        <article class="card">
            <h2><A href=format!("/modules/{}", summary.slug)>{summary.title}</A></h2>
            <p>{summary.summary}</p>
            <p class="card-meta">
                {if module_count == 1 { "1 module".to_owned() } else { format!("{module_count} modules") }}
                {completed.map(|done| format!(" · u heeft er {done} afgerond"))}
            </p>
            {completed.map(|done| view! {
                <progress max=module_count.to_string() value=done.to_string() aria-label=format!("Afgerond: {done} van {module_count} modules")>
                    {format!("{done} van {module_count}")}
                </progress>
            })}
            <Tags phenomena=summary.phenomena audience=summary.audience/>
        </article>
    }
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params_map();
    let course = Resource::new(
        move || params.read().get("course").unwrap_or_default(),
        get_course,
    );
    view! {
        <Loaded resource=course let:course><CourseArticle course/></Loaded>
    }
}

#[component]
fn CourseArticle(course: CourseView) -> impl IntoView {
    let completed = course.completed_count();
    let total = course.modules.len();
    let tracks_progress = course.tracks_progress;
    let CourseView {
        course: document,
        modules,
        ..
    } = course;
    let slug = document.summary.slug.clone();
    let next_up = modules
        .iter()
        .find(|m| !m.completed())
        .or(modules.first())
        .map(|m| {
            let label = match completed {
                0 => "Begin de cursus",
                done if done == total => "Bekijk de cursus opnieuw",
                _ => "Verder met de cursus",
            };
            (module_href(&slug, &m.slug), label)
        });
    let location = use_location();
    let progress = if tracks_progress {
        view! {
            <div class="course-progress">
                <label for="cursusvoortgang">{format!("Afgerond: {completed} van {total} modules")}</label>
                <progress id="cursusvoortgang" max=total.to_string() value=completed.to_string()>
                    {format!("{completed} van {total}")}
                </progress>
            </div>
        }
        .into_any()
    } else {
        view! {
            <p class="hint">
                <a href=move || login_href(&location.pathname.get()) rel="external">"Log in"</a>
                " om bij te houden welke modules u gelezen heeft en welke zelftoetsen u gehaald heeft."
            </p>
        }
        .into_any()
    };
    view! {
        <Title text=document.summary.title.clone()/>
        <article class="factsheet course">
            <header class="page-header">
                <p class="breadcrumb"><A href="/modules">"Cursussen"</A></p>
                <h1>{document.summary.title.clone()}</h1>
                <p class="lead">{document.summary.summary.clone()}</p>
                <Tags phenomena=document.summary.phenomena.clone() audience=document.summary.audience.clone()/>
            </header>
            <section class="course-modules" aria-labelledby="modules-titel">
                <h2 id="modules-titel">"Modules"</h2>
                {progress}
                <ol class="module-list">
                    {modules
                        .into_iter()
                        .map(|module| {
                            let status = module.progress.map(|p| {
                                if module.completed() {
                                    "Afgerond"
                                } else if p.read {
                                    "Gelezen, zelftoets nog niet gehaald"
                                } else {
                                    "Nog niet gelezen"
                                }
                            });
                            let completed = module.completed();
                            view! {
                                <li class:completed=completed>
                                    <A href=module_href(&slug, &module.slug)>{module.title}</A>
                                    <p>{module.summary}</p>
                                    {status.map(|status| view! { <p class="module-status">{status}</p> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                {next_up.map(|(href, label)| view! {
                    <p>
                        <A href=href attr:class="button">{label}</A>
                    </p>
                })}
            </section>
            <DocumentBody document noun="Deze cursus" meta_heading="Over deze cursus"/>
        </article>
    }
    .into_any()
}

#[component]
pub fn ModulePage() -> impl IntoView {
    let params = use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let module = Resource::new(
        move || {
            let params = params.read();
            (
                params.get("course").unwrap_or_default(),
                params.get("module").unwrap_or_default(),
                query.read().get(ANSWERS_PARAM),
            )
        },
        |(course, module, answers)| get_module(course, module, answers),
    );
    view! {
        <Loaded resource=module let:module><ModuleArticle module/></Loaded>
    }
}

#[component]
fn ModuleArticle(module: ModuleView) -> impl IntoView {
    let ModuleView {
        course_slug,
        course_title,
        module: document,
        questions,
        number,
        total,
        previous,
        next,
        progress,
        completed_in_course,
        last_result,
    } = module;
    let module_slug = document.summary.slug.clone();
    let title = document.summary.title.clone();
    let location = use_location();
    let login = login_href(&location.pathname.get_untracked());
    view! {
        <Title text=title.clone()/>
        <article class="factsheet module">
            <header class="page-header">
                <p class="breadcrumb">
                    <A href="/modules">"Cursussen"</A>
                    " › "
                    <A href=format!("/modules/{course_slug}")>{course_title}</A>
                </p>
                <h1>{title}</h1>
                <p class="lead">{document.summary.summary.clone()}</p>
                <div class="course-progress">
                    <label for="modulevoortgang">{format!("Module {number} van {total}")}</label>
                    <progress id="modulevoortgang" max=total.to_string() value=number.to_string()>
                        {format!("{number} van {total}")}
                    </progress>
                    {completed_in_course.map(|done| view! {
                        <p class="module-status">{format!("Afgerond in deze cursus: {done} van {total}")}</p>
                    })}
                </div>
            </header>
            <DocumentBody document noun="Deze module" meta_heading="Over deze module"/>
            <SelfCheck
                course=course_slug.clone()
                module=module_slug
                questions
                result=last_result
                progress
                login
            />
            <ModuleNav course=course_slug previous next/>
        </article>
    }
    .into_any()
}

/// The reader's part of a module: the self-check (if it has questions) and "Markeer als
/// gelezen". Both are plain forms checked on the server after a full page load without
/// JavaScript; once hydrated they are checked and recorded in place.
#[island]
fn SelfCheck(
    course: String,
    module: String,
    questions: Vec<QuizQuestion>,
    /// The result of a form posted without JavaScript, shown once after its redirect.
    result: Option<QuizResult>,
    /// None: a visitor, whose progress is not kept.
    progress: Option<ModuleProgress>,
    login: String,
) -> impl IntoView {
    let check = ServerAction::<CheckQuiz>::new();
    let mark = ServerAction::<MarkModuleRead>::new();
    let checked = Memo::new(move |_| check.value().get().and_then(Result::ok));
    let read = Memo::new(move |_| {
        progress.is_some_and(|p| p.read)
            || matches!(mark.value().get(), Some(Ok(())))
            || checked.get().is_some_and(|r| r.recorded)
    });
    let action_error = move || {
        [
            check.value().get().and_then(Result::err),
            mark.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|error| view! { <p class="notice error" role="alert">{error.to_string()}</p> })
    };
    let quiz = (!questions.is_empty()).then(|| {
        let passed_before = progress.is_some_and(|p| p.quiz_passed);
        let (course, module) = (course.clone(), module.clone());
        view! {
            {move || {
                // The newest result: from this page's checks, else from a no-JS post.
                let result = checked.get().or_else(|| result.clone());
                view! {
                    <Quiz
                        course=course.clone()
                        module=module.clone()
                        questions=questions.clone()
                        result
                        passed_before
                        pending=check.pending()
                        check
                    />
                }
            }}
        }
    });
    let read_control = move || match progress {
        Some(_) if read.get() => view! {
            <p class="module-status" role="status">"✓ U heeft deze module gelezen."</p>
        }
        .into_any(),
        Some(_) => {
            let (course, module) = (course.clone(), module.clone());
            view! {
                <ActionForm action=mark attr:class="inline-form">
                    <input type="hidden" name="course" value=course/>
                    <input type="hidden" name="module" value=module/>
                    <button type="submit">"Markeer als gelezen"</button>
                </ActionForm>
            }
            .into_any()
        }
        None => view! {
            <p class="hint">
                <a href=login.clone() rel="external">"Log in"</a>
                " om uw voortgang in deze cursus te bewaren."
            </p>
        }
        .into_any(),
    };
    view! {
        {action_error}
        {quiz}
        <div class="module-read">{read_control}</div>
    }
}

#[component]
fn ModuleNav(
    course: String,
    previous: Option<ModuleLink>,
    next: Option<ModuleLink>,
) -> impl IntoView {
    let course_href = format!("/modules/{course}");
    view! {
        <nav class="module-nav" aria-label="Modules van deze cursus">
            {match previous {
                Some(link) => view! {
                    <A href=module_href(&course, &link.slug) attr:rel="prev" attr:class="module-prev">
                        <span class="module-nav-label">"Vorige module"</span>
                        <span>{link.title}</span>
                    </A>
                }.into_any(),
                None => view! { <A href=course_href.clone() attr:class="module-prev">"Overzicht van de cursus"</A> }.into_any(),
            }}
            {match next {
                Some(link) => view! {
                    <A href=module_href(&course, &link.slug) attr:rel="next" attr:class="module-next">
                        <span class="module-nav-label">"Volgende module"</span>
                        <span>{link.title}</span>
                    </A>
                }.into_any(),
                None => view! { <A href=course_href attr:class="module-next">"Terug naar de cursus"</A> }.into_any(),
            }}
        </nav>
    }
}

/// The self-check: a plain form (checked on the server after a full page load without
/// JavaScript), checked in place once the page is hydrated.
#[component]
fn Quiz(
    course: String,
    module: String,
    questions: Vec<QuizQuestion>,
    result: Option<QuizResult>,
    passed_before: bool,
    pending: Memo<bool>,
    check: ServerAction<CheckQuiz>,
) -> impl IntoView {
    let chosen = result
        .as_ref()
        .map(|r| r.chosen.clone())
        .unwrap_or_default();
    let summary = result.as_ref().map(|result| {
        let total = result.feedback.len();
        let text = if result.is_empty() {
            "U heeft nog geen antwoord gekozen. Kies bij elke vraag een antwoord en controleer dan opnieuw.".to_owned()
        } else if result.passed {
            format!(
                "Alle {total} vragen goed: u heeft de zelftoets gehaald.{}",
                if result.recorded { " Dit is bewaard in uw voortgang." } else { "" }
            )
        } else {
            format!(
                "{} van {total} vragen goed. Lees de uitleg en probeer het nog eens.",
                result.correct_count()
            )
        };
        view! { <p class="notice" class:success=result.passed role="status" id="zelftoets-uitslag">{text}</p> }
    });
    view! {
        <section class="quiz" id="zelftoets" aria-labelledby="zelftoets-titel">
            <h2 id="zelftoets-titel">"Zelftoets"</h2>
            {(passed_before && result.is_none()).then(|| view! {
                <p class="module-status">"✓ U heeft deze zelftoets eerder gehaald."</p>
            })}
            {summary}
            <ActionForm action=check attr:class="quiz-form">
                <input type="hidden" name="course" value=course/>
                <input type="hidden" name="module" value=module/>
                {questions
                    .into_iter()
                    .enumerate()
                    .map(|(q, question)| {
                        let feedback = result
                            .as_ref()
                            .filter(|r| !r.is_empty())
                            .and_then(|r| r.feedback.get(q).cloned());
                        let answered_right = feedback.as_ref().filter(|f| f.answered).map(|f| f.correct);
                        let kind = if question.multiple { "checkbox" } else { "radio" };
                        view! {
                            <fieldset
                                class="question"
                                class:correct=answered_right == Some(true)
                                class:incorrect=answered_right == Some(false)
                            >
                                <legend>{format!("{}. {}", q + 1, question.prompt)}</legend>
                                {question.multiple.then(|| view! { <p class="field-hint">"Kies alle juiste antwoorden."</p> })}
                                {question
                                    .options
                                    .into_iter()
                                    .enumerate()
                                    .map(|(o, option)| {
                                        let value = answer_value(q, o);
                                        // One name per radio group, one per checkbox.
                                        let name = if question.multiple {
                                            format!("answers[v{q}o{o}]")
                                        } else {
                                            format!("answers[v{q}]")
                                        };
                                        let checked = chosen.contains(&value);
                                        view! {
                                            <label class="option">
                                                <input type=kind name=name value=value checked=checked/>
                                                " "{option}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                                {feedback.map(|feedback| view! {
                                    <div class="feedback">
                                        <p><strong>{match (feedback.answered, feedback.correct) {
                                            (false, _) => "Nog geen antwoord gekozen.",
                                            (true, true) => "Goed.",
                                            (true, false) => "Nog niet goed.",
                                        }}</strong></p>
                                        {feedback.explanation.map(|text| view! { <p>{text}</p> })}
                                    </div>
                                })}
                            </fieldset>
                        }
                    })
                    .collect_view()}
                <button type="submit" class="button" disabled=move || pending.get()>"Controleer mijn antwoorden"</button>
            </ActionForm>
        </section>
    }
}
