# What is printed on paper (ticket and receipt).
print-ticket-title = Your ticket number
print-accepted-kiosk = self-service kiosk
print-receipt-title = Receipt of an appeal
print-receipt-received = Received: { $when }
print-receipt-topic = Topic: { $topic }
print-receipt-accepted-by = Accepted by: { $who }
print-receipt-due = Answer due by: { $date }
print-receipt-lookup = To find out what became of it: at the kiosk choose "What became of my appeal?" and enter this number and the last 4 digits of your phone (or your IIN).
print-receipt-lookup-state-only = To find out its state: at the kiosk choose "What became of my appeal?" and enter this number.
print-failure-paper-out = out of paper
print-failure-cover-open = the cover is open
print-failure-offline = the printer is offline
print-failure-no-device = no printer connected
print-failure-timeout = the printer does not answer
print-failure-failed = a printer error
