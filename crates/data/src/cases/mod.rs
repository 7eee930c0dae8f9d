//! Plan-level case lists (issue 14).
