# The desk operator console.

desk-title = Desk { $desk }
desk-welcome = Welcome, { $name }.
desk-logged-out = Logged out.
desk-logout-confirm = The appeal form has unsaved text. Press Ctrl-Q again to log out and discard it.
desk-loading = Loading…
desk-anonymous = anonymous
desk-erased = personal data erased
desk-text-erased = (text erased)
desk-repeated = repeated appeal
desk-campaign-on = CAMPAIGN
desk-campaign-note = Campaign mode: only proposals for the programme are taken.
desk-campaign-switched-on = Campaign mode is on: only proposals for the programme.
desk-campaign-switched-off = Campaign mode is off.
desk-draft-kept = An unsaved appeal form is kept (F2).

## keys
desk-keys-global = F1 Queue F2 Appeal F3 Search F4 Control F5 Sessions F7 Lang F8 Report Ctrl-Q Out
desk-keys-login = Enter Next / Log in   Tab Field   F7 Language   Esc Exit
desk-keys-queue = N Next  R Recall  S Serve  X No-show  T Transfer  F Finish  A Appeal  P Pause
desk-keys-queue-chosen = Enter Call this ticket  P Reprint the ticket  ↑↓ Choose  Esc Next in turn
desk-keys-form = Tab/↑↓ Field  ←→/Space Choose  Ctrl-S Save  Ctrl-N New  Esc Back
desk-keys-search = Type to search   ↑↓ Choose   Enter Open   Esc Back   F9 Look-up
desk-keys-control = ↑↓ Choose   Enter Open   Esc Back
desk-keys-detail = N Note  O Outcome  E Extend  C Control on/off  P Reprint  ↑↓ History  Esc Back
desk-who-system = the system
desk-who-region = at the region: { $name }
desk-who-region-office = the regional office
desk-card-more = PgDn PgUp: more
desk-keys-dialog = Enter Save   Tab Next field   ←→ Choose   Esc Cancel
desk-keys-sessions = O Open session  C Close session  F6 Campaign mode (admin)  Esc Back

## login
desk-login-title = Log in
desk-login-desk = Desk { $desk }. Enter your login and PIN.
desk-login-login = Login
desk-login-pin = PIN
desk-login-hint = The PIN is 4 to 8 digits.
desk-login-checking = Checking…
desk-login-empty = Type your login.
desk-login-pin-empty = Type your PIN.
desk-login-pin-digits = The PIN has digits only.
desk-login-wrong-pin = Wrong PIN. { $count ->
    [one] One attempt left before the login is locked.
   *[other] { $count } attempts left before the login is locked.
}
desk-login-locked = Too many wrong PINs: this login is locked until { $time }.
desk-login-refused = Login or PIN is wrong, or the login is disabled.
desk-login-no-logins = No logins yet: qabyldau staff add LOGIN --name "…" --role admin (in a shell)

