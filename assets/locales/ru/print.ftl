# Что печатается на бумаге (талон очереди и талон обращения).
print-ticket-title = Ваш номер в очереди
print-accepted-kiosk = киоск самообслуживания
print-receipt-title = Талон о приёме обращения
print-receipt-received = Принято: { $when }
print-receipt-topic = Тема: { $topic }
print-receipt-accepted-by = Принял: { $who }
print-receipt-due = Ответ до: { $date }
print-receipt-lookup = Узнать, что стало с обращением: в киоске выберите «Что с моим обращением?» и введите этот номер и 4 последние цифры телефона (или ИИН).
print-receipt-lookup-state-only = Узнать состояние обращения: в киоске выберите «Что с моим обращением?» и введите этот номер.
