"""The branch console: a web application for branch staff, served by the central API.

`store.ConsoleStore` keeps staff, sessions, setup codes, review decisions and the audit log in
the central database (SQLite or PostgreSQL, the same statements); `secrets_.py` makes and checks
passwords, session tokens and codes; `web.py` is the FastAPI router with its Jinja2 pages.
"""
