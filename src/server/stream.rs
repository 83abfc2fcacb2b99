//! `GET /api/v1/stream`: server-sent events for boards. On connecting, an
//! event `points` carries every point in scope (as `/api/v1/points` shows
//! them); after each change of a point's queue, an event `point` carries
//! that point again. A board that fell behind gets `points` again.

use super::AppState;
use super::api::scope_for;
use super::error::ApiError;
use super::projection::local_date;
use super::storage::Scope;
use crate::protocol::{PointsQuery, StreamEvent};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use std::convert::Infallible;
use tokio::sync::{broadcast, mpsc};

pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<PointsQuery>, QueryRejection>,
) -> Response {
    let scope = match query {
        Err(r) => Err(ApiError::bad_request("bad_query", r.body_text())),
        Ok(Query(q)) => scope_for(&state, &headers, q.region, q.point).await,
    };
    let scope = match scope {
        Ok(s) => s,
        Err(e) => {
            let code = e.code().to_string();
            let mut resp = e.into_response();
            resp.extensions_mut().insert(super::api::RejectReason(code));
            return resp;
        }
    };
    // subscribe before the first snapshot, so no change falls between
    let notices = state.notices.subscribe();
    let (tx, rx) = mpsc::channel::<Event>(16);
    tokio::spawn(feed(state, scope, notices, tx));
    let events = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|e| (Ok::<_, Infallible>(e), rx))
    });
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn feed(
    state: AppState,
    scope: Scope,
    mut notices: broadcast::Receiver<super::QueueNotice>,
    tx: mpsc::Sender<Event>,
) {
    let mut closing = state.closing.subscribe();
    if snapshot(&state, &scope, &tx).await.is_err() {
        return;
    }
    loop {
        if *closing.borrow() {
            return;
        }
        let notice = tokio::select! {
            _ = tx.closed() => return,
            _ = closing.changed() => return,
            n = notices.recv() => n,
        };
        let sent = match notice {
            Ok(n) if scope.contains(&n.point, &n.region) => {
                let one = Scope {
                    region: None,
                    point: Some(n.point),
                };
                send_points(&state, one, Shape::Point, &tx).await
            }
            Ok(_) => Ok(()),
            Err(broadcast::error::RecvError::Lagged(_)) => snapshot(&state, &scope, &tx).await,
            Err(broadcast::error::RecvError::Closed) => return,
        };
        if sent.is_err() {
            return;
        }
    }
}

async fn snapshot(state: &AppState, scope: &Scope, tx: &mpsc::Sender<Event>) -> Result<(), ()> {
    send_points(state, scope.clone(), Shape::Points, tx).await
}

/// Which event a read of points becomes.
#[derive(Clone, Copy)]
enum Shape {
    /// `points`: all of them.
    Points,
    /// `point`: the first (the scope names one).
    Point,
}

/// Sends the points of `scope` as one event.
async fn send_points(
    state: &AppState,
    scope: Scope,
    shape: Shape,
    tx: &mpsc::Sender<Event>,
) -> Result<(), ()> {
    let now = Utc::now();
    let points = match state.storage.points(scope, local_date(now), now).await {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %crate::domain::text::sanitize_line(&e.to_string()), "stream: cannot read points");
            return Ok(());
        }
    };
    let event = match shape {
        Shape::Points => StreamEvent::Points(points),
        Shape::Point => match points.into_iter().next() {
            Some(p) => StreamEvent::Point(Box::new(p)),
            None => return Ok(()),
        },
    };
    let Ok(data) = event.data() else {
        return Ok(());
    };
    tx.send(Event::default().event(event.name()).data(data))
        .await
        .map_err(|_| ())
}
