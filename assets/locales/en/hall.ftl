## The hall: desks on a pause, waits past the limit, opening hours.

# why a desk is paused (one word for each, everywhere)
pause-reason-break = break
pause-reason-paperwork = paperwork
pause-reason-phone = a citizen on the phone
pause-reason-technical = technical trouble

desk-pause-title = Pause the desk: why?
desk-pause-hint = ↑↓ or 1–4 choose   Enter pause   Esc cancel
desk-paused-now = Paused: { $reason }, since { $time } ({ $minutes } min). P to come back.
desk-paused-done = The desk is paused: nobody is called until you come back (P).
desk-resumed = The desk is back: N calls the next ticket.
desk-err-paused = This desk is paused ({ $reason }): press P to come back, then call.
desk-err-already-paused = This desk is already paused ({ $reason }).
desk-err-not-paused = This desk is not paused.

# the hall and the supervisor
board-not-serving = not serving
board-desk-paused = Desk { $desk } paused { $minutes } min: { $reason }
