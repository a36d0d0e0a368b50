"""The loopback cluster's SMS backend: apps.notify.sms.FileBackend, accepted by the start-up
deployment checks (yiwu_union/wsgi.py refuses development backends with DEBUG off, and the
cluster runs with production settings). It lives beside the cluster tests, never in the apps,
so no production configuration can name it by mistake."""

from apps.notify.sms import FileBackend


class ClusterFileBackend(FileBackend):
    development = False
