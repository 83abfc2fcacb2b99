//! Store-and-forward of the event log to the regional server.
