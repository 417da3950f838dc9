//! STUB
use super::*;

impl Document {
    /// Parses Markdown into a document.
    pub fn parse(path: &str, source: String) -> Document {
        let front_matter = front_matter::read(&source);
        Document {
            path: path.to_string(),
            mask: source.clone(),
            lines: LineIndex::new(&source),
            source,
            front_matter,
            title: None,
            headings: Vec::new(),
            sections: Vec::new(),
            blocks: Vec::new(),
            sentences: Vec::new(),
            units: Vec::new(),
            code_spans: Vec::new(),
            links: Vec::new(),
            directives: Vec::new(),
        }
    }
}
