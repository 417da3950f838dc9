//! Paths to files, and files to the configuration that applies to each.
//!
//! Directories are walked with the `ignore` crate (honouring `.gitignore`, `.ignore` and
//! skipping hidden entries) and only `*.md` / `*.markdown` are taken from a walk; a file named
//! on the command line is always linted. Each document uses the nearest `crisislint.toml`
//! walking up from its own directory, loaded and compiled once per file; every configuration
//! error is collected before any document is read.

use crate::config::{ConfigError, Settings, CONFIG_FILE_NAME};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a document's text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

/// One document to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path shown in output: as given, as found in the walk, or the stdin name.
    pub display: String,
    /// Where to read it.
    pub source: Source,
    /// The path used to find its configuration and match `[[kind-globs]]`.
    pub location: PathBuf,
}

/// What the paths on the command line gave.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Documents, sorted by path, each once.
    pub inputs: Vec<Input>,
    /// Paths that do not exist or could not be walked, already worded.
    pub errors: Vec<String>,
}

/// True for the extensions linted when walking a directory.
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Expands `paths` (`-` is standard input, named `stdin_name` or `-`) into documents.
pub fn discover(paths: &[PathBuf], stdin_name: Option<&str>) -> Discovered {
    let mut found = Discovered::default();
    let mut inputs: Vec<(Input, Identity)> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let display = stdin_name.unwrap_or("-").to_string();
            let location = PathBuf::from(stdin_name.unwrap_or(CONFIG_FILE_NAME));
            let input = Input {
                display,
                source: Source::Stdin,
                location,
            };
            inputs.push((input, Identity::Other));
        } else if path.is_dir() {
            walk(path, &mut inputs, &mut found.errors);
        } else if path.exists() {
            inputs.push((file_input(path.clone()), Identity::Other));
        } else {
            found
                .errors
                .push(format!("{}: {}", path.display(), missing_reason(path)));
        }
    }
    // The same file reached twice (named and walked, through a link, or `a/../a/x.md`) is
    // linted once. One walk without links reaches each file once.
    let one_walk = paths.len() == 1
        && inputs
            .iter()
            .all(|(_, identity)| matches!(identity, Identity::Walked { .. }));
    let mut seen = std::collections::HashSet::new();
    found.inputs = sorted_by_path(inputs)
        .into_iter()
        .filter(|(input, identity)| match &input.source {
            Source::File(_) if one_walk => true,
            // Compared as bytes: hashing a `Path`, which skips separators and `.` a byte at a
            // time, took 15% of the time to walk 2,000 files. Resolved paths hold neither.
            Source::File(path) => seen.insert(identity.resolved(&input.display, path).into_os_string()),
            Source::Stdin => true,
        })
        .map(|(input, _)| input)
        .collect();
    found
}

/// Which file a document is, for linting each file once.
enum Identity {
    /// Found by a walk that follows no links, its shown path UTF-8 (the path's own bytes): the
    /// file is that path from byte `rel` on, under `root`, the walked directory resolved.
    Walked { root: std::sync::Arc<Path>, rel: usize },
    /// Named, reached through a link, or standard input: the system resolves it.
    Other,
}

impl Identity {
    /// The file's path with every link resolved. A path that cannot be resolved (it will not
    /// read either) is rebuilt from its components, which is how `Path`'s equality reads it.
    fn resolved(&self, display: &str, path: &Path) -> PathBuf {
        match self {
            Identity::Walked { root, rel } => root.join(&display[*rel..]),
            Identity::Other => path.canonicalize().unwrap_or_else(|_| path.components().collect()),
        }
    }
}

/// `inputs` in the order of their shown paths, equal paths in their given order. The order is
/// `Path`'s, component by component (`a/b` before `a-b`), except between Windows paths with
/// different drive or share prefixes, which sort by the prefixes' bytes. Each path is made a
/// sort key once (`sort_by_cached_key`, which is stable): comparing two `Path`s splits both
/// into components again, which was 40% of the time to walk 2,000 files.
fn sorted_by_path<T>(mut inputs: Vec<(Input, T)>) -> Vec<(Input, T)> {
    inputs.sort_by_cached_key(|(input, _)| order_key(Path::new(&input.display)));
    inputs
}

/// Bytes that compare as `Path` compares paths: for each component, its kind in `Component`'s
/// order, its bytes, and a 0 byte, which no component holds, so that a component sorts before
/// a longer one it begins.
fn order_key(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 16);
    for component in path.components() {
        let (kind, bytes) = match component {
            Component::Prefix(prefix) => (1, prefix.as_os_str().as_encoded_bytes()),
            Component::RootDir => (2, &b""[..]),
            Component::CurDir => (3, &b""[..]),
            Component::ParentDir => (4, &b""[..]),
            Component::Normal(name) => (5, name.as_encoded_bytes()),
        };
        key.push(kind);
        key.extend_from_slice(bytes);
        key.push(0);
    }
    key
}

