"""People logging in to the console: passwords (argon2), server-side sessions, one-time
set-password links, and the guard that counts attempts and signs forms.

The rules themselves (what a login or a password may be, how long a session lives) are
``hub/domain/logins.py``; the rows are ``storage/repositories/logins.py``; the pages are
``hub/console/``.
"""
