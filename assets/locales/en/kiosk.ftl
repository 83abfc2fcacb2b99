# Self-service kiosk (qabyldau kiosk), English.

kiosk-welcome = Welcome!
kiosk-choose-language = Choose a language

kiosk-menu-title = What would you like to do?
kiosk-menu-ticket = Take a queue ticket
kiosk-menu-appeal = Leave a written appeal or proposal
kiosk-menu-ticket-proposal = Take a ticket to make a proposal in person
kiosk-menu-proposal = Leave a written proposal for the programme
kiosk-campaign-notice = During the election campaign only proposals for the party programme are taken.

kiosk-topic-title-ticket = Choose the topic of your question
kiosk-topic-title-appeal = Choose the topic of your appeal

kiosk-priority-title = Are you entitled to be seen without waiting in line?
kiosk-priority-note = Staff may ask for a document for priority service.
kiosk-priority-ordinary = No, the ordinary queue
kiosk-priority-disability = Person with a disability
kiosk-priority-veteran = Veteran
kiosk-priority-pregnancy = Pregnant woman
kiosk-priority-elderly = Elderly person

kiosk-taking = Your ticket is being issued
kiosk-saving = Your appeal is being saved
kiosk-please-wait = Please wait...

kiosk-ticket-title = Your ticket: { $number }
kiosk-ticket-topic = Topic: { $topic }
kiosk-ticket-priority = Priority: { $priority }
kiosk-ticket-first = Nobody is ahead of you.
kiosk-ticket-ahead = Ahead of you: { $count ->
    [one] { $count } person
   *[other] { $count } people
}
kiosk-ticket-wait = Estimated wait: { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}
kiosk-ticket-watch-board = When your number shows on the board, go to the desk it names.
kiosk-done = Done
kiosk-closes-in = This screen closes in { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
}
kiosk-idle-warning = No touch for a while: the screen clears in { $seconds } s. Touch the screen or press a key to keep what you typed.

kiosk-consent-title = Consent to the processing of personal data
kiosk-consent-text = To answer you, we keep your name, phone, settlement and workplace. They are used only to consider your appeal.
kiosk-consent-anonymous-note = Without consent the appeal is taken anonymously: no personal data is kept, but state bodies do not consider anonymous appeals.
kiosk-consent-yes = I agree
kiosk-consent-no = I do not agree, leave it anonymously

kiosk-field-name = Your full name
kiosk-field-phone = Phone number
kiosk-field-settlement = Town or village
kiosk-field-workplace = Workplace
kiosk-field-text = Your appeal
kiosk-field-name-help = As on your identity card.
kiosk-field-phone-help = For example: 8 701 123 45 67.
kiosk-field-settlement-help = City, village or settlement.
kiosk-field-workplace-help = Enterprise or organisation.
kiosk-field-text-help = Describe the problem or the proposal.
kiosk-field-required = Required.
kiosk-field-optional = May be left empty.
kiosk-field-count = { $count } of { $max } characters
kiosk-back = < Back
kiosk-next = Next >

kiosk-hint-choices = Press a number or touch the screen | Esc - back
kiosk-hint-digit-waits = { $typed }… a second digit now for { $more }, or wait a moment
kiosk-hint-field = Enter - next | Esc - back
kiosk-hint-text = Tab - next | Enter - new line | Esc - back

kiosk-review-title = Check your appeal
kiosk-review-topic = Topic
kiosk-review-name = Name
kiosk-review-phone = Phone
kiosk-review-settlement = Town or village
kiosk-review-workplace = Workplace
kiosk-review-text = Text
kiosk-review-more = The text goes on: ↓ or touch ▼ to read it all
kiosk-review-end = The end of the text (↑ or ▲ to go back up)
kiosk-review-anonymous = Anonymous appeal: no personal data is kept.
kiosk-review-not-given = not given
kiosk-review-send = Send
kiosk-review-edit = Change
kiosk-review-cancel = Cancel

kiosk-receipt-title = Your appeal is registered
kiosk-receipt-number = Number: { $number }
kiosk-receipt-keep = Keep the number: at this kiosk, "What became of my appeal?" with the last 4 digits of your phone shows how it is going.
kiosk-receipt-contact = The staff will contact you.
kiosk-receipt-anonymous = An anonymous appeal gets no personal answer.

kiosk-error-required = Please fill in this field.
kiosk-error-too-long = Too long: at most { $max } characters, this has { $len }.
kiosk-error-phone-chars = A phone number has only digits, spaces, dashes and brackets.
kiosk-error-phone-short = The number is incomplete: { $count } digits typed, a number has 10 after +7 or 8.
kiosk-error-phone-long = The number has too many digits: { $count } typed, a number has 10 after +7 or 8.
kiosk-error-phone-country = This is not a Kazakhstan number.
kiosk-error-campaign = During the election campaign only proposals for the programme are taken.

kiosk-exit-title = Staff only
kiosk-exit-prompt = Enter the PIN to leave the kiosk:
kiosk-exit-hint = Enter - leave | Esc - cancel
kiosk-exit-hint-close = Esc - close
kiosk-exit-wrong-pin = Wrong PIN. Attempts left: { $left }.
kiosk-exit-locked = Too many wrong attempts. Try again in 5 minutes.
kiosk-exit-no-pin = No exit PIN is set, so the kiosk cannot be left from the keyboard. An administrator sets it with «qabyldau kiosk set-exit-pin».

kiosk-receipt-full-number = Full number: { $number }
kiosk-receipt-keep-state-only = Keep the number: at this kiosk, "What became of my appeal?" shows its state.
kiosk-paper-printing = Printing…
kiosk-paper-take-ticket = Take your ticket from the printer.
kiosk-paper-take-receipt = Take your receipt from the printer.
kiosk-paper-failed = The printer could not print ({ $reason }). Please write the number down or take a photo of this screen.

## what became of my appeal?
kiosk-menu-lookup = What became of my appeal?
kiosk-lookup-title = What became of my appeal?
kiosk-lookup-number = The appeal's number
kiosk-lookup-number-help = Enter the number on your receipt, for example 2026-00042.
kiosk-lookup-digits = Last 4 digits of the phone, or the IIN
kiosk-lookup-digits-help = For appeal { $number }: enter the last 4 digits of the phone given in the appeal, or the IIN (12 digits). For an anonymous appeal leave it empty.
lookup-number = Appeal: { $number }
lookup-state = State: { $state }
lookup-state-only = The appeal is anonymous: only its state is shown.
lookup-received = Received: { $date }
lookup-due = Answer due by: { $date }
lookup-closed = Closed: { $date }
lookup-responsible = Responsible: { $who }
lookup-redirected-to = Redirected to: { $body }
lookup-answer = Answer ({ $date }): { $text }
lookup-no-answer-yet = No answer yet.
lookup-not-found = Not found. Check the number and the last 4 digits of the phone (or the IIN).
lookup-paused = Too many wrong tries. The look-up is paused for { $minutes } min (until { $until }).
## Opening hours
kiosk-no-tickets-closed = Tickets are not given now: the reception is closed or closes soon.
kiosk-no-tickets-limit = Today's tickets for this topic have run out.
kiosk-come-back = Please come back on { $date } from { $time }.
kiosk-appeals-still-taken = You can still leave a written appeal or a proposal from the menu.
