//! The handlers of API v1. Each one authenticates, checks the caller's
//! scope, and hands the work to the storage.

use super::auth::authenticate;
use super::error::ApiError;
use super::ingest::{BatchLimits, decode_batch};
use super::report::FiguresError;
use super::storage::{IngestOutcome, Principal, Scope};
use super::{AppState, QueueNotice};
use crate::domain::PointId;
use crate::protocol::push::MAX_EVENTS_PAGE;
use crate::protocol::region::{MAX_REGION_BATCH, MAX_WAIT_SECS};
use crate::protocol::{
    CursorReply, EventsQuery, EventsReply, PointsQuery, PointsReply, PushReply, RegionEventsQuery,
    RegionEventsReply, ReportQuery,
};
use axum::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{MatchedPath, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use futures::StreamExt;
use serde::Serialize;
use std::time::Instant;

/// Put on error responses so the request counter can count rejects by reason.
#[derive(Debug, Clone)]
pub struct RejectReason(pub String);

/// Counts every request by method, route template and status, and every
/// refused one by its error code.
pub async fn count_requests(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_string();
    let method = match req.method().as_str() {
        m @ ("GET" | "POST" | "PUT" | "DELETE" | "HEAD" | "OPTIONS" | "PATCH") => m,
        _ => "other",
    }
    .to_string();
    let started = Instant::now();
    let resp = next.run(req).await;
    state
        .metrics
        .request(&method, &route, resp.status().as_u16(), started.elapsed());
    if let Some(reason) = resp.extensions().get::<RejectReason>() {
        state.metrics.reject(&reason.0);
    }
    resp
}

/// An `ApiError` as a response that the counter sees.
fn reply_err(e: ApiError) -> Response {
    let code = e.code().to_string();
    let mut resp = e.into_response();
    resp.extensions_mut().insert(RejectReason(code));
    resp
}

fn respond<T: Serialize>(r: Result<T, ApiError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => reply_err(e),
    }
}

/// The calling point; a supervisor's token is refused with `why` (what
/// only a point may do).
fn point_only(p: Principal, why: &str) -> Result<(PointId, String), ApiError> {
    match p {
        Principal::Point { id, region } => Ok((id, region)),
        Principal::Supervisor { .. } => Err(ApiError::forbidden(
            "read_only",
            format!("a supervisor's token can read, not {why}"),
        )),
    }
}

/// `POST /api/v1/events`
pub async fn push_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    respond(push(&state, &headers, body).await)
}

async fn push(state: &AppState, headers: &HeaderMap, body: Body) -> Result<PushReply, ApiError> {
    let (point, region) = point_only(
        authenticate(headers, state.storage.as_ref()).await?,
        "send events",
    )?;
    let limit = state.limits.max_body_bytes;
    let bytes = read_limited(headers, body, limit).await?;
    let batch = decode_batch(
        &bytes,
        &point,
        BatchLimits {
            max_events: state.limits.max_batch_events,
        },
        Utc::now(),
    )
    .inspect_err(|e| {
        tracing::warn!(point = %point, error = e.code(), message = %crate::domain::text::sanitize_line(&e.body.message), "batch refused");
    })?;
    drop(bytes);
    // a test switch that answers before the commit (docs/SYNC.md)
    let batch = match super::ack_before_commit::switched_on() {
        Some(wait) => match super::ack_before_commit::answer_first(state, batch, wait).await? {
            Ok(reply) => return Ok(reply),
            Err(batch) => batch,
        },
        None => batch,
    };
    let started = Instant::now();
    let outcome = state.storage.ingest_batch(batch).await;
    state.metrics.ingest_took(started.elapsed());
    match outcome? {
        IngestOutcome::Stored {
            acked_through,
            stored,
            duplicates,
            queue_changed,
        } => {
            let m = &state.metrics;
            m.events_ingested.inc_by(stored);
            m.events_duplicate.inc_by(duplicates);
            m.batches.inc();
            if queue_changed {
                // no board listening is fine
                let _ = state.notices.send(QueueNotice {
                    point: point.clone(),
                    region,
                });
            }
            Ok(PushReply {
                acked_through,
                stored,
                duplicates,
            })
        }
        IngestOutcome::Gap {
            expected,
            acked_through,
        } => {
            let mut e = ApiError::new(
                StatusCode::CONFLICT,
                "gap",
                format!(
                    "events are missing: the server holds up to {acked_through} and expects {expected} next"
                ),
            );
            e.body.expected_seq = Some(expected);
            e.body.acked_through = Some(acked_through);
            Err(e)
        }
        IngestOutcome::Changed { seq, acked_through } => {
            tracing::warn!(point = %point, seq, "a changed event was offered under a known seq; point flagged");
            let mut e = ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!(
                    "event {seq} differs from the one the server already holds under that seq; nothing was stored and the point is flagged for a supervisor"
                ),
            );
            e.body.seq = Some(seq);
            e.body.acked_through = Some(acked_through);
            Err(e)
        }
    }
}

