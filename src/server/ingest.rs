//! Checks a pushed batch before any storage sees it: well-formed JSON, the
//! calling point's own events, versions and kinds this server knows,
//! payloads that decode, `seq`s consecutive. What passes is a `Batch` with
//! hashes and projection changes computed, the same for every backend.

use super::error::ApiError;
use super::projection::{REGION_TZ, change_of};
use super::storage::{Batch, Incoming};
use crate::domain::event::{EventBody, PAYLOAD_VERSION};
use crate::domain::{EventRecord, PointId};
use crate::protocol::PushRequest;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Limits a batch must keep (`413` beyond them).
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    pub max_events: usize,
}

pub fn decode_batch(
    bytes: &[u8],
    point: &PointId,
    limits: BatchLimits,
    now: DateTime<Utc>,
) -> Result<Batch, ApiError> {
    let request: PushRequest = serde_json::from_slice(bytes).map_err(json_error)?;
    decode_request(request, point, limits, now)
}

/// The same checks on a request already read: a field file's events
/// (`server import`) go through here, so a file is taken by exactly the
/// API's rules.
pub fn decode_request(
    request: PushRequest,
    point: &PointId,
    limits: BatchLimits,
    now: DateTime<Utc>,
) -> Result<Batch, ApiError> {
    if request.events.len() > limits.max_events {
        return Err(ApiError::too_large(
            "batch_too_large",
            format!(
                "a batch may hold at most {} events, this one has {}; send fewer",
                limits.max_events,
                request.events.len()
            ),
            limits.max_events as u64,
        ));
    }
    // the databases keep numbers as signed 64-bit; beyond that a number
    // would come back changed
    if request.head.is_some_and(|h| h > MAX_SEQ) {
        return Err(ApiError::unprocessable(
            "invalid_body",
            format!("head is larger than {MAX_SEQ}"),
        ));
    }
    let timezone = request.timezone.as_deref().map(parse_zone).transpose()?;
    // the batch's local dates are the point's own; a point that does not
    // say (an older forwarder) is on the region's
    let tz = timezone.unwrap_or(REGION_TZ);
    let mut events = Vec::with_capacity(request.events.len());
    let mut first = None;
    for (index, value) in request.events.into_iter().enumerate() {
        let incoming = decode_event(value, point, tz).map_err(|(e, seq)| e.at_event(index, seq))?;
        let seq = incoming.record.seq;
        let start = *first.get_or_insert(seq);
        // checked: a batch starting near u64::MAX must be refused, not
        // overflow (found by tests/faults/reliab_props.rs)
        let expected = start.checked_add(index as u64);
        if expected != Some(seq) {
            return Err(ApiError::unprocessable(
                "not_consecutive",
                format!(
                    "events of a batch must have consecutive seq; expected {} here, found {seq}",
                    expected.map_or_else(|| "none".to_string(), |e| e.to_string())
                ),
            )
            .at_event(index, Some(seq)));
        }
        events.push(incoming);
    }
    Ok(Batch {
        point: point.clone(),
        events,
        head: request.head,
        timezone,
        received_at: now,
    })
}

fn parse_zone(name: &str) -> Result<chrono_tz::Tz, ApiError> {
    name.parse().map_err(|_| {
        // the name is the caller's text: echoed cleaned and short
        let shown: String = crate::domain::text::sanitize_line(name)
            .chars()
            .take(64)
            .collect();
        ApiError::unprocessable(
            "invalid_body",
            format!(
                "timezone {shown:?} is not an IANA time zone this server knows (such as Asia/Almaty)"
            ),
        )
    })
}

fn json_error(e: serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {e}"))
        }
        Category::Data => ApiError::unprocessable(
            "invalid_body",
            format!("the body is not a batch of events: {e}"),
        ),
    }
}

type EventError = (ApiError, Option<u64>);

/// The largest `seq` (and `head`) a backend can store: SQLite's INTEGER and
/// PostgreSQL's BIGINT are signed 64-bit.
pub const MAX_SEQ: u64 = i64::MAX as u64;