## queue
desk-queue-title = Waiting: { $count }
desk-queue-empty = Nobody is waiting.
desk-queue-choose = ↑↓ choose
desk-minutes-short = { $count } min
desk-current-title = Current ticket
desk-current-none = No ticket. Press N to call the next one.
desk-priority = Priority
desk-waited = Waited { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
desk-recalls = Recalled { $count ->
    [one] once
   *[other] { $count } times
}
desk-hint-called = S when the citizen comes up; X if nobody comes; R to call again.
desk-hint-serving = A to record the appeal; F when done; T to transfer.
desk-called = Ticket { $ticket } called.
desk-recalled = Ticket { $ticket } called again.
desk-serving = Serving ticket { $ticket }.
desk-no-show-done = Ticket { $ticket }: did not come. U brings it back into the line.
desk-returned = Ticket { $ticket } is back in the line.
desk-transferred = Ticket { $ticket } transferred.
desk-finished = Ticket { $ticket } finished.
desk-transfer-title = Transfer the ticket
desk-transfer-to = To
desk-transfer-any-desk = any desk for this topic
desk-transfer-desk = desk { $desk }
desk-transfer-hint = ←→ choose   Tab next   Enter transfer   Esc cancel

## ticket states and priorities
desk-state-waiting = waiting
desk-state-called = called
desk-state-serving = being served
desk-state-done = done
desk-state-no_show = did not come
desk-state-cancelled = cancelled
desk-priority-ordinary = ordinary
desk-priority-disability = disability
desk-priority-veteran = veteran
desk-priority-pregnancy = pregnancy
desk-priority-elderly = elderly
desk-role-operator = operator
desk-role-supervisor = supervisor
desk-role-admin = administrator

## the appeal form
desk-form-title = New appeal (no ticket)
desk-form-title-ticket = Appeal, ticket { $ticket }
desk-form-saving = Saving…
desk-form-saved = Appeal { $number } recorded.
desk-form-confirm-clear = The form has unsaved text. Press Ctrl-N again to discard it.
desk-form-fixed = All corrected. Ctrl-S saves the appeal.
desk-form-cleared = A new blank form.
desk-f-name = Full name
desk-f-iin = IIN
desk-f-phone = Phone
desk-f-settlement = Settlement
desk-f-workplace = Workplace
desk-f-consent = Consents to personal data processing
desk-f-category = Topic
desk-f-kind = Kind
desk-f-channel = Channel
desk-f-text = Appeal text
desk-f-heard-by = Heard by
desk-f-heard-other = Others
desk-f-outcome = Outcome
desk-f-redirected = Sent to body
desk-f-control = Under control
desk-f-responsible = Responsible
desk-f-deadline = Deadline
desk-f-note = Note
desk-f-new-deadline = New deadline
desk-f-reason = Reason
desk-f-date = Date
desk-f-place = Place
desk-f-officials = Officials present
desk-f-session-kind = Kind
desk-iin-ok = valid, born { $born }
desk-days-left = { $count ->
    [one] { $count } working day left
   *[other] { $count } working days left
}
desk-days-overdue = { $count ->
    [one] overdue by { $count } working day
   *[other] overdue by { $count } working days
}

## kinds, channels, outcomes
desk-channel-walk_in = walk-in
desk-channel-on_site = on-site at the enterprise
desk-channel-mobile = mobile reception
desk-channel-phone = phone / call centre
desk-channel-email = e-mail
desk-channel-messenger = messenger

## what is wrong with a field
desk-p-required = required
desk-p-too-long = too long: at most { $max } characters
desk-p-iin-length = an IIN has 12 digits, typed { $count }
desk-p-iin-digits = an IIN has digits only
desk-p-iin-century = the 7th digit must be 1 to 6
desk-p-iin-date = the first six digits are not a birth date
desk-p-iin-check = the check digit does not match: a digit is mistyped
desk-p-phone-chars = only digits, spaces, dashes, brackets and a leading +
desk-p-phone-short = too few digits ({ $count }): 10 after +7 or 8
desk-p-phone-long = too many digits ({ $count }): 10 after +7 or 8
desk-p-phone-country = not a Kazakhstan number
desk-p-consent = personal data is kept only with consent: tick the consent or clear the citizen's fields
desk-p-date = not a date: type it as 23.03.2026
desk-p-date-past = the date has already passed
desk-p-campaign = campaign mode: only proposals for the programme are taken
desk-p-category = unknown topic
desk-p-outcome = this outcome cannot be set now

## refused actions
desk-err-unknown-desk = Desk { $desk } is not in the config.
desk-err-queue-empty = Nobody is waiting for this desk.
desk-err-not-in-line = That ticket is no longer waiting for this desk: another desk may have called it.
desk-err-no-no-show = No ticket was marked a no-show at this desk today.
desk-err-busy = Ticket { $ticket } is still at this desk: finish it (F) or mark a no-show (X) first.
desk-err-no-ticket = This desk has no current ticket. Press N to call one.
desk-err-same-desk = Choose another desk or a topic to transfer to.
desk-err-not-admin = Only an administrator can do this.
desk-err-session-open = A reception session is already open: close it first.
desk-err-no-session = No reception session is open.
desk-err-not-under-control = The appeal is not under control.
desk-err-deadline-not-later = The new deadline must be later than the current one.
desk-err-invalid-more = { $first } (also wrong: { $fields })
desk-err-serve-first = Start serving first (S), then finish.
desk-err-already-serving = The citizen is already being served.
desk-err-ticket-state = Not possible: the ticket is { $state }.
desk-err-outcome = The outcome cannot go from “{ $from }” to “{ $to }”.
desk-err-not-found = Not found: it may have been changed at another desk.

## citizen history
desk-history-title = Earlier appeals
desk-history-title-count = Earlier appeals: { $count }
desk-history-hint = Type an IIN, a phone or a full name to see earlier appeals.
desk-history-none = No earlier appeals of this citizen.
desk-history-repeated = Repeated appeal

## search
desk-search-title = Search appeals and citizens
desk-search-found = { $count ->
    [one] { $count } found
   *[other] { $count } found
}
desk-search-many = first { $count } shown
desk-search-hint = Type a name, IIN, phone, number or words of the text.
desk-search-nothing = Nothing found.

## control
desk-control-title = Under control: { $count }, overdue: { $overdue }
desk-control-empty = No appeals under control.
desk-col-number = Number
desk-col-deadline = Deadline
desk-col-left = Left
desk-col-responsible = Responsible
desk-col-citizen = Citizen
desk-detail-title = Appeal { $number }
desk-received = Received
desk-citizen = Citizen
desk-recorded-by = Recorded by
desk-history-changes = History: who changed what
desk-h-recorded = recorded
desk-h-outcome = outcome: { $outcome }
desk-h-control = put under control: { $responsible }, until { $deadline }
desk-h-control-off = taken off control
desk-h-extended = deadline extended to { $deadline }: { $reason }
desk-h-note = note: { $note }
desk-dlg-note = Follow-up note
desk-dlg-outcome = Change the outcome
desk-dlg-outcome-now = now: { $outcome }
desk-dlg-extend = Extend the deadline
desk-dlg-control = Put under control
desk-dlg-release = Take off control
desk-dlg-release-ask = Press Enter to take this appeal off control.
desk-dlg-hint = Enter save · Tab next field · Esc cancel
desk-note-added = Note added.
desk-outcome-changed = Outcome changed.
desk-deadline-extended = Deadline extended.
desk-control-set = The appeal is under control.
desk-control-lifted = The appeal is taken off control.

## reception sessions
desk-sessions-title = Reception sessions
desk-sessions-recent = Latest sessions
desk-session-none = No session is open. Press O to open one.
desk-session-now = Open: { $kind }, { $place } ({ $count ->
    [one] { $count } appeal
   *[other] { $count } appeals
})
desk-session-close-hint = Appeals recorded now belong to this session. C closes it.
desk-session-new = Open a reception session
desk-session-mobile = mobile reception
desk-session-on_site = on-site reception
desk-session-open-mark = SESSION
desk-session-closed-mark = closed
desk-session-opened = The reception session is open.
desk-session-closed = The reception session is closed.
desk-appeals-count = { $count ->
    [one] { $count } appeal
   *[other] { $count } appeals
}

## reprinting a receipt from the appeal's card
desk-print-none = No printer is configured ([printer]): nothing to reprint on.
desk-reprint-sent = The receipt went to the printer…
desk-reprinted = The receipt was reprinted.
desk-reprint-failed = The receipt did not print: { $reason }. Fix it and press P again.
desk-ticket-reprint-sent = The queue ticket went to the printer…
desk-ticket-reprinted = The queue ticket was reprinted.
desk-ticket-reprint-failed = The queue ticket did not print: { $reason }. Fix it and press P again.

## the look-up for a citizen on the phone (F9)
desk-lookup-title = What became of an appeal? (on the phone)
desk-lookup-help = Ask the citizen for the appeal's number and the last 4 digits of the phone, or the IIN.
desk-lookup-number = The appeal's number
desk-lookup-second = Last 4 digits of the phone, or IIN
desk-lookup-number-missing = Enter the appeal's number.
desk-keys-lookup = Tab Field   Enter Look up   Esc Back
## Pause (assets/locales/en/pause.ftl has the reasons)
desk-pause-title = Pause the desk: why?
desk-pause-hint = ↑↓ or 1–4 choose   Enter pause   Esc cancel
desk-paused-now = Paused: { $reason }, since { $time } ({ $minutes } min). P to come back.
desk-paused-done = The desk is paused: nobody is called until you come back (P).
desk-resumed = The desk is back: N calls the next ticket.
desk-err-paused = This desk is paused ({ $reason }): press P to come back, then call.
desk-err-already-paused = This desk is already paused ({ $reason }).
desk-err-not-paused = This desk is not paused.
desk-state-closed = not served: closed

## a citizen's own data (issue 21)
desk-dlg-erase = Erase the citizen's personal data
desk-dlg-erase-warn = Every appeal of this citizen loses their name, IIN, phone, settlement and workplace. The appeals stay in every figure. This cannot be undone.
desk-f-request = Their request
desk-f-erase-texts = The texts too
desk-yes = yes
desk-no = no
desk-citizen-erased = The citizen's personal data is erased.
desk-erase-not-allowed = Only a supervisor or an administrator erases a citizen's personal data.
desk-erase-request-needed = Note the citizen's request: its number and date, or how they asked.
desk-erase-nothing = Nothing is left to erase: this citizen's data was erased already.
desk-keys-detail-supervisor = N Note  O Outcome  E Extend  C Control  D Erase  P Reprint  ↑↓ History  Esc Back
