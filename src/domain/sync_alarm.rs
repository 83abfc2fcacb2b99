//! What a supervisor must be told about the link to the region, as a kind
//! with its numbers: each screen words it in its own language (it was
//! English text, shown as is on Kazakh and Russian screens).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncAlarm {
    /// The server held less than it had acknowledged (restored from a
    /// backup?): events `from..=to` are being sent again.
    Rewound { from: u64, to: u64 },
    /// The server holds another event under `seq`: the region must look.
    Conflict { seq: u64 },
    /// The server holds more of this point's events than this database
    /// (restored from an older copy?): new events will conflict.
    ServerAhead { server: u64, here: u64 },
    /// The server flagged this point once for a changed event.
    Flagged,
    /// Text written by an older version, shown as it was stored.
    Text { text: String },
}

impl SyncAlarm {
    /// As the store keeps it.
    pub fn encode(&self) -> String {
        match self {
            SyncAlarm::Text { text } => text.clone(),
            other => serde_json::to_string(other).expect("alarms serialise"),
        }
    }

    /// What the store holds: a kind, or an older version's text.
    pub fn decode(stored: &str) -> SyncAlarm {
        serde_json::from_str(stored).unwrap_or_else(|_| SyncAlarm::Text {
            text: stored.to_string(),
        })
    }
}

/// English, for `sync --status` and the logs.
impl std::fmt::Display for SyncAlarm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncAlarm::Rewound { from, to } => write!(
                f,
                "the server had lost events {from} to {to} (restored from a backup?); they are being sent again"
            ),
            SyncAlarm::Conflict { seq } => write!(
                f,
                "the server refused event {seq}: it holds a different event under that number; call the regional office"
            ),
            SyncAlarm::ServerAhead { server, here } => write!(
                f,
                "the server holds {server} events of this point but this database has only {here}: was the database restored from a backup? New events will conflict; call the regional office"
            ),
            SyncAlarm::Flagged => f.write_str(
                "the server flagged this point: it once received a changed event; call the regional office",
            ),
            SyncAlarm::Text { text } => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_round_trips_and_old_text_stays_text() {
        let a = SyncAlarm::Rewound { from: 4, to: 5 };
        assert_eq!(SyncAlarm::decode(&a.encode()), a);
        let old = "the server had lost events 2..6; they were sent again";
        assert_eq!(SyncAlarm::decode(old), SyncAlarm::Text { text: old.into() });
    }
}