/// Reads at most `limit` bytes. Beyond it the rest is read and dropped (up
/// to a bound) so the client finishes sending and sees the 413.
async fn read_limited(headers: &HeaderMap, body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        ApiError::too_large(
            "body_too_large",
            format!("the body is larger than {limit} bytes; send fewer events per batch"),
            limit as u64,
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let drain_bound = limit.saturating_mul(4).saturating_add(1 << 20);
    if declared.is_some_and(|n| n > drain_bound) {
        return Err(too_large());
    }
    let mut stream = body.into_data_stream();
    let mut buf = Vec::with_capacity(declared.unwrap_or(0).min(limit));
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request("bad_body", format!("the body could not be read: {e}"))
        })?;
        seen += chunk.len();
        if seen > drain_bound {
            return Err(too_large());
        }
        if seen <= limit {
            buf.extend_from_slice(&chunk);
        }
    }
    if seen > limit {
        return Err(too_large());
    }
    Ok(buf)
}

/// `GET /api/v1/cursor`
pub async fn cursor(State(state): State<AppState>, headers: HeaderMap) -> Response {
    respond(
        async {
            let (point, _) = point_only(
                authenticate(&headers, state.storage.as_ref()).await?,
                "ask for a point's cursor",
            )?;
            let (acked, flagged) = state.storage.cursor(point.clone(), Utc::now()).await?;
            Ok(CursorReply {
                point_id: point.to_string(),
                acked_through: acked,
                flagged,
            })
        }
        .await,
    )
}

/// How often a long poll of the region log looks again: a decision made by
/// another process (the `server appeal decide` command) reaches a waiting
/// point within this.
const REGION_POLL: std::time::Duration = std::time::Duration::from_millis(250);

/// `GET /api/v1/events`: the calling point's own log as the server holds
/// it, after `after` (a point rebuilt on a new machine, or restored from
/// an older backup, takes back what it had sent).
pub async fn own_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<EventsQuery>, QueryRejection>,
) -> Response {
    respond(
        async {
            let Query(q) = query.map_err(bad_query)?;
            let (point, _) = point_only(
                authenticate(&headers, state.storage.as_ref()).await?,
                "read a point's events",
            )?;
            let limit = q.limit.unwrap_or(MAX_EVENTS_PAGE).clamp(1, MAX_EVENTS_PAGE);
            let (acked_through, _) = state.storage.cursor(point.clone(), Utc::now()).await?;
            let events = state
                .storage
                .events(point, q.after, limit)
                .await?
                .into_iter()
                .map(|e| e.record)
                .collect();
            Ok(EventsReply {
                events,
                acked_through,
            })
        }
        .await,
    )
}

/// `GET /api/v1/region-events`: the calling point's region log after
/// `after` (which is also its acknowledgement), held open up to `wait`
/// seconds while there is nothing new.
pub async fn region_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<RegionEventsQuery>, QueryRejection>,
) -> Response {
    respond(
        async {
            let Query(q) = query.map_err(bad_query)?;
            let (point, _) = point_only(
                authenticate(&headers, state.storage.as_ref()).await?,
                "fetch a point's region log",
            )?;
            let limit = q
                .limit
                .unwrap_or(MAX_REGION_BATCH)
                .clamp(1, MAX_REGION_BATCH);
            let wait = std::time::Duration::from_secs(q.wait.unwrap_or(0).min(MAX_WAIT_SECS));
            let until = Instant::now() + wait;
            let mut closing = state.closing.subscribe();
            loop {
                let batch = state
                    .storage
                    .region_events(point.clone(), q.after, limit)
                    .await?;
                if !batch.events.is_empty() || Instant::now() >= until || *closing.borrow() {
                    return Ok(RegionEventsReply {
                        events: batch.events,
                        head: batch.head,
                    });
                }
                tokio::select! {
                    _ = tokio::time::sleep(REGION_POLL) => {}
                    _ = closing.changed() => {}
                }
            }
        }
        .await,
    )
}

