//! `crisislint server` end to end: the binary is spawned and spoken to over stdio as an editor
//! would (JSON-RPC with Content-Length framing); every read has a timeout.

mod tools;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long any one message may take to arrive (a debug build on a busy machine is slow).
const TIMEOUT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Messages read while waiting for another one.
    pending: Vec<Value>,
}

impl Client {
    fn start(cwd: &Path) -> Client {
        let mut child = Command::new(tools::crisislint_bin())
            .arg("server")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, incoming) = mpsc::channel();
        std::thread::spawn(move || loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = Some(value.parse::<usize>().expect("a length"));
                }
            }
            let mut body = vec![0; length.expect("the server sends Content-Length")];
            stdout.read_exact(&mut body).expect("a whole body");
            if sender
                .send(serde_json::from_slice(&body).expect("the server sends JSON"))
                .is_err()
            {
                return;
            }
        });
        Client {
            child,
            stdin,
            incoming,
            pending: Vec::new(),
        }
    }

    fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The first message (read now or earlier) that `wanted` accepts; panics after TIMEOUT.
    fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&wanted) {
            return self.pending.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.pending.push(message),
                Err(e) => panic!(
                    "no {what} within {TIMEOUT:?} ({e}); read meanwhile: {:#?}",
                    self.pending
                ),
            }
        }
    }

    fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("response {id}"), |m| {
            m["id"] == id && m.get("method").is_none()
        })
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let note = self.wait_for(&format!("diagnostics for {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        note["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// Waits for the process to end; its exit status.
    fn exit_status(mut self) -> i32 {
        drop(self.stdin);
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the server did not exit within {TIMEOUT:?}");
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// (code, [start line, start character, end line, end character]) of diagnostics with `codes`.
fn ranges(diagnostics: &[Value], codes: &[&str]) -> Vec<(String, [u64; 4])> {
    diagnostics
        .iter()
        .filter(|d| codes.contains(&d["code"].as_str().unwrap()))
        .map(|d| {
            let r = &d["range"];
            let n = |p: &str, k: &str| r[p][k].as_u64().unwrap();
            let code = d["code"].as_str().unwrap().to_string();
            (
                code,
                [
                    n("start", "line"),
                    n("start", "character"),
                    n("end", "line"),
                    n("end", "character"),
                ],
            )
        })
        .collect()
}

fn expect(want: &[(&str, [u64; 4])]) -> Vec<(String, [u64; 4])> {
    want.iter().map(|(c, r)| (c.to_string(), *r)).collect()
}

fn initialize(client: &mut Client, root: &Path) {
    let response = client.request(
        1,
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri(root),
            "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
        }),
    );
    let capabilities = &response["result"]["capabilities"];
    assert_eq!(capabilities["textDocumentSync"]["change"], 1, "full sync: {response}");
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    client.notify("initialized", json!({}));
    // The server asks to watch configuration files; an editor answers.
    let register = client.wait_for("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    let watchers = &register["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(watchers[0]["globPattern"], "**/crisislint.toml");
    client.send(json!({"jsonrpc": "2.0", "id": register["id"], "result": null}));
}

#[test]
fn diagnostics_fixes_reloads_and_shutdown_over_stdio() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let config = root.join("crisislint.toml");
    tools::write(&config, "[severity]\nmissing-timezone = \"warning\"\n");
    let doc = root.join("docs/positions.md");
    let text = std::fs::read_to_string(tools::root().join("tests/data/positions.md")).unwrap();
    let mut client = Client::start(&root);
    initialize(&mut client, &root);

    // Open: UTF-16 positions, 0-based lines. The editor sent the BOM, so it is one unit of
    // line 0; every emoji before a finding is two units, CJK characters and tabs one.
    let doc_uri = uri(&doc);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": doc_uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let opened = client.diagnostics(&doc_uri);
    let codes = ["CL101", "CL301", "CL001"];
    assert_eq!(
        ranges(&opened, &codes),
        expect(&[
            ("CL101", [0, 3, 0, 26]),
            ("CL301", [2, 45, 2, 50]),
            ("CL001", [4, 30, 4, 35]),
            ("CL301", [6, 9, 6, 15]),
        ]),
        "{opened:#?}"
    );
    let time = opened.iter().find(|d| d["code"] == "CL301").unwrap();
    assert_eq!(time["severity"], 2, "the configuration makes it a warning");
    assert_eq!(time["source"], "crisislint");
    assert!(time["message"]
        .as_str()
        .unwrap()
        .starts_with("clock time `14:05` has no timezone\nhelp: "));

    // Change: without the BOM (as most editors hold the text) line 0 moves by one unit.
    let without_bom = text.trim_start_matches('\u{feff}');
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc_uri, "version": 2}, "contentChanges": [{"text": without_bom}]}),
    );
    let changed = client.diagnostics(&doc_uri);
    assert_eq!(ranges(&changed, &["CL101"]), expect(&[("CL101", [0, 2, 0, 25])]));

    // A quick fix for a suggested zone.
    let fix_uri = uri(&root.join("docs/fix.md"));
    let fix_text = "# Login outage\n\nLogins failed from 08:15 UTC; the fix was deployed at 08:50.\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": fix_uri, "languageId": "markdown", "version": 1, "text": fix_text}}),
    );
    let fix_diagnostics = client.diagnostics(&fix_uri);
    let late = ranges(&fix_diagnostics, &["CL301"]);
    assert_eq!(late, expect(&[("CL301", [2, 54, 2, 59])]));
    let actions = client.request(
        2,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": fix_uri},
               "range": {"start": {"line": 2, "character": 56}, "end": {"line": 2, "character": 56}},
               "context": {"diagnostics": []}}),
    );
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["title"], "Insert ` UTC` (CL301)");
    assert_eq!(
        action["edit"]["changes"][&fix_uri],
        json!([{"range": {"start": {"line": 2, "character": 59}, "end": {"line": 2, "character": 59}}, "newText": " UTC"}])
    );
    let elsewhere = client.request(
        3,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": fix_uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
               "context": {"diagnostics": []}}),
    );
    assert_eq!(elsewhere["result"], json!([]));

    // Malformed input is answered, not fatal.
    client.send_raw(b"{this is not json");
    let parse_error = client.wait_for("a parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);
    client.send_raw(br#"{"jsonrpc": "2.0", "id": 41, "method": 7}"#);
    let invalid = client.wait_for("an invalid request error", |m| m["id"] == 41);
    assert_eq!(invalid["error"]["code"], -32600);
    let unknown = client.request(42, "textDocument/hover", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);

    // The configuration is reloaded when the editor reports it changed ...
    std::fs::write(&config, "[severity]\nmissing-timezone = \"off\"\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    let reloaded = client.diagnostics(&doc_uri);
    assert_eq!(ranges(&reloaded, &["CL301"]), vec![], "missing-timezone is off now");
    // ... and when it is saved in the editor.
    std::fs::write(&config, "[severity]\nmissing-timezone = \"error\"\n").unwrap();
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": uri(&config)}}));
    let saved = client.diagnostics(&doc_uri);
    let times: Vec<&Value> = saved.iter().filter(|d| d["code"] == "CL301").collect();
    assert_eq!(times.len(), 2);
    assert!(times.iter().all(|d| d["severity"] == 1));

    // Saving a document lints it again.
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": fix_uri}, "text": "# Fixed\n\nAt 08:50 UTC.\n"}),
    );
    let after_save = client.diagnostics(&fix_uri);
    assert_eq!(ranges(&after_save, &["CL301"]), vec![]);

    let shutdown = client.request(9, "shutdown", json!(null));
    assert_eq!(shutdown["result"], Value::Null);
    assert!(shutdown.get("error").is_none());
    client.notify("exit", json!(null));
    assert_eq!(client.exit_status(), 0, "exit after shutdown is status 0");
}

#[test]
fn exit_without_shutdown_is_status_1_and_requests_before_initialize_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mut client = Client::start(tmp.path());
    let early = client.request(5, "textDocument/codeAction", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    client.notify("exit", json!(null));
    assert_eq!(client.exit_status(), 1);
}

#[test]
fn a_broken_configuration_is_shown_and_the_defaults_lint_meanwhile() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    tools::write(&root.join("crisislint.toml"), "no-such-setting = 1\n");
    let mut client = Client::start(&root);
    initialize(&mut client, &root);
    let doc_uri = uri(&root.join("a.md"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": doc_uri, "languageId": "markdown", "version": 1,
               "text": "# Outage\n\nIt failed at 08:15.\n"}}),
    );
    let shown = client.wait_for("window/showMessage", |m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("crisislint.toml:1:1"),
        "{shown}"
    );
    let diagnostics = client.diagnostics(&doc_uri);
    assert_eq!(ranges(&diagnostics, &["CL301"]), expect(&[("CL301", [2, 13, 2, 18])]));
    client.request(2, "shutdown", json!(null));
    client.notify("exit", json!(null));
    assert_eq!(client.exit_status(), 0);
}
