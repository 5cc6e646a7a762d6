"""Notifications tell people what happened: the outbox, the Telegram bot, escalations, digests.

It reacts to facts the hub has derived (a missed call, a returned call) and never decides them.
"""