fn bad_query(r: QueryRejection) -> ApiError {
    ApiError::bad_request("bad_query", r.body_text())
}

/// The caller's scope narrowed to what it asked for.
pub async fn scope_for(
    state: &AppState,
    headers: &HeaderMap,
    region: Option<String>,
    point: Option<String>,
) -> Result<Scope, ApiError> {
    let principal = authenticate(headers, state.storage.as_ref()).await?;
    let point = point
        .map(|p| PointId::parse(&p).map_err(|e| ApiError::bad_request("bad_query", e.to_string())))
        .transpose()?;
    Scope::of(&principal).narrow(region, point).map_err(|_| {
        ApiError::forbidden(
            "out_of_scope",
            "this token may not read that region or point",
        )
    })
}

/// `GET /api/v1/points`
pub async fn points(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<PointsQuery>, QueryRejection>,
) -> Response {
    respond(
        async {
            let Query(q) = query.map_err(bad_query)?;
            let scope = scope_for(&state, &headers, q.region, q.point).await?;
            let now = Utc::now();
            let points = state.storage.points(scope, now).await?;
            Ok(PointsReply {
                generated_at: now,
                points,
            })
        }
        .await,
    )
}

/// `GET /api/v1/report`
pub async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Response {
    respond(
        async {
            let Query(q) = query.map_err(bad_query)?;
            if q.from > q.to {
                return Err(ApiError::bad_request(
                    "bad_query",
                    "the period's start is after its end",
                ));
            }
            let scope = scope_for(&state, &headers, q.region.clone(), q.point.clone()).await?;
            let wait_limits = crate::domain::queue::WaitLimits {
                minutes: q
                    .wait_limit_minutes
                    .unwrap_or(crate::protocol::report::DEFAULT_WAIT_LIMIT_MINUTES),
                by_category: crate::domain::queue::WaitLimits::parse_categories(
                    q.wait_limits.as_deref().unwrap_or_default(),
                )
                .map_err(|e| ApiError::bad_request("bad_query", format!("wait_limits: {e}")))?,
            };
            let started = Instant::now();
            let report = super::report::figures_of_points(
                state.storage.as_ref(),
                &scope,
                q.from,
                q.to,
                q.by,
                &wait_limits,
                Utc::now(),
            )
            .await;
            state.metrics.report_took(started.elapsed());
            report.map_err(|e| match e {
                FiguresError::Period(why) => ApiError::bad_request("bad_query", why.to_string()),
                FiguresError::Storage(e) => e.into(),
            })
        }
        .await,
    )
}

/// `GET /healthz`: 200 when the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.storage.ping().await {
        Ok(()) => Json(serde_json::json!({
            "status": "ok",
            "backend": state.storage.backend(),
            "version": env!("CARGO_PKG_VERSION"),
        }))
        .into_response(),
        Err(e) => reply_err(e.into()),
    }
}

/// `GET /metrics`: the OpenMetrics text Prometheus reads.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let now = Utc::now();
    match state.storage.points(Scope::all(), now).await {
        Ok(points) => (
            [(header::CONTENT_TYPE, super::metrics::CONTENT_TYPE)],
            state.metrics.render(&points),
        )
            .into_response(),
        Err(e) => reply_err(e.into()),
    }
}

/// The OpenAPI 3 document of this API.
pub const OPENAPI: &str = include_str!("../../assets/openapi.json");

/// `GET /api/v1/openapi.json`
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// Requests (but the stream) that take longer than `--request-timeout-secs`
/// are answered 503, in JSON like every refusal.
pub async fn time_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = state.limits.request_timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => reply_err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            format!(
                "the server did not answer within {} s; try again later",
                limit.as_secs()
            ),
        )),
    }
}

/// A known path asked with a method it does not answer.
pub async fn method_not_allowed() -> Response {
    reply_err(ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not answer that method; see /api/v1/openapi.json",
    ))
}

pub async fn not_found() -> Response {
    reply_err(ApiError::not_found(
        "no such endpoint; see /api/v1/openapi.json",
    ))
}
