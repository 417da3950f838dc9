//! `crisislint server`: a language server over stdio (LSP 3.17, full-text sync).
//!
//! Documents are linted on open, change and save with the configuration that applies to their
//! path (the nearest `crisislint.toml`, as the command line finds it). Configurations are
//! compiled once and forgotten when one changes: on `workspace/didChangeWatchedFiles` (the
//! server asks to watch `**/crisislint.toml` when the editor can) and when the editor saves a
//! `crisislint.toml`; every open document is then linted again.

mod convert;
pub mod transport;

pub use convert::LspPositions;

use crate::config::{Settings, CONFIG_FILE_NAME};
use crate::diagnostic::Diagnostic;
use crate::engine::{lint_source_on, Overrides, RuleThreads};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern, InitializeParams,
    InitializeResult, MessageType, PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url,
};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Runs the server on stdin/stdout; returns the process exit status (0 after `shutdown`).
pub fn serve_stdio() -> i32 {
    let (connection, writer) = transport::stdio();
    let status = Server::default().run(&connection);
    drop(connection);
    let _ = writer.join();
    status
}

/// One open document: its text and its last findings (for code actions).
struct OpenDocument {
    text: String,
    findings: Vec<Diagnostic>,
}

/// The server's state between messages.
#[derive(Default)]
struct Server {
    documents: HashMap<Url, OpenDocument>,
    /// Compiled configurations by file (`None`: built-in defaults), or why one failed.
    settings: HashMap<Option<PathBuf>, Result<Arc<Settings>, String>>,
    /// Configuration errors already shown (each once until the next reload).
    shown: std::collections::HashSet<String>,
    initialized: bool,
    shutdown: bool,
    watch_dynamically: bool,
    next_request: i32,
}

impl Server {
    /// Handles messages until `exit` or the end of input.
    fn run(mut self, connection: &Connection) -> i32 {
        for message in &connection.receiver {
            match message {
                Message::Request(request) => self.on_request(connection, request),
                Message::Notification(n) if n.method == note::Exit::METHOD => {
                    return if self.shutdown { 0 } else { 1 };
                }
                Message::Notification(n) => self.on_notification(connection, n),
                Message::Response(_) => {} // answers to our registration request
            }
        }
        1
    }

