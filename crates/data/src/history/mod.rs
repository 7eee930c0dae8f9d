//! History series and their fits (issue 13).
