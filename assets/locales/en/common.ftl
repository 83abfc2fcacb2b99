app-name = qabyldau
minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
people = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
window-too-small = Please enlarge the window
error-disk-full = The disk is full. Nothing was recorded. Please tell the staff.
error-busy = The system is busy. Please try again.
error-internal = Something went wrong. Nothing was recorded. Please tell the staff.
channel-walk_in = Walk-in
channel-on_site = At an enterprise
channel-mobile = Mobile reception
channel-phone = Phone / call centre
channel-email = E-mail
channel-messenger = Messenger
kind-complaint = Complaint
kind-request = Request
kind-proposal = Proposal
kind-consultation = Consultation
kind-gratitude = Gratitude
outcome-registered = Registered
outcome-under_consideration = Under consideration
outcome-resolved_positive = Resolved positively
outcome-consulted = Consultation given
outcome-redirected = Redirected to a state body
outcome-declined = Declined
outcome-withdrawn = Withdrawn
priority-ordinary = Ordinary
priority-disability = Disability
priority-veteran = Veteran
priority-pregnancy = Pregnancy
priority-elderly = Elderly
