# Append to ~kiosk/.profile: on tty1 the login is the kiosk. Leaving it with
# the exit PIN ends the session, and getty starts it again.
if [ "$(tty)" = /dev/tty1 ]; then
    exec /usr/bin/qabyldau --config /etc/qabyldau/config.toml --db /var/lib/qabyldau/point.db kiosk
fi