/// Why a named path cannot be reached: absent, a dangling link, or a loop of links.
fn missing_reason(path: &Path) -> String {
    match (std::fs::symlink_metadata(path), std::fs::metadata(path)) {
        (Ok(_), Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            "symbolic link to a file that does not exist".to_string()
        }
        (Ok(_), Err(e)) => format!("cannot follow symbolic link: {e}"),
        (Err(e), _) if e.kind() != std::io::ErrorKind::NotFound => e.to_string(),
        _ => "no such file or directory".to_string(),
    }
}

fn file_input(path: PathBuf) -> Input {
    Input {
        // The text `Path::display` shows (each invalid UTF-8 sequence a U+FFFD), without the
        // formatting machinery.
        display: path.to_string_lossy().into_owned(),
        location: path.clone(),
        source: Source::File(path),
    }
}

/// Adds the Markdown files under `root`, each with the file it is. The walk follows no links,
/// so a file found at `root/rel` is `rel` under the resolved root: resolving each path (six
/// system calls for a file four directories down) was most of the time to walk 2,000 files.
/// A linked file is resolved, as a named one is.
fn walk(root: &Path, inputs: &mut Vec<(Input, Identity)>, errors: &mut Vec<String>) {
    let resolved_root: Option<std::sync::Arc<Path>> = root.canonicalize().ok().map(Into::into);
    let walker = ignore::WalkBuilder::new(root)
        // A checked-out folder without `.git` (an export, a tarball) still means its .gitignore.
        .require_git(false)
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                errors.push(walk_error(root, &error));
                continue;
            }
        };
        let is_link = entry.file_type().is_some_and(|t| t.is_symlink());
        let is_file = entry.file_type().is_some_and(|t| t.is_file()) || (is_link && entry.path().is_file());
        if !is_file || entry.depth() == 0 || !is_markdown(entry.path()) {
            continue;
        }
        // `crisislint` and `crisislint .` show `docs/a.md`, not `./docs/a.md`.
        let path = if root == Path::new(".") {
            entry.path().strip_prefix(".").unwrap_or(entry.path()).to_path_buf()
        } else {
            entry.path().to_path_buf()
        };
        // The shown path is the path itself when it is UTF-8; then the part under the root
        // ends it.
        let lossless = path.to_str().is_some();
        let input = file_input(path);
        let rel = entry.path().strip_prefix(root).ok().map(|rel| rel.as_os_str().len());
        let identity = match (&resolved_root, rel, is_link) {
            (Some(root), Some(rel), false) if lossless && rel <= input.display.len() => Identity::Walked {
                root: root.clone(),
                rel: input.display.len() - rel,
            },
            _ => Identity::Other,
        };
        inputs.push((input, identity));
    }
}

fn walk_error(root: &Path, error: &ignore::Error) -> String {
    let message = error.to_string();
    if message.contains(&root.display().to_string()) {
        message
    } else {
        format!("{}: {message}", root.display())
    }
}

/// Which configuration files apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigChoice {
    /// The nearest `crisislint.toml` walking up from each document (the default).
    Nearest,
    /// `--config FILE` for every document.
    File(PathBuf),
    /// `--no-config`: built-in defaults only.
    Builtin,
}

/// The configurations of a run, and which one each input uses.
#[derive(Debug)]
pub struct Configs {
    /// Every configuration in use, each compiled once.
    pub settings: Vec<Settings>,
    /// For each input (same order), an index into `settings`.
    pub of_input: Vec<usize>,
}

/// Loads every configuration the inputs need; all errors are returned together.
pub fn load_configs(inputs: &[Input], choice: &ConfigChoice) -> Result<Configs, Vec<ConfigError>> {
    match choice {
        ConfigChoice::Builtin => Ok(Configs {
            settings: vec![Settings::builtin()],
            of_input: vec![0; inputs.len()],
        }),
        ConfigChoice::File(path) => Ok(Configs {
            settings: vec![Settings::load(path).map_err(|e| vec![e])?],
            of_input: vec![0; inputs.len()],
        }),
        ConfigChoice::Nearest => {
            let mut finder = NearestConfig::default();
            let mut settings = Vec::new();
            let mut index_of: HashMap<Option<PathBuf>, usize> = HashMap::new();
            let mut errors = Vec::new();
            let mut of_input = Vec::with_capacity(inputs.len());
            for input in inputs {
                let config = finder.for_document(&input.location);
                let index = match index_of.get(&config) {
                    Some(&index) => index,
                    None => {
                        let loaded = match &config {
                            Some(path) => Settings::load(path),
                            None => Ok(Settings::builtin()),
                        };
                        match loaded {
                            Ok(s) => settings.push(s),
                            Err(e) => {
                                errors.push(e);
                                settings.push(Settings::builtin());
                            }
                        }
                        index_of.insert(config, settings.len() - 1);
                        settings.len() - 1
                    }
                };
                of_input.push(index);
            }
            if errors.is_empty() {
                Ok(Configs { settings, of_input })
            } else {
                Err(errors)
            }
        }
    }
}

