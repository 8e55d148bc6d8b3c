"""Serving the dashboard to a team: nginx (HTTPS, login, WebSockets) in front of Streamlit."""
