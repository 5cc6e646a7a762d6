"""The staff bot's inbound side: invites, commands and the buttons under alerts."""
