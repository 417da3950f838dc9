//! Pretty-printed JSON, as serde_json's `to_writer_pretty` writes it, for the `sarif` format (the
//! `json` format writes its fixed schema directly, in the same layout: see `json::write_array`).

use serde::Serialize;
use std::io::{self, Write};

/// Writes `value` pretty-printed: the bytes of `serde_json::to_writer_pretty`.
pub fn write<W: ?Sized + Write, T: ?Sized + Serialize>(writer: &mut W, value: &T) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(writer, Pretty::default()))
}

/// serde_json's `PrettyFormatter` (two spaces a level), byte for byte, with each line break and
/// its indentation written at once: the pretty formatter writes the indentation a level at a
/// time, and findings nest four levels deep.
#[derive(Default)]
struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    /// A line break, after a comma unless `first`, and the indentation of the current level.
    fn new_line<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        const BREAKS: &[u8] = b",\n                                                                ";
        match BREAKS.get(usize::from(first)..2 + 2 * self.level) {
            Some(line) => writer.write_all(line),
            None => {
                writer.write_all(if first { b"\n" } else { b",\n" })?;
                (0..self.level).try_for_each(|_| writer.write_all(b"  "))
            }
        }
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.new_line(writer, true)?;
        }
        writer.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.new_line(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.new_line(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Nested deeper than the indentation written at once, with empty and one-element arrays
    /// and objects at every depth.
    #[test]
    fn writes_the_bytes_of_serde_jsons_pretty_printer() {
        let mut value = json!({"a": [], "b": {}, "c": [1], "d": {"e": null}, "s": "\"quoted\" ✓\n"});
        for depth in 0..40 {
            value = json!({"depth": depth, "inner": value, "list": [[depth], [], {}, [{}]]});
        }
        for value in [value, json!([]), json!({}), json!(1), json!("x")] {
            let mut ours = Vec::new();
            write(&mut ours, &value).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string_pretty(&value).unwrap()
            );
        }
    }
}
