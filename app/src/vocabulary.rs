//! Fixed vocabularies: enums whose values appear as slugs in content, URLs, forms and database
//! columns, and as Dutch labels in the interface. [`vocabulary!`] writes each once: the enum,
//! `ALL`, `slug`, `label`, `from_slug`, `Display`/`FromStr` (the slug), serde (the slug) and,
//! on the server, a sea-orm value type stored as its slug.

/// A slug that names no value of the vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("onbekende waarde '{0}'")]
pub struct UnknownSlug(pub String);

/// Declares a vocabulary enum: `Variant = ("slug", "Dutch label")`.
#[macro_export]
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = ($slug:literal, $label:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
        #[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
        $vis enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $slug)] $variant ),+
        }

        impl $name {
            pub const ALL: [$name; [$($slug),+].len()] = [$($name::$variant),+];

            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_slug(slug: &str) -> Option<Self> {
                match slug {
                    $($slug => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.slug())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::vocabulary::UnknownSlug;

            fn from_str(slug: &str) -> Result<Self, Self::Err> {
                Self::from_slug(slug).ok_or_else(|| $crate::vocabulary::UnknownSlug(slug.to_owned()))
            }
        }
    };
}

vocabulary! {
    /// Forms of extremism ("verschijningsvormen") a document is about.
    pub enum Phenomenon {
        Jihadisme = ("jihadisme", "Jihadisme"),
        RechtsExtremisme = ("rechts-extremisme", "Rechts-extremisme"),
        LinksExtremisme = ("links-extremisme", "Links-extremisme"),
        AntiInstitutioneelExtremisme = ("anti-institutioneel-extremisme", "Anti-institutioneel extremisme"),
        Fenomeenoverstijgend = ("fenomeenoverstijgend", "Fenomeenoverstijgend"),
    }
}

vocabulary! {
    /// The work field ("werkterrein") of a professional: in a profile, and as the audience a
    /// document or training is written for.
    pub enum WorkField {
        Veiligheid = ("veiligheid", "Veiligheid"),
        Onderwijs = ("onderwijs", "Onderwijs"),
        Zorg = ("zorg", "Zorg"),
        SociaalDomein = ("sociaal-domein", "Sociaal domein"),
        Gemeente = ("gemeente", "Gemeente"),
        Anders = ("anders", "Anders"),
    }
}

impl WorkField {
    /// The fields content is tagged with ("anders" is for profiles only).
    pub const AUDIENCES: [WorkField; 5] = [
        WorkField::Veiligheid,
        WorkField::Onderwijs,
        WorkField::Zorg,
        WorkField::SociaalDomein,
        WorkField::Gemeente,
    ];
}

vocabulary! {
    /// What a dilemma is about, for the knowledge staff's view of where practice asks for
    /// knowledge: every phenomenon (same slug) and themes from practice. The list may grow; a
    /// slug once stored never changes.
    pub enum Theme {
        Jihadisme = ("jihadisme", "Jihadisme"),
        RechtsExtremisme = ("rechts-extremisme", "Rechts-extremisme"),
        LinksExtremisme = ("links-extremisme", "Links-extremisme"),
        AntiInstitutioneelExtremisme = ("anti-institutioneel-extremisme", "Anti-institutioneel extremisme"),
        Fenomeenoverstijgend = ("fenomeenoverstijgend", "Fenomeenoverstijgend"),
        InformatieDelen = ("informatie-delen", "Informatie delen en beroepsgeheim"),
        OnlineGedrag = ("online-gedrag", "Online gedrag"),
        School = ("school", "School en onderwijs"),
        Gezin = ("gezin", "Gezin en opvoeding"),
        Doorverwijzen = ("doorverwijzen", "Doorverwijzen en samenwerken"),
    }
}

impl Theme {
    /// The theme of a phenomenon: every dilemma has one.
    pub fn of_phenomenon(phenomenon: Phenomenon) -> Theme {
        Theme::from_slug(phenomenon.slug()).unwrap_or(Theme::Fenomeenoverstijgend)
    }

    /// The phenomenon this theme is, if it is one.
    pub fn phenomenon(self) -> Option<Phenomenon> {
        Phenomenon::from_slug(self.slug())
    }

    /// The themes a member picks for a dilemma besides its phenomenon.
    pub fn practice() -> impl Iterator<Item = Theme> {
        Theme::ALL.into_iter().filter(|t| t.phenomenon().is_none())
    }

    /// What the search index is asked for the documents that already cover a practice theme
    /// (documents carry phenomena, not practice themes): any of these words or phrases.
    pub fn search_words(self) -> &'static str {
        match self {
            Theme::InformatieDelen => "beroepsgeheim \"informatie delen\" informatiedeling",
            Theme::OnlineGedrag => "online internet \"sociale media\"",
            Theme::School => "school leerling leerlingen",
            Theme::Gezin => "gezin ouders opvoeding",
            Theme::Doorverwijzen => "doorverwijzen doorverwijzing samenwerking",
            other => other.label(),
        }
    }
}

/// Who signs the platform's mail and certificates when the configuration names nobody
/// (`ORGANISATION_NAME`).
pub const DEFAULT_ORGANISATION: &str = "Landelijk Steunpunt Extremisme";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_through_serde_display_and_from_str() {
        for p in Phenomenon::ALL {
            assert_eq!(Phenomenon::from_slug(p.slug()), Some(p));
            assert_eq!(p.to_string().parse::<Phenomenon>(), Ok(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.slug())
            );
        }
        for w in WorkField::ALL {
            assert_eq!(WorkField::from_slug(w.slug()), Some(w));
            assert_eq!(
                serde_json::from_str::<WorkField>(&format!("\"{}\"", w.slug())).unwrap(),
                w
            );
        }
        assert_eq!(Phenomenon::from_slug("onbekend"), None);
        for p in Phenomenon::ALL {
            assert_eq!(Theme::of_phenomenon(p).phenomenon(), Some(p), "{p:?}");
        }
        assert_eq!(
            Theme::practice().count(),
            Theme::ALL.len() - Phenomenon::ALL.len()
        );
        assert_eq!(
            "onbekend".parse::<WorkField>(),
            Err(UnknownSlug("onbekend".into()))
        );
        assert_eq!(WorkField::ALL.len(), 6);
        assert_eq!(WorkField::Anders.label(), "Anders");
    }
}
