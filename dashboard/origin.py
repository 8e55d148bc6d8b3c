"""Streamlit's WebSocket origin check, kept on this machine.

For a WebSocket handshake from another origin, Streamlit compares the origin's host name with
localhost, the server address, this machine's LAN address and its *public* address, which it
learns by fetching http(s)://checkip.amazonaws.com (a DNS lookup and an outside request, on
every refused handshake while that fails). A dashboard that promises that nothing leaves the
machine cannot do that, so the public and LAN addresses are taken as unknown: pages from
localhost/127.0.0.1, the page's own origin (same host and port) and `server.corsAllowedOrigins`
are accepted, every other origin is refused without a lookup. `server.allowedHosts` in
.streamlit/config.toml refuses foreign Host names (DNS rebinding) before this check.
"""
from __future__ import annotations

from streamlit import net_util


def _unknown() -> None:
    return None


def keep_origin_check_offline() -> None:
    """Make Streamlit's origin check use no network (idempotent; call before serving)."""
    net_util.get_external_ip = _unknown
    net_util.get_internal_ip = _unknown
