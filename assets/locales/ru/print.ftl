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
print-failure-paper-out = закончилась бумага
print-failure-cover-open = открыта крышка
print-failure-offline = принтер не в сети
print-failure-no-device = принтер не подключён
print-failure-timeout = принтер не отвечает
print-failure-failed = ошибка принтера
