//! The fixed vocabularies content is tagged with. Slugs appear in front matter and URLs,
//! labels in the interface.

use serde::{Deserialize, Serialize};

/// Forms of extremism ("verschijningsvormen") a document is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phenomenon {
    Jihadisme,
    RechtsExtremisme,
    LinksExtremisme,
    AntiInstitutioneelExtremisme,
    Fenomeenoverstijgend,
}

impl Phenomenon {
    pub const ALL: [Phenomenon; 5] = [
        Phenomenon::Jihadisme,
        Phenomenon::RechtsExtremisme,
        Phenomenon::LinksExtremisme,
        Phenomenon::AntiInstitutioneelExtremisme,
        Phenomenon::Fenomeenoverstijgend,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Phenomenon::Jihadisme => "jihadisme",
            Phenomenon::RechtsExtremisme => "rechts-extremisme",
            Phenomenon::LinksExtremisme => "links-extremisme",
            Phenomenon::AntiInstitutioneelExtremisme => "anti-institutioneel-extremisme",
            Phenomenon::Fenomeenoverstijgend => "fenomeenoverstijgend",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phenomenon::Jihadisme => "Jihadisme",
            Phenomenon::RechtsExtremisme => "Rechts-extremisme",
            Phenomenon::LinksExtremisme => "Links-extremisme",
            Phenomenon::AntiInstitutioneelExtremisme => "Anti-institutioneel extremisme",
            Phenomenon::Fenomeenoverstijgend => "Fenomeenoverstijgend",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.slug() == slug)
    }
}

/// The work field ("werkterrein") of the professionals a document is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    Veiligheid,
    Onderwijs,
    Zorg,
    SociaalDomein,
    Gemeente,
}

impl Audience {
    pub const ALL: [Audience; 5] = [
        Audience::Veiligheid,
        Audience::Onderwijs,
        Audience::Zorg,
        Audience::SociaalDomein,
        Audience::Gemeente,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Audience::Veiligheid => "veiligheid",
            Audience::Onderwijs => "onderwijs",
            Audience::Zorg => "zorg",
            Audience::SociaalDomein => "sociaal-domein",
            Audience::Gemeente => "gemeente",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Veiligheid => "Veiligheid",
            Audience::Onderwijs => "Onderwijs",
            Audience::Zorg => "Zorg",
            Audience::SociaalDomein => "Sociaal domein",
            Audience::Gemeente => "Gemeente",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.slug() == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_match_serde() {
        for p in Phenomenon::ALL {
            assert_eq!(Phenomenon::from_slug(p.slug()), Some(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.slug())
            );
        }
        for a in Audience::ALL {
            assert_eq!(Audience::from_slug(a.slug()), Some(a));
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.slug())
            );
        }
        assert_eq!(Phenomenon::from_slug("onbekend"), None);
    }
}
