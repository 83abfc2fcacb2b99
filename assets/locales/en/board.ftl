# The live queue board: the hall view and the supervisor's view.
board-now-serving = Now serving
board-desk = Desk { $desk }
board-state-called = Please come
board-state-serving = In progress
board-call = Ticket { $ticket }, please go to desk { $desk }
board-waiting-title = Waiting
board-waiting-none = No one is waiting
board-waiting-count = { $count ->
    [one] { $count } person waiting
   *[other] { $count } people waiting
}
board-wait-estimate = { $minutes ->
    [one] expected wait for a newcomer: about { $minutes } minute
   *[other] expected wait for a newcomer: about { $minutes } minutes
}
board-wait-none = no wait for a newcomer
board-more = +{ $count } more
board-keys-hall = S supervisor · L language · Q quit
board-loading = Loading…
board-error-read = The database cannot be read; the last known state is shown.
board-supervisor-title = Supervisor: { $name }
board-today = Today, { $date }
board-fig-tickets = Tickets taken
board-fig-appeals = Appeals received
board-fig-positive = Resolved positively
board-fig-consulted = Consultations given
board-fig-under-consideration = Under consideration
board-fig-redirected = Redirected
board-desks-title = Desks
board-col-desk = Desk
board-col-served = Served
board-col-service = Average time
board-minutes-short = { $minutes } min
board-wait-mean = Average wait
board-wait-longest = Longest wait
board-wait-now = Waiting longest now
board-overdue-title = Appeals under control past their deadline: { $count }
board-overdue-none = None.
board-overdue-row = { $days ->
    [one] { $number } · { $days } working day late (due { $deadline }) · { $responsible } · { $category }
   *[other] { $number } · { $days } working days late (due { $deadline }) · { $responsible } · { $category }
}
board-arrivals-title = Arrivals per hour
board-sync-title = Sync with the regional server
board-sync-none = No regional server is configured for this point.
board-sync-all-sent = All events are at the server
board-sync-pending = { $count ->
    [one] { $count } event not sent yet
   *[other] { $count } events not sent yet
}
board-sync-last-success = last success { $time }
board-sync-no-success = no success yet
board-sync-forwarder-on = sending is on
board-sync-forwarder-off = sending is not running
board-sync-error = Last error ({ $time }): { $error }
board-sync-alarm = ALARM ({ $time }): { $alarm }
board-sync-alarm-rewound = the server had lost events { $from } to { $to } (restored from a backup?); they are being sent again
board-sync-alarm-conflict = the server refused event { $seq }: it holds another event under that number; call the regional office
board-sync-alarm-ahead = the server holds { $server } events of this point, this database only { $here } (restored from an older copy?); new events will conflict: call the regional office
board-sync-alarm-flagged = the server flagged this point: it once received a changed event; call the regional office
board-keys-supervisor = Esc back to the hall · L language · Q quit
board-login-title = Supervisor login
board-login-login = Login
board-login-pin = PIN
board-login-keys = Enter log in · Tab next field · Esc back to the hall
board-login-checking = Checking…
board-login-wrong = { $left ->
    [one] Wrong login or PIN. { $left } attempt left.
   *[other] Wrong login or PIN. { $left } attempts left.
}
board-login-refused = Wrong login or PIN.
board-login-no-logins = No logins yet: qabyldau staff add LOGIN --name "…" --role admin (in a shell)
board-login-locked = Too many wrong PINs. Try again after { $time }.
board-login-not-supervisor = This login cannot open the supervisor view.
board-login-failed = The login could not be checked. Try again.

# The regional board: every point of the region from the regional server.
board-keys-region = L language · Q quit
board-region-title = { $count ->
    [one] Region: { $count } point
   *[other] Region: { $count } points
}
board-region-title-point = Point { $point }
board-region-connecting = connecting…
board-region-live = live
board-region-down-since = no connection since { $time }
board-region-unreachable = The regional server cannot be reached ({ $detail }).
board-region-refused = The server refused this board's token ({ $detail }).
board-region-failed = The server's answer cannot be used ({ $detail }).
board-region-data-from = Data shown as of { $time }.
board-region-no-data = No data received yet.
board-region-retry = Next try in { $seconds } s.
board-region-no-points = The server shows no points for this token.
board-region-more-points = +{ $count } more: --point ID shows one
board-region-no-calls = No one is called to a desk
board-region-flagged = Conflicting events: the regional office must look
board-region-revoked = This point's token is revoked
board-region-contact = last contact { $time }
board-region-no-contact = no contact yet
board-region-behind = { $count ->
    [one] { $count } event not yet at the server
   *[other] { $count } events not yet at the server
}
board-region-in-step = nothing missing
board-region-decisions-pending = { $count ->
    [one] { $count } decision of the region not applied yet
   *[other] { $count } decisions of the region not applied yet
}
board-region-never-sent = nothing ever sent (is the point's [point] id this one?)

board-printer-trouble = ⚠ Printer { $printer }: { $reason } (since { $time }), { $document } not printed
## The hall: paused desks, waits past the limit, hours
board-not-serving = not serving
board-desk-paused = Desk { $desk } paused { $minutes } min: { $reason }
board-over-limit = Over { $limit } min: { $count } — { $tickets }
board-over-limits = Past the waiting limit: { $count } — { $tickets }
board-hours-today = Open { $hours }
board-closed-today = Closed today
board-closed-today-opens = Closed today, opens { $date } { $time }
