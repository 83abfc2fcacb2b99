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
