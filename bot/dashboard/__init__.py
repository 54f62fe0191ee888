"""The manager dashboard's runtime: a Telegram Mini App served by the bot process.

init_data.py checks what Telegram signs, sessions.py the session cookie and CSRF tokens,
server.py the HTTP side (static files, log-in, the per-group API with its checks); the pages'
routes are declared by the features (handlers/dashboard/) and call the same use cases as the
chat handlers.
"""
