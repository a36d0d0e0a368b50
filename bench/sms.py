"""The benchmark's SMS backend: a production-shaped backend that sends nothing.

`make bench` runs gunicorn with DEBUG off, where yiwu_union/wsgi.py refuses the development
backends (notify.E001); the load never needs a message delivered, so this one counts them."""

from apps.notify.sms import BaseSmsBackend

sent = 0


class BenchSmsBackend(BaseSmsBackend):
    development = False

    def send(self, phone: str, text: str, *, sensitive: bool = False) -> None:
        global sent
        sent += 1
