//! Topics of appeals and queues. The list lives in `assets/categories.toml`,
//! not in code, so an office can change names without a programmer.

use super::lang::{Lang, Localized};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CategoryId(String);

impl CategoryId {
    pub fn new(id: impl Into<String>) -> Self {
        CategoryId(id.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CategoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: CategoryId,
    pub prefix: char,
    pub name: Localized,
    pub programme: bool,
}

#[derive(Debug, Clone)]
pub struct Catalogue {
    categories: Vec<Category>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("categories file: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("category {id}: the prefix must be one letter, not {prefix:?}")]
    BadPrefix { id: String, prefix: String },
    #[error("categories {0} and {1} share a prefix or an id")]
    Duplicate(String, String),
    #[error("the categories file lists no categories")]
    Empty,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    category: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    prefix: String,
    #[serde(default)]
    programme: bool,
    kk: String,
    ru: String,
    en: String,
}

const BUILT_IN: &str = include_str!("../../assets/categories.toml");

impl Catalogue {
    /// The catalogue shipped in `assets/categories.toml`, checked by a test.
    pub fn builtin() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE
            .get_or_init(|| Catalogue::parse(BUILT_IN).expect("assets/categories.toml is valid"))
    }

    pub fn parse(toml_text: &str) -> Result<Self, CatalogueError> {
        let file: File = toml::from_str(toml_text)?;
        let mut categories: Vec<Category> = Vec::with_capacity(file.category.len());
        for e in file.category {
            let mut letters = e.prefix.chars();
            let prefix = match (letters.next(), letters.next()) {
                (Some(c), None) if c.is_alphabetic() => c,
                _ => {
                    return Err(CatalogueError::BadPrefix {
                        id: e.id,
                        prefix: e.prefix,
                    });
                }
            };
            if let Some(other) = categories
                .iter()
                .find(|c| c.prefix == prefix || c.id.0 == e.id)
            {
                return Err(CatalogueError::Duplicate(other.id.0.clone(), e.id));
            }
            categories.push(Category {
                id: CategoryId(e.id),
                prefix,
                name: Localized {
                    kk: e.kk,
                    ru: e.ru,
                    en: e.en,
                },
                programme: e.programme,
            });
        }
        if categories.is_empty() {
            return Err(CatalogueError::Empty);
        }
        Ok(Catalogue { categories })
    }

    pub fn all(&self) -> &[Category] {
        &self.categories
    }

    pub fn get(&self, id: &CategoryId) -> Option<&Category> {
        self.categories.iter().find(|c| &c.id == id)
    }

    pub fn by_id(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id.0 == id)
    }

    /// What the kiosk offers: everything, or only programme proposals in
    /// campaign mode.
    pub fn offered(&self, campaign_mode: bool) -> Vec<&Category> {
        self.categories
            .iter()
            .filter(|c| !campaign_mode || c.programme)
            .collect()
    }

    pub fn name(&self, id: &CategoryId, lang: Lang) -> String {
        self.get(id)
            .map(|c| c.name.get(lang).to_string())
            .unwrap_or_else(|| id.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_is_complete() {
        let c = Catalogue::builtin();
        assert_eq!(c.all().len(), 11);
        assert_eq!(c.by_id("housing").unwrap().prefix, 'Ж');
        assert_eq!(c.offered(true).len(), 1);
        assert!(c.offered(true)[0].programme);
        for cat in c.all() {
            for lang in Lang::ALL {
                assert!(!cat.name.get(lang).trim().is_empty(), "{} {lang}", cat.id);
            }
        }
    }

    #[test]
    fn duplicate_prefix_refused() {
        let text = r#"
            [[category]]
            id = "a"
            prefix = "Ж"
            kk = "a"
            ru = "a"
            en = "a"
            [[category]]
            id = "b"
            prefix = "Ж"
            kk = "b"
            ru = "b"
            en = "b"
        "#;
        assert!(matches!(
            Catalogue::parse(text),
            Err(CatalogueError::Duplicate(..))
        ));
    }

    #[test]
    fn long_prefix_refused() {
        let text =
            "[[category]]\nid = \"a\"\nprefix = \"ЖК\"\nkk = \"a\"\nru = \"a\"\nen = \"a\"\n";
        assert!(matches!(
            Catalogue::parse(text),
            Err(CatalogueError::BadPrefix { .. })
        ));
    }
}
