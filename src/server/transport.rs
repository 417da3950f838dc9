//! JSON-RPC over standard input and output, framed with `Content-Length` headers.
//!
//! `lsp_server`'s own stdio transport ends the session at the first malformed message; an
//! editor's stray byte must not cost the user their diagnostics. This reader answers a body that
//! is not JSON with a `ParseError` (-32700) and one that is JSON but not a message with an
//! `InvalidRequest` (-32600), both with the id when one can be read (else `null`), and goes on.

use lsp_server::{Connection, Message};
use serde_json::{json, Value};
use std::io::{self, BufRead, Write};
use std::thread;

/// JSON-RPC's code for a body that is not JSON.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC's code for JSON that is not a request, response or notification.
pub const INVALID_REQUEST: i64 = -32600;

/// The server's end of a connection on stdin/stdout, and the writer thread to join at the end
/// (after the connection is dropped) so every message is flushed.
pub fn stdio() -> (Connection, thread::JoinHandle<()>) {
    let (server, client) = Connection::memory();
    let Connection { sender, receiver } = client;
    let writer = thread::spawn(move || {
        for message in receiver {
            let _ = message.write(&mut io::stdout().lock());
        }
    });
    // The reader is never joined: it may sit in a blocking read after `exit`.
    thread::spawn(move || {
        let mut stdin = io::stdin().lock();
        while let Some(frame) = read_frame(&mut stdin) {
            let message = match frame {
                Ok(body) => parse(&body),
                Err(reason) => Err(error_response(Value::Null, PARSE_ERROR, &reason)),
            };
            match message {
                Ok(message) => {
                    if sender.send(message).is_err() {
                        return;
                    }
                }
                Err(response) => write_raw(&response),
            }
        }
    });
    (server, writer)
}

/// One frame's body, an error for a frame whose headers are unusable, `None` at end of input.
pub fn read_frame(input: &mut impl BufRead) -> Option<Result<Vec<u8>, String>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(
                    value
                        .trim()
                        .parse()
                        .map_err(|_| format!("invalid Content-Length header: {:?}", value.trim())),
                );
            }
        }
    }
    let length = match length {
        Some(Ok(length)) => length,
        Some(Err(reason)) => return Some(Err(reason)),
        None => return Some(Err("missing Content-Length header".to_string())),
    };
    let mut body = vec![0; length];
    match input.read_exact(&mut body) {
        Ok(()) => Some(Ok(body)),
        Err(_) => None,
    }
}

/// A message from a frame's body, or the error response to send back.
pub fn parse(body: &[u8]) -> Result<Message, Value> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| error_response(Value::Null, PARSE_ERROR, &format!("malformed JSON: {e}")))?;
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    // Checked by hand first: serde's untagged reading would take `{"id": 1, "method": 3}` for a
    // response with neither result nor error.
    let shape_ok = match value.get("method") {
        Some(method) => method.is_string(),
        None => id != Value::Null && (value.get("result").is_some() || value.get("error").is_some()),
    };
    if !value.is_object() || !shape_ok {
        return Err(error_response(
            id,
            INVALID_REQUEST,
            "not a JSON-RPC request, response or notification",
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| error_response(id, INVALID_REQUEST, &format!("not a JSON-RPC message: {e}")))
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// Writes a JSON value as one frame, under the stdout lock so frames never interleave.
fn write_raw(value: &Value) {
    let body = value.to_string();
    let mut out = io::stdout().lock();
    let _ = write!(out, "Content-Length: {}\r\n\r\n{body}", body.len());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_bad_headers_and_bad_bodies() {
        let mut input: &[u8] = b"Content-Length: 2\r\n\r\n{}X-Other: 1\r\n\r\nContent-Length: 3\r\n\r\nabc";
        let body = read_frame(&mut input).unwrap().unwrap();
        assert_eq!(body, b"{}");
        let error = parse(&body).unwrap_err();
        assert_eq!(error["error"]["code"], INVALID_REQUEST);
        assert_eq!(
            read_frame(&mut input).unwrap().unwrap_err(),
            "missing Content-Length header"
        );
        let body = read_frame(&mut input).unwrap().unwrap();
        assert_eq!(parse(&body).unwrap_err()["error"]["code"], PARSE_ERROR);
        assert!(read_frame(&mut input).is_none());
        let error = parse(br#"{"jsonrpc":"2.0","id":7,"method":3}"#).unwrap_err();
        assert_eq!(error["id"], 7);
    }
}
