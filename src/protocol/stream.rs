//! The server-sent events of `GET /api/v1/stream`. Each is a named event
//! whose data is one line of JSON; comments are keep-alives.

use super::points::PointView;

/// What the stream says, by event name.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// `points`: every point in scope, on connecting and again whenever the
    /// board fell behind the server's changes.
    Points(Vec<PointView>),
    /// `point`: one point, after its queue changed.
    Point(Box<PointView>),
}

impl StreamEvent {
    pub const POINTS: &'static str = "points";
    pub const POINT: &'static str = "point";

    /// The event's name on the wire (`event:`).
    pub fn name(&self) -> &'static str {
        match self {
            StreamEvent::Points(_) => Self::POINTS,
            StreamEvent::Point(_) => Self::POINT,
        }
    }

    /// The event's data on the wire (`data:`): JSON without line breaks.
    pub fn data(&self) -> serde_json::Result<String> {
        match self {
            StreamEvent::Points(points) => serde_json::to_string(points),
            StreamEvent::Point(point) => serde_json::to_string(point),
        }
    }

    /// Reads an event. `Ok(None)` for a name this version does not know:
    /// a newer server may send more kinds, and a board skips them.
    pub fn decode(name: &str, data: &str) -> serde_json::Result<Option<StreamEvent>> {
        Ok(Some(match name {
            Self::POINTS => StreamEvent::Points(serde_json::from_str(data)?),
            Self::POINT => StreamEvent::Point(Box::new(serde_json::from_str(data)?)),
            _ => return Ok(None),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_are_skipped_and_broken_data_is_an_error() {
        assert_eq!(StreamEvent::decode("hello", "{}").unwrap(), None);
        assert!(StreamEvent::decode(StreamEvent::POINT, "{not json").is_err());
        assert_eq!(
            StreamEvent::decode(StreamEvent::POINTS, "[]").unwrap(),
            Some(StreamEvent::Points(vec![]))
        );
    }

    #[test]
    fn what_is_sent_reads_back_as_the_same_event() {
        let e = StreamEvent::Points(vec![]);
        let data = e.data().unwrap();
        assert!(!data.contains('\n'));
        assert_eq!(StreamEvent::decode(e.name(), &data).unwrap(), Some(e));
    }
}
