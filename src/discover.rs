//! STUB: paths to files.