/// The configuration for commands that lint nothing (`rules`, `explain`): the nearest one
/// from the current directory, the one named, or none.
pub fn load_for_cwd(choice: &ConfigChoice) -> Result<Settings, ConfigError> {
    match choice {
        ConfigChoice::Builtin => Ok(Settings::builtin()),
        ConfigChoice::File(path) => Settings::load(path),
        ConfigChoice::Nearest => match NearestConfig::default().for_document(Path::new(CONFIG_FILE_NAME)) {
            Some(path) => Settings::load(&path),
            None => Ok(Settings::builtin()),
        },
    }
}

/// Finds the nearest configuration file above a document, remembering each directory's answer.
#[derive(Debug, Default)]
struct NearestConfig {
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    /// The last document's directory as given, and its answer: documents come sorted, so most
    /// share the one before's, and making a directory absolute and looking it up in `by_dir`
    /// costs more than comparing it.
    last: Option<(PathBuf, Option<PathBuf>)>,
}

impl NearestConfig {
    /// The nearest `crisislint.toml` in the document's directory or above, shown relative to
    /// the current directory when it lies under it.
    fn for_document(&mut self, document: &Path) -> Option<PathBuf> {
        let parent = document
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Some((dir, answer)) = &self.last {
            if dir == parent {
                return answer.clone();
            }
        }
        let answer = self.for_directory(parent);
        self.last = Some((parent.to_path_buf(), answer.clone()));
        answer
    }

    fn for_directory(&mut self, parent: &Path) -> Option<PathBuf> {
        let dir = crate::config::absolute_path(parent);
        let found = self.in_dir_or_above(&dir)?;
        Some(
            match crate::config::current_dir().and_then(|c| found.strip_prefix(c).ok()) {
                Some(relative) => relative.to_path_buf(),
                None => found,
            },
        )
    }

