//! The slug a new document's title suggests. Compiled for the browser too: the editor fills the
//! slug field while the title is typed, and the server does the same for a form sent without
//! one, so both propose the same address.

/// Lower case, accents dropped ("één" → "een"), every run of other characters one hyphen, at
/// most 120 bytes. Folds the accented letters Dutch and its loanwords use; other characters
/// become hyphens (a full transliteration table would add its weight to the editor's bundle).
pub fn slug_from_title(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
            'æ' => "ae",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ĳ' => "ij",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
            'œ' => "oe",
            'ß' => "ss",
            'ù' | 'ú' | 'û' | 'ü' => "u",
            'ý' | 'ÿ' => "y",
            c if c.is_ascii_alphanumeric() => {
                slug.push(c);
                continue;
            }
            _ => "-",
        };
        if plain == "-" {
            if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        } else {
            slug.push_str(plain);
        }
    }
    let mut slug = slug.trim_end_matches('-').to_owned();
    if slug.len() > 120 {
        slug.truncate(120);
        slug = slug.trim_end_matches('-').to_owned();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_addresses() {
        assert_eq!(
            slug_from_title("Complotdenken in de klas"),
            "complotdenken-in-de-klas"
        );
        assert_eq!(
            slug_from_title("  Eén gesprek — over ‘ideeën’ & België!  "),
            "een-gesprek-over-ideeen-belgie"
        );
        assert_eq!(slug_from_title("Jihadisme (2026)"), "jihadisme-2026");
        assert_eq!(slug_from_title("!!!"), "");
        assert!(slug_from_title(&"lang ".repeat(100)).len() <= 120);
    }
}
