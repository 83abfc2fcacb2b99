## The hall: desks on a pause, waits past the limit, opening hours.

# why a desk is paused (one word for each, everywhere)
pause-reason-break = break
pause-reason-paperwork = paperwork
pause-reason-phone = a citizen on the phone
pause-reason-technical = technical trouble


# the hall and the supervisor
board-not-serving = not serving
board-desk-paused = Desk { $desk } paused { $minutes } min: { $reason }

# the report
report-tickets-closed = Not served: the point closed
report-tickets-over-limit = Waited over { $minutes } min
report-section-pauses = Desks paused
report-paused-total = Paused, min
report-paused-desk = Desk { $desk }, min
board-over-limit = Over { $limit } min: { $count } — { $tickets }
board-hours-today = Open { $hours }
board-closed-today = Closed today
board-closed-today-opens = Closed today, opens { $date } { $time }