    fn in_dir_or_above(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(known) = self.by_dir.get(dir) {
            return known.clone();
        }
        let candidate = dir.join(CONFIG_FILE_NAME);
        let found = if candidate.is_file() {
            Some(candidate)
        } else {
            dir.parent().and_then(|up| self.in_dir_or_above(up))
        };
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Every pair of paths compares by [`order_key`] as `Path` compares them, separators,
    /// `.`, `..`, roots and bytes below and above `/` included.
    #[test]
    fn order_keys_compare_as_paths_do() {
        let names = [
            "a",
            "a/b",
            "a-b",
            "a.b",
            "a b",
            "a!",
            "a/b/c",
            "a/b-c",
            "a/b.md",
            "a//b",
            "a/./b",
            "./a",
            "../a",
            "..",
            ".",
            "/a",
            "/",
            "a/",
            "b",
            "A",
            "é",
            "a/é",
            "a0",
            "a/0",
            "",
            "ab",
            "a/\u{1F600}",
        ];
        for x in names {
            for y in names {
                assert_eq!(
                    order_key(Path::new(x)).cmp(&order_key(Path::new(y))),
                    Path::new(x).cmp(Path::new(y)),
                    "{x:?} against {y:?}"
                );
            }
        }
    }

    /// Inputs come out in `Path`'s order, equal paths in their given order.
    #[test]
    fn inputs_are_sorted_as_paths_and_stably() {
        let given = ["b.md", "a-b.md", "a/z.md", "./a/../c.md", "a//z.md", "a/b.md"];
        let inputs = given
            .iter()
            .enumerate()
            .map(|(at, name)| (file_input(PathBuf::from(name)), at))
            .collect();
        let sorted: Vec<usize> = sorted_by_path(inputs).into_iter().map(|(_, at)| at).collect();
        let mut expected: Vec<usize> = (0..given.len()).collect();
        expected.sort_by(|&a, &b| Path::new(given[a]).cmp(Path::new(given[b])));
        assert_eq!(sorted, expected);
        assert_eq!(sorted, [3, 5, 2, 4, 1, 0]);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_by_several_paths_is_linted_once() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        touch(&root.join("docs/a.md"), "# a\n");
        touch(&root.join("docs/deep/b.md"), "# b\n");
        symlink("a.md", root.join("docs/link.md")).unwrap();
        symlink("docs", root.join("alias")).unwrap();
        let paths = [
            root.join("docs"),
            root.join("docs/a.md"),
            root.join("docs/deep/../a.md"),
            root.join("alias"),
            root.join("alias/deep/b.md"),
        ];
        let found = discover(&paths, None);
        let shown: Vec<String> = found
            .inputs
            .iter()
            .map(|i| i.display.strip_prefix(&root.display().to_string()).unwrap().to_string())
            .collect();
        // Sorted by what is shown, the first path to each file stays.
        assert_eq!(shown, ["/alias/a.md", "/alias/deep/b.md"], "{:?}", found.inputs);
        assert!(found.errors.is_empty(), "{:?}", found.errors);

        // One walk reaches each file once, unless through a link.
        let walked = discover(&[root.join("docs")], None);
        let shown: Vec<&str> = (walked.inputs.iter())
            .map(|i| i.display.strip_prefix(&root.display().to_string()).unwrap())
            .collect();
        assert_eq!(shown, ["/docs/a.md", "/docs/deep/b.md"], "{:?}", walked.inputs);
    }

    #[test]
    fn walks_markdown_only_honours_gitignore_skips_hidden_and_sorts() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for name in [
            "b.md",
            "a/z.markdown",
            "a/y.MD",
            "notes.txt",
            ".hidden/x.md",
            "skip/me.md",
            "a-b.md",
        ] {
            touch(&root.join(name), "# x\n");
        }
        touch(&root.join(".gitignore"), "skip/\n");
        let found = discover(&[root.to_path_buf()], None);
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        let shown: Vec<String> = found
            .inputs
            .iter()
            .map(|i| Path::new(&i.display).strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(shown, ["a/y.MD", "a/z.markdown", "a-b.md", "b.md"]);
    }

    #[test]
    fn a_named_file_is_always_linted_and_a_missing_one_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let txt = tmp.path().join("notes.txt");
        touch(&txt, "hello\n");
        let missing = tmp.path().join("nope.md");
        let found = discover(&[txt.clone(), missing.clone(), txt.clone()], None);
        assert_eq!(found.inputs.len(), 1);
        assert_eq!(found.inputs[0].source, Source::File(txt));
        assert_eq!(
            found.errors,
            [format!("{}: no such file or directory", missing.display())]
        );
    }

    #[test]
    fn stdin_takes_its_name_from_the_flag() {
        let found = discover(&[PathBuf::from("-")], Some("status/now.md"));
        assert_eq!(found.inputs[0].display, "status/now.md");
        assert_eq!(found.inputs[0].source, Source::Stdin);
        let found = discover(&[PathBuf::from("-")], None);
        assert_eq!(found.inputs[0].display, "-");
    }

    #[test]
    fn each_document_uses_the_nearest_configuration_loaded_once() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        touch(&root.join("crisislint.toml"), "default-kind = \"postmortem\"\n");
        touch(
            &root.join("status/crisislint.toml"),
            "default-kind = \"status-update\"\n",
        );
        for name in ["a.md", "b.md", "status/c.md", "status/deep/d.md", "other/e.md"] {
            touch(&root.join(name), "# x\n");
        }
        let found = discover(&[root.to_path_buf()], None);
        let configs = load_configs(&found.inputs, &ConfigChoice::Nearest).unwrap();
        assert_eq!(configs.settings.len(), 2);
        let kinds: Vec<&str> = configs
            .of_input
            .iter()
            .map(|&i| configs.settings[i].default_kind.as_str())
            .collect();
        assert_eq!(
            kinds,
            [
                "postmortem",
                "postmortem",
                "postmortem",
                "status-update",
                "status-update"
            ]
        );
    }

    #[test]
    fn every_broken_configuration_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        touch(&root.join("one/crisislint.toml"), "no-such-key = 1\n");
        touch(&root.join("two/crisislint.toml"), "default-kind = \"memo\"\n");
        touch(&root.join("one/a.md"), "# x\n");
        touch(&root.join("two/b.md"), "# x\n");
        let found = discover(&[root.to_path_buf()], None);
        let errors = load_configs(&found.inputs, &ConfigChoice::Nearest).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].0.contains("one/crisislint.toml:1:1"), "{}", errors[0]);
        assert!(errors[1].0.contains("two/crisislint.toml:1:16"), "{}", errors[1]);
    }
}