fn decode_event(value: Value, point: &PointId, tz: chrono_tz::Tz) -> Result<Incoming, EventError> {
    let seq = value.get("seq").and_then(Value::as_u64);
    // the point comes from the token: an event naming another is refused
    // before anything else about it is looked at
    if let Some(named) = value.get("point_id").and_then(Value::as_str) {
        if named != point.as_str() {
            return Err((
                ApiError::forbidden(
                    "wrong_point",
                    format!(
                        "this token belongs to point {point}; it cannot send another point's events"
                    ),
                ),
                seq,
            ));
        }
    }
    let record: EventRecord = serde_json::from_value(value).map_err(|e| {
        (
            ApiError::unprocessable("invalid_event", format!("not an event: {e}")),
            seq,
        )
    })?;
    let seq = Some(record.seq);
    if record.seq == 0 {
        return Err((
            ApiError::unprocessable("invalid_event", "seq starts at 1"),
            seq,
        ));
    }
    if record.seq > MAX_SEQ {
        return Err((
            ApiError::unprocessable("invalid_event", format!("seq is larger than {MAX_SEQ}")),
            seq,
        ));
    }
    if record.version == 0 || record.version > PAYLOAD_VERSION {
        return Err((
            ApiError::unprocessable(
                "unsupported_version",
                format!(
                    "payload version {} is not known to this server (it knows 1 to {PAYLOAD_VERSION}); update the server",
                    record.version
                ),
            ),
            seq,
        ));
    }
    if !EventBody::KINDS.contains(&record.kind.as_str()) {
        return Err((
            ApiError::unprocessable(
                "unknown_kind",
                format!(
                    "event kind {:?} is not known to this server; update the server",
                    record.kind
                ),
            ),
            seq,
        ));
    }
    let body = record.body().map_err(|e| {
        (
            ApiError::unprocessable(
                "invalid_payload",
                format!(
                    "the payload of a {} event does not decode: {e}",
                    record.kind
                ),
            ),
            seq,
        )
    })?;
    Ok(Incoming {
        hash: record.content_hash(),
        change: change_of(&record, &body, tz),
        record,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::CampaignModeSet;
    use axum::http::StatusCode;
    use serde_json::json;
    use uuid::Uuid;

    fn point() -> PointId {
        PointId::parse("p1").unwrap()
    }

    fn event(seq: u64) -> Value {
        let body = EventBody::CampaignModeSet(CampaignModeSet { on: true });
        serde_json::to_value(EventRecord {
            point_id: point(),
            seq,
            id: Uuid::now_v7(),
            at: Utc::now(),
            actor: "system".into(),
            kind: body.kind().into(),
            version: PAYLOAD_VERSION,
            payload: body.payload(),
        })
        .unwrap()
    }

    fn decode(v: Value) -> Result<Batch, ApiError> {
        decode_batch(
            &serde_json::to_vec(&v).unwrap(),
            &point(),
            BatchLimits { max_events: 3 },
            Utc::now(),
        )
    }

    fn code(r: Result<Batch, ApiError>) -> (StatusCode, String) {
        let e = r.unwrap_err();
        (e.status, e.body.error)
    }

    #[test]
    fn good_batch_decodes_with_hashes() {
        let b = decode(json!({"events": [event(4), event(5)], "head": 9})).unwrap();
        assert_eq!(b.events.len(), 2);
        assert_eq!(b.head, Some(9));
        assert_eq!(b.timezone, None);
        let b = decode(json!({"events": [event(4)], "timezone": "Europe/Moscow"})).unwrap();
        assert_eq!(b.timezone, Some(chrono_tz::Europe::Moscow));
        assert_eq!(b.events[0].hash, b.events[0].record.content_hash());
    }

    #[test]
    fn each_fault_has_its_own_code() {
        let e = |s: &str| (StatusCode::UNPROCESSABLE_ENTITY, s.to_string());
        assert_eq!(
            code(decode_batch(
                b"{\"events\": [",
                &point(),
                BatchLimits { max_events: 3 },
                Utc::now()
            )),
            (StatusCode::BAD_REQUEST, "malformed_json".into())
        );
        assert_eq!(
            code(decode(json!({"events": [], "extra": 1}))),
            e("invalid_body")
        );
        assert_eq!(
            code(decode(
                json!({"events": [event(1), event(2), event(3), event(4)]})
            )),
            (StatusCode::PAYLOAD_TOO_LARGE, "batch_too_large".into())
        );
        let mut other = event(1);
        other["point_id"] = json!("p2");
        assert_eq!(
            code(decode(json!({"events": [other]}))),
            (StatusCode::FORBIDDEN, "wrong_point".into())
        );
        let mut extra = event(1);
        extra["colour"] = json!("red");
        assert_eq!(code(decode(json!({"events": [extra]}))), e("invalid_event"));
        let mut newer = event(1);
        newer["version"] = json!(PAYLOAD_VERSION + 1);
        assert_eq!(
            code(decode(json!({"events": [newer]}))),
            e("unsupported_version")
        );
        let mut kind = event(1);
        kind["kind"] = json!("teleported");
        assert_eq!(code(decode(json!({"events": [kind]}))), e("unknown_kind"));
        let mut payload = event(1);
        payload["payload"] = json!({"on": "yes"});
        assert_eq!(
            code(decode(json!({"events": [payload]}))),
            e("invalid_payload")
        );
        assert_eq!(
            code(decode(json!({"events": [event(1), event(3)]}))),
            e("not_consecutive")
        );
        assert_eq!(
            code(decode(json!({"events": [event(0)]}))),
            e("invalid_event")
        );
        assert_eq!(
            code(decode(json!({"events": [], "timezone": "Mars/Olympus"}))),
            e("invalid_body")
        );
    }

    #[test]
    fn error_names_the_event() {
        let mut bad = event(6);
        bad["kind"] = json!("teleported");
        let err = decode(json!({"events": [event(5), bad]})).unwrap_err();
        assert_eq!((err.body.index, err.body.seq), (Some(1), Some(6)));
    }
}
