//! Liveness without a terminal: the board's own connection sees another
//! connection's commits through `data_version`, redraws only when something
//! changed, rings once per call, and lets a highlight run out.

use crate::board_common::screen::*;
use crate::board_common::*;
use chrono::Duration;
use qabyldau::domain::Lang;
use qabyldau::store::Store;
use qabyldau::ui::board::{Board, Options};
use qabyldau::ui::runtime::Screen;

/// Two connections to one database file, as two processes would have.
fn two_connections(ctx: &qabyldau::app::Context) -> (tempfile::TempDir, Store, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("point.db");
    let board_side = Store::open(&path, ctx.point_id()).unwrap();
    let desk_side = Store::open(&path, ctx.point_id()).unwrap();
    (dir, board_side, desk_side)
}

#[test]
fn another_connections_call_is_shown_rung_and_highlighted_for_a_while() {
    let ctx = ctx();
    let (_dir, mut mine, mut other) = two_connections(&ctx);
    let clock = TestClock::at(local(10, 0));
    let mut b = board(&ctx, &clock, Some(Lang::En), false);
    tick(&mut b, &mut mine);
    assert!(b.needs_redraw(), "the first read is drawn");
    assert!(render(&b, 80, 24).contains("No one is waiting"));
    // nothing changed: no redraw, tick after tick
    for _ in 0..5 {
        clock.advance(Duration::milliseconds(100));
        tick(&mut b, &mut mine);
        assert!(!b.needs_redraw());
    }

    let id = take(
        &mut other,
        &ctx,
        "housing",
        local(10, 0) + Duration::seconds(1),
    );
    clock.advance(Duration::seconds(1));
    tick(&mut b, &mut mine);
    assert!(b.needs_redraw());
    assert!(!b.take_bell(), "a ticket taken is no call");
    assert!(render(&b, 80, 24).contains("Ж-001"));

    call(&mut other, id, 2, local(10, 0) + Duration::seconds(2));
    clock.advance(Duration::seconds(1));
    tick(&mut b, &mut mine);
    assert!(b.needs_redraw());
    assert!(b.take_bell());
    assert!(!b.take_bell(), "one ring per call");
    let screen = render(&b, 80, 24);
    assert!(
        screen.contains("▶ Ticket Ж-001, please go to desk 2"),
        "{screen}"
    );

    // the highlight lasts `highlight_secs` (10), then the board redraws once
    clock.advance(Duration::seconds(9));
    tick(&mut b, &mut mine);
    assert!(!b.needs_redraw());
    clock.advance(Duration::seconds(1));
    tick(&mut b, &mut mine);
    assert!(b.needs_redraw());
    let screen = render(&b, 80, 24);
    assert!(screen.contains("Ticket Ж-001, please go to desk 2"));
    assert!(!screen.contains('▶'), "{screen}");
    tick(&mut b, &mut mine);
    assert!(!b.needs_redraw());

    // the clock's minute turns: one redraw
    clock.set(local(10, 1));
    tick(&mut b, &mut mine);
    assert!(b.needs_redraw());
    assert!(render(&b, 80, 24).contains("10:01"));
    tick(&mut b, &mut mine);
    assert!(!b.needs_redraw());

    // a recall rings again
    recall(&mut other, id, 2, local(10, 1) + Duration::seconds(5));
    clock.advance(Duration::seconds(5));
    tick(&mut b, &mut mine);
    assert!(b.take_bell());
}

#[test]
fn no_bell_when_turned_off() {
    let ctx = ctx();
    let (_dir, mut mine, mut other) = two_connections(&ctx);
    let mut b = Board::new(
        ctx.clone(),
        Options {
            lang: Some(Lang::Ru),
            supervisor: false,
            bell: false,
        },
        qabyldau::ui::kit::Clock::manual(local(10, 0)),
    );
    let id = take(&mut other, &ctx, "labour", local(9, 59));
    tick(&mut b, &mut mine);
    call(&mut other, id, 1, local(10, 0));
    tick(&mut b, &mut mine);
    assert!(b.needs_redraw());
    assert!(!b.take_bell());
    assert!(render(&b, 80, 24).contains("Талон Т-001, пройдите к окну 1"));
}

#[test]
fn the_supervisor_figures_follow_other_connections_too() {
    let ctx = ctx();
    let (_dir, mut mine, mut other) = two_connections(&ctx);
    qabyldau::app::staff::add(
        &mut other,
        &qabyldau::domain::Actor::system(),
        "dana",
        "Дана Серікова",
        qabyldau::domain::event::Role::Admin,
        "2468",
        local(8, 0),
    )
    .unwrap();
    let clock = TestClock::at(local(10, 0));
    let mut b = board(&ctx, &clock, Some(Lang::En), true);
    tick(&mut b, &mut mine);
    log_in(&mut b, &mut mine, "dana", "2468");
    assert!(b.is_supervisor_view());
    let before = render(&b, 80, 24);
    assert!(before.contains("Tickets taken"), "{before}");
    take(&mut other, &ctx, "roads", local(10, 0));
    take(&mut other, &ctx, "roads", local(10, 0));
    clock.advance(Duration::milliseconds(100));
    tick(&mut b, &mut mine);
    assert!(b.needs_redraw());
    let after = render(&b, 80, 24);
    // the "today" box is the left half of the line
    let tickets = |s: &str| {
        let line = s.lines().find(|l| l.contains("Tickets taken")).unwrap();
        line.split("││").next().unwrap().trim_end().to_string()
    };
    assert!(tickets(&before).ends_with(" 0"), "{before}");
    assert!(tickets(&after).ends_with(" 2"), "{after}");
}
