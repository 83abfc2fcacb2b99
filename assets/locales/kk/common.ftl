app-name = qabyldau
minutes = { $count } минут
people = { $count } адам
window-too-small = Терезені үлкейтіңіз
error-disk-full = Диск толып қалды. Ештеңе жазылмады. Қызметкерлерге хабарлаңыз.
error-busy = Жүйе бос емес. Қайталап көріңіз.
error-internal = Қате шықты. Ештеңе жазылмады. Қызметкерлерге хабарлаңыз.
