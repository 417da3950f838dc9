//! STUB: output formats.
