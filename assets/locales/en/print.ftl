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