    fn on_request(&mut self, connection: &Connection, request: Request) {
        let id = request.id.clone();
        let reply = |result: Result<serde_json::Value, (ErrorCode, String)>| {
            let response = match result {
                Ok(value) => Response::new_ok(id.clone(), value),
                Err((code, message)) => Response::new_err(id.clone(), code as i32, message),
            };
            let _ = connection.sender.send(response.into());
        };
        if request.method == req::Initialize::METHOD {
            if self.initialized {
                return reply(Err((
                    ErrorCode::InvalidRequest,
                    "initialize was already received".into(),
                )));
            }
            let params: InitializeParams = match serde_json::from_value(request.params) {
                Ok(params) => params,
                Err(e) => return reply(Err((ErrorCode::InvalidParams, e.to_string()))),
            };
            self.watch_dynamically = params
                .capabilities
                .workspace
                .and_then(|w| w.did_change_watched_files)
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false);
            self.initialized = true;
            return reply(Ok(serde_json::to_value(initialize_result()).expect("serializes")));
        }
        if !self.initialized {
            return reply(Err((ErrorCode::ServerNotInitialized, "initialize first".into())));
        }
        if self.shutdown {
            return reply(Err((ErrorCode::InvalidRequest, "the server is shutting down".into())));
        }
        match request.method.as_str() {
            req::Shutdown::METHOD => {
                self.shutdown = true;
                reply(Ok(serde_json::Value::Null))
            }
            req::CodeActionRequest::METHOD => match serde_json::from_value::<CodeActionParams>(request.params) {
                Ok(params) => {
                    let actions = self
                        .documents
                        .get(&params.text_document.uri)
                        .map_or_else(Vec::new, |doc| {
                            convert::code_actions(&params.text_document.uri, &doc.text, &doc.findings, params.range)
                        });
                    reply(Ok(serde_json::to_value(actions).expect("serializes")))
                }
                Err(e) => reply(Err((ErrorCode::InvalidParams, e.to_string()))),
            },
            other => reply(Err((
                ErrorCode::MethodNotFound,
                format!("unsupported request `{other}`"),
            ))),
        }
    }

    fn on_notification(&mut self, connection: &Connection, n: Notification) {
        if !self.initialized {
            return;
        }
        let method = n.method.clone();
        let result =
            match method.as_str() {
                note::Initialized::METHOD => {
                    self.register_watcher(connection);
                    Ok(())
                }
                note::DidOpenTextDocument::METHOD => {
                    serde_json::from_value::<DidOpenTextDocumentParams>(n.params).map(|p| {
                        let doc = p.text_document;
                        self.set_text(connection, doc.uri, doc.text);
                    })
                }
                note::DidChangeTextDocument::METHOD => {
                    serde_json::from_value::<DidChangeTextDocumentParams>(n.params).map(|p| {
                        // Full sync: the last change holds the whole text.
                        if let Some(change) = p.content_changes.into_iter().last() {
                            self.set_text(connection, p.text_document.uri, change.text);
                        }
                    })
                }
                note::DidSaveTextDocument::METHOD => {
                    serde_json::from_value::<DidSaveTextDocumentParams>(n.params).map(|p| {
                        if is_config(&p.text_document.uri) {
                            self.reload(connection);
                        } else if let Some(text) = p.text {
                            self.set_text(connection, p.text_document.uri, text);
                        } else {
                            self.lint(connection, &p.text_document.uri);
                        }
                    })
                }
                note::DidCloseTextDocument::METHOD => serde_json::from_value::<DidCloseTextDocumentParams>(n.params)
                    .map(|p| {
                        self.documents.remove(&p.text_document.uri);
                        publish(connection, p.text_document.uri, Vec::new());
                    }),
                note::DidChangeWatchedFiles::METHOD => serde_json::from_value::<DidChangeWatchedFilesParams>(n.params)
                    .map(|p| {
                        if p.changes.iter().any(|c| is_config(&c.uri)) {
                            self.reload(connection);
                        }
                    }),
                _ => Ok(()), // `$/cancelRequest`, `$/setTrace` and the like need nothing
            };
        if let Err(e) = result {
            show(
                connection,
                MessageType::ERROR,
                format!("crisislint: invalid `{method}` params: {e}"),
            );
        }
    }

    /// Asks the editor to report changes to any `crisislint.toml`, when it can.
    fn register_watcher(&mut self, connection: &Connection) {
        if !self.watch_dynamically {
            return;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{CONFIG_FILE_NAME}")),
                kind: None,
            }],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "crisislint-config".into(),
                method: note::DidChangeWatchedFiles::METHOD.into(),
                register_options: Some(serde_json::to_value(options).expect("serializes")),
            }],
        };
        self.next_request += 1;
        let id = RequestId::from(format!("crisislint-{}", self.next_request));
        let request = Request::new(id, req::RegisterCapability::METHOD.into(), params);
        let _ = connection.sender.send(request.into());
    }

    fn set_text(&mut self, connection: &Connection, uri: Url, text: String) {
        self.documents.insert(
            uri.clone(),
            OpenDocument {
                text,
                findings: Vec::new(),
            },
        );
        self.lint(connection, &uri);
    }

    /// Forgets every compiled configuration and lints every open document again.
    fn reload(&mut self, connection: &Connection) {
        self.settings.clear();
        self.shown.clear();
        let mut uris: Vec<Url> = self.documents.keys().cloned().collect();
        uris.sort();
        for uri in uris {
            self.lint(connection, &uri);
        }
    }

    /// Lints an open document and publishes its diagnostics.
    fn lint(&mut self, connection: &Connection, uri: &Url) {
        let path = uri.to_file_path().ok();
        let settings = match self.settings_for(path.as_deref()) {
            Ok(settings) => settings,
            Err(message) => {
                if self.shown.insert(message.clone()) {
                    show(connection, MessageType::ERROR, format!("crisislint: {message}"));
                }
                self.settings_for(None).expect("built-in settings compile")
            }
        };
        let Some(doc) = self.documents.get_mut(uri) else {
            return;
        };
        let display = path
            .as_ref()
            .map_or_else(|| uri.to_string(), |p| p.display().to_string());
        let fs_path = path.clone().unwrap_or_else(|| PathBuf::from(uri.path()));
        let text = doc.text.clone();
        let report = catch_unwind(AssertUnwindSafe(|| {
            // One document at a time: its rules are spread over the cores.
            lint_source_on(
                &settings,
                &Overrides::default(),
                &display,
                &fs_path,
                text,
                RuleThreads::Pool,
            )
        }));
        let findings = match report {
            Ok(report) => {
                for error in &report.errors {
                    show(connection, MessageType::WARNING, format!("crisislint: {error}"));
                }
                report.diagnostics
            }
            Err(_) => {
                show(
                    connection,
                    MessageType::ERROR,
                    format!("crisislint failed on {display}; please report it"),
                );
                Vec::new()
            }
        };
        let positions = LspPositions::new(&doc.text);
        let diagnostics = findings
            .iter()
            .map(|d| convert::diagnostic(uri, &positions, d))
            .collect();
        doc.findings = findings;
        publish(connection, uri.clone(), diagnostics);
    }

    /// The compiled configuration for a document path (`None`: built-in defaults).
    fn settings_for(&mut self, document: Option<&Path>) -> Result<Arc<Settings>, String> {
        let config = document.and_then(nearest_config);
        self.settings
            .entry(config.clone())
            .or_insert_with(|| match &config {
                Some(path) => Settings::load(path).map(Arc::new).map_err(|e| e.0),
                None => Ok(Arc::new(Settings::builtin())),
            })
            .clone()
    }
}

/// The nearest `crisislint.toml` in the document's directory or above.
fn nearest_config(document: &Path) -> Option<PathBuf> {
    document
        .ancestors()
        .skip(1)
        .map(|dir| dir.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

fn is_config(uri: &Url) -> bool {
    uri.path().rsplit('/').next() == Some(CONFIG_FILE_NAME)
}

fn initialize_result() -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
                ..TextDocumentSyncOptions::default()
            })),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "crisislint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    }
}

fn publish(connection: &Connection, uri: Url, diagnostics: Vec<lsp_types::Diagnostic>) {
    let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
    let _ = connection
        .sender
        .send(Notification::new(note::PublishDiagnostics::METHOD.into(), params).into());
}

fn show(connection: &Connection, typ: MessageType, message: String) {
    let params = ShowMessageParams { typ, message };
    let _ = connection
        .sender
        .send(Notification::new(note::ShowMessage::METHOD.into(), params).into());
}
