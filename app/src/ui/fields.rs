//! Form fields with their label, hint and Dutch error, and the accessible markup written once:
//! the error sits in `#fout-<field>`, the control points at it with `aria-describedby` and says
//! `aria-invalid`. `field` is the key of the field in the form's errors.

use leptos::prelude::*;

use super::feedback::FieldError;

fn error_id(field: &str) -> String {
    format!("fout-{field}")
}

fn describe(field: &str, error: &Option<String>) -> (Option<&'static str>, Option<String>) {
    (
        error.is_some().then_some("true"),
        error.is_some().then(|| error_id(field)),
    )
}

/// The label, hint and error around one control; the control is the child.
#[component]
fn FieldFrame(
    id: String,
    field: String,
    label: String,
    hint: Option<&'static str>,
    error: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint">{hint}</p> })}
            {children()}
            <FieldError id=error_id(&field) message=error/>
        </div>
    }
}

/// A one-line input (`kind`: text, date, time, url, email, number; default text).
#[component]
pub fn TextField(
    #[prop(into)] field: String,
    /// The form name, e.g. `input[display_name]`.
    #[prop(into)]
    name: String,
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    error: Option<String>,
    /// The control's id; defaults to `field`.
    #[prop(optional, into)]
    id: Option<String>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] readonly: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field.clone());
    let (invalid, described) = describe(&field, &error);
    view! {
        <FieldFrame id=id.clone() field label hint error>
            <input
                id=id
                type=kind.unwrap_or("text")
                name=name
                value=value
                readonly=readonly
                autocomplete=autocomplete
                aria-invalid=invalid
                aria-describedby=described
            />
        </FieldFrame>
    }
}

/// A multi-line text field.
#[component]
pub fn TextArea(
    #[prop(into)] field: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    error: Option<String>,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] rows: Option<u32>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field.clone());
    let (invalid, described) = describe(&field, &error);
    view! {
        <FieldFrame id=id.clone() field label hint error>
            <textarea
                id=id
                name=name
                rows=rows.unwrap_or(6)
                aria-invalid=invalid
                aria-describedby=described
            >
                {value}
            </textarea>
        </FieldFrame>
    }
}

/// A `<select>` of `(value, label)` options with an empty first choice `placeholder`.
#[component]
pub fn SelectField(
    #[prop(into)] field: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    options: Vec<(String, String)>,
    #[prop(into)] selected: String,
    error: Option<String>,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field.clone());
    let (invalid, described) = describe(&field, &error);
    let placeholder_selected = selected.is_empty();
    view! {
        <FieldFrame id=id.clone() field label hint=None error>
            <select id=id name=name aria-invalid=invalid aria-describedby=described>
                {placeholder.map(|text| view! {
                    <option value="" selected=placeholder_selected>{text}</option>
                })}
                {options
                    .into_iter()
                    .map(|(value, label)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
        </FieldFrame>
    }
}

/// A group of checkboxes named `<name>[<value>]`, as a fieldset with a legend.
#[component]
pub fn CheckboxGroup(
    #[prop(into)] field: String,
    /// Each box is named `<name>[<value>]` and sends "on" when ticked.
    #[prop(into)]
    name: String,
    #[prop(into)] legend: String,
    options: Vec<(String, String)>,
    checked: Vec<String>,
    error: Option<String>,
    /// The fieldset's id, for links to the group (e.g. from an error summary).
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let described = error.is_some().then(|| error_id(&field));
    let boxes = options
        .into_iter()
        .map(|(value, label)| {
            let id = format!("{field}-{value}");
            let is_checked = checked.contains(&value);
            view! {
                <label class="checkbox" for=id.clone()>
                    <input
                        type="checkbox"
                        id=id.clone()
                        name=format!("{name}[{value}]")
                        value="on"
                        checked=is_checked
                    />
                    {label}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="checkbox-group" tabindex=id.is_some().then_some("-1") id=id aria-describedby=described>
            <legend>{legend}</legend>
            {boxes}
            <FieldError id=error_id(&field) message=error/>
        </fieldset>
    }
}
