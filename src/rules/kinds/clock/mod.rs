//! The clock-time rules beyond CL301, over the cached scan of
//! [`timestamp::shared`](super::timestamp::shared): CL304 `inconsistent-timezone` and CL306
//! `malformed-time`.

pub mod consistency;
pub mod malformed;

#[cfg(test)]
mod tests;
