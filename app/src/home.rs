//! The home page: what the platform offers (factsheets, courses, intervision), and the most recently
//! reviewed factsheets.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::knowledge::api::documents::recent_factsheets;
use crate::knowledge::pages::factsheets::FactsheetCard;
use crate::ui::{ErrorPage, Loading};

#[component]
pub fn HomePage() -> impl IntoView {
    let recent = Resource::new(|| (), |_| recent_factsheets());
    // `/auth/logout` lands here with `?uitgelogd`: say that it worked.
    let logged_out = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("uitgelogd")
        .is_some();
    view! {
        <Title text="Kennis over radicalisering en extremisme"/>
        {logged_out.then(|| view! {
            <p class="notice success" role="status">"U bent uitgelogd."</p>
        })}
        <section class="hero">
            <h1>"Kennis over radicalisering en extremisme, voor uw praktijk"</h1>
            <p class="lead">
                "Politie, onderwijs, zorg, sociaal domein en gemeenten: wie in het werk te maken krijgt met "
                "radicalisering, vindt hier onderbouwde en actuele kennis van het Landelijk Steunpunt Extremisme."
            </p>
            <p>
                <A href="/factsheets" attr:class="button">"Bekijk de factsheets"</A>
                " "
                <A href="/modules" attr:class="button secondary">"Volg een cursus"</A>
            </p>
        </section>
        <section class="offer" aria-labelledby="offer-title">
            <h2 id="offer-title">"Wat u hier vindt"</h2>
            <div class="offer-grid">
                <div>
                    <h3>"Factsheets"</h3>
                    <p>
                        "Over jihadisme, rechts-, links- en anti-institutioneel extremisme, online radicalisering, "
                        "het herkennen van signalen, in gesprek blijven en doorverwijzen. Kort, met bronnen."
                    </p>
                </div>
                <div>
                    <h3>"Altijd gecontroleerd"</h3>
                    <p>
                        "Elke factsheet heeft een eigenaar binnen het kennisteam en wordt op een vaste datum "
                        "opnieuw gecontroleerd. U ziet op elke pagina wanneer dat voor het laatst gebeurde."
                    </p>
                </div>
                <div>
                    <h3>"Cursussen met zelftoets"</h3>
                    <p>
                        "Korte cursussen in modules, met vragen om uw kennis te toetsen. Ingelogd bewaart u "
                        "welke modules u gelezen heeft; alleen u ziet die voortgang."
                    </p>
                </div>
                <div>
                    <h3>"Intervisie"</h3>
                    <p>
                        "Besloten groepen die meerdere keren bijeenkomen om dilemma's uit de praktijk te bespreken. "
                        "U komt erin met een uitnodiging van de begeleider. "
                        <A href="/intervisie">"Naar mijn intervisiegroepen"</A>
                    </p>
                </div>
            </div>
        </section>
        <section aria-labelledby="recent-title">
            <h2 id="recent-title">"Recent gecontroleerd"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match recent.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p>"Er zijn nog geen factsheets gepubliceerd."</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="cards" id="recent-factsheets">
                                    {list
                                        .into_iter()
                                        .map(|summary| view! { <li><FactsheetCard summary/></li> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorPage error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
